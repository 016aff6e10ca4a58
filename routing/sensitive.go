package routing

import (
	"regexp"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"inkorg/inbox"
)

// FindSensitive finds personal data in text: personal identity and
// coordination numbers, payment card numbers, phone numbers and e-mail
// addresses (also written out to dodge harvesters, "anna(at)gmail.com")
// always, and health and social-welfare details about the writer when
// the text is public. Numbers may be written in ASCII, Arabic-Indic,
// Extended Arabic-Indic or fullwidth digits (see foldedText). now bounds
// valid dates of birth. Spans are in code points and do not overlap.
func FindSensitive(text string, public bool, now time.Time) []inbox.SensitiveSpan {
	spans := findNumbers(text, now, true)
	spans = append(spans, findEmails(text)...)
	if public {
		spans = append(spans, findPersonalDetails(text)...)
		spans = append(spans, findAddresses(text, spans)...)
	}
	return toRuneSpans(text, spans)
}

// FindIdentifiers finds personal identity and coordination numbers,
// payment card numbers, phone numbers, e-mail addresses and home addresses
// like FindSensitive, but without the rule that a number after words such
// as "order", "faktura" or "OCR" is an order, invoice or OCR number: a log
// would rather lose an order number than keep a personal identity number.
// Home addresses are looked for in every text, not only public ones: it is
// for logs and for texts being pseudonymised, where a private message's
// address would still say who wrote it.
func FindIdentifiers(text string, now time.Time) []inbox.SensitiveSpan {
	spans := findNumbers(text, now, false)
	spans = append(spans, findEmails(text)...)
	spans = append(spans, findAddresses(text, spans)...)
	return toRuneSpans(text, spans)
}

// findNumbers finds personal identity, coordination, payment card and
// phone numbers in the folded text and returns their byte offsets in
// text. Identity numbers come first, so one is never read as part of a
// card number; no part of a number shaped as a card is a phone number.
func findNumbers(text string, now time.Time, orderRule bool) []byteSpan {
	f := foldText(text)
	spans := findIdentityNumbers(f, now, orderRule)
	cards, shaped := findCards(f, spans, orderRule)
	phones := findPhones(f, append(shaped, spans...), orderRule)
	spans = append(append(spans, cards...), phones...)
	return f.unfold(spans)
}

// byteSpan is a finding with byte offsets, before conversion.
type byteSpan struct {
	kind       inbox.SensitiveKind
	start, end int
}

// identityShape is every way people write a personal identity number:
// YYMMDD or YYYYMMDD, then an optional "-", "+" (over 100), dash,
// space or dot ("850312.1231", as a phone number is written "070.123 45
// 67"), then the four last digits. The dashes include those phones and
// word processors put in (en and em dash, minus sign, non-breaking and
// figure dashes), the spaces a no-break space.
//
// Digits grouped further ("821105 99 54", "82 11 05-9954") are left out:
// no source gives such forms for personal identity numbers, while digit
// pairs after a group are how phone numbers ("0701 23 45 67"), lottery
// rows and scores are written, so every such shape accepted would turn
// more of them into personal identity numbers.
var identityShape = regexp.MustCompile(`^((?:\d{2})?\d{6})(?:[ \x{00a0}]?([-+–—−‑‒])[ \x{00a0}]?|[ \x{00a0}.])?(\d{4})`)

// identityContext words, within identityContextBytes before a number, say
// it is a personal identity number: a bare ten-digit number starting with
// 0 is then not a phone number, a date followed by a time of day is not a
// time stamp, and order words do not make it an order number.
// orderContext words make it an order, invoice or customer number.
var (
	identityContext = regexp.MustCompile(`(?i)person\s?(nummer|numret|nummret|nr)|personkonto|pnr|samordningsn|personal (identity )?number|födelsen|\bfödd(e|es)?\b`)
	orderContext    = regexp.MustCompile(`(?i)order|faktura|ocr|kundn|referens|ärendenummer|artikel|invoice|kontonummer|clearing`)
)

