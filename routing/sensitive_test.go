package routing

import (
	"strings"
	"testing"
	"time"

	"inkorg/inbox"
)

var testNow = time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)

func TestFindSensitive(t *testing.T) {
	pin, coord := inbox.SensitivePersonalIdentityNumber, inbox.SensitiveCoordinationNumber
	phone, email, addr := inbox.SensitivePhone, inbox.SensitiveEmail, inbox.SensitiveAddress
	tests := []findCase{
		{"OK/TwelveDigitsDash", "Mitt nummer: 19821105-9954.", false, []inbox.SensitiveSpan{sp(pin, 13, 26)}},
		{"OK/TwelveDigitsBare", "198211059954", false, []inbox.SensitiveSpan{sp(pin, 0, 12)}},
		{"OK/TwelveDigitsSpace", "pnr 19821105 9954", false, []inbox.SensitiveSpan{sp(pin, 4, 17)}},
		{"OK/TenDigitsDash", "821105-9954 hej", false, []inbox.SensitiveSpan{sp(pin, 0, 11)}},
		{"OK/TenDigitsBare", "8211059954", false, []inbox.SensitiveSpan{sp(pin, 0, 10)}},
		{"OK/TenDigitsSpacedDash", "821105 - 9954", false, []inbox.SensitiveSpan{sp(pin, 0, 13)}},
		{"OK/TenDigitsSpace", "821105 9954", false, []inbox.SensitiveSpan{sp(pin, 0, 11)}},
		{"OK/TenDigitsEnDash", "821105–9954", false, []inbox.SensitiveSpan{sp(pin, 0, 11)}},
		{"OK/Female", "19901211-9948", false, []inbox.SensitiveSpan{sp(pin, 0, 13)}},
		{"OK/Centenarian", "090527+1474", false, []inbox.SensitiveSpan{sp(pin, 0, 11)}},
		{"OK/TwelveDigitsPlus", "18791221+9990", false, []inbox.SensitiveSpan{sp(pin, 0, 13)}},
		{"OK/Born2000s", "Mitt personnummer är 0012099891", false, []inbox.SensitiveSpan{sp(pin, 21, 31)}},
		{"OK/AfterÅÄÖCountsCodePoints", "Dåå: 19821105-9954", false, []inbox.SensitiveSpan{sp(pin, 5, 18)}},
		{"OK/Coordination", "samordningsnummer 19570574-9959", false, []inbox.SensitiveSpan{sp(coord, 18, 31)}},
		{"OK/CoordinationShort", "730674-9982", false, []inbox.SensitiveSpan{sp(coord, 0, 11)}},
		{"ErrBadChecksum", "20150916-0006 och 19870704-9996 och 20121120-9941", false, nil},
		{"ErrBadCoordinationDate", "19390182-9913 20121075-9984", false, nil},
		{"ErrBadMonth", "19821305-9951", false, nil},
		{"ErrFuture", "20301105-9954", false, nil},
		{"ErrDateISO", "Mötet är 2024-05-12 kl 10", false, nil},
		{"ErrDateCompact", "Sedan 20240512 har inget hänt", false, nil},
		{"ErrDateSlashes", "den 12/05/2024", false, nil},
		{"ErrOrderNumber", "Ordernummer 8211059954 har inte kommit", false, nil},
		{"ErrLongNumber", "Fakturan 198211059954123", false, nil},
		{"ErrInsideCode", "kod AB8211059954", false, nil},
		{"OK/Born2000sBare", "Kan ni kolla 0012099891 tack", false, []inbox.SensitiveSpan{sp(pin, 13, 23)}},
		{"OK/InvoiceButSaid", "Fakturan gäller mig, personnummer 821105-9954", false, []inbox.SensitiveSpan{sp(pin, 34, 45)}},
		{"OK/OCRButPnr", "Jag fick ingen OCR, pnr 8211059954", false, []inbox.SensitiveSpan{sp(pin, 24, 34)}},
		{"OK/Personkonto", "Mitt Nordea personkonto: clearing 3300, kontonummer 821105-9954", false, []inbox.SensitiveSpan{sp(pin, 52, 63)}},
		{"OK/Personnumret", "Här är personnumret: 0512034000", false, []inbox.SensitiveSpan{sp(pin, 21, 31)}},
		{"OK/EmDash", "821105—9954", false, []inbox.SensitiveSpan{sp(pin, 0, 11)}},
		{"OK/MinusSign", "821105−9954", false, []inbox.SensitiveSpan{sp(pin, 0, 11)}},
		{"OK/NonBreakingHyphen", "821105‑9954", false, []inbox.SensitiveSpan{sp(pin, 0, 11)}},
		{"OK/NoBreakSpace", "821105\u00a09954", false, []inbox.SensitiveSpan{sp(pin, 0, 11)}},
		{"OK/ChildSaid", "Personnummer 20240512 1530 för min dotter", false, []inbox.SensitiveSpan{sp(pin, 13, 26)}},
		{"OK/BornLongAgoWithTimeOfDay", "19240512 1530", false, []inbox.SensitiveSpan{sp(pin, 0, 13)}},
		{"ErrDateTimeRange", "Öppet hus 240512 1100-1500 på Frölunda Torg", false, nil},
		{"OK/BabyDash", "Vår bebis 250101-1536 står i kön sedan i våras", false, []inbox.SensitiveSpan{sp(pin, 10, 21)}},
		{"OK/BabyTwelveDigitsDash", "Vår bebis 20250101-1536 står i kön", false, []inbox.SensitiveSpan{sp(pin, 10, 23)}},
		{"OK/BabyFöddes", "Bebisen föddes 250101 1536", false, []inbox.SensitiveSpan{sp(pin, 15, 26)}},
		{"OK/SentenceWithoutSpace", "Mitt pnr är 821105-9954.Ring mig", false, []inbox.SensitiveSpan{sp(pin, 12, 23)}},
		{"ErrDateTime", "Bokad tid 20240512 1530", false, nil},
		{"ErrFileName", "Filen heter 20240512-1530.pdf", false, nil},
		{"ErrTimeStamp", "Loggat 202405121530", false, nil},
		{"ErrClockTime", "Sedan 240512 15:30", false, nil},
		{"OK/MobileFarFromBorn", "Jag är född och uppvuxen i Bergsjön. Ring mig på 0701234007", false, []inbox.SensitiveSpan{sp(phone, 49, 59)}},
		{"OK/MobileBornPlural", "Mina barn är födda här, ring 0701234007 så pratar vi", false, []inbox.SensitiveSpan{sp(phone, 29, 39)}},
		{"ErrOpeningHours", "Öppet 0930-1130 idag och 0800-1630 i morgon", false, nil},
		{"OK/MobileBare", "ring 0701234567", false, []inbox.SensitiveSpan{sp(phone, 5, 15)}},
		{"OK/MobileGrouped", "ring 070-123 45 67 tack", false, []inbox.SensitiveSpan{sp(phone, 5, 18)}},
		{"OK/Landline", "031-365 00 00", false, []inbox.SensitiveSpan{sp(phone, 0, 13)}},
		{"OK/International", "+46 70 123 45 67", false, []inbox.SensitiveSpan{sp(phone, 0, 16)}},
		{"OK/InternationalZero", "+46 (0)31 365 00 00", false, []inbox.SensitiveSpan{sp(phone, 0, 19)}},
		{"OK/DoubleZero", "0046701234567", false, []inbox.SensitiveSpan{sp(phone, 0, 13)}},
		{"ErrShortNumbers", "ring 112 eller 1177, 114 14", false, nil},
		{"ErrAmount", "det kostar 1 250 kr", false, nil},
		{"OK/ArabicIndic", "رقمي الشخصي ٨٢١١٠٥-٩٩٥٤ شكرا", false, []inbox.SensitiveSpan{sp(pin, 12, 23)}},
		{"OK/ArabicIndicTwelveDigitsSpace", "الرقم ١٩٨٢١١٠٥ ٩٩٥٤", false, []inbox.SensitiveSpan{sp(pin, 6, 19)}},
		{"OK/ArabicLettersAttached", "رقمي:٨٢١١٠٥٩٩٥٤شكرا", false, []inbox.SensitiveSpan{sp(pin, 5, 15)}},
		{"OK/ArabicIndicCoordination", "٧٣٠٦٧٤-٩٩٨٢", false, []inbox.SensitiveSpan{sp(coord, 0, 11)}},
		{"OK/ExtendedArabicIndic", "شماره شخصی من ۸۲۱۱۰۵۹۹۵۴ است", false, []inbox.SensitiveSpan{sp(pin, 14, 24)}},
		{"OK/PersianDigitsFromBothBlocks", "کد من ٨٢١١٠۵-٩٩۵۴", false, []inbox.SensitiveSpan{sp(pin, 6, 17)}},
		{"OK/ArabicIndicSaidPersonnummer", "personnummer ٠٥١٢٠٣٤٠٠٠", false, []inbox.SensitiveSpan{sp(pin, 13, 23)}},
		{"OK/Fullwidth", "pnr １９８２１１０５－９９５４", false, []inbox.SensitiveSpan{sp(pin, 4, 17)}},
		{"OK/RLMAroundDash", "رقمي ٨٢١١٠٥\u200f-\u200f٩٩٥٤ شكرا", false, []inbox.SensitiveSpan{sp(pin, 5, 18)}},
		{"OK/LRMInsideASCII", "رقمي 821105\u200e-\u200e9954", false, []inbox.SensitiveSpan{sp(pin, 5, 18)}},
		{"OK/MarksAroundLeftOut", "رقمي \u200f\u2068٨٢١١٠٥-٩٩٥٤\u2069\u200f.", false, []inbox.SensitiveSpan{sp(pin, 7, 18)}},
		{"OK/ArabicIndicMobile", "اتصل بي على ٠٧٠١٢٣٤٥٦٧ من فضلك", false, []inbox.SensitiveSpan{sp(phone, 12, 22)}},
		{"OK/ArabicIndicMobileNotPersonnummer", "اتصل ٠٧٠١٢٣٤٠٠٧", false, []inbox.SensitiveSpan{sp(phone, 5, 15)}},
		{"OK/PersianMobileGrouped", "با ۰۷۰-۱۲۳ ۴۵ ۶۷ تماس بگیرید", false, []inbox.SensitiveSpan{sp(phone, 3, 16)}},
		{"OK/ArabicIndicInternational", "هاتفي \u200e+٤٦ ٧٠ ١٢٣ ٤٥ ٦٧\u200e", false, []inbox.SensitiveSpan{sp(phone, 7, 23)}},
		{"OK/FullwidthMobile", "ring ０７０－１２３\u3000４５\u3000６７ tack", false, []inbox.SensitiveSpan{sp(phone, 5, 18)}},
		{"OK/ArabicIndicPersonnummerAndMobile", "رقمي ٨٢١١٠٥-٩٩٥٤ وهاتفي ٠٧٠-١٢٣ ٤٥ ٦٧", false, []inbox.SensitiveSpan{sp(pin, 5, 16), sp(phone, 24, 37)}},
		{"ErrArabicIndicBadChecksum", "رقمي ٨٢١١٠٥-٩٩٥٥ و ۸۲۱۱۰۵۹۹۵۵", false, nil},
		{"ErrArabicIndicDate", "الموعد ٢٠٢٤-٠٥-١٢ الساعة ١٠ و ١٢/٠٥/٢٠٢٤", false, nil},
		{"ErrPersianSolarDate", "تاریخ ۱۴۰۳/۰۲/۲۳ ساعت ۱۵:۳۰", false, nil},
		{"ErrArabicIndicTimeStamp", "الموعد ٢٤٠٥١٢ ١٥٣٠", false, nil},
		{"ErrArabicIndicTimeRange", "مفتوح ٢٤٠٥١٢ ١١٠٠-١٥٠٠", false, nil},
		{"ErrArabicIndicAmount", "المبلغ ١ ٢٥٠ كرونة أو ١٢٥٠٠ كرونة", false, nil},
		{"ErrArabicDecimalSeparator", "المبلغ ٨٢١١٠٥٩٩٥٤٫٥٠ ريال", false, nil},
		{"ErrArabicIndicLongNumber", "الفاتورة ١٩٨٢١١٠٥٩٩٥٤١٢٣", false, nil},
		{"ErrArabicIndicShortNumbers", "اتصل ب ١١٢ أو ١١٧٧", false, nil},
		{"ErrArabicIndicOpeningHours", "مفتوح ٠٩٣٠-١١٣٠", false, nil},
		{"ErrArabicIndicOrderNumber", "Ordernummer ٨٢١١٠٥٩٩٥٤", false, nil},
		{"ErrMixedScripts", "٨٢١١٠٥-9954 ٠٧٠١٢٣4567 ８２１１０５9954", false, nil},
		{"ErrMixedPhoneGroups", "+46 ٧٠ ١٢٣ ٤٥ ٦٧", false, nil},
		{"ErrFullwidthInsideCode", "ＡＢ８２１１０５９９５４", false, nil},
		{"OK/PhoneFinland", "Ring mig på +358 40 123 4567", false, []inbox.SensitiveSpan{sp(phone, 12, 28)}},
		{"OK/PhoneUK", "My number is +44 7700 900123.", false, []inbox.SensitiveSpan{sp(phone, 13, 28)}},
		{"OK/PhoneIraq", "+964 750 123 4567", false, []inbox.SensitiveSpan{sp(phone, 0, 17)}},
		{"OK/PhoneAreaCodeInBrackets", "Hemnummer (031) 12 34 56", false, []inbox.SensitiveSpan{sp(phone, 10, 24)}},
		// The second date of a period is no phone number with the end of
		// the first as its area code ("06 - 2024-06-07").
		{"ErrDateRangeSpacedDash", "Stängt 2024-05-06 - 2024-06-07", false, nil},
		{"ErrDateRangeShortYears", "Bortrest 24-05-06 24-06-07", false, nil},
		{"ErrDateRangeDots", "Stängt 2024.05.06 - 2024.06.07", false, nil},
		{"OK/PhoneAfterDate", "Ring efter 2024-05-06 - 070-123 45 67", false, []inbox.SensitiveSpan{sp(phone, 24, 37)}},
		{"ErrOpeningHoursSpaced", "Öppet 0800 - 1600 på vardagar?", false, nil},
		// Spaces, dots and the prefixes written in other ways.
		{"OK/TwelveDigitsSpaceOtherNumber", "19850312 1231", false, []inbox.SensitiveSpan{sp(pin, 0, 13)}},
		{"OK/TenDigitsSpacedDashOtherNumber", "850312 - 1231", false, []inbox.SensitiveSpan{sp(pin, 0, 13)}},
		{"ErrSpacedBadChecksum", "19850312 1234 och 850312 - 1234", false, nil},
		{"OK/TenDigitsDot", "pnr 850312.1231", false, []inbox.SensitiveSpan{sp(pin, 4, 15)}},
		{"OK/TwelveDigitsDot", "19850312.1231", false, []inbox.SensitiveSpan{sp(pin, 0, 13)}},
		{"ErrDotBadChecksum", "850312.1234", false, nil},
		{"ErrDottedTimeStamp", "Loggat 20240512.1530 och 20240512.1530.pdf", false, nil},
		{"OK/LandlineSpaces", "ring 031 365 00 00 tack", false, []inbox.SensitiveSpan{sp(phone, 5, 18)}},
		{"OK/MobileDotAfterAreaCode", "ring 070.123 45 67", false, []inbox.SensitiveSpan{sp(phone, 5, 18)}},
		{"OK/MobileDots", "070.123.45.67 eller 070.1234567", false, []inbox.SensitiveSpan{sp(phone, 0, 13), sp(phone, 20, 31)}},
		{"OK/LandlineDots", "031.365.00.00", false, []inbox.SensitiveSpan{sp(phone, 0, 13)}},
		{"OK/DashThenDots", "070-123.45.67", false, []inbox.SensitiveSpan{sp(phone, 0, 13)}},
		{"OK/StockholmDot", "08.123 45 67", false, []inbox.SensitiveSpan{sp(phone, 0, 12)}},
		{"OK/FourDigitAreaCodeDot", "0303.12 34 56", false, []inbox.SensitiveSpan{sp(phone, 0, 13)}},
		{"OK/PhoneThenFullStop", "Ring 070.123 45 67. 2 barn", false, []inbox.SensitiveSpan{sp(phone, 5, 18)}},
		{"OK/DoubleZeroSpaced", "0046 70 123 45 67", false, []inbox.SensitiveSpan{sp(phone, 0, 17)}},
		{"OK/InternationalSpacedZero", "+46 (0) 70 123 45 67", false, []inbox.SensitiveSpan{sp(phone, 0, 20)}},
		{"ErrDottedOpeningHours", "Öppet 08.00-16.30, lör 10.00 – 14.00 och 0900.1600", false, nil},
		{"ErrDottedDateRange", "Stängt 06.07 - 08.07 och 06.07.2024 - 08.07.2024", false, nil},
		{"ErrDottedAmounts", "Kostar 1.250.000 kr eller 031.50 kr, version 0.12.3", false, nil},
		{"ErrShortPlusNumber", "Det blev +5 grader och 10 000 kr", false, nil},
		{"OK/Email", "skriv till anna.svensson@example.se!", false, []inbox.SensitiveSpan{sp(email, 11, 35)}},
		{"OK/Both", "8211059954, anna@exempel.se", false, []inbox.SensitiveSpan{sp(pin, 0, 10), sp(email, 12, 27)}},
		{"OK/HealthPublic", "Min son har autism.", true, []inbox.SensitiveSpan{sp(inbox.SensitiveHealth, 12, 18)}},
		{"OK/WelfarePublic", "Jag får försörjningsstöd", true, []inbox.SensitiveSpan{sp(inbox.SensitiveSocialWelfare, 8, 24)}},
		{"ErrHealthPrivate", "Min son har autism.", false, nil},
		// Where the writer lives, in public comments.
		{"OK/AddressApartment", "jag bor på Storgatan 12B lgh 1102", true, []inbox.SensitiveSpan{sp(addr, 11, 33)}},
		{"OK/AddressApartmentNoResidenceWord", "Storgatan 12B, lgh 1102: soporna är inte hämtade", true, []inbox.SensitiveSpan{sp(addr, 0, 23)}},
		{"OK/AddressBor", "Vi bor på Kvibergsvägen 5. Soporna är inte hämtade", true, []inbox.SensitiveSpan{sp(addr, 10, 25)}},
		{"OK/AddressAdress", "Min adress är Slottsskogsallén 7", true, []inbox.SensitiveSpan{sp(addr, 14, 32)}},
		{"OK/AddressEnglish", "I live at Kvibergsvägen 5", true, []inbox.SensitiveSpan{sp(addr, 10, 25)}},
		{"OK/AddressSeparateStreetWord", "Vi har bott på Gustaf Adolfs Torg 4A i tio år", true, []inbox.SensitiveSpan{sp(addr, 22, 36)}},
		{"OK/AddressSpacedLetterAndPostalCode", "Storgatan 12 B, 412 58 Göteborg", true, []inbox.SensitiveSpan{sp(addr, 0, 31)}},
		{"OK/AddressPostalCodeLowerCase", "Hemadress: Första Långgatan 21B, 413 27 göteborg", true, []inbox.SensitiveSpan{sp(addr, 18, 48)}},
		{"OK/PostalCode", "412 58 Göteborg", true, []inbox.SensitiveSpan{sp(addr, 0, 15)}},
		{"OK/PostalCodeTwoWordPlace", "skicka det till 421 31 Västra Frölunda", true, []inbox.SensitiveSpan{sp(addr, 16, 38)}},
		{"OK/PostalCodeUnspaced", "Anna, Storgatan 3, 41258 Göteborg", true, []inbox.SensitiveSpan{sp(addr, 6, 33)}},
		{"OK/AddressAndPhone", "Jag bor på Mariaplan 3, ring 070-123 45 67", true, []inbox.SensitiveSpan{sp(addr, 11, 22), sp(phone, 29, 42)}},
		{"OK/AddressNoBreakSpace", "jag bor på Storgatan\u00a012", true, []inbox.SensitiveSpan{sp(addr, 11, 23)}},
		{"ErrAddressPrivate", "jag bor på Storgatan 12B lgh 1102", false, nil},
		{"ErrAddressOfAFault", "Gatlyktan utanför Vasagatan 12 har varit släckt", true, nil},
		{"ErrAddressOfAPothole", "Det är ett hål i vägen på Storgatan 12", true, nil},
		{"ErrAddressFaultAfterDistrict", "Jag bor i Majorna, gatlyktan på Vasagatan 12 är trasig", true, nil},
		{"ErrAddressNoNumber", "Jag bor på Storgatan. Nummer 12 är grannen", true, nil},
		{"ErrAddressFloor", "Vi bor på plan 3 och hissen är trasig", true, nil},
		{"ErrAddressPlanOrRoad", "Detaljplan 12 gäller, jag bor vid väg 40 och rv 155", true, nil},
		{"ErrAddressYear", "Jag bodde på Storgatan 1990 till 2001", true, nil},
		{"ErrPostalCodeBox", "Box 334, 421 23 Västra Frölunda", true, nil},
		{"ErrPostalCodeAmount", "Det kostar 1 250 00 kr, eller 15000 kronor", true, nil},
		{"ErrPostalCodeInPhone", "Ring 031 365 00 00 Göteborg", true, []inbox.SensitiveSpan{sp(phone, 5, 18)}},
		{"ErrGeneralQuestion", "Hur söker man försörjningsstöd?", true, nil},
	}
	runFindCases(t, tests, findSensitiveNow)
}

