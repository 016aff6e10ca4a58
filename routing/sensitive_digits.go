package routing

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// foldedText is a text with the digits people type in other scripts
// turned into ASCII digits, so the number patterns need only know ASCII,
// and with the byte offsets of the original kept to map findings back:
// Arabic-Indic (Arabic keyboards) and Extended Arabic-Indic (Persian and
// Urdu keyboards) digits, and the fullwidth forms phones type in
// fullwidth mode, which fold to the ASCII characters they stand for.
// Bidirectional marks (U+200E, U+200F, U+061C, embeddings and isolates),
// which phones and writers put in and around numbers in right-to-left
// text, are left out, so that a number they split is still found and its
// span runs from its first digit to its last.
type foldedText struct {
	text string
	// orig is the text folded; from and to give, for each byte of text,
	// the byte offsets in orig of the character it came from. They are
	// nil when nothing was folded and text is orig.
	orig     string
	from, to []int
}

// digitScript is the set of digits a digit belongs to. A keyboard types
// a number in one script, so a number whose digits or groups are in two
// scripts is no personal identity or phone number: digits of two scripts
// side by side are one longer number, as for ASCII digits, and groups in
// two scripts ("+46 ٧٠ …") are pasted together from different sources.
type digitScript int8

const (
	asciiDigits digitScript = iota + 1
	// arabicDigits are both the Arabic-Indic and the Extended
	// Arabic-Indic digits: 0–3 and 7–9 look the same in both, and Persian
	// text typed on Arabic keyboards or run through software mixes them
	// in one number.
	arabicDigits
	fullwidthDigits
)

// digitOf returns the ASCII digit and the script of a decimal digit in
// one of the scripts folded, or 0.
func digitOf(r rune) (byte, digitScript) {
	switch {
	case r >= '0' && r <= '9':
		return byte(r), asciiDigits
	case r >= '\u0660' && r <= '\u0669':
		return byte('0' + r - '\u0660'), arabicDigits
	case r >= '\u06f0' && r <= '\u06f9':
		return byte('0' + r - '\u06f0'), arabicDigits
	case r >= '\uff10' && r <= '\uff19':
		return byte('0' + r - '\uff10'), fullwidthDigits
	}
	return 0, 0
}

// foldRune returns what r folds to: an ASCII character, or "" when it is
// left out. folded is false when r stays as it is.
func foldRune(r rune) (to string, folded bool) {
	if r < utf8.RuneSelf {
		return "", false
	}
	if d, s := digitOf(r); s != 0 {
		return string(d), true
	}
	switch {
	case unicode.Is(unicode.Bidi_Control, r):
		return "", true
	case r >= '\uff01' && r <= '\uff5e': // fullwidth ASCII
		return string(rune(r - 0xfee0)), true
	case r == '\u3000': // ideographic space, the fullwidth space
		return " ", true
	case r == '\u066b': // Arabic decimal separator: "٣٫٥" is 3.5
		return ".", true
	}
	return "", false
}

func needsFold(r rune) bool {
	_, folded := foldRune(r)
	return folded
}

// foldText folds text; see foldedText.
func foldText(text string) foldedText {
	if !strings.ContainsFunc(text, needsFold) {
		return foldedText{text: text, orig: text}
	}
	f := foldedText{orig: text, from: make([]int, 0, len(text)), to: make([]int, 0, len(text))}
	var b strings.Builder
	b.Grow(len(text))
	for i := 0; i < len(text); {
		r, n := utf8.DecodeRuneInString(text[i:])
		switch to, folded := foldRune(r); {
		case !folded:
			b.WriteString(text[i : i+n])
			for j := i; j < i+n; j++ {
				f.from, f.to = append(f.from, j), append(f.to, j+1)
			}
		case to != "":
			b.WriteString(to)
			f.from, f.to = append(f.from, i), append(f.to, i+n)
		}
		i += n
	}
	f.text = b.String()
	return f
}

// unfold maps spans in the folded text to spans in the original.
func (f foldedText) unfold(spans []byteSpan) []byteSpan {
	if f.from == nil {
		return spans
	}
	for i, s := range spans {
		spans[i].start, spans[i].end = f.from[s.start], f.to[s.end-1]
	}
	return spans
}

// oneScript reports whether the digits of the folded text between start
// and end were written in one script.
func (f foldedText) oneScript(start, end int) bool {
	if f.from == nil {
		return true
	}
	var first digitScript
	for k := start; k < end; k++ {
		if !isDigit(f.text[k]) {
			continue
		}
		r, _ := utf8.DecodeRuneInString(f.orig[f.from[k]:])
		switch _, s := digitOf(r); {
		case first == 0:
			first = s
		case s != first:
			return false
		}
	}
	return true
}