// identityContextBytes is how far before a number its context words are
// looked for: the sentence it is in, not the whole text.
const identityContextBytes = 40

// findIdentityNumbers finds personal identity and coordination numbers
// whose date and check digit are valid, with byte offsets in the folded
// text. With orderRule, a number that words nearby call an order, invoice
// or customer number is left out.
func findIdentityNumbers(f foldedText, now time.Time, orderRule bool) []byteSpan {
	text := f.text
	var out []byteSpan
	for i := 0; i < len(text); i++ {
		if !isDigit(text[i]) || (i > 0 && (isDigit(text[i-1]) || isWordByte(text[i-1]))) {
			continue
		}
		m := identityShape.FindStringSubmatchIndex(text[i:])
		if m == nil {
			continue
		}
		end := i + m[1]
		if end < len(text) && (isDigit(text[end]) || isWordByte(text[end]) || continues(text[end:])) ||
			!f.oneScript(i, end) {
			continue
		}
		date, sep, last := text[i+m[2]:i+m[3]], "", text[i+m[6]:i+m[7]]
		if m[4] >= 0 {
			sep = text[i+m[4] : i+m[5]]
		}
		kind, ok := identityKind(date, sep, last, now)
		if !ok {
			continue
		}
		said := identityContext.MatchString(before(text, i, identityContextBytes))
		if !said && (ambiguousPhone(date, sep, last) || timeStamp(date, sep, last, now) ||
			orderRule && orderContext.MatchString(before(text, i, 40))) {
			continue
		}
		out = append(out, byteSpan{kind, i, end})
		i = end
	}
	return out
}

// identityKind validates the date (day+60 for a coordination number) and
// the Luhn check digit over the ten last digits.
func identityKind(date, sep, last string, now time.Time) (inbox.SensitiveKind, bool) {
	ten := date[len(date)-6:] + last
	// The birth number (the three digits before the check digit) runs
	// from 001 to 999.
	if !luhn(ten) || last[:3] == "000" {
		return "", false
	}
	kind := inbox.SensitivePersonalIdentityNumber
	day := atoi(date[len(date)-2:])
	if day > 60 {
		kind, day = inbox.SensitiveCoordinationNumber, day-60
	}
	month := atoi(date[len(date)-4 : len(date)-2])
	year, ok := birthYear(date, sep, month, day, now)
	if !ok {
		return "", false
	}
	born := time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC)
	if born.After(now) && len(date) == 6 {
		// Ten digits without "+" mean someone under 100: born this year
		// in a later month means born a century ago.
		born = time.Date(year-100, time.Month(month), day, 0, 0, 0, 0, time.UTC)
	}
	if month < 1 || month > 12 || day < 1 || born.Day() != day || born.After(now) {
		return "", false
	}
	return kind, true
}

// birthYear finds the full year of birth: given for twelve digits, else
// the latest year with those two digits that is not in the future, a
// century earlier for "+".
func birthYear(date, sep string, month, day int, now time.Time) (int, bool) {
	if len(date) == 8 {
		y := atoi(date[:4])
		return y, y >= 1800 && y <= now.Year()
	}
	yy := atoi(date[:2])
	y := now.Year() - (now.Year()-yy)%100
	if y > now.Year() {
		y -= 100
	}
	if sep == "+" {
		y -= 100
	}
	return y, true
}

// ambiguousPhone reports whether a bare ten-digit number starting with 0
// is more likely a phone number (when nothing near it says personal
// identity number): it has no separator and is a Swedish phone number,
// which one starting 00 is not.
func ambiguousPhone(date, sep, last string) bool {
	return len(date) == 6 && sep == "" && date[0] == '0' && isPhone(date+last)
}

