package routing

import "strings"

// Urgent words and phrases in the languages the city's citizens write
// besides Swedish, one list per signal. They follow the lexicon's rules
// (see lexicon); Somali, Finnish, Polish, Turkish, BKS and Kurmanji
// entries come with and without their special letters, since many type
// without them. Arabic-script entries use "*" where the language joins
// prefixes to a word ("سأنتحر", "الحريق", "ويضربني"); Sorani entries are
// written with Sorani letters and also find words typed with Arabic or
// Persian ones (see normalizeSignalText). Tigrinya entries are Ge'ez
// words, split at spaces, "፡", "።" and hyphens as other text is.
var (
	selfHarmWords = []string{
		// English
		"want to= die=", "don= t= want to= live", "dont want to= live", "do= not= want to= live",
		"hurt myself", "harm myself", "self harm", "selfharm",
		// Arabic: suicide, kill myself, end my life, I don't want to live
		"*نتحر", "اقتل نفسي", "انهي حياتي", "لا= اريد ان= اعيش", "لا= اريد العيش",
		// Persian: suicide, kill myself, I don't want to live
		"خودکشی", "خودم را= بکشم", "خودمو بکشم", "نمی= خواهم زندگی", "نمیخواهم زندگی",
		"نمی= خوام زندگی", "نمیخوام زندگی",
		// Somali: kill oneself, suicide
		"is= dil", "isdil", "ma= rabo inaan noolaado",
		// Finnish: suicide, kill myself, I don't want / can't bear to live, I want to die
		"itsemurh", "tappaa itseni", "tapan itseni", "en= halua elää", "en= halua elaa",
		"en= jaksa elää", "en= jaksa elaa",
		"en= halua enää elää", "en= halua enaa elaa", "en= jaksa enää elää", "en= jaksa enaa elaa", "haluan kuolla",
		// Polish: suicide, kill myself, I don't want to live, I want to die
		"samobój", "samoboj", "zabić się=", "zabic sie=", "się= zabić", "sie= zabic",
		"nie= chcę żyć=", "nie= chce zyc=", "nie= chcę już= żyć=", "nie= chce juz= zyc=",
		"chcę umrzeć", "chce umrzec", "odebrać sobie życie", "odebrac sobie zycie",
		// Ukrainian and Russian: suicide, kill myself, end it, I don't want to live
		"самогубств", "вбити себе", "вб= ю= себе", "покінч з= собою", "не= хочу жити",
		"не= хочу більше жити", "самоубийств", "убить себя", "покончить с= собой", "не= хочу жить",
		// Turkish: suicide, kill myself, I don't want to live
		"intihar", "kendimi öldür", "kendimi oldur", "yaşamak istemiyorum", "yasamak istemiyorum",
		// BKS: suicide, kill myself, I don't want to live
		"samoubi", "samoubojstv", "самоубиств", "ubiti se=", "ubit ću= se=", "ubit cu= se=",
		"ubiću se=", "ubicu se=", "ne= želim živjeti", "ne= zelim zivjeti", "ne= želim više živjeti",
		"ne= zelim vise zivjeti", "ne= želim da= živim", "ne= zelim da= zivim",
		// BKS with the reflexive first, as it is mostly said: I want to
		// kill myself, (I want) to kill myself
		"se= ubiti=", "se= ubijem=",
		// Spanish: suicide, kill myself, take my life, I don't want to live
		"suicid", "matarme", "quitarme la= vida", "no= quiero vivir",
		// Kurmanji: suicide, kill myself, killed himself, I want to die, I don't
		// want to live (anymore), put an end to my life
		"xwekuşt", "xwekust", "xwekuj", "xwe= bikuj", "xwe= dikuj", "xwe= kuşt", "xwe= kust",
		"dixwazim= bimir", "naxwazim= bijî", "naxwazim= biji", "naxwazim= êdî= bijî",
		"naxwazim= edi= biji", "dawî= li= jiyana xwe", "dawi= li= jiyana xwe",
		// Sorani: suicide, kill myself, killed himself, I don't want to live, I
		// want to die, put an end to my life
		"خۆکوشت", "خۆکوژ", "خۆ= کوشت", "خۆم= بکوژ", "خۆم= دەکوژ", "خۆی= کوشت", "نامەوێ بژیم=",
		"نامەوێ بژین=", "دەمەوێ بمرم=", "کۆتایی بە= ژیانم",
		// Tigrinya: suicide, kill myself
		"ርእሰ= ቅትለት", "ርእሰቅትለት", "*ነብሰይ ክቐት", "*ነብሰይ ክቀት",
	}
	fireWords = []string{
		// English
		"on= fire", "fire=", "house fire",
		// Arabic: fire (blaze), burning
		"*حريق", "*حترق",
		// Persian: fire (blaze)
		"اتش= سوزی", "اتشسوزی", "*حریق",
		// Somali: fire
		"dab=", "dabka=", "dabku=",
		// Finnish: fire (blaze)
		"tulipalo",
		// Polish: fire (blaze)
		"pożar", "pozar=", "pozaru=", "pozarze=",
		// Polish: is burning in a building, a flat, a house, a block, a
		// kitchen, a basement. Not "pali się" alone nor "pali się w": a
		// light is on ("światło pali się w klatce"), one smokes ("pali").
		"pali= się= w= budyn", "pali= sie= w= budyn", "pali= się= w= mieszka", "pali= sie= w= mieszka",
		"pali= się= w= domu=", "pali= sie= w= domu=", "pali= się= w= bloku=", "pali= sie= w= bloku=",
		"pali= się= w= kuchni=", "pali= sie= w= kuchni=", "pali= się= w= piwnic", "pali= sie= w= piwnic",
		// Ukrainian and Russian: fire, is burning
		"пожеж", "горить=", "пожар", "горит=",
		// Turkish: fire, is burning
		"yangın", "yangin", "yanıyor", "yaniyor",
		// BKS: fire, is burning
		"požar", "gori=",
		// Spanish: fire
		"incendio", "fuego", "se= quema",
		// Kurmanji: fire (blaze), fire broke out, caught fire, set on fire, is
		// burning. Not "agir" alone: it is also a barbecue, a fire ban or a
		// metaphor, and starts "agirbest" (ceasefire).
		"şewat", "sewat", "agir= ket", "agir= girt", "agir= berda", "dişewite=", "disewite=",
		// Sorani: fire broke out, caught fire, burning. Not "ئاگر" alone, for
		// the same reasons ("ئاگربەست" is a ceasefire, "ئاگردان" a fireplace).
		"ئاگرکەوت", "ئاگر= کەوت", "ئاگر= بەربوو", "ئاگر= گرت", "ئاگری= گرت", "سووتان=", "سوتان=",
		// Tigrinya: there is a fire. Not "ሓዊ" alone, for the same reasons.
		"ሓዊ= ኣሎ=", "ሓዊ= ኣላ=",
	}
	// threatQuestions hold a threat word but ask where to shelter, which a
	// crisis brings many of (see signal.except).
	threatQuestions = []string{
		// English and Finnish: bomb shelter (the Ukrainian and Russian
		// words for it match no entry)
		"bomb= shelter", "pommisuoj",
	}
	// fireQuestions hold a fire word but ask about rules and equipment,
	// which a summer's fire ban brings by the thousand: they do not raise
	// the emergency (see signal.except).
	fireQuestions = []string{
		// English: fire ban, fire safety, fire drill, fire extinguisher
		"fire= ban", "fire= bans=", "fire= safety", "fire= drill", "fire= extinguisher", "fire= alarm",
		"fire= station", "fire= stations=", "fire= the=",
		// Swedish: what one is passionate about ("jag brinner för", "vi
		// brinner verkligen för"), and a hurry ("brinner för fullt" stays
		// a fire: it is a longer match of its own); flood risk and maps,
		// evacuation plans
		"brinner= för=", "jag= brinner=", "vi= brinner=", "brinner= i= knutarna=", "översvämningsrisk",
		"översvämningskart", "evakueringsplan",
		// Arabic: fire alarm, fire extinguisher
		"انذار *حريق", "طفايه *حريق",
	}
	violenceWords = []string{
		// English
		"domestic violence", "hits me=", "beats me=", "hitting me=", "beating me=", "rape=", "raped=",
		// Arabic: hits me, violence, domestic violence, rape, threatens me
		"*ضربني", "عنف=", "العنف=", "*غتصب", "*هددني",
		// Persian: beating, violence
		"کتک", "خشونت",
		// Somali: hits me / us, rape, violence
		"i= garaac", "na= garaac", "kufsi", "kufsad", "rabshad",
		// Finnish: violence, hits / beats me, rape
		"väkival", "vakival", "lyö= minua", "lyo= minua", "hakkaa minua", "raiska",
		// Polish: violence, beats me, rape
		"przemoc", "bije mnie", "zgwałc", "zgwalc",
		// Ukrainian and Russian: violence, beats me, rape
		"насил", "б= є= мене", "зґвалт", "бьет меня", "изнасил",
		// Turkish: violence, beats me, rape
		"şiddet=", "siddet=", "şiddete=", "siddete=", "şiddet gör", "siddet gor",
		"beni döv", "beni dov", "tecavüz", "tecavuz",
		// BKS: violence, beats me, rape
		"nasilj", "nasilnik", "tuče me=", "tuce me=", "bije me=", "silovan",
		// A child beaten, in English, Arabic, Finnish, Polish, BKS and
		// Turkish (Swedish in childAtRiskWords; Persian "کتک" above)
		"beats= his= children=", "beats= her= children=", "hits= his= children=", "hits= her= children=",
		"beating= his= children=", "hitting= his= children=", "*ضرب *طفال",
		"lyö= lap", "lyo= lap", "hakkaa= lap", "bije= dziec", "bije= swoje= dziec", "tuče= djec",
		"tuce= djec", "tuče= svoju= djec", "tuce= svoju= djec", "bije= svoju= djec", "bije= djec",
		"tuče= dijete=", "tuce= dijete=", "çocuk döv", "cocuk dov",
		// Spanish: violence, hits me, abuse
		"violencia", "me= pega=", "me= golpea", "maltrat",
		// Kurmanji: violence, domestic violence, violence against me, hits /
		// hit me or us, assault. Not "tundî" alone: "bi tundî" is "strongly".
		"tundûtûj", "tundutuj", "tundiya mal", "tundiya nav= mal", "tundî li= min= dik",
		"tundi li= min= dik", "li= min= dixe=", "li= min= dixin=", "li= min= xist=", "li= me= dixe=",
		"li= me= dixin=", "min= lêdide=", "min= ledide=", "lêdide= min=", "ledide= min=",
		"destdirêj", "destdirej",
		// Sorani: violence, hits me or us, assault
		"توندوتیژ", "توند= و= تیژ", "لێم= دەدا", "لێم= دەدەن", "لێمدەدا", "لێمان= دەدا", "دەستدرێژ",
		// Tigrinya: violence
		"ዓመጽ", "ዓመፅ",
	}
	// threatWords threaten staff, the public or a building. A verb that
	// also names something ordinary comes only with a person or a building
	// as its object: rats and time are killed too, a photo shoot or an email
	// is shot, balloons and maps are blown up, and Polish "wysadzić" is also
	// dropping someone off.
	threatWords = []string{
		// English: I / we will kill, kill you, shoot you dead, blow up your office, burn the
		// place down, I know where you live, you will regret
		"i= will= kill", "i= ll= kill", "ill= kill", "we= will= kill", "we= ll= kill",
		"i= m= going= to= kill", "im= going= to= kill", "i= am= going= to= kill", "we= re= going= to= kill",
		"i= m= gonna= kill", "im= gonna= kill", "i= am= gonna= kill", "we= re= gonna= kill",
		"kill you=", "kill u=", "kill ya=", "kill y= all=", "kill all= of= you=", "kill everyone",
		"kill everybody", "kill him=", "kill her=", "kill your= family", "kill your= kids",
		"kill your= children", "murder you=", "stab you=", "shoot you= dead=", "shoot you= all=",
		"shoot y= all=", "shoot everyone", "shoot everybody", "shoot up the= school", "shoot up the= office",
		"shoot up your=", "blow up your=", "blow up the= building", "blow up the= office",
		"blow up city= hall=", "blow you= up=", "blow this= place= up=", "blow the= place= up=",
		"burn it= down=", "burn this= place= down=", "burn the= place= down=", "burn the= building= down=",
		"burn down the= building", "burn down city= hall=", "burn down your=", "burn your= house",
		"burn your= office", "know where you= live", "know where you= work=", "know where u= live",
		"you= will= regret", "you= ll= regret", "you= re= going= to= regret", "you= are= going= to= regret",
		// Arabic: I'll kill you, I / we will kill, I / we will burn, blow up,
		// open fire, bomb(s), you will regret, threat, I know where you live,
		// I know your address. "ستندم" takes its joined "and" by hand, not
		// "*": Persian "مستندم" is "my document".
		"*قتلك", "*سأقتل", "*سنقتل", "سوف= أقتل", "سوف= نقتل", "*سأحرق", "*سنحرق", "*سأفجر",
		"*سنفجر", "*تفجير", "*سأطلق النار", "*سنطلق النار", "*قنبل", "*قنابل", "ستندم", "وستندم", "فستندم", "*تهديد",
		"أعرف أين= تسكن", "نعرف أين= تسكن", "أعرف عنوانك",
		// Persian: I'll kill you, I / we will kill, I'll hit you, I'll blow up,
		// I'll set fire, bomb, you'll regret, I know where you live (threat as
		// the Arabic entry)
		"*کشمت", "*کشیمت", "خواهم= کشت=", "خواهیم= کشت=", "میزنمت", "می= زنمت", "منفجر= میکنم",
		"منفجر= می= کنم", "منفجرش= میکنم", "منفجرش= می= کنم", "آتش= میزنم", "آتش= می= زنم",
		"آتیش= میزنم", "آتیش= می= زنم", "بمب", "پشیمان= میشوی", "پشیمان= می= شوی", "پشیمون= میشی",
		"پشیمون= می= شی", "پشیمان= خواهی= شد", "میدانم= کجا= زندگی", "می= دانم= کجا= زندگی",
		"میدونم= کجا= زندگی", "می= دونم= کجا= زندگی",
		// Somali: (I) will kill you, (I) will kill you all, threat, you will regret
		"ku= dili=", "ku= dilayaa=", "idin= dili=", "idin= dilayaa=", "hanjab", "ka= qoomamayn= doont",
		// Finnish: I kill / shoot you, we kill you, I blow up, bomb, I set on
		// fire, I know where you live, you will regret, threat, threatened.
		// Not "tapan" alone: "tapan aikaa" is killing time, and "uhka" starts
		// "uhkasakko", a fine.
		"tapan= sinut=", "tapan= sut=", "tapan= teidät=", "tapan= teidat=", "tapan= hänet=",
		"tapan= hanet=", "tapamme= teidät=", "tapamme= teidat=", "tapamme= sinut=", "ammun= sinut=",
		"ammun= sut=", "ammun= teidät=", "ammun= teidat=", "ammun= kaikki=", "räjäytän", "rajaytan",
		"räjäytämme", "rajaytamme", "pommi", "sytytän= tuleen", "sytytan= tuleen", "tiedän= missä= asut",
		"tiedan= missa= asut", "tulet= katumaan", "tulette= katumaan", "uhkaus", "uhkauk", "uhkaili",
		"uhkasi=",
		// Polish: I / we will kill you, shoot dead, blow up, I / we will set
		// fire, I know where you live, you will regret, threat. Not "grozi":
		// "grozi mi mandat" is a fine one risks.
		"zabiję= cię=", "zabije= cie=", "zabiję= was=", "zabije= was=", "cię= zabiję=", "cie= zabije=",
		"was= zabiję=", "was= zabije=", "zabijemy= cię=", "zabijemy= cie=", "zabijemy= was=", "zastrzel",
		"wysad w= powietrze=", "urząd= w= powietrze=", "urzad= w= powietrze=", "budynek= w= powietrze=",
		"biuro= w= powietrze=", "podpalę=", "podpale=", "podpalimy=", "wiem= gdzie= mieszkasz",
		"wiem= gdzie= mieszkacie", "pożałujesz", "pozalujesz", "pożałujecie", "pozalujecie", "groźb", "grozb",
		// Ukrainian and Russian: I'll kill you, I / we will kill, shoot dead,
		// blow up, set fire, bomb, threat, I know where you live, you'll regret.
		// Not "бомб" alone: "бомбосховище" is a shelter.
		"вб= ю= тебе=", "вб= ю= вас=", "вб= ю= всіх=", "тебе= вб= ю=", "вас= вб= ю=", "уб= ю= тебе=",
		"убью=", "убьём=", "убьем=", "застрелю", "пристрелю", "підірву", "підірвемо", "підпалю=", "взорву",
		"взорвём", "взорвем", "подожгу", "бомба=", "бомбу=", "погроз", "погрож", "угроз", "угрож",
		"знаю= де= ти= живеш", "знаю= де= ви= живете", "знаю= где= ты= живешь", "знаю= где= ты= живёшь",
		"знаю= где= вы= живете", "пошкодуєш", "пошкодуєте", "пожалеешь", "пожалеете",
		// Turkish: I'll kill you, we'll kill, I'll shoot you, blow up, I know
		// where you live, you'll regret, I'll make you regret, threat. Not
		// "öldür" alone: "zaman öldürmek" is killing time; not "patlat"
		// alone: "kafa patlatmak" is racking one's brains.
		"seni= öldür", "seni= oldur", "sizi= öldür", "sizi= oldur", "hepinizi= öldür", "hepinizi= oldur",
		"öldüreceğim=", "oldurecegim=", "öldüreceğiz=", "oldurecegiz=", "öldürürüm=", "oldururum=",
		"seni= vuracağım=", "seni= vuracagim=", "seni= vururum=", "sizi= vuracağım=", "sizi= vuracagim=",
		"sizi= vururum=", "havaya= uçur", "havaya= ucur", "patlatacağım=", "patlatacagim=",
		"patlatırım=", "patlatirim=", "nerede= oturduğunu= biliyorum", "nerede= oturdugunu= biliyorum",
		"nerede= yaşadığını= biliyorum", "nerede= yasadigini= biliyorum", "pişman= olacaksın",
		"pisman= olacaksin", "pişman= ederim", "pisman= ederim", "tehdit",
		// BKS: I'll kill you, we'll kill, I'll shoot, shot, I'll blow up, I
		// know where you live, you'll regret, threat, threatens me
		"ubiću= te=", "ubicu= te=", "ubit= ću= te=", "ubit= cu= te=", "ubiću= vas=", "ubicu= vas=",
		"ubit= ću= vas=", "ubit= cu= vas=", "ubićemo", "ubicemo", "убићу= те=", "убићу= вас=", "pucaću=",
		"pucacu=", "upuca", "dići= ću= u= zrak=", "dici= cu= u= zrak=", "diću= u= zrak=", "dicu= u= zrak=",
		"dići= ću= u= vazduh=", "dici= cu= u= vazduh=", "znam= gdje= živiš", "znam= gdje= zivis",
		"znam= gde= živiš", "znam= gde= zivis", "знам= где= живиш", "zažalit= ćeš", "zazalit= ces",
		"zažalićeš", "zazalices", "prijetnj", "pretnj", "prijeti= mi=", "preti= mi=",
		// Spanish: I'm going to / will kill you, shoot you, blow up or burn
		// the building, I know where you live, you will regret, threat. Not
		// "matarlos" or "matarlas": rats are killed too.
		"te= voy= a= matar=", "os= voy= a= matar=", "te= mataré=", "te= matare=", "os= mataré=",
		"os= matare=", "te= mato=", "matarte", "mataros", "te= voy= a= disparar", "os= voy= a= disparar",
		"dispararte", "dispararos", "te= pego= un= tiro=", "volar el= edificio", "volar el= ayuntamiento",
		"quemar el= edificio", "quemar el= ayuntamiento", "quemar tu= casa", "quemar la= oficina",
		"sé= dónde= vives=", "se= donde= vives=", "sé= donde= vives=", "se= dónde= vives=",
		"sabemos= dónde= vives=", "sabemos= donde= vives=", "arrepentirás", "arrepentiras",
		"arrepentiréis", "arrepentireis", "amenaz",
		// Kurmanji: kill you, threatened me or us, death threat, I know where
		// you live, you will regret
		"te= bikuj", "we= bikuj", "te= dikuj", "we= dikuj", "gef= li= min", "gef= li= me=", "gefa kuştin",
		"gefa kustin", "gefxwar", "dizanim= tu= li= ku= dijî=", "dizanim= tu= li= ku= diji=",
		"dizanim= tu= li= ku= dimînî=", "dizanim= tu= li= ku= dimini=", "poşman= bibî=", "posman= bibi=",
		// Sorani: I / we kill you, threat, bomb, you will regret, I know where
		// you live
		"*تکوژم", "*تانکوژم", "*تکوژین", "*تانکوژین", "*هەڕەشە", "بۆمب", "پەشیمان= دەبیتەوە=",
		"دەزانم= لە= کوێ= دەژیت",
	}
)

