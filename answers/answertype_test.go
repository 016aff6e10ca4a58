package answers

import (
	"testing"
)

func TestQuestionKind(t *testing.T) {
	an := DefaultAnalyzer()
	for _, tc := range []struct {
		question string
		want     answerType
	}{
		{"När töms soptunnan?", timeAnswer},
		{"Hur länge gäller parkeringstillståndet?", timeAnswer},
		{"Hur lång tid tar ett bygglov?", timeAnswer},
		{"Hur mycket kostar en förskoleplats?", amountAnswer},
		{"Vad kostar det att parkera?", amountAnswer},
		{"Hur många platser finns det?", amountAnswer},
		{"Vad är LVU?", definition},
		{"Vad innebär ekonomiskt bistånd?", definition},
		{"Hur ansöker jag om bygglov?", openAnswer},
		{"Vem beslutar om placeringen?", openAnswer},
		{"Vad är?", openAnswer}, // nothing to define
		{"Kan jag få hemtjänst?", yesNo},
		{"Får man elda i trädgården", yesNo},
		{"Finns det parkering vid skolan?", yesNo},
		{"Var kan jag parkera?", openAnswer}, // "var" first is "where"
		{"Jag har fått ett beslut. Kan jag överklaga?", anyAnswer},
		{"", anyAnswer},
	} {
		if got := an.questionKind(tc.question).t; got != tc.want {
			t.Errorf("questionKind(%q) = %d, want %d", tc.question, got, tc.want)
		}
	}
}

func TestAnswerFit(t *testing.T) {
	an := DefaultAnalyzer()
	for _, tc := range []struct {
		name, question, answer string
		want                   float64
	}{
		{"TimeWord", "Hur länge gäller tillståndet?", "Tillståndet gäller ett år i taget.", answerTypeFactor},
		{"TimeNumber", "När töms kärlet?", "Kärlet töms var 14:e dag.", answerTypeFactor},
		{"TimeMissing", "När töms kärlet?", "Kärlet töms av renhållningen.", 1},
		{"AmountNumber", "Hur mycket kostar det?", "Avgiften är 450 kronor.", answerTypeFactor},
		{"AmountMissing", "Hur mycket kostar det?", "Det beror på inkomsten.", 1},
		{"DefinitionStartsWithSubject", "Vad är LVU?", "LVU är en lag om vård av unga.", answerTypeFactor},
		{"DefinitionInfinitive", "Vad innebär att ordinera vaccin?", "Att ordinera är att besluta om läkemedel.", answerTypeFactor},
		{"DefinitionElsewhere", "Vad är LVU?", "Vård enligt LVU upphör när den inte behövs.", 1},
		{"OpenQuestionYes", "Hur ansöker jag?", "Ja, du kan ansöka.", 1 / answerTypeFactor},
		{"OpenQuestionNo", "Vem får parkera?", "Nej. Ingen får parkera där.", 1 / answerTypeFactor},
		{"YesNoQuestionYes", "Kan jag ansöka?", "Ja, du kan ansöka.", answerTypeFactor},
		{"YesNoQuestionNo", "Får jag elda?", "Nej. Eldning är förbjuden.", answerTypeFactor},
		{"YesNoQuestionOther", "Kan jag ansöka?", "Du kan ansöka på webben.", 1},
		{"YesNoQuestionJanuary", "Kan jag ansöka?", "Januari är sista månaden.", 1},
		{"NoQuestionWord", "soptunna trasig", "Nej, vi byter den inte.", 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := an.fit(an.questionKind(tc.question), tc.answer); got != tc.want {
				t.Errorf("fit(%q, %q) = %v, want %v", tc.question, tc.answer, got, tc.want)
			}
		})
	}
}

// TestAnswerFitArticle checks the answer type on an article's search text,
// as the ranking reads it: a definition is found at the start of the body
// when the article has no title (as an imported FAQ answer), and in the
// title when it has one.
func TestAnswerFitArticle(t *testing.T) {
	an := DefaultAnalyzer()
	kind := an.questionKind("Vad är LVU?")
	for _, tc := range []struct {
		name string
		art  Article
		want float64
	}{
		{"BodyOnly", Article{Body: "LVU är en lag om vård av unga."}, answerTypeFactor},
		{"SummaryOnly", Article{Summary: "LVU är en lag om vård av unga.", Body: "Lagen gäller barn."}, answerTypeFactor},
		{"Title", Article{Title: "LVU", Body: "Lagen om vård av unga."}, answerTypeFactor},
		{"TitleElsewhere", Article{Title: "Vård av unga", Body: "LVU är en lag."}, 1},
		{"BodyElsewhere", Article{Body: "Vård enligt LVU upphör när den inte behövs."}, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := an.fit(kind, tc.art.searchText()); got != tc.want {
				t.Errorf("fit(%q) = %v, want %v", tc.art.searchText(), got, tc.want)
			}
		})
	}
}

// TestRerankAnswerType checks the answer type in the ranking: of two
// answers sharing the question's words alike, the one with the kind of
// answer asked for comes first, and a bare yes or no to an open question
// comes last.
func TestRerankAnswerType(t *testing.T) {
	an := DefaultAnalyzer()
	hits := func(bodies ...string) []Hit {
		out := make([]Hit, len(bodies))
		for i, b := range bodies {
			out[i] = Hit{Article: &Article{URL: b, Body: b}, Score: 1}
		}
		return out
	}
	h := hits("Parkeringstillståndet för boende gäller i hela zonen.", "Parkeringstillståndet för boende gäller i tre månader.")
	an.Rerank("Hur länge gäller parkeringstillståndet för boende?", h)
	if h[0].Article.Body != "Parkeringstillståndet för boende gäller i tre månader." {
		t.Errorf("time question: got %q first", h[0].Article.Body)
	}
	h = hits("Ja, parkeringstillståndet gäller för boende.", "Parkeringstillståndet gäller för boende i zonen.")
	an.Rerank("Vem gäller parkeringstillståndet för?", h)
	if h[0].Article.Body != "Parkeringstillståndet gäller för boende i zonen." {
		t.Errorf("open question: got %q first", h[0].Article.Body)
	}
}

// TestRerankDefinitionFrame checks that the words framing a definition
// question ("Vad innebär") do not count in the n-grams: the answer that
// defines the subject comes before a shorter one that only shares the
// frame's verb.
func TestRerankDefinitionFrame(t *testing.T) {
	an := DefaultAnalyzer()
	for _, tc := range []struct {
		name, question, want, other string
	}{
		{"Innebär", "Vad innebär delegering?",
			"Delegering är när behörig personal låter någon annan utföra en uppgift som hen själv ansvarar för.",
			"Vad det innebär att delegera avgör vårdgivaren."},
		{"Betyder", "Vad betyder LSS?",
			"LSS är lagen om stöd och service till vissa personer med funktionsnedsättning.",
			"Vad LSS-boende betyder för dig beror på beslutet."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := []Hit{
				{Article: &Article{URL: "other", Body: tc.other}, Score: 1},
				{Article: &Article{URL: "want", Body: tc.want}, Score: 1},
			}
			an.Rerank(tc.question, h)
			if h[0].Article.Body != tc.want {
				t.Errorf("got %q first, want %q", h[0].Article.Body, tc.want)
			}
		})
	}
}
