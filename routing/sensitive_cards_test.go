package routing

import (
	"testing"
	"time"

	"inkorg/inbox"
)

func TestFindSensitivePaymentCards(t *testing.T) {
	card, pin, phone := inbox.SensitivePaymentCard, inbox.SensitivePersonalIdentityNumber, inbox.SensitivePhone
	tests := []findCase{
		{"OK/CardGroupedSpaces", "Mitt kort 4539 1488 0343 6467 drogs två gånger för parkeringen", false, []inbox.SensitiveSpan{sp(card, 10, 29)}},
		{"OK/CardGroupedDashes", "kort 5555-5555-5555-4444, tack", false, []inbox.SensitiveSpan{sp(card, 5, 24)}},
		{"OK/CardUnbroken", "Kortnummer 4111111111111111 tack", false, []inbox.SensitiveSpan{sp(card, 11, 27)}},
		{"OK/CardAmex", "Amex 3782 822463 10005.", false, []inbox.SensitiveSpan{sp(card, 5, 22)}},
		{"OK/CardDiners", "3056 930902 5904", false, []inbox.SensitiveSpan{sp(card, 0, 16)}},
		{"OK/CardMastercard2Series", "2221 0000 0000 0009", false, []inbox.SensitiveSpan{sp(card, 0, 19)}},
		{"OK/CardMixedDashThenSpaces", "Mitt kort 4539-1488 0343 6467 drogs två gånger", false, []inbox.SensitiveSpan{sp(card, 10, 29)}},
		{"OK/CardMixedSpaceThenDashes", "kort 4539 1488-0343-6467, tack", false, []inbox.SensitiveSpan{sp(card, 5, 24)}},
		{"OK/CardMixedNoBreakSpaceAndDash", "4539\u00a01488-0343 6467", false, []inbox.SensitiveSpan{sp(card, 0, 19)}},
		{"OK/CardMixedAmex", "Amex 3782-822463 10005.", false, []inbox.SensitiveSpan{sp(card, 5, 22)}},
		{"OK/CardMixedNextWordDigit", "kortet 4539 1488-0343 6467 2 gånger", false, []inbox.SensitiveSpan{sp(card, 7, 26)}},
		{"OK/CardMixedAfterInvoiceWord", "Jag betalade fakturan med 4539-1488 0343 6467 i går", false, []inbox.SensitiveSpan{sp(card, 26, 45)}},
		{"OK/PhoneBesideMixedDigits", "ring 070-123 45 67 eller 031-123 45 67", false, []inbox.SensitiveSpan{sp(phone, 5, 18), sp(phone, 25, 38)}},
		{"ErrCardMixedBadLuhn", "kort 4539-1488 0343 6468", false, nil},
		{"ErrCardMixedNotCardGroups", "kort 453-9148 8034 36467", false, nil},
		{"ErrCardMixedTooLong", "4539 1488-0343 6467-4539", false, nil},
		{"OK/CardUnbrokenVisaNoWords", "4539148803436467 drogs två gånger", false, []inbox.SensitiveSpan{sp(card, 0, 16)}},
		{"OK/CardUnbrokenVisa13NoWords", "Betalade med 4222222222222 i går", false, []inbox.SensitiveSpan{sp(card, 13, 26)}},
		{"OK/CardUnbrokenVisa19NoWords", "4539148803436467123", false, []inbox.SensitiveSpan{sp(card, 0, 19)}},
		{"OK/CardUnbrokenMastercardNoWords", "Dragningen på 5555555555554444 var fel", false, []inbox.SensitiveSpan{sp(card, 14, 30)}},
		{"OK/CardUnbrokenMastercard2SeriesNoWords", "2221000000000009", false, []inbox.SensitiveSpan{sp(card, 0, 16)}},
		{"OK/CardUnbrokenAmexNoWords", "378282246310005 drogs två gånger", false, []inbox.SensitiveSpan{sp(card, 0, 15)}},
		{"OK/CardUnbrokenDiscoverSaidKortnummer", "Kortnummer 6011111111111117", false, []inbox.SensitiveSpan{sp(card, 11, 27)}},
		{"OK/CardUnbrokenJCBSaidCard", "my card number is 3530111333300000", false, []inbox.SensitiveSpan{sp(card, 18, 34)}},
		{"OK/CardUnbrokenMaestroSaidMaestro", "Maestro 6759649826438453 fungerar inte", false, []inbox.SensitiveSpan{sp(card, 8, 24)}},
		{"OK/CardUnbrokenSaidKortAfter", "6011111111111117 är mitt kort, det drogs två gånger", false, []inbox.SensitiveSpan{sp(card, 0, 16)}},
		{"OK/CardUnbrokenSaidVisaAfter", "Summan drogs från 6011111111111117 (Visa)", false, []inbox.SensitiveSpan{sp(card, 18, 34)}},
		{"OK/CardGroupedNoStrictIssuer", "6011 1111 1111 1117 drogs två gånger", false, []inbox.SensitiveSpan{sp(card, 0, 19)}},
		{"ErrCardUnbrokenAccountNumber", "Jag har bytt bank, nya kontot 6997920182848", false, nil},
		{"ErrCardUnbrokenAccountRefund", "Återbetalningen ska till 6997920182848 tack", false, nil},
		{"ErrCardUnbrokenDiscoverNoWords", "6011111111111117", false, nil},
		{"ErrCardUnbrokenVisaWrongLength", "Sätt in på 453914880343649", false, nil},
		{"ErrCardUnbrokenMastercardWrongLength", "Sätt in på 555555555555442", false, nil},
		{"ErrCardClearingDashAccount", "Jag har bytt bank, nya kontot 6997-920182848", false, nil},
		{"ErrCardUnbrokenCardWordNextSentence", "Sätt in på 6997920182848. Kortet funkar inte", false, nil},
		// Words that hold the letters of a card word, or the verb visa, say
		// nothing about the number.
		{"ErrCardUnbrokenVerbVisa", "Jag kan visa kvittot, sätt in på 6997920182848", false, nil},
		{"ErrCardUnbrokenVisaStartsSentence", "Visa gärna hur det går. Sätt in på 6997920182848", false, nil},
		{"ErrCardUnbrokenKortedala", "Jag bor i Kortedala, sätt in på 6997920182848", false, nil},
		{"ErrCardUnbrokenKorkort", "Jag har körkort och vill ha pengarna på 6997920182848", false, nil},
		{"ErrCardUnbrokenKortare", "Kan handläggningen bli kortare? Sätt in på 6997920182848", false, nil},
		{"OK/CardUnbrokenSaidBankkortet", "Bankkortet 6011111111111117 drogs två gånger", false, []inbox.SensitiveSpan{sp(card, 11, 27)}},
		{"OK/CardUnbrokenSaidKreditkort", "betalt med kreditkort: 6011111111111117", false, []inbox.SensitiveSpan{sp(card, 23, 39)}},
		{"OK/CardUnbrokenSaidCreditcard", "creditcard 6011111111111117 please refund", false, []inbox.SensitiveSpan{sp(card, 11, 27)}},
		{"OK/CardUnbrokenSaidVISA", "VISA 6011111111111117", false, []inbox.SensitiveSpan{sp(card, 5, 21)}},
		{"OK/CardUnbrokenSaidVisaInSentence", "Jag betalade med Visa 6011111111111117", false, []inbox.SensitiveSpan{sp(card, 22, 38)}},
		{"OK/CardNoBreakSpace", "kort 4539\u00a01488\u00a00343\u00a06467", false, []inbox.SensitiveSpan{sp(card, 5, 24)}},
		{"OK/CardArabicIndic", "بطاقتي ٤٥٣٩ ١٤٨٨ ٠٣٤٣ ٦٤٦٧ شكرا", false, []inbox.SensitiveSpan{sp(card, 7, 26)}},
		{"OK/CardNextWordDigit", "kortet 4539 1488 0343 6467 2 gånger", false, []inbox.SensitiveSpan{sp(card, 7, 26)}},
		{"OK/CardGroupedAfterInvoiceWord", "Jag betalade fakturan med 4539 1488 0343 6467 i går", false, []inbox.SensitiveSpan{sp(card, 26, 45)}},
		{"OK/CardUnbrokenSaidCard", "Fakturan drogs från kortet 4111111111111111", false, []inbox.SensitiveSpan{sp(card, 27, 43)}},
		{"OK/PnrStaysPnrBesideCard", "pnr 19811218-9876, kort 4539 1488 0343 6467", false, []inbox.SensitiveSpan{sp(pin, 4, 17), sp(card, 24, 43)}},
		{"OK/PnrTwelveDigitsNotCard", "kort 198112189876", false, []inbox.SensitiveSpan{sp(pin, 5, 17)}},
		{"OK/PnrTenDigitsNotCard", "Kortet gäller 8112189876", false, []inbox.SensitiveSpan{sp(pin, 14, 24)}},
		{"OK/PhoneStaysPhoneBesideCard", "kort 4539 1488 0343 6467, ring 070-123 45 67", false, []inbox.SensitiveSpan{sp(card, 5, 24), sp(phone, 31, 44)}},
		{"OK/PhoneDoubleZeroNotCard", "0046701234567", false, []inbox.SensitiveSpan{sp(phone, 0, 13)}},
		{"ErrCardBadLuhnGrouped", "kort 4539 1488 0343 6468", false, nil},
		{"ErrCardBadLuhnUnbroken", "kort 4539148803436468", false, nil},
		{"ErrCardNoIssuer", "1234 5678 9012 3452 och 1234567890123452", false, nil},
		{"ErrCardYears", "Åren 2019 2020 2021 2020 var bättre", false, nil},
		{"ErrCardAfterOCR", "OCR 4111111111111111", false, nil},
		{"ErrCardGroupedAfterOCRLabel", "OCR-nummer: 4539 1488 0343 6467", false, nil},
		{"ErrCardUnbrokenInvoice", "Fakturan med referens 4111111111111111 är betald", false, nil},
		{"ErrCardBankAccount", "Clearing 6000, kontonummer 60001234567894", false, nil},
		{"ErrCardIBAN", "IBAN SE45 5000 0000 0583 9825 7466", false, nil},
		{"ErrCardTooLong", "4539 1488 0343 6467 4539 1488", false, nil},
		{"ErrCardInsideCode", "kod AB4111111111111111", false, nil},
		{"ErrCardDecimals", "Summa 4111111111111111,50 kr", false, nil},
		{"ErrBankgiro", "Bankgiro 5050-1055, plusgiro 12 34 56-7", false, nil},
	}
	runFindCases(t, tests, findSensitiveNow)
}

