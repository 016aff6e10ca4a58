package routing

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"inkorg/inbox"
)

// streetSuffixes end Swedish street names ("Storgatan", "Kvibergsvägen",
// "Järntorget", "Mariaplan", "Slottsskogsallén"). A street written as
// its own word after a name ("Gustaf Adolfs Torg", "Dunfins Gata")
// counts with that name when it is capitalised.
var streetSuffixes = []string{"gatan", "gata", "vägen", "väg", "gränden", "gränd", "torget", "torg",
	"platsen", "plan", "stigen", "backen", "allén", "allé", "leden"}

// residenceWords, shortly before a street address in its sentence, say
// it is where someone lives or gets their post: "jag bor på Storgatan 12",
// "min adress är …". A street address without them is where something
// happened ("gatlyktan utanför Vasagatan 12"), which is no personal data.
var residenceWords = newLexicon("bor=", "bodde=", "bott=", "boende=", "adress", "hemadress", "postadress",
	"bostadsadress", "folkbokförd", "hemma=", "flyttat", "flyttade", "flyttar=", "live=", "lives=", "living=",
	"address")

// apartmentWords come before a Swedish apartment number ("lgh 1102"),
// which only a home has.
var apartmentWords = toSet(`lgh lägenhet lägenhetsnummer lägenhetsnr`)

// residenceBytes is how far before a street address its residence words
// are looked for.
const residenceBytes = 20

// findAddresses finds where someone lives in a public text, with byte
// offsets in text, outside the spans already found: a street and house
// number with an apartment number or postal code after it, or residence
// words before it ("jag bor på Storgatan 12B lgh 1102"), and a postal
// code with its place ("412 58 Göteborg").
func findAddresses(text string, taken []byteSpan) []byteSpan {
	if !mayHoldAddress(text) {
		return nil
	}
	toks := tokenize(text)
	var out []byteSpan
	for i := 0; i < len(toks); i++ {
		start, end, said, next := -1, -1, false, i
		if s, n := street(text, toks, i); n > 0 {
			start, end, next = toks[s].start, toks[i+n-1].end, i+n
			if n := apartment(text, toks, next); n > 0 {
				end, said, next = toks[next+n-1].end, true, next+n
			}
			said = said || residenceBefore(text, toks, s)
		}
		if n := postalCode(text, toks, next); n > 0 {
			if start < 0 {
				start = toks[next].start
			}
			end, said, next = toks[next+n-1].end, true, next+n
		}
		if start >= 0 && said && !overlaps(start, end, taken) {
			out = append(out, byteSpan{inbox.SensitiveAddress, start, end})
		}
		i = max(i, next-1)
	}
	return out
}

// mayHoldAddress is a cheap first look for findAddresses: a number of
// one to three digits right after a word ending in a street suffix, or
// one shaped as a postal code before a word ("412 58 G", "41258 G"). Most
// texts have none, and need not be split into words.
func mayHoldAddress(text string) bool {
	for i := 0; i < len(text); {
		if !isDigit(text[i]) {
			i++
			continue
		}
		j := i
		for j < len(text) && isDigit(text[j]) {
			j++
		}
		switch n := j - i; {
		case n == 5 && letterAfterSpace(text[j:]),
			n == 3 && j+3 < len(text) && text[j] == ' ' && isDigit(text[j+1]) && isDigit(text[j+2]) && letterAfterSpace(text[j+3:]):
			return true
		case n <= 3 && (strings.HasSuffix(text[:i], " ") || strings.HasSuffix(text[:i], "\u00a0")):
			word := strings.TrimRight(text[:i], " \u00a0")
			for _, suf := range streetSuffixes {
				if len(word) >= len(suf) && strings.EqualFold(word[len(word)-len(suf):], suf) {
					return true
				}
			}
		}
		i = j
	}
	return false
}

// letterAfterSpace reports whether s starts with a space and a letter, as
// the place after a postal code does.
func letterAfterSpace(s string) bool {
	if len(s) < 2 || s[0] != ' ' {
		return false
	}
	r, _ := utf8.DecodeRuneInString(s[1:])
	return unicode.IsLetter(r)
}

