package routing

import (
	"context"
	"slices"
	"testing"

	"inkorg/inbox"
)

func TestTagsAndPriorityOtherLanguages(t *testing.T) {
	tests := []struct {
		name, text, wantTag string
	}{
		{"OK/SelfHarmArabic", "لا أريد أن أعيش بعد الآن، سأنتحر الليلة", "självskada"},
		{"OK/SelfHarmArabicWithVowelMarks", "سَأَنْتَحِرُ", "självskada"},
		{"OK/SelfHarmPersian", "دیگر نمی خواهم زندگی کنم، می خواهم خودکشی کنم", "självskada"},
		{"OK/SelfHarmPersianArabicYeh", "ديگر نمي‌خواهم زندگي كنم", "självskada"},
		{"OK/SelfHarmSomali", "Ma rabo inaan noolaado mar dambe, waxaan rabaa inaan is dilo", "självskada"},
		{"OK/SelfHarmFinnish", "En jaksa enää elää, aion tappaa itseni", "självskada"},
		{"OK/SelfHarmFinnishPlain", "en jaksa enaa elaa", "självskada"},
		{"OK/SelfHarmPolish", "Nie chcę już żyć, chcę się zabić", "självskada"},
		{"OK/SelfHarmPolishPlain", "nie chce juz zyc", "självskada"},
		{"OK/SelfHarmUkrainian", "Я більше не хочу жити, я хочу вбити себе", "självskada"},
		{"OK/SelfHarmTurkish", "Artık yaşamak istemiyorum", "självskada"},
		{"OK/SelfHarmBosnian", "Ne želim više živjeti", "självskada"},
		{"OK/SelfHarmSpanish", "Ya no quiero vivir", "självskada"},
		{"OK/SelfHarmEnglish", "I don't want to live anymore", "självskada"},
		{"OK/FireArabic", "حريق في المبنى! النار في الدرج", "nödläge"},
		{"OK/FireFinnish", "Tulipalo kerrostalossa!", "nödläge"},
		{"OK/FirePolish", "Pożar w bloku na trzecim piętrze", "nödläge"},
		{"OK/FireTurkish", "Binada yangın var!", "nödläge"},
		{"OK/FireSpanish", "Hay un incendio en el edificio", "nödläge"},
		{"OK/ViolenceSomali", "Ninkayga ayaa i garaaca maalin walba, waan baqayaa", "kris"},
		{"OK/ViolenceArabic", "زوجي يضربني كل يوم وأنا خائفة", "kris"},
		{"OK/ViolencePolish", "Mąż mnie bije, to przemoc domowa", "kris"},
		{"OK/ViolenceUkrainian", "Чоловік б'є мене", "kris"},
		{"OK/ViolenceSpanish", "Mi marido me pega", "kris"},
		{"OK/SelfHarmKurmanji", "Ez naxwazim êdî bijîm, ez dixwazim xwe bikujim", "självskada"},
		{"OK/SelfHarmKurmanjiPlain", "ez naxwazim edi bijim", "självskada"},
		{"OK/SelfHarmKurmanjiSuicide", "Birayê min behsa xwekuştinê dike, ez çi bikim?", "självskada"},
		{"OK/SelfHarmKurmanjiDie", "Ez dixwazim bimirim", "självskada"},
		{"OK/SelfHarmSorani", "ئیتر نامەوێت بژیم، دەمەوێت خۆم بکوژم", "självskada"},
		{"OK/SelfHarmSoraniArabicLetters", "ئيتر نامه‌ويت بژيم", "självskada"},
		{"OK/SelfHarmSoraniSuicide", "کوڕەکەم باسی خۆکوشتن دەکات", "självskada"},
		{"OK/SelfHarmTigrinya", "ብዛዕባ ርእሰ-ቅትለት እሓስብ ኣለኹ።", "självskada"},
		{"OK/SelfHarmTigrinyaWordspace", "ነብሰይ፡ክቐትል፡ደልየ፡ኣለኹ።", "självskada"},
		{"OK/FireKurmanji", "Agir ketiye avahiya me, alîkarî!", "nödläge"},
		{"OK/FireKurmanjiPlain", "sewat heye li qata duyem", "nödläge"},
		{"OK/FireKurmanjiBurning", "Mala cîranê me dişewite!", "nödläge"},
		{"OK/FireSorani", "ئاگر کەوتۆتە ماڵەکەمان، یارمەتی!", "nödläge"},
		{"OK/FireSoraniPersianLetters", "ئاگركه‌وتنه‌وه له‌ بیناكه‌مان", "nödläge"},
		{"OK/FireTigrinya", "ኣብ ገዛና ሓዊ ኣሎ! ሓገዝ!", "nödläge"},
		{"OK/ViolenceKurmanji", "Mêrê min her roj li min dixe, ez ditirsim", "kris"},
		{"OK/ViolenceKurmanjiDomestic", "Ez rastî tundiya nav malê têm", "kris"},
		{"OK/ViolenceKurmanjiPlain", "mere min tundiye li min dike", "kris"},
		{"OK/ViolenceSorani", "مێردەکەم هەموو ڕۆژێک لێم دەدات، دەترسم", "kris"},
		{"OK/ViolenceSoraniArabicLetters", "ميرده‌كه‌م هه‌موو روژيك ليم ده‌دات", "kris"},
		{"OK/ViolenceSoraniDomestic", "من قوربانیی توندوتیژیی خێزانیم", "kris"},
		{"OK/ViolenceTigrinya", "ሰብኣየይ ኣብ ገዛ ዓመጽ ይፍጽመለይ ኣሎ፡ ፈሪሐ ኣለኹ።", "kris"},
		{"OK/ThreatEnglish", "If you don't fix my case I'll kill you all", "hot"},
		{"OK/ThreatEnglishAddress", "I know where you live, you will regret this", "hot"},
		{"OK/ThreatEnglishBuilding", "Tomorrow I'm going to blow up your office", "hot"},
		{"OK/ThreatEnglishFire", "Nobody listens, I'll burn the place down", "hot"},
		{"OK/ThreatEnglishShoot", "Next time I come in I'll shoot everyone at the desk", "hot"},
		{"OK/ThreatEnglishWillKill", "I will kill the mayor if the road is not fixed", "hot"},
		{"OK/ThreatEnglishWellKill", "We'll kill whoever signed this decision", "hot"},
		{"OK/ThreatEnglishGoingToKill", "Im gonna kill the guy at the permit desk", "hot"},
		{"OK/ThreatArabic", "سأقتلك إذا لم تعطوني الشقة", "hot"},
		{"OK/ThreatArabicBuilding", "سأفجر مكتبكم غداً", "hot"},
		{"OK/ThreatArabicRegret", "ستندمون على هذا، أعرف أين تسكن", "hot"},
		{"OK/ThreatPersian", "اگر کمکم نکنید می‌کشمتون", "hot"},
		{"OK/ThreatPersianBuilding", "دفترتان را منفجر می‌کنم", "hot"},
		{"OK/ThreatSomali", "Haddii aydaan i caawin waan idin dili doonaa", "hot"},
		{"OK/ThreatFinnish", "Tapan teidät kaikki jos ette auta minua", "hot"},
		{"OK/ThreatFinnishAddress", "Tiedän missä asut, tulet katumaan tätä", "hot"},
		{"OK/ThreatPolish", "Zabiję was wszystkich w tym urzędzie", "hot"},
		{"OK/ThreatPolishPlain", "wiem gdzie mieszkasz, pozalujesz", "hot"},
		{"OK/ThreatUkrainian", "Я вб'ю вас усіх, якщо не дасте квартиру", "hot"},
		{"OK/ThreatRussian", "Я тебя убью, я знаю где ты живёшь", "hot"},
		{"OK/ThreatRussianBuilding", "Взорву ваш офис завтра", "hot"},
		{"OK/ThreatTurkish", "Sizi öldüreceğim, binanızı havaya uçuracağım", "hot"},
		{"OK/ThreatTurkishPlain", "nerede oturdugunu biliyorum, pisman olacaksin", "hot"},
		{"OK/ThreatBosnian", "Ubiću te ako ne riješiš moj predmet", "hot"},
		{"OK/ThreatSerbianPlain", "znam gde zivis", "hot"},
		{"OK/ThreatSpanish", "Te voy a matar si no me devuelves el dinero", "hot"},
		{"OK/ThreatSpanishAddress", "Sé dónde vives, te arrepentirás", "hot"},
		{"OK/ThreatKurmanji", "Ez ê te bikujim, ez dizanim tu li ku dijî", "hot"},
		{"OK/ThreatSorani", "ئەگەر یارمەتیم نەدەن دەتانکوژم", "hot"},
		{"OK/ThreatSoraniArabicLetters", "هه‌ڕه‌شه‌ی کوشتنی لێکردم", "hot"},
		{"OK/SelfHarmBKSReflexiveFirst", "Želim se ubiti, ne mogu više", "självskada"},
		{"OK/SelfHarmBKSReflexiveFirstPlain", "hocu da se ubijem", "självskada"},
		{"OK/FirePolishBurning", "Pali się w budynku na trzecim piętrze", "nödläge"},
		{"OK/ChildBeatenEnglishChildren", "My neighbour beats his children", "kris"},
		{"OK/ChildBeatenArabic", "جاري يضرب أطفاله كل ليلة", "kris"},
		{"OK/ChildBeatenFinnish", "Naapuri lyö lapsiaan joka ilta", "kris"},
		{"OK/ChildBeatenPolish", "Sąsiad bije swoje dzieci", "kris"},
		{"OK/ChildBeatenBKS", "Komšija tuče svoju djecu svaku noć", "kris"},
		{"OK/ChildBeatenTurkish", "Komşum çocuklarını dövüyor", "kris"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tags, p := TagsAndPriority(tt.text)
			if !slices.Contains(tags, tt.wantTag) || p != inbox.PriorityUrgent {
				t.Errorf("got %v %s, want %s and urgent", tags, p, tt.wantTag)
			}
		})
	}
}

