package routing

import (
	"regexp"
	"strings"

	"inkorg/inbox"
)

// Payment card numbers are 13 to 19 digits whose last is a Luhn check
// digit, and are told from other long numbers this way:
//
//   - Shape: unbroken, or as printed on the card, in groups of four
//     (the last group may be shorter: "4539 1488 0343 6467",
//     "5555-5555-5555-4444") or 4-6-5 and 4-6-4 (American Express,
//     Diners: "3782 822463 10005"), separated by a space, no-break
//     space or "-", one throughout or mixed ("4539-1488 0343 6467", as
//     people copy a card's groups): a run with mixed separators is a
//     card only when its groups are a card's, so a phone number or a date
//     beside other digits is not read as one. A shorter last group that
//     breaks the check ("… 6467 2 gånger") is taken to be the next word.
//   - Issuer: the first digits are a card network's: 4 (Visa), 5
//     (Mastercard, Maestro), 6 (Discover, Maestro, UnionPay), 30 and 34–38
//     (Diners, JCB, American Express), 2221–2720 (Mastercard). This leaves
//     out runs of years ("2019 2020 2021 2020"), numbers with a Swedish
//     phone's 0 first and Nordea's personal accounts (3300 and a personal
//     identity number).
//   - Length: bankgiro (7–8 digits), plusgiro (2–8) and personal identity
//     numbers (10 or 12) are too short to be one, and a personal identity
//     number found first is never read again as part of a card.
//   - Context: a number right after an invoice, order, case or OCR label
//     ("OCR 4539148803436467", "Fakturanummer: …", see orderLabel) is
//     that, whatever its shape; an unbroken number with such words
//     (orderContext: OCR references also end in a Luhn check digit, bank
//     account numbers after kontonummer and clearing) within
//     identityContextBytes before it is too, unless words there say card
//     (cardContext: whole words, so not Kortedala, körkort or the verb
//     visa). A grouped one is a card even after such words ("Jag
//     betalade fakturan med 4539 1488 0343 6467"): OCR references and
//     invoice numbers are not printed in groups of four.
//   - Unbroken and unnamed: an unbroken number with no card words near it
//     (before it, or after it in its sentence) is a card only with the
//     length its network issues (strictIssuer: Visa 13, 16 or 19 digits
//     starting 4, Mastercard 16 starting 51–55 or 2221–2720, American
//     Express 15 starting 34 or 37). A Swedish bank account number
//     written in one run, clearing number first (Handelsbanken's
//     "6789123456789"), starts like Discover or Maestro and passes the
//     check digit one time in ten, and nobody labels it.
//
// Without orderRule (logs) the context is not looked at: a log would
// rather lose an OCR reference than keep a card number.

// cardWord matches a word, in lower case, that says a number near it is a
// card number: kort and its compounds and forms (bankkortet,
// kortnumret), card (creditcard, cards), the networks. A word that only
// holds the letters is none: Kortedala, kortare, körkort, visitkort.
var cardWord = regexp.MustCompile(`^(?:\p{L}*kort(?:et|en|ets|ens|nummer|numret|numren|uppgifter|uppgifterna)?|` +
	`\p{L}*cards?|cardholder|\p{L}*cardnumber|maestro|amex|american|visakort\p{L}*)$`)

// notCardWord are words cardWord takes for card words that name other
// cards, with no card number.
var notCardWord = regexp.MustCompile(`^(?:körkort|visitkort|vykort|postkort|julkort|kalenderkort)`)

// letterRun is one word of letters.
var letterRun = regexp.MustCompile(`\p{L}+`)

// cardContext reports whether s has a word saying a number near it is a
// card number. Visa counts written as the network's name (Visa, VISA)
// anywhere but at the start of a sentence, where it is the verb "show"
// as often; written visa it is the verb. opens says s starts the message
// (or a sentence), so a Visa first in s is at the start of a sentence.
func cardContext(s string, opens bool) bool {
	for _, loc := range letterRun.FindAllStringIndex(s, -1) {
		w := s[loc[0]:loc[1]]
		if w == "VISA" || (w == "Visa" && !sentenceStart(s, loc[0], opens)) {
			return true
		}
		lw := strings.ToLower(w)
		if cardWord.MatchString(lw) && !notCardWord.MatchString(lw) {
			return true
		}
	}
	return false
}