// signalLexicon returns a lexicon of entries normalised as
// normalizeSignalText normalises a message.
func signalLexicon(entries ...string) *lexicon {
	for i, e := range entries {
		entries[i] = normalizeSignalText(e)
	}
	return newLexicon(entries...)
}

// normalizeSignalText evens out the ways one word is typed in Arabic
// script, so that one entry finds them all: short-vowel marks and the
// stretching tatweel are dropped, hamza forms of alef become alef, Arabic
// yeh and kaf become the Persian ones, and teh marbuta becomes heh. Sorani
// letters become the Arabic or Persian letter typed for them on keyboards
// without them (ە and ھ heh, ێ yeh, ۆ waw, ڕ reh, ڵ lam), and the
// zero-width non-joiner is dropped, since Sorani typed that way writes its
// vowel ە as heh and a non-joiner ("ده‌دات"), and Persian joins or
// spaces "نمی‌خواهم" either way. The modifier-letter apostrophe of
// Ukrainian ("бʼє") becomes an apostrophe, which splits words as the
// other apostrophes do.
func normalizeSignalText(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 0x064B && r <= 0x065F, r == 0x0670, r == 0x0640, r == 0x200C:
			return -1
		}
		switch r {
		case 'أ', 'إ', 'آ', 'ٱ':
			return 'ا'
		case 'ي', 'ى', 'ئ':
			return 'ی'
		case 'ك':
			return 'ک'
		case 'ة', 'ە', 'ھ':
			return 'ه'
		case 'ؤ', 'ۆ':
			return 'و'
		case 'ێ':
			return 'ی'
		case 'ڕ':
			return 'ر'
		case 'ڵ':
			return 'ل'
		case 'ʼ':
			return '\''
		}
		return r
	}, s)
}