func TestFindSensitiveWrittenEmails(t *testing.T) {
	email := inbox.SensitiveEmail
	tests := []findCase{
		{"OK/EmailAtInParentheses", "maila anna.andersson(at)gmail.com tack", false, []inbox.SensitiveSpan{sp(email, 6, 33)}},
		{"OK/EmailAtInBracketsSpaced", "anna [at] gmail.com", false, []inbox.SensitiveSpan{sp(email, 0, 19)}},
		{"OK/EmailAInParentheses", "Skriv till anna(a)telia.se.", false, []inbox.SensitiveSpan{sp(email, 11, 26)}},
		{"OK/EmailBraces", "anna{at}telia.se", false, []inbox.SensitiveSpan{sp(email, 0, 16)}},
		{"OK/EmailCapitals", "ANNA (AT) TELIA (PUNKT) SE", false, []inbox.SensitiveSpan{sp(email, 0, 26)}},
		{"OK/EmailDotInParentheses", "anna(at)gmail(dot)com", false, []inbox.SensitiveSpan{sp(email, 0, 21)}},
		{"OK/EmailAtSignDotWritten", "anna@gmail(dot)com", false, []inbox.SensitiveSpan{sp(email, 0, 18)}},
		{"OK/EmailSnabelA", "anna snabel-a gmail punkt com", false, []inbox.SensitiveSpan{sp(email, 0, 29)}},
		{"OK/EmailPlainAndWritten", "a@b.se eller anna(at)c.se", false, []inbox.SensitiveSpan{sp(email, 0, 6), sp(email, 13, 25)}},
		{"ErrAtWord", "Titta at goteborg.se och vi ses (at) 5", false, nil},
		{"ErrLetteredList", "Välj (a) goteborg.se eller (b) 1177.se", false, nil},
		{"ErrParenthesesNoDomain", "Jag (a) vet inte", false, nil},
	}
	runFindCases(t, tests, findSensitiveNow)
}