// sentenceStart reports whether byte i of s starts a sentence: after the
// end of one, or with nothing but spaces and quotes before it in s when s
// opens one.
func sentenceStart(s string, i int, opens bool) bool {
	before := strings.TrimRight(s[:i], " \t\"'«»")
	if before == "" {
		return opens
	}
	return strings.ContainsRune(".!?\n", rune(before[len(before)-1]))
}

// orderLabel matches text ending in a label of the number that follows:
// an invoice, order, case, reference, customer or OCR number, with an
// optional "nr", "nummer", "är" and ":" or "#" ("Fakturanummer",
// "OCR-nummer:", "ordern är", "invoice no."). Words that only lead up to a
// phone number, like kundtjänst, are not labels.
var orderLabel = regexp.MustCompile(`(?i)(?:^|[^\p{L}\d])(?:(?:faktura|order|ärende|referens|ocr)(?:n|t|en|et)?|` +
	`(?:faktura|order|ärende|referens|ocr|kund|betalnings?referens)-?(?:nummer|numret|nr)|invoice|reference|case)` +
	`\.?(?:\s+(?:nr|nummer|number|no|är|is)\.?)?\s*[:#]?\s*$`)

// labelled reports whether the number at byte i of text comes right after
// an orderLabel.
func labelled(text string, i int) bool {
	return orderLabel.MatchString(before(text, i, identityContextBytes))
}

// findCards finds payment card numbers outside the spans already found,
// with byte offsets in the folded text. shaped also holds the runs of
// three or more groups of four digits that are no card number (a bad
// check digit, no issuer, too long, an IBAN's "SE45 5000 0000 …"): no
// part of them is a phone number either.
func findCards(f foldedText, taken []byteSpan, orderRule bool) (cards, shaped []byteSpan) {
	text := f.text
	var buf, mixedBuf [8]int
	for i := 0; i < len(text); i++ {
		if !isDigit(text[i]) || i > 0 && isDigit(text[i-1]) {
			continue
		}
		start := i
		end, groups := digitRun(text, start, buf[:0], false)
		if s := cardSeparator(text[end:]); s > 0 && end+s < len(text) && isDigit(text[end+s]) {
			// The separator changes: the groups may be a card's written
			// with mixed separators.
			m, mg := digitRun(text, start, mixedBuf[:0], true)
			switch {
			case cardEnd(text, start, mg, m) > end:
				end, groups = m, mg
			case fours(mg) >= 3:
				shaped = append(shaped, byteSpan{inbox.SensitivePaymentCard, start, m})
			}
		}
		i = end
		if fours(groups) >= 3 {
			shaped = append(shaped, byteSpan{inbox.SensitivePaymentCard, start, end})
		}
		if start > 0 && (isWordByte(text[start-1]) || text[start-1] == '+') || overlaps(start, end, taken) ||
			end < len(text) && (isWordByte(text[end]) || continues(text[end:]) || decimals(text[end:])) ||
			!f.oneScript(start, end) {
			continue
		}
		if end = cardEnd(text, start, groups, end); end < 0 || orderRule && notCard(text, start, end, len(groups) > 1) {
			continue
		}
		cards = append(cards, byteSpan{inbox.SensitivePaymentCard, start, end})
	}
	return cards, shaped
}

// digitRun reads the groups of digits from byte i on, joined by one and
// the same separator (a space, no-break space or "-"), or by any of them
// when mixed, appends their lengths to groups and returns where they end.
func digitRun(text string, i int, groups []int, mixed bool) (int, []int) {
	sep := ""
	for {
		j := i
		for j < len(text) && isDigit(text[j]) {
			j++
		}
		groups = append(groups, j-i)
		s := cardSeparator(text[j:])
		if s == 0 || j+s >= len(text) || !isDigit(text[j+s]) || !mixed && sep != "" && text[j:j+s] != sep {
			return j, groups
		}
		sep, i = text[j:j+s], j+s
	}
}