// Words that look like the urgent ones but are not must leave a question
// normal.
func TestTagsAndPriorityOtherLanguagesNotUrgent(t *testing.T) {
	for _, text := range []string{
		"Dabadeed maxaan sameeyaa?",                                    // Somali "afterwards"
		"Kiedy odbierają śmieci? Pozarządowa organizacja pyta",         // Polish "non-governmental"
		"Yarın şiddetli yağmur bekleniyor",                             // Turkish "heavy rain"
		"Ilmahaygu wuxuu rabaa inuu iskuul dhigto",                     // Somali, "is" starting words
		"Palaan kotiin huomenna",                                       // Finnish "I return home"
		"Światło pali się w klatce schodowej cały dzień",               // Polish, a light that is on
		"Czy można palić w parku?",                                     // Polish, smoking
		"Lapsi lyö päänsä usein, onko leikkipuisto turvallinen?",       // Finnish, a child bumps its head
		"Se ubijte od posla, kažu za našu upravu",                      // BKS idiom, working oneself to death
		"Ma em dikarin li parkê agir vêxin û goşt bibrêjin?",           // Kurmanji, a fire to grill on
		"Ocaxa min agir nagire, kî wê çêdike?",                         // Kurmanji, a stove that will not light
		"Alarma agir li mala min bîp dike, ez çi bikim?",               // Kurmanji, a beeping fire alarm
		"Ez bi tundî gazinê ji xizmeta we dikim",                       // Kurmanji "strongly"
		"Ez naxwazim li vê taxê bijîm, xaniyekî din heye?",             // Kurmanji, not living in an area
		"Ji kerema xwe li min vegerin",                                 // Kurmanji "get back to me"
		"ئایا دەتوانم ئاگردان لە ماڵەکەم دابنێم؟",                      // Sorani "fireplace"
		"دەتوانین لە پارکەکە ئاگر بکەینەوە بۆ برژاندن؟",                // Sorani, a fire to grill on
		"سووتاندنی زبڵ لە باخچە ڕێگەپێدراوە؟",                          // Sorani "burning rubbish"
		"نامەوێت لەم گەڕەکە بژیم، چۆن خانوویەکی تر بدۆزمەوە؟",          // Sorani, not living in an area
		"لێم ببورن، کەی کتێبخانە دەکرێتەوە؟",                           // Sorani "excuse me"
		"ኣብ ፓርክ ሓዊ ምግባር ይፍቀድ ድዩ?",                                      // Tigrinya, a fire in the park
		"Do I need a permit for a photo shoot in Slottsskogen?",        // English "shoot"
		"I'll shoot you an email with the photos from the event",       // English "shoot you"
		"Any tips to kill time at the library?",                        // English "kill time"
		"There are rats in the basement, how do I kill them?",          // English, pests
		"This heat will kill someone, when do the cooling rooms open?", // English, the weather
		"The frost will kill the roses in the park, who covers them?",  // English, plants
		"Will the weed killer kill the bees too?",                      // English, pests
		"Can I blow up balloons in the park for a birthday party?",     // English "blow up"
		"Meillä on tapana käydä kirjastossa lauantaisin",               // Finnish "habit"
		"Sain uhkasakon pysäköinnistä, miten valitan?",                 // Finnish "conditional fine"
		"Tapan aikaa kirjastossa, onko siellä wifi?",                   // Finnish "kill time"
		"Czy grozi mi mandat za parkowanie na trawniku?",               // Polish "do I risk a fine"
		"Wysadzę dziecko pod szkołą, gdzie można stanąć?",              // Polish "drop off"
		"Czy można podpalić grilla w parku?",                           // Polish "light a grill"
		"Mam zastrzeżenia do decyzji, jak się odwołać?",                // Polish "objections"
		"Zaman öldürmek için kütüphane açık mı?",                       // Turkish "kill time"
		"Kafa patlatıyorum, formu nasıl doldururum?",                   // Turkish "rack my brains"
		"Hay ratas en el sótano, ¿cómo matarlas?",                      // Spanish, pests
		"Upućen sam na vas od socijalne službe",                        // BKS "referred"
		"Де найближче бомбосховище?",                                   // Ukrainian "bomb shelter"
		"Як вбити цвях у стіну в орендованій квартирі?",                // Ukrainian "drive a nail"
		"لوله آب منفجر شد، به چه کسی زنگ بزنم؟",                        // Persian, a burst pipe
		"سیگار می‌کشم، آیا در پارک مجاز است؟",                          // Persian "I smoke"
		"Ez poşman im ku min serlêdan nekir",                           // Kurmanji "I regret"
	} {
		if tags, p := TagsAndPriority(text); p == inbox.PriorityUrgent {
			t.Errorf("%q: got %v %s, want not urgent", text, tags, p)
		}
	}
}

// Self-harm in the city's common languages is urgent, as in Swedish, and
// never a confident route to a target that cannot help.
func TestTriageSelfHarmOtherLanguages(t *testing.T) {
	tr := newTestTriager(t)
	for _, text := range []string{
		"لا أريد أن أعيش بعد الآن، سأنتحر الليلة",
		"دیگر نمی خواهم زندگی کنم، می خواهم خودکشی کنم",
		"Ma rabo inaan noolaado mar dambe, waxaan rabaa inaan is dilo",
		"Я більше не хочу жити, я хочу вбити себе",
	} {
		r, err := tr.Triage(context.Background(), text, inbox.ChannelMessenger)
		if err != nil {
			t.Fatal(err)
		}
		if r.Priority != inbox.PriorityUrgent {
			t.Errorf("%q: got priority %s tags %v, want urgent", text, r.Priority, r.Tags)
		}
		if !r.NeedsHuman && r.Administration == "arbetsmarknad-vuxenutbildning" {
			t.Errorf("%q: got %s with confidence %.3f, want needs_human or another target", text, r.Administration, r.Confidence)
		}
	}
}