// timeStamp reports whether a date of the last few years followed by four
// digits that are a time of day, with a space or nothing between, is more
// likely a time stamp ("240512 1530", "202405121530") than the personal
// identity number of a small child (when nothing near it says personal
// identity number).
func timeStamp(date, sep, last string, now time.Time) bool {
	hh, mm := atoi(last[:2]), atoi(last[2:])
	// A dash or a plus is how personal identity numbers are written, not
	// time stamps: "250101-1536" is a baby's, waiting for preschool.
	if hh > 23 || mm > 59 || sep != "" {
		return false
	}
	if len(date) == 8 {
		return now.Year()-atoi(date[:4]) <= 2
	}
	return (now.Year()-atoi(date[:2]))%100 <= 2
}

// continues reports whether the text right after a number carries it on:
// a time range or a continued number ("1100-1500", "-12"), a clock time
// ("15:30") or a file name ("-1530.pdf"): then it is not a personal
// identity number.
func continues(rest string) bool {
	if len(rest) < 2 {
		return false
	}
	switch rest[0] {
	case '-', ':', '/':
		return isDigit(rest[1])
	case '.':
		// A file name's extension ("-1530.pdf"), not the next sentence
		// typed without a space ("-9954.Ring mig").
		return isWordByte(rest[1]) && !('A' <= rest[1] && rest[1] <= 'Z') || isDigit(rest[1])
	}
	if r, n := utf8.DecodeRuneInString(rest); r == '–' || r == '—' {
		return len(rest) > n && isDigit(rest[n])
	}
	return false
}