// cardSeparator returns the length in bytes of the separator between
// groups of a card number at the start of s, or 0.
func cardSeparator(s string) int {
	switch {
	case strings.HasPrefix(s, " "), strings.HasPrefix(s, "-"):
		return 1
	case strings.HasPrefix(s, "\u00a0"):
		return len("\u00a0")
	}
	return 0
}

// fours counts the groups of four digits.
func fours(groups []int) int {
	n := 0
	for _, g := range groups {
		if g == 4 {
			n++
		}
	}
	return n
}

// decimals reports whether rest continues a number with a decimal comma.
func decimals(rest string) bool {
	return len(rest) > 1 && rest[0] == ',' && isDigit(rest[1])
}

// cardEnd returns where the card number of the groups read from byte
// start to end ends, or -1 when they hold none: the whole run, or the run
// without a shorter last group that is the next word's.
func cardEnd(text string, start int, groups []int, end int) int {
	if cardShape(groups) && isCard(digitsOf(text[start:end])) {
		return end
	}
	last := groups[len(groups)-1]
	if len(groups) < 2 || last >= 4 {
		return -1
	}
	end -= last
	for end > start && !isDigit(text[end-1]) {
		end-- // the separator before the last group
	}
	return cardEnd(text, start, groups[:len(groups)-1], end)
}

// cardShape reports whether groups of digits are how a card number is
// written.
func cardShape(groups []int) bool {
	digits := 0
	for _, g := range groups {
		digits += g
	}
	switch {
	case digits < 13 || digits > 19:
		return false
	case len(groups) == 1:
		return true
	case len(groups) == 3 && groups[0] == 4 && groups[1] == 6:
		return groups[2] == 4 || groups[2] == 5
	}
	for _, g := range groups[:len(groups)-1] {
		if g != 4 {
			return false
		}
	}
	// Only the last group may differ, and only by being shorter: a
	// longer one is a bank account number after its clearing number
	// ("6789-123456789"), not a card's print.
	return groups[len(groups)-1] <= 4
}

// isCard reports whether digits start like a card network's numbers and
// end in a valid Luhn check digit.
func isCard(digits string) bool {
	switch digits[0] {
	case '2':
		if iin := atoi(digits[:4]); iin < 2221 || iin > 2720 {
			return false
		}
	case '3':
		if !strings.ContainsRune("045678", rune(digits[1])) {
			return false
		}
	case '4', '5', '6':
	default:
		return false
	}
	return luhn(digits)
}

// notCard reports whether the words around the card-shaped number from
// byte start to end make it something else: an invoice, order or OCR
// number after a label right before it or, for an unbroken number, after
// order words near it; or, for an unbroken number of no strictIssuer, a
// bank account number. Card words near an unbroken number outweigh both.
func notCard(text string, start, end int, grouped bool) bool {
	if labelled(text, start) {
		return true
	}
	if grouped {
		return false
	}
	near := before(text, start, identityContextBytes)
	if cardContext(near, len(near) == start) || cardContext(sentenceAfter(text, end, identityContextBytes), false) {
		return false
	}
	return orderContext.MatchString(near) || !strictIssuer(digitsOf(text[start:end]))
}

// strictIssuer reports whether an unbroken card number has the first
// digits and the length its network issues: Visa, Mastercard or American
// Express, the cards Swedish banks issue.
func strictIssuer(digits string) bool {
	n := len(digits)
	switch {
	case digits[0] == '4':
		return n == 13 || n == 16 || n == 19
	case digits[0] == '5':
		return n == 16 && digits[1] >= '1' && digits[1] <= '5'
	case digits[0] == '2':
		iin := atoi(digits[:4])
		return n == 16 && iin >= 2221 && iin <= 2720
	case digits[:2] == "34", digits[:2] == "37":
		return n == 15
	}
	return false
}

// sentenceAfter returns at most n bytes of text from byte i on, up to
// the end of the sentence.
func sentenceAfter(text string, i, n int) string {
	rest := text[i:min(len(text), i+n)]
	if j := strings.IndexAny(rest, ".!?\n"); j >= 0 {
		return rest[:j]
	}
	return rest
}
