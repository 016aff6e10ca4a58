package routing

import (
	"regexp/syntax"
	"strings"
	"unicode"
)

// Kinds of the characters next to a \b or \B in a pattern, as a set.
const (
	edgeWord    = 1 << iota // a letter, mark, number or _
	edgeNonWord             // any other character
	edgeEmpty               // nothing: the pattern part may match empty
	edgeOutside             // a character of the text outside the match
	edgeAssert              // another zero-width assertion: left alone
)

// unicodeBoundaries returns the regular expression pattern with its \b
// and \B judged by Unicode words rather than RE2's ASCII ones, under which
// \bbrand\b matches in "Brandövning" and \bålder\b never matches. RE2 has
// no lookaround, so each boundary is rewritten by what the pattern puts
// beside it: between two parts it always holds or never does; at the
// start or end of the pattern it becomes a check of the text character
// before or after the match ("(?:^|[^\pL\pM\pN_])" and the like), which
// only widens the match. A boundary whose neighbours the pattern leaves
// open (next to ".", an optional part, or a class of both kinds) stays
// RE2's. A pattern that does not parse is returned as it is.
func unicodeBoundaries(pattern string) string {
	re, err := syntax.Parse(pattern, syntax.Perl)
	if err != nil || !strings.Contains(pattern, `\b`) && !strings.Contains(pattern, `\B`) {
		return pattern
	}
	return rewriteBoundaries(re, edgeOutside, edgeOutside).String()
}

// rewriteBoundaries rewrites the boundaries in re, which before and after
// (edge sets) may surround.
func rewriteBoundaries(re *syntax.Regexp, before, after int) *syntax.Regexp {
	switch re.Op {
	case syntax.OpWordBoundary, syntax.OpNoWordBoundary:
		return boundary(re, before, after)
	case syntax.OpConcat:
		for i, sub := range re.Sub {
			re.Sub[i] = rewriteBoundaries(sub, edgeOf(re.Sub[:i], true, before), edgeOf(re.Sub[i+1:], false, after))
		}
	case syntax.OpStar, syntax.OpPlus, syntax.OpQuest, syntax.OpRepeat:
		last, first := edgeOf(re.Sub, true, 0)&^edgeEmpty, edgeOf(re.Sub, false, 0)&^edgeEmpty
		re.Sub[0] = rewriteBoundaries(re.Sub[0], before|last, after|first)
	case syntax.OpCapture, syntax.OpAlternate:
		for i, sub := range re.Sub {
			re.Sub[i] = rewriteBoundaries(sub, before, after)
		}
	}
	return re
}

// boundary returns what replaces \b or \B b between before and after.
func boundary(b *syntax.Regexp, before, after int) *syntax.Regexp {
	pure := func(k int) bool { return k == edgeWord || k == edgeNonWord }
	holds := func(l, r int) bool { return (l == r) == (b.Op == syntax.OpNoWordBoundary) }
	switch {
	case pure(before) && pure(after):
		if holds(before, after) {
			return &syntax.Regexp{Op: syntax.OpEmptyMatch}
		}
		return &syntax.Regexp{Op: syntax.OpNoMatch}
	case before == edgeOutside && pure(after):
		// The character before the match, or the start for a non-word.
		if holds(edgeWord, after) {
			return mustParse(`[\pL\pM\pN_]`)
		}
		return mustParse(`(?:^|[^\pL\pM\pN_])`)
	case after == edgeOutside && pure(before):
		if holds(before, edgeWord) {
			return mustParse(`[\pL\pM\pN_]`)
		}
		return mustParse(`(?:$|[^\pL\pM\pN_])`)
	}
	return b
}

func mustParse(expr string) *syntax.Regexp {
	re, err := syntax.Parse(expr, syntax.Perl)
	if err != nil {
		panic(err)
	}
	return re
}

// edgeOf returns the kinds of character the parts seq, in a row, may end
// with (last) or start with, with context for where they may match empty.
func edgeOf(seq []*syntax.Regexp, last bool, context int) int {
	kinds := 0
	for i := range seq {
		sub := seq[i]
		if last {
			sub = seq[len(seq)-1-i]
		}
		k := edge(sub, last)
		kinds |= k &^ edgeEmpty
		if k&edgeEmpty == 0 {
			return kinds
		}
	}
	return kinds | context
}

// edge returns the kinds of character re may end with (last) or start
// with.
func edge(re *syntax.Regexp, last bool) int {
	switch re.Op {
	case syntax.OpLiteral:
		if len(re.Rune) == 0 {
			return edgeEmpty
		}
		r := re.Rune[0]
		if last {
			r = re.Rune[len(re.Rune)-1]
		}
		return runeEdge(r)
	case syntax.OpCharClass:
		return classEdge(re.Rune)
	case syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		return edgeWord | edgeNonWord
	case syntax.OpEmptyMatch:
		return edgeEmpty
	case syntax.OpBeginLine, syntax.OpEndLine, syntax.OpBeginText, syntax.OpEndText,
		syntax.OpWordBoundary, syntax.OpNoWordBoundary:
		return edgeEmpty | edgeAssert
	case syntax.OpCapture, syntax.OpPlus:
		return edge(re.Sub[0], last)
	case syntax.OpStar, syntax.OpQuest:
		return edge(re.Sub[0], last) | edgeEmpty
	case syntax.OpRepeat:
		if re.Min == 0 {
			return edge(re.Sub[0], last) | edgeEmpty
		}
		return edge(re.Sub[0], last)
	case syntax.OpConcat:
		return edgeOf(re.Sub, last, edgeEmpty)
	case syntax.OpAlternate:
		kinds := 0
		for _, sub := range re.Sub {
			kinds |= edge(sub, last)
		}
		return kinds
	}
	return 0 // OpNoMatch
}

func runeEdge(r rune) int {
	if r == '_' || unicode.In(r, unicode.L, unicode.M, unicode.N) {
		return edgeWord
	}
	return edgeNonWord
}

// classEdge returns the kinds of character in the ranges of a class.
func classEdge(ranges []rune) int {
	kinds := 0
	for i := 0; i+1 < len(ranges) && kinds != edgeWord|edgeNonWord; i += 2 {
		for r := ranges[i]; r <= ranges[i+1] && kinds != edgeWord|edgeNonWord; r++ {
			kinds |= runeEdge(r)
		}
	}
	return kinds
}
