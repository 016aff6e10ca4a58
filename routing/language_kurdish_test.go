package routing

import (
	"context"
	"slices"
	"testing"

	"inkorg/inbox"
)

// Kurmanji is told by its letters ê, î, û and its frequent words, also
// when typed without them; Sorani by the letters Arabic and Persian do
// not write, or without them by its words. Both are "ku"; Persian with
// the same letters stays Persian.
func TestDetectLanguageKurdish(t *testing.T) {
	for _, text := range []string{
		"Silav, ez dixwazim bizanim kengê dibistan vedibe?",
		"Ez çawa dikarim ji bo zarokê xwe cih bibînim?",
		"silav, ez dixwazim bizanim ka xani li ku heye",
		"Ji kerema xwe alîkariya min bikin",
		"سڵاو، چۆن دەتوانم منداڵەکەم لە قوتابخانە ناونووس بکەم؟",
		"دەمەوێت بزانم کەی کتێبخانەکە دەکرێتەوە",
		// Sorani on a Persian keyboard: a frequent word and a double waw
		// (û) at a word's end, which Persian words seldom have.
		"کاغه زه که م هاتووه بو مالی من؟",
		"چون خانوو به کری بگرم له گوتنبرگ؟",
	} {
		got := DetectLanguage(text)
		if got.Code != "ku" || got.Confidence <= 0.5 || got.Confidence > 1 {
			t.Errorf("%q: got %s %.2f, want ku with confidence in (0.5, 1]", text, got.Code, got.Confidence)
		}
	}
	for _, text := range []string{
		"خانه ما از دیروز آب ندارد، باید به کی زنگ بزنم؟",
		"داوود میخواهد بداند مدرسه کی باز میشود",
	} {
		if got := DetectLanguage(text); got.Code != "fa" {
			t.Errorf("%q: got %s, want fa", text, got.Code)
		}
	}
}

// Finnish and Somali both double their vowels; a Finnish word shows
// letters Somali never writes, and a short English line with "on" is
// English.
func TestDetectLanguageFinnishSomaliEnglish(t *testing.T) {
	tests := []languageCase{
		{"Kuka auttaa?", "fi"},
		{"Haluaisin tietaa lisaa", "fi"},
		{"Paljonko maksaa?", "fi"},
		{"Waan ku mahadsanahay", "so"},
		{"Qashinka lama qaadin", "so"},
		{"Caawimaad", "so"},
		{"open on sunday?", "en"},
		{"No one came today", "en"},
	}
	checkLanguages(t, tests)
}

// A lone Kurdish question word needs a human, as "Hur?" does, and shows
// as Kurdish.
func TestTriageKurdishFunctionWordsNeedHuman(t *testing.T) {
	tr := newTestTriager(t)
	for _, text := range []string{"Çawa?", "Kengê?", "Çima?", "Ez dixwazim bizanim", "چۆن؟", "لە کوێ؟", "دەمەوێت بزانم"} {
		r, err := tr.Triage(context.Background(), text, inbox.ChannelMessenger)
		if err != nil {
			t.Fatal(err)
		}
		if !r.NeedsHuman || r.Language != "ku" {
			t.Errorf("%q: got %s %.3f language %s, want needs_human and ku", text, r.Administration, r.Confidence, r.Language)
		}
	}
}

// TestClassifierWordsKurmanjiWater: "av" is a Swedish stop word ("of")
// and Kurmanji for water; it counts as a word in Kurmanji text only.
func TestClassifierWordsKurmanjiWater(t *testing.T) {
	for _, tc := range []struct {
		text string
		want bool
	}{
		{"Av ji lûleyê nayê, çi bikim?", true},
		{"Li malê me av tune ye ji duh ve", true},
		{"Hur ansöker jag om bygglov för ett av mina hus?", false},
		{"Tömning av soptunnan har inte skett", false},
	} {
		got := slices.Contains(classifierWords(tc.text), "av")
		if got != tc.want {
			t.Errorf("%q: av among the classifier's words %v, want %v", tc.text, got, tc.want)
		}
	}
}