func TestFindSensitiveOrderLabels(t *testing.T) {
	phone := inbox.SensitivePhone
	tests := []findCase{
		{"ErrInvoiceNumberNotPhone", "Fakturanummer 0313654789 stämmer inte", false, nil},
		{"ErrOCRNumberNotPhone", "OCR-nummer: 0313654789", false, nil},
		{"ErrOrderNumberNotPhone", "Ordernr 0701234567 har inte kommit", false, nil},
		{"ErrCaseNumberNotPhone", "Ärendenummer 0313654789", false, nil},
		{"ErrInvoiceNotPhone", "Min faktura: 031-365 47 89", false, nil},
		{"OK/PhoneAfterInvoiceQuestion", "Frågor om fakturan? Ring 031-365 00 00", false, []inbox.SensitiveSpan{sp(phone, 25, 38)}},
		{"OK/PhoneAfterCustomerService", "Ring kundtjänst 031-365 00 00", false, []inbox.SensitiveSpan{sp(phone, 16, 29)}},
		{"OK/PhoneInvoiceSentence", "Fakturan kom i dag, ring mig på 0701234567", false, []inbox.SensitiveSpan{sp(phone, 32, 42)}},
	}
	runFindCases(t, tests, findSensitiveNow)
}

// TestFindIdentifiersIgnoresLabels: logs and pseudonymised texts lose a
// number after an invoice or OCR label, or a bank account number that
// could be a card's, rather than keep a card or phone number.
func TestFindIdentifiersIgnoresLabels(t *testing.T) {
	card, phone := inbox.SensitivePaymentCard, inbox.SensitivePhone
	tests := []findCase{
		{"OK/CardAfterOCR", "OCR 4111111111111111", false, []inbox.SensitiveSpan{sp(card, 4, 20)}},
		{"OK/PhoneAfterInvoiceNumber", "Fakturanummer 0313654789", false, []inbox.SensitiveSpan{sp(phone, 14, 24)}},
		{"OK/CardLikeAccountNumber", "nya kontot 6997920182848", false, []inbox.SensitiveSpan{sp(card, 11, 24)}},
		{"OK/WrittenEmail", "anna(at)gmail.com", false, []inbox.SensitiveSpan{sp(inbox.SensitiveEmail, 0, 17)}},
	}
	runFindCases(t, tests, func(text string, _ bool) []inbox.SensitiveSpan {
		return FindIdentifiers(text, testNow)
	})
}