// luhn checks the mod-10 check digit of a digit string.
func luhn(digits string) bool {
	sum := 0
	for i := range len(digits) {
		d := int(digits[len(digits)-1-i] - '0')
		if i%2 == 1 {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return sum%10 == 0
}

// phoneShape is a run of digits with the separators phone numbers use
// (dots too: "070.123 45 67", "031.365.00.00"; see dottedPhone),
// possibly after +46, 0046 or another country's +code, and with the area
// code in brackets ("(031) 12 34 56", "+46 (0) 70 …").
var phoneShape = regexp.MustCompile(`^(?:\+46|0046|\+[1-9]\d{0,2})?[ -]?(?:\(0\) ?|\(0\d{1,3}\) ?)?[\d][\d \-/.]*\d`)

// dateShape matches dates, which are never phone numbers.
var dateShape = regexp.MustCompile(`^(?:\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4})$`)

// findPhones finds Swedish phone numbers outside the spans already found,
// with byte offsets in the folded text. With orderRule, a number right
// after an invoice, order, case or OCR label ("Fakturanummer 0313654789")
// is that and not a phone number.
func findPhones(f foldedText, taken []byteSpan, orderRule bool) []byteSpan {
	text := f.text
	var out []byteSpan
	for i := 0; i < len(text); i++ {
		c := text[i]
		if !(isDigit(c) || c == '+' || c == '(') || (i > 0 && (isDigit(text[i-1]) || isWordByte(text[i-1]))) ||
			midNumber(text, i) || inside(i, taken) {
			continue
		}
		m := phoneShape.FindStringIndex(text[i:])
		if m == nil {
			continue
		}
		oneScript := func(n int) bool { return f.oneScript(i, i+n) }
		if n := longestPhone(text[i:i+m[1]], oneScript); n > 0 {
			if !orderRule || !labelled(text, i) {
				out = append(out, byteSpan{inbox.SensitivePhone, i, i + n})
			}
			i += n
		}
	}
	return out
}

// midNumber reports whether i follows a digit and a dash or a dot: it is
// inside a number that began before, such as a date, whose tail is no
// phone number's start. Otherwise the end of a period's first date reads
// as an area code: "2024-05-06 - 2024-06-07" as "06 - 2024-06-07".
func midNumber(text string, i int) bool {
	return i >= 2 && (text[i-1] == '-' || text[i-1] == '.') && isDigit(text[i-2])
}

// longestPhone returns the length of the longest prefix of s, cut at a
// space, that is a Swedish phone number written in one script, or 0.
func longestPhone(s string, oneScript func(n int) bool) int {
	for end := len(s); end > 0; end = strings.LastIndexByte(s[:end], ' ') {
		cand := strings.TrimRight(s[:end], " -/.")
		if isPhone(cand) && oneScript(len(cand)) {
			return len(cand)
		}
	}
	return 0
}

// isPhone reports whether s is a phone number: a Swedish one, 0 and 7 to
// 9 more digits nationally, or the same after +46 or 0046 without the 0;
// or another country's, after its +code, 8 to 15 digits in all as
// international numbers have (+358 40 123 4567, +44 7700 900123): many
// of the city's citizens write from, or with, numbers abroad.
func isPhone(s string) bool {
	if dateShape.MatchString(s) || strings.Contains(s, ".") && !dottedPhone(s) {
		return false
	}
	digits := digitsOf(s)
	switch {
	case strings.HasPrefix(s, "+46"):
		digits = "0" + strings.TrimPrefix(digits[2:], "0")
	case strings.HasPrefix(s, "0046"):
		digits = "0" + strings.TrimPrefix(digits[4:], "0")
	case strings.HasPrefix(s, "+"):
		return len(digits) >= 8 && len(digits) <= 15
	}
	return len(digits) >= 8 && len(digits) <= 10 && digits[0] == '0' && digits[1] != '0' && !timeRange.MatchString(s)
}

// dottedPhone reports whether s, written with a dot, starts with a
// Swedish area code: three or four digits starting with 0 ("031.365 00
// 00", "070-123.45.67", "0303.12 34 56"), or 08 followed by a group of
// three or more ("08.123 45 67"). The first group of a time
// ("08.00-16.30") or a date ("06.07 - 08.07") has two digits and the next
// two, so neither is one.
func dottedPhone(s string) bool {
	area := leadingDigits(s)
	if len(area) < 2 || len(area) > 4 || area[0] != '0' {
		return false
	}
	switch len(area) {
	case 2:
		return len(leadingDigits(strings.TrimLeft(s[2:], " -/."))) >= 3
	case 4:
		// A four-digit area code has a subscriber number of five or
		// more digits; "0900.1600" is a time range.
		return len(digitsOf(s[4:])) >= 5
	}
	return true
}

// leadingDigits returns the digits s starts with.
func leadingDigits(s string) string {
	return s[:len(s)-len(strings.TrimLeft(s, "0123456789"))]
}

// timeRange matches opening hours like "0930-1130" or "0800 - 1600": two
// times of day joined by a dash, never a phone number (an area code of four digits
// has a subscriber number of five or more).
var timeRange = regexp.MustCompile(`^(?:[01]\d|2[0-3])[0-5]\d ?[-–] ?(?:[01]\d|2[0-3])[0-5]\d$`)

// toRuneSpans sorts spans and converts their byte offsets to code points.
func toRuneSpans(text string, spans []byteSpan) []inbox.SensitiveSpan {
	sort.Slice(spans, func(i, j int) bool { return spans[i].start < spans[j].start })
	out := make([]inbox.SensitiveSpan, 0, len(spans))
	for _, s := range spans {
		out = append(out, inbox.SensitiveSpan{
			Kind:  s.kind,
			Start: utf8.RuneCountInString(text[:s.start]),
			End:   utf8.RuneCountInString(text[:s.end]),
		})
	}
	return out
}

func inside(i int, spans []byteSpan) bool {
	for _, s := range spans {
		if i >= s.start && i < s.end {
			return true
		}
	}
	return false
}

func before(text string, i, n int) string { return text[max(0, i-n):i] }

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// isWordByte reports ASCII letters, so numbers inside codes like "AB123"
// are not read as personal data.
func isWordByte(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

func digitsOf(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if isDigit(s[i]) {
			b.WriteByte(s[i])
		}
	}
	return b.String()
}

func atoi(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}
