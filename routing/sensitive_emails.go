package routing

import (
	"regexp"
	"strings"

	"inkorg/inbox"
)

var emailShape = regexp.MustCompile(`[\p{L}0-9._%+\-]+@[\p{L}0-9\-]+(?:\.[\p{L}0-9\-]+)*\.\p{L}{2,}`)

// writtenEmailShape is an e-mail address written out to dodge address
// harvesters: the @ as "at" or "snabel-a" in brackets ("(at)", "[at]",
// "{at}", with or without spaces), as "(a)" or "[a]" between the parts
// with no space, or as the word "snabel-a"; dots as "dot" or "punkt", in
// brackets or as words ("anna(at)gmail.com", "anna [at] gmail(dot)com",
// "anna(a)telia.se", "anna snabel-a gmail punkt com"). A bare "at" is
// left out, and so is a spaced "(a)": "look at goteborg.se" and "välj (a)
// goteborg.se eller (b) 1177.se" are no addresses.
var writtenEmailShape = regexp.MustCompile(`(?i)[\p{L}0-9._%+\-]+` +
	`(?:\s*[(\[{]\s*(?:at|snabel-a)\s*[)\]}]\s*|[(\[]a[)\]]|\s+snabel-a\s+|@)` +
	`[\p{L}0-9\-]+(?:(?:\.|\s*[(\[{]\s*(?:dot|punkt)\s*[)\]}]\s*|\s+(?:dot|punkt)\s+)[\p{L}0-9\-]+)*` +
	`(?:\.|\s*[(\[{]\s*(?:dot|punkt)\s*[)\]}]\s*|\s+(?:dot|punkt)\s+)\p{L}{2,}`)

// findEmails finds e-mail addresses, also written out (see
// writtenEmailShape), with byte offsets in text.
func findEmails(text string) []byteSpan {
	var out []byteSpan
	for _, m := range emailShape.FindAllStringIndex(text, -1) {
		out = append(out, byteSpan{inbox.SensitiveEmail, m[0], m[1]})
	}
	if !MayHoldWrittenEmail(text) {
		return out
	}
	plain := out
	for _, m := range writtenEmailShape.FindAllStringIndex(text, -1) {
		if !overlaps(m[0], m[1], plain) {
			out = append(out, byteSpan{inbox.SensitiveEmail, m[0], m[1]})
		}
	}
	return out
}

// MayHoldWrittenEmail is a cheap first look for an e-mail address
// written out: such an address needs an at or a in brackets, the word
// snabel-a (in lower case, capitalised or in capitals) or an @ (with
// the dots written out, "anna@gmail(dot)com"), and most texts have none:
// writtenEmailShape costs a few times what emailShape does.
func MayHoldWrittenEmail(text string) bool {
	if strings.Contains(text, "@") || strings.Contains(text, "nabel-a") || strings.Contains(text, "NABEL-A") {
		return true
	}
	for i := strings.IndexAny(text, "([{"); i >= 0; {
		rest := strings.TrimLeft(text[i+1:], " ")
		for _, at := range []string{"at", "a"} {
			if len(rest) > len(at) && strings.EqualFold(rest[:len(at)], at) &&
				strings.ContainsRune(")]} ", rune(rest[len(at)])) {
				return true
			}
		}
		j := strings.IndexAny(text[i+1:], "([{")
		if j < 0 {
			break
		}
		i += 1 + j
	}
	return false
}

// overlaps reports whether start to end overlaps one of spans.
func overlaps(start, end int, spans []byteSpan) bool {
	for _, s := range spans {
		if start < s.end && s.start < end {
			return true
		}
	}
	return false
}