// TestTriageHidesCardNumbers: a card number in a public comment is to be
// hidden like a personal identity number, with its own private reply and
// reason; in a private message it is not.
func TestTriageHidesCardNumbers(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Now = func() time.Time { return testNow }
	tr, err := NewTriager(bundled(t), nil, cfg)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name       string
		text       string
		channel    inbox.Channel
		wantHide   bool
		wantReply  string
		wantReason string
	}{
		{"OK/PublicCard", "Mitt kort 4539 1488 0343 6467 drogs två gånger för parkeringen", inbox.ChannelFacebookComment,
			true, DefaultCardPrivateReply, AutoHideCardReason},
		{"OK/PublicCardMixedSeparators", "Mitt kort 4539-1488 0343 6467 drogs två gånger", inbox.ChannelFacebookComment,
			true, DefaultCardPrivateReply, AutoHideCardReason},
		{"OK/PublicCardAndPnr", "Kort 4539 1488 0343 6467, pnr 821105-9954", inbox.ChannelInstagramComment,
			true, DefaultPrivateReply, AutoHideReason},
		{"ErrPrivateCard", "Mitt kort 4539 1488 0343 6467 drogs två gånger", inbox.ChannelMessenger, false, "", ""},
		{"ErrPublicOCR", "OCR 4111111111111111 stämmer inte", inbox.ChannelFacebookComment, false, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := tr.Triage(t.Context(), tt.text, tt.channel)
			if err != nil {
				t.Fatal(err)
			}
			if r.HideRecommended != tt.wantHide || r.PrivateReply != tt.wantReply {
				t.Errorf("got hide %v reply %q, want %v %q", r.HideRecommended, r.PrivateReply, tt.wantHide, tt.wantReply)
			}
			if tt.wantHide && autoHideReason(r) != tt.wantReason {
				t.Errorf("got reason %q, want %q", autoHideReason(r), tt.wantReason)
			}
		})
	}
}

// BenchmarkFindSensitive measures the sensitive-data finder alone on the
// triage benchmark's texts, public.
func BenchmarkFindSensitive(b *testing.B) {
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		FindSensitive(benchTexts[i%len(benchTexts)], true, testNow)
	}
}
