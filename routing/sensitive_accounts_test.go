package routing

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"inkorg/inbox"
)

// swedishBanks are clearing number ranges of Swedish banks and how many
// digits their account numbers have after the clearing number (Bankgirot's
// list of clearing numbers; Swedbank's savings banks have a five-digit
// clearing number starting 8).
var swedishBanks = []struct {
	name           string
	clearingFrom   int
	clearingTo     int
	clearingDigits int
	accountDigits  int
}{
	{"Nordea", 3000, 3299, 4, 7},
	{"Nordea", 3410, 4999, 4, 7},
	{"Danske Bank", 1200, 1399, 4, 7},
	{"Danske Bank", 9180, 9189, 4, 10},
	{"Ålandsbanken", 2300, 2399, 4, 7},
	{"SEB", 5000, 5999, 4, 7},
	{"Handelsbanken", 6000, 6999, 4, 9},
	{"Swedbank", 7000, 7999, 4, 7},
	{"Swedbank", 80000, 89999, 5, 10},
	{"Länsförsäkringar", 3400, 3409, 4, 7},
	{"Sparbanken Syd", 9570, 9579, 4, 10},
	{"Plusgirot", 9960, 9969, 4, 10},
}

// accountSentences are how citizens give an account number for a
// payment or a refund without calling it one.
var accountSentences = []string{
	"Kan ni sätta in pengarna på %s?",
	"Återbetalningen ska till %s tack",
	"Mitt konto är %s",
	"Jag har bytt bank, nya kontot %s",
	"Överför bidraget till Handelsbanken %s",
	"Skicka ersättningen till %s så fort som möjligt",
	"Pengarna har inte kommit in på %s än",
}

// generatedAccounts returns n messages holding a Swedish bank account
// number, its clearing and account numbers joined by sep, from a fixed
// seed.
func generatedAccounts(n int, sep string) []string {
	rng := rand.New(rand.NewPCG(2026, 12))
	out := make([]string, n)
	for i := range out {
		bank := swedishBanks[rng.IntN(len(swedishBanks))]
		var b strings.Builder
		fmt.Fprintf(&b, "%0*d%s", bank.clearingDigits, bank.clearingFrom+rng.IntN(bank.clearingTo-bank.clearingFrom+1), sep)
		for range bank.accountDigits {
			b.WriteByte(byte('0' + rng.IntN(10)))
		}
		out[i] = fmt.Sprintf(accountSentences[rng.IntN(len(accountSentences))], b.String())
	}
	return out
}

// TestBankAccountsNotCards: a bank account number, unbroken or with a
// dash after the clearing number, that happens to start like a card
// network's and pass the check digit, with no word near it that says
// card, is not read as a card number. The rate is measured over generated
// Swedish account numbers.
func TestBankAccountsNotCards(t *testing.T) {
	t.Run("OK/Unbroken", func(t *testing.T) { checkAccountsNotCards(t, generatedAccounts(20000, "")) })
	t.Run("OK/ClearingDash", func(t *testing.T) { checkAccountsNotCards(t, generatedAccounts(20000, "-")) })
}

func checkAccountsNotCards(t *testing.T, texts []string) {
	t.Helper()
	cards, cardLike := 0, 0
	for _, text := range texts {
		if startsLikeCard(digitsOf(text)) {
			cardLike++
		}
		for _, s := range FindSensitive(text, true, testNow) {
			if s.Kind == inbox.SensitivePaymentCard {
				cards++
				if cards <= 3 {
					t.Logf("read as a card: %q", text)
				}
			}
		}
	}
	t.Logf("%d of %d account numbers read as card numbers; %d start like a card network's and are 13–19 digits long",
		cards, len(texts), cardLike)
	if cards > 0 {
		t.Errorf("got %d of %d account numbers read as card numbers, want 0", cards, len(texts))
	}
}

// startsLikeCard reports whether digits have a card number's length and a
// card network's first digits, whatever their check digit.
func startsLikeCard(digits string) bool {
	if len(digits) < 13 || len(digits) > 19 {
		return false
	}
	for c := '0'; c <= '9'; c++ {
		if isCard(digits[:len(digits)-1] + string(c)) {
			return true
		}
	}
	return false
}