// findCase is a text, whether it is public, and the spans a finder
// should find in it.
type findCase struct {
	name   string
	text   string
	public bool
	want   []inbox.SensitiveSpan
}

// findSensitiveNow is FindSensitive at testNow.
func findSensitiveNow(text string, public bool) []inbox.SensitiveSpan {
	return FindSensitive(text, public, testNow)
}

func runFindCases(t *testing.T, tests []findCase, find func(text string, public bool) []inbox.SensitiveSpan) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := find(tt.text, tt.public)
			if len(got) != len(tt.want) {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("span %d: got %v, want %v", i, got[i], tt.want[i])
				}
			}
		})
	}
}

func sp(kind inbox.SensitiveKind, start, end int) inbox.SensitiveSpan {
	return inbox.SensitiveSpan{Kind: kind, Start: start, End: end}
}

func TestLuhn(t *testing.T) {
	tests := []struct {
		digits string
		want   bool
	}{
		{"6408233234", true},
		{"6408233235", false},
		{"8211059954", true},
	}
	for _, tt := range tests {
		if got := luhn(tt.digits); got != tt.want {
			t.Errorf("luhn(%s): got %v, want %v", tt.digits, got, tt.want)
		}
	}
}

// FuzzFindIdentifiers checks that number spans mapped back from the
// folded text start and end where a number does, whatever digits, marks
// and invalid UTF-8 surround them.
func FuzzFindIdentifiers(f *testing.F) {
	for _, s := range []string{"رقمي \u200f\u2068٨٢١١٠٥-٩٩٥٤\u2069", "ring ０７０－１２３\u3000４５\u3000６７", "\xff٠٧٠١٢٣٤٥٦٧\u200e", "+٤٦ ٧٠ ١٢٣ ٤٥ ٦٧"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		runes := []rune(text)
		for _, s := range FindIdentifiers(text, testNow) {
			if s.Start < 0 || s.End > len(runes) || s.Start >= s.End {
				t.Fatalf("span %v out of %d runes", s, len(runes))
			}
			if s.Kind == inbox.SensitiveEmail {
				continue
			}
			first, last := runes[s.Start], runes[s.End-1]
			if _, script := digitOf(last); script == 0 {
				t.Errorf("span %v of %q: got last rune %q, want a digit", s, text, last)
			}
			if _, script := digitOf(first); script == 0 && !strings.ContainsRune("+(（＋", first) {
				t.Errorf("span %v of %q: got first rune %q, want a digit, + or (", s, text, first)
			}
		}
	})
}
