package loadgen

import (
	"math/rand/v2"
	"strconv"
	"strings"
	"unicode/utf8"
)

// questions are the kind of thing citizens write to Göteborgs Stad, with
// the å, ä, ö and emoji that make Meta's bodies grow when escaped.
var questions = []string{
	"Hej! När töms soptunnorna i %s efter helgen? 🗑️",
	"Varför är det så dåligt plogat på cykelbanan i %s? Halkade i morse ❄️",
	"Hur ansöker jag om bygglov för ett uterum i %s?",
	"Min dotter ska börja förskola i augusti. Hur lång är kön i %s? 👶",
	"Gatlyktorna på min gata i %s har varit släckta i en vecka 💡",
	"Tack för att ni lagade gungorna på lekplatsen i %s så snabbt! 👏",
	"Var kan jag lämna grovsopor i närheten av %s? ♻️",
	"Hur får jag parkeringstillstånd för boende i %s? 🚗",
	"Det är en vattenläcka på gatan i %s, vem ska jag ringa? 💧",
	"När öppnar badet i %s igen efter renoveringen? 🏊",
	"Går spårvagnen till %s som vanligt under midsommar? 🚋",
	"Kan man få hjälp med hemtjänst till min mamma i %s? ❤️",
	"Biblioteket i %s har stängt tidigt flera dagar, varför? 📚",
	"Hur anmäler jag klotter på skolan i %s? 😕",
	"Finns det lediga kolonilotter i %s i år? 🌱",
	"Bussen till %s kom inte alls i morse, igen 😤",
}

// places are districts of Gothenburg.
var places = []string{
	"Majorna", "Angered", "Hisingen", "Kortedala", "Frölunda", "Bergsjön",
	"Linnéstaden", "Örgryte", "Härlanda", "Biskopsgården", "Torslanda",
	"Askim", "Västra Frölunda", "Kungsladugård", "Gamlestaden", "Tynnered",
}

// names are commenters' display names.
var names = []string{
	"Karin Lindqvist", "Erik Johansson", "Ahmed Hassan", "Lena Berg",
	"Maja Nilsson", "Åsa Öberg", "Jönsson Björn", "Fatima Al-Sayed",
	"Per Åkesson", "Sofia Ström", "Mikael Häggström", "Elin Sjöö",
}

// replies are answers from other citizens in a comment thread.
var replies = []string{
	"Samma här, det luktar rejält nu 😩",
	"Håller med! 👍",
	"Ring kontaktcenter, de brukar svara snabbt.",
	"Har ni fått något svar? Jag väntar också ⏳",
	"Det stod något om det på goteborg.se i förra veckan.",
	"Precis likadant hos oss på andra sidan älven 🙄",
}

// question returns a citizen's question about a district.
func question(r *rand.Rand) string {
	q := questions[r.IntN(len(questions))]
	return strings.Replace(q, "%s", places[r.IntN(len(places))], 1)
}

// edited returns text as its author corrected it.
func edited(text string) string {
	return text + " (ändrat: det gäller fortfarande 🙏)"
}

// escapeNonASCII rewrites every non-ASCII character of a JSON document as
// \uXXXX (surrogate pairs above the Basic Multilingual Plane), as Meta
// sends it. Outside strings JSON is ASCII, so only string contents change.
func escapeNonASCII(b []byte) []byte {
	out := make([]byte, 0, len(b)+len(b)/4)
	for len(b) > 0 {
		c := b[0]
		if c < utf8.RuneSelf {
			out = append(out, c)
			b = b[1:]
			continue
		}
		r, size := utf8.DecodeRune(b)
		b = b[size:]
		if r > 0xFFFF {
			r -= 0x10000
			out = appendU(out, 0xD800+(r>>10))
			out = appendU(out, 0xDC00+(r&0x3FF))
			continue
		}
		out = appendU(out, r)
	}
	return out
}

func appendU(out []byte, r rune) []byte {
	h := strconv.FormatInt(int64(r), 16)
	out = append(out, `\u`...)
	out = append(out, strings.Repeat("0", 4-len(h))...)
	return append(out, h...)
}