// street returns the index of the first token of a street name, whose
// last word is toks[i], and how many tokens from toks[i] are that word
// and the house number ("Storgatan 12", "12B", "12 B"), or 0.
func street(text string, toks []token, i int) (first, n int) {
	if i+1 >= len(toks) || !houseNumber(toks[i+1].word) || !spaced(text, toks[i].end, toks[i+1].start, "") {
		return 0, 0
	}
	n = 2
	if l := i + 2; l < len(toks) && len(toks[l].word) == 1 && houseNumber("1"+toks[l].word) &&
		isNumber(toks[i+1].word) && capitalised(text, toks[l]) && spaced(text, toks[l-1].end, toks[l].start, "") {
		n = 3
	}
	w := toks[i].word
	for _, suf := range streetSuffixes {
		rest, ok := strings.CutSuffix(w, suf)
		switch {
		case !ok:
		case utf8.RuneCountInString(rest) >= 2 && !strings.ContainsFunc(rest, unicode.IsDigit):
			return i, n
		case rest == "" && i > 0 && capitalised(text, toks[i]) && capitalised(text, toks[i-1]) &&
			spaced(text, toks[i-1].end, toks[i].start, ""):
			return i - 1, n
		}
	}
	return 0, 0
}

// houseNumber reports whether w is a house number: one to three digits,
// the first not 0, and perhaps a letter ("12", "12b").
func houseNumber(w string) bool {
	digits := leadingDigits(w)
	rest := w[len(digits):]
	return len(digits) >= 1 && len(digits) <= 3 && digits[0] != '0' &&
		(rest == "" || len(rest) == 1 && rest[0] >= 'a' && rest[0] <= 'h')
}

// apartment returns how many tokens from toks[i] are an apartment number
// ("lgh 1102", "lägenhet nr 1102"), or 0.
func apartment(text string, toks []token, i int) int {
	if i >= len(toks) || !apartmentWords[toks[i].word] || !spaced(text, toks[i-1].end, toks[i].start, ", ") {
		return 0
	}
	n := 1
	if i+n < len(toks) && (toks[i+n].word == "nr" || toks[i+n].word == "nummer") {
		n++
	}
	if i+n < len(toks) && len(toks[i+n].word) == 4 && isNumber(toks[i+n].word) {
		return n + 1
	}
	return 0
}

// postalCode returns how many tokens from toks[i] are a Swedish postal
// code and its place ("412 58 Göteborg", "41258 Göteborg", "421 23
// Västra Frölunda"), or 0. A post office box's ("Box 334, 421 23 …") is
// an office's, and the tail of a longer number ("1 250 00") is none.
func postalCode(text string, toks []token, i int) int {
	if i >= len(toks) || i > 0 && isNumber(toks[i-1].word) && spaced(text, toks[i-1].end, toks[i].start, "") ||
		i > 0 && toks[i-1].word == "box" || i > 1 && toks[i-2].word == "box" {
		return 0
	}
	n := 0
	switch w := toks[i].word; {
	case len(w) == 5 && isNumber(w) && w[0] != '0':
		n = 1
	case len(w) == 3 && isNumber(w) && w[0] != '0' && i+1 < len(toks) && len(toks[i+1].word) == 2 &&
		isNumber(toks[i+1].word) && spaced(text, toks[i].end, toks[i+1].start, ""):
		n = 2
	default:
		return 0
	}
	if i+n >= len(toks) || !spaced(text, toks[i+n-1].end, toks[i+n].start, "") || !place(text, toks[i+n]) {
		return 0
	}
	if i+n+1 < len(toks) && capitalised(text, toks[i+n+1]) && spaced(text, toks[i+n].end, toks[i+n+1].start, "") {
		return n + 2
	}
	return n + 1
}

// place reports whether tok names a place: a capitalised word, or
// Göteborg or one of its districts written in lower case.
func place(text string, tok token) bool {
	return !isNumber(tok.word) && (capitalised(text, tok) || tok.word == "göteborg" || placeNames[tok.word])
}

// residenceBefore reports whether residence words stand shortly before
// toks[s] in its sentence.
func residenceBefore(text string, toks []token, s int) bool {
	from := max(0, toks[s].start-residenceBytes)
	if k := strings.LastIndexAny(text[from:toks[s].start], ".!?\n"); k >= 0 {
		from += k + 1
	}
	j := s
	for j > 0 && toks[j-1].start >= from {
		j--
	}
	return residenceWords.has(toks[j:s])
}

func capitalised(text string, tok token) bool {
	r, _ := utf8.DecodeRuneInString(text[tok.start:])
	return unicode.IsUpper(r)
}

// spaced reports whether only spaces, or the characters of also, stand
// between two tokens, and at least one.
func spaced(text string, end, start int, also string) bool {
	gap := text[end:start]
	return gap != "" && strings.Trim(gap, " \u00a0"+also) == ""
}
