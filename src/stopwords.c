/* stopwords.c - built-in stop word lists for Storyline's text analysis.
 *
 * One list per language: the most frequent function words (articles,
 * pronouns, prepositions, conjunctions, auxiliary and modal verb forms,
 * common adverbs).  They are dropped from search and similarity, and
 * counting them over a text tells which language it is most likely in.
 *
 * The lists were written for this project; they are not copied from any
 * published stop word list.  Every word is lowercase (case-folded) and in
 * NFKC form, accents as precomposed characters, so that it compares equal
 * to a token after the tokenizer's folding.  No list holds a word twice;
 * a word may appear in several languages' lists.
 */

#include "stopwords.h"

/* English (en).
 * Contractions use a straight apostrophe; the possessive "s" is not
 * listed, so "s" left over from "minister's" stays searchable.
 */
static const char *const en_words[] = {
    "a", "about", "above", "across", "after", "again", "against", "all",
    "almost", "already", "also", "although", "am", "among", "an", "and",
    "another", "any", "are", "aren't", "around", "as", "at", "be", "because",
    "been", "before", "being", "below", "between", "both", "but", "by", "can",
    "can't", "cannot", "could", "couldn't", "did", "didn't", "do", "does",
    "doesn't", "doing", "don't", "down", "during", "each", "either", "even",
    "ever", "every", "few", "for", "from", "further", "had", "hadn't", "has",
    "hasn't", "have", "haven't", "having", "he", "he's", "her", "here",
    "hers", "herself", "him", "himself", "his", "how", "however", "i", "i'd",
    "i'll", "i'm", "i've", "if", "in", "into", "is", "isn't", "it", "it's",
    "its", "itself", "just", "let's", "may", "me", "might", "more", "most",
    "much", "must", "mustn't", "my", "myself", "neither", "no", "nor", "not",
    "now", "of", "off", "often", "on", "once", "only", "or", "other",
    "others", "our", "ours", "ourselves", "out", "over", "own", "quite",
    "rather", "same", "shall", "she", "she's", "should", "shouldn't", "since",
    "so", "some", "such", "than", "that", "that's", "the", "their", "theirs",
    "them", "themselves", "then", "there", "there's", "these", "they",
    "they'd", "they'll", "they're", "they've", "this", "those", "though",
    "through", "thus", "to", "too", "under", "until", "up", "upon", "us",
    "very", "was", "wasn't", "we", "we'd", "we'll", "we're", "we've", "were",
    "weren't", "what", "what's", "when", "where", "whether", "which", "while",
    "who", "who's", "whom", "whose", "why", "will", "with", "within",
    "without", "won't", "would", "wouldn't", "yet", "you", "you'd", "you'll",
    "you're", "you've", "your", "yours", "yourself", "yourselves", "still",
};

/* German (de). */
static const char *const de_words[] = {
    "der", "die", "das", "den", "dem", "des", "ein", "eine", "einen", "einem",
    "einer", "eines", "kein", "keine", "keinen", "keinem", "keiner", "keines",
    "ich", "du", "er", "sie", "es", "wir", "ihr", "mich", "mir", "dich",
    "dir", "ihn", "ihm", "ihnen", "uns", "euch", "euer", "eure", "mein",
    "meine", "meinen", "meinem", "meiner", "meines", "dein", "deine",
    "deinen", "deinem", "deiner", "sein", "seine", "seinen", "seinem",
    "seiner", "seines", "ihre", "ihren", "ihrem", "ihrer", "ihres", "unser",
    "unsere", "unseren", "unserem", "unserer", "sich", "selbst", "dieser",
    "diese", "dieses", "diesen", "diesem", "jener", "jene", "jenes",
    "welcher", "welche", "welches", "welchen", "welchem", "und", "oder",
    "aber", "denn", "sondern", "doch", "dass", "weil", "wenn", "ob", "als",
    "wie", "obwohl", "damit", "während", "bevor", "nachdem", "in", "im",
    "ins", "an", "am", "auf", "aus", "bei", "beim", "mit", "nach", "von",
    "vom", "zu", "zum", "zur", "für", "über", "unter", "vor", "hinter",
    "neben", "zwischen", "durch", "gegen", "ohne", "um", "seit", "bis",
    "trotz", "wegen", "ab", "bin", "bist", "ist", "sind", "seid", "war",
    "waren", "gewesen", "habe", "hast", "hat", "haben", "habt", "hatte",
    "hatten", "gehabt", "werde", "wirst", "wird", "werden", "werdet", "wurde",
    "wurden", "worden", "geworden", "kann", "kannst", "können", "könnte",
    "könnten", "muss", "musst", "müssen", "musste", "mussten", "soll",
    "sollen", "sollte", "sollten", "will", "willst", "wollen", "wollte",
    "wollten", "darf", "dürfen", "mag", "möchte", "nicht", "auch", "sehr",
    "noch", "schon", "nur", "so", "da", "dann", "hier", "dort", "jetzt",
    "nun", "immer", "wieder", "ganz", "etwa", "eben", "ja", "nein", "mal",
    "man", "was", "wer", "wo", "wann", "warum", "wen", "wem", "wessen",
    "etwas", "nichts", "alle", "alles", "allem", "allen", "aller", "viel",
    "viele", "vielen", "mehr", "einige", "einigen", "jeder", "jede", "jedes",
    "jeden", "jedem", "dabei", "dazu", "darauf", "darüber", "daher",
    "deshalb", "dafür", "davon", "zwar", "sowie", "bereits", "sogar", "kaum",
    "also", "andere", "anderen", "anderer", "anderes",
};

/* French (fr).
 * Elided forms appear without the apostrophe ("l", "d", "qu", ...), as
 * the tokenizer leaves them after splitting "l'état" or "qu'il".
 */
static const char *const fr_words[] = {
    "le", "la", "les", "l", "un", "une", "des", "du", "de", "d", "au", "aux",
    "ce", "cet", "cette", "ces", "c", "mon", "ma", "mes", "ton", "ta", "tes",
    "son", "sa", "ses", "notre", "nos", "votre", "vos", "leur", "leurs", "je",
    "j", "tu", "il", "elle", "on", "nous", "vous", "ils", "elles", "me", "m",
    "te", "t", "se", "s", "lui", "eux", "moi", "toi", "soi", "y", "en", "qui",
    "que", "qu", "quoi", "dont", "où", "lequel", "laquelle", "lesquels",
    "lesquelles", "et", "ou", "mais", "donc", "or", "ni", "car", "si",
    "comme", "quand", "lorsque", "lorsqu", "puisque", "puisqu", "parce", "à",
    "dans", "par", "pour", "sur", "sous", "avec", "sans", "chez", "entre",
    "vers", "contre", "depuis", "pendant", "avant", "après", "selon",
    "malgré", "dès", "lors", "jusqu", "jusque", "afin", "ne", "n", "pas",
    "plus", "moins", "très", "aussi", "bien", "encore", "déjà", "toujours",
    "jamais", "rien", "tout", "tous", "toute", "toutes", "même", "mêmes",
    "autre", "autres", "peu", "trop", "beaucoup", "ici", "là", "alors",
    "puis", "ainsi", "non", "oui", "cela", "ça", "ceci", "celui", "celle",
    "ceux", "celles", "être", "suis", "es", "est", "sommes", "êtes", "sont",
    "était", "étaient", "été", "sera", "seront", "serait", "seraient", "soit",
    "fut", "avoir", "ai", "as", "a", "avons", "avez", "ont", "avait",
    "avaient", "eu", "aura", "auront", "aurait", "ait", "aient", "peut",
    "peuvent", "pourrait", "doit", "doivent", "devrait", "faut", "chaque",
    "quel", "quelle", "quels", "quelles", "quelque", "quelques", "plusieurs",
    "certains", "certaines", "aucun", "aucune", "cependant", "tandis",
    "voici", "voilà",
};

/* Spanish (es).
 * Accented and unaccented forms ("qué"/"que", "sí"/"si") are both
 * listed; they are different words.
 */
static const char *const es_words[] = {
    "el", "la", "los", "las", "lo", "un", "una", "unos", "unas", "al", "del",
    "de", "a", "en", "con", "por", "para", "sin", "sobre", "entre", "hasta",
    "desde", "hacia", "contra", "según", "durante", "tras", "ante", "bajo",
    "mediante", "y", "e", "o", "u", "ni", "pero", "sino", "aunque", "porque",
    "pues", "que", "qué", "como", "cómo", "cuando", "cuándo", "donde",
    "dónde", "quien", "quién", "quienes", "cual", "cuál", "cuales", "cuyo",
    "cuya", "si", "sí", "no", "yo", "tú", "tu", "él", "ella", "ello",
    "nosotros", "nosotras", "vosotros", "vosotras", "ellos", "ellas", "usted",
    "ustedes", "me", "te", "se", "nos", "os", "le", "les", "mi", "mis", "tus",
    "su", "sus", "nuestro", "nuestra", "nuestros", "nuestras", "vuestro",
    "vuestra", "mío", "mía", "suyo", "suya", "este", "esta", "esto", "estos",
    "estas", "ese", "esa", "eso", "esos", "esas", "aquel", "aquella",
    "aquello", "aquellos", "aquellas", "ser", "es", "son", "soy", "eres",
    "somos", "era", "eran", "fue", "fueron", "sido", "será", "serán", "sería",
    "sea", "sean", "estar", "está", "están", "estoy", "estaba", "estaban",
    "estuvo", "haber", "he", "has", "ha", "hemos", "han", "había", "habían",
    "hubo", "habrá", "haya", "hay", "tiene", "tienen", "puede", "pueden",
    "podría", "debe", "deben", "debería", "más", "menos", "muy", "también",
    "tampoco", "ya", "aún", "todavía", "siempre", "nunca", "solo", "sólo",
    "tan", "tanto", "mucho", "mucha", "muchos", "muchas", "poco", "otro",
    "otra", "otros", "otras", "todo", "toda", "todos", "todas", "mismo",
    "misma", "mismos", "cada", "algo", "nada", "alguien", "nadie", "algún",
    "alguno", "alguna", "ningún", "ninguna", "aquí", "allí", "ahí", "así",
    "entonces", "luego",
};

/* Italian (it).
 * Elided articles and prepositions appear without the apostrophe
 * ("l", "dell", "all", "nell", "dall", "sull", "c", ...).
 */
static const char *const it_words[] = {
    "il", "lo", "la", "i", "gli", "le", "l", "un", "uno", "una", "di", "a",
    "da", "in", "con", "su", "per", "tra", "fra", "del", "dello", "della",
    "dei", "degli", "delle", "dell", "al", "allo", "alla", "ai", "agli",
    "alle", "all", "dal", "dallo", "dalla", "dai", "dagli", "dalle", "dall",
    "nel", "nello", "nella", "nei", "negli", "nelle", "nell", "sul", "sullo",
    "sulla", "sui", "sugli", "sulle", "sull", "col", "e", "ed", "o", "od",
    "ma", "però", "anche", "se", "che", "chi", "cui", "come", "quando",
    "dove", "perché", "mentre", "quindi", "dunque", "oppure", "né", "non",
    "più", "meno", "molto", "poco", "tanto", "troppo", "già", "ancora",
    "sempre", "mai", "solo", "così", "poi", "ora", "qui", "qua", "lì", "là",
    "io", "tu", "lui", "lei", "noi", "voi", "loro", "mi", "ti", "si", "ci",
    "vi", "ne", "me", "te", "sé", "mio", "mia", "miei", "mie", "tuo", "tua",
    "tuoi", "tue", "suo", "sua", "suoi", "sue", "nostro", "nostra", "nostri",
    "nostre", "vostro", "vostra", "vostri", "vostre", "questo", "questa",
    "questi", "queste", "quello", "quella", "quelli", "quelle", "quel",
    "quei", "quegli", "quest", "quell", "essere", "sono", "sei", "è", "siamo",
    "siete", "era", "erano", "ero", "fu", "furono", "stato", "stata", "stati",
    "state", "sarà", "saranno", "sarebbe", "sia", "siano", "avere", "ho",
    "hai", "ha", "abbiamo", "avete", "hanno", "aveva", "avevano", "ebbe",
    "avuto", "avrà", "avrebbe", "abbia", "può", "possono", "potrebbe", "deve",
    "devono", "dovrebbe", "vuole", "tutto", "tutta", "tutti", "tutte",
    "altro", "altra", "altri", "altre", "ogni", "qualche", "alcuni", "alcune",
    "nessuno", "niente", "nulla", "qualcosa", "stesso", "stessa", "stessi",
    "quale", "quali", "quanto", "quanta", "quanti", "c", "d", "m", "t", "s",
    "v", "n",
};

/* Portuguese (pt).
 * Contractions of prepositions and articles ("do", "na", "pelo",
 * "deste", ...) are listed as they are written.
 */
static const char *const pt_words[] = {
    "o", "a", "os", "as", "um", "uma", "uns", "umas", "de", "do", "da", "dos",
    "das", "em", "no", "na", "nos", "nas", "ao", "aos", "à", "às", "por",
    "pelo", "pela", "pelos", "pelas", "para", "com", "sem", "sobre", "entre",
    "até", "desde", "após", "contra", "durante", "sob", "num", "numa", "dum",
    "duma", "e", "ou", "mas", "nem", "porque", "porém", "pois", "que", "quê",
    "se", "como", "quando", "onde", "quem", "qual", "quais", "cujo", "cuja",
    "não", "sim", "mais", "menos", "muito", "muita", "muitos", "muitas",
    "pouco", "também", "já", "ainda", "sempre", "nunca", "só", "apenas",
    "tão", "tanto", "bem", "aqui", "ali", "lá", "então", "assim", "agora",
    "depois", "antes", "eu", "tu", "ele", "ela", "nós", "vós", "eles", "elas",
    "você", "vocês", "me", "te", "lhe", "lhes", "vos", "mim", "ti", "si",
    "comigo", "meu", "minha", "meus", "minhas", "teu", "tua", "seu", "sua",
    "seus", "suas", "nosso", "nossa", "nossos", "nossas", "dele", "dela",
    "deles", "delas", "este", "esta", "estes", "estas", "isto", "esse",
    "essa", "esses", "essas", "isso", "aquele", "aquela", "aqueles",
    "aquelas", "aquilo", "ser", "é", "são", "sou", "somos", "era", "eram",
    "foi", "foram", "sido", "será", "serão", "seria", "seja", "sejam",
    "estar", "está", "estão", "estou", "estava", "estavam", "esteve", "ter",
    "tem", "têm", "tenho", "tinha", "tinham", "teve", "tiveram", "tido",
    "terá", "haver", "há", "havia", "houve", "pode", "podem", "poderia",
    "deve", "devem", "deveria", "todo", "toda", "todos", "todas", "outro",
    "outra", "outros", "outras", "mesmo", "mesma", "cada", "algum", "alguma",
    "alguns", "algumas", "nenhum", "nenhuma", "nada", "tudo", "algo",
    "alguém", "ninguém", "qualquer", "neste", "nesta", "nesse", "nessa",
    "naquele", "naquela", "deste", "desta", "desse", "dessa", "daquele",
    "daquela", "disso", "disto", "nisso", "nisto",
};

/* Dutch (nl). */
static const char *const nl_words[] = {
    "de", "het", "een", "en", "of", "maar", "want", "dus", "omdat", "als",
    "dan", "toen", "terwijl", "hoewel", "dat", "die", "dit", "deze", "wat",
    "wie", "welk", "welke", "waar", "wanneer", "waarom", "hoe", "ik", "je",
    "jij", "u", "hij", "zij", "ze", "we", "wij", "jullie", "mij", "me", "jou",
    "hem", "haar", "ons", "hen", "hun", "mijn", "jouw", "uw", "zijn", "onze",
    "zich", "zichzelf", "in", "op", "aan", "met", "van", "voor", "naar",
    "bij", "uit", "over", "door", "tot", "om", "onder", "tegen", "na",
    "tussen", "zonder", "sinds", "tijdens", "binnen", "buiten", "achter",
    "naast", "per", "ben", "bent", "is", "was", "waren", "geweest", "wordt",
    "worden", "werd", "werden", "word", "geworden", "heb", "hebt", "heeft",
    "hebben", "had", "hadden", "gehad", "zal", "zult", "zullen", "zou",
    "zouden", "kan", "kunt", "kunnen", "kon", "konden", "moet", "moeten",
    "moest", "moesten", "wil", "wilt", "willen", "wilde", "mag", "mogen",
    "mocht", "niet", "geen", "ook", "zeer", "heel", "erg", "nog", "al",
    "alle", "alles", "wel", "nu", "hier", "daar", "er", "weer", "altijd",
    "nooit", "soms", "toch", "alleen", "meer", "veel", "minder", "iets",
    "niets", "iemand", "niemand", "ieder", "iedere", "elk", "elke", "zo",
    "zoals", "eens", "reeds", "daarom", "daarna", "eerst", "ander", "andere",
    "enkele", "sommige", "men", "daarbij", "daarvan", "ervan", "erop",
    "daarmee", "zelf", "even", "ja", "nee",
};

/* Russian (ru).
 * Forms with "ё" are listed along with their common spellings
 * with "е".
 */
static const char *const ru_words[] = {
    "и", "в", "во", "не", "на", "с", "со", "что", "чтобы", "чтоб", "как", "а",
    "но", "или", "да", "же", "ли", "бы", "то", "это", "этот", "эта", "эти",
    "этого", "этой", "этом", "этому", "этим", "этих", "тот", "та", "те",
    "того", "той", "том", "тому", "тем", "тех", "я", "ты", "он", "она", "оно",
    "мы", "вы", "они", "меня", "мне", "мной", "тебя", "тебе", "тобой", "его",
    "ему", "им", "нём", "нем", "её", "ее", "ей", "ней", "неё", "нее", "нас",
    "нам", "нами", "вас", "вам", "вами", "их", "ими", "них", "ним", "ними",
    "него", "нему", "себя", "себе", "собой", "свой", "своя", "своё", "свое",
    "свои", "своего", "своей", "своих", "мой", "моя", "моё", "мое", "мои",
    "твой", "твоя", "твоё", "наш", "наша", "наше", "наши", "ваш", "ваша",
    "ваше", "ваши", "к", "ко", "по", "из", "от", "до", "за", "для", "о", "об",
    "обо", "у", "при", "про", "без", "над", "под", "через", "после", "перед",
    "между", "так", "также", "тоже", "уже", "ещё", "еще", "очень", "только",
    "даже", "вот", "там", "тут", "здесь", "где", "когда", "куда", "откуда",
    "почему", "зачем", "кто", "чего", "чем", "чему", "кого", "кому", "ком",
    "весь", "вся", "всё", "все", "всех", "всем", "всего", "всей", "сам",
    "сама", "само", "сами", "был", "была", "было", "были", "быть", "будет",
    "будут", "буду", "есть", "нет", "может", "могут", "можно", "нужно",
    "надо", "должен", "должна", "должны", "если", "потому", "поэтому", "хотя",
    "пока", "ведь", "лишь", "ни", "более", "менее", "много", "мало", "такой",
    "такая", "такие", "такое", "который", "которая", "которое", "которые",
    "которого", "которой", "котором", "которых", "какой", "какая", "какие",
    "другой", "другие", "каждый", "тогда", "потом", "теперь", "сейчас",
    "всегда", "никогда", "ничего", "ничто", "никто",
};

/* Calendar words per language: days and months, as the tokenizer folds
 * them. Words that are also common nouns in news are left out: English
 * "march" (a protest march), French "mars" (the planet), the Portuguese
 * weekdays ("segunda-feira": the tokenizer splits it, and "segunda" is
 * "second"); "may" is a stop word already. */
static const char *const en_calendar[] = {
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
    "sunday", "january", "february", "april", "june", "july", "august",
    "september", "october", "november", "december",
};

static const char *const de_calendar[] = {
    "montag", "dienstag", "mittwoch", "donnerstag", "freitag", "samstag",
    "sonnabend", "sonntag", "januar", "jänner", "februar", "märz", "april",
    "mai", "juni", "juli", "august", "september", "oktober", "november",
    "dezember",
};

static const char *const fr_calendar[] = {
    "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",
    "janvier", "février", "avril", "mai", "juin", "juillet", "août",
    "septembre", "octobre", "novembre", "décembre",
};

static const char *const es_calendar[] = {
    "lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo",
    "enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
    "septiembre", "setiembre", "octubre", "noviembre", "diciembre",
};

static const char *const it_calendar[] = {
    "lunedì", "martedì", "mercoledì", "giovedì", "venerdì", "sabato",
    "domenica", "gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno",
    "luglio", "agosto", "settembre", "ottobre", "novembre", "dicembre",
};

static const char *const pt_calendar[] = {
    "sábado", "domingo", "janeiro", "fevereiro", "março",
    "abril", "maio", "junho", "julho", "agosto", "setembro", "outubro",
    "novembro", "dezembro",
};

static const char *const nl_calendar[] = {
    "maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag",
    "zondag", "januari", "februari", "maart", "april", "mei", "juni", "juli",
    "augustus", "september", "oktober", "november", "december",
};

static const char *const ru_calendar[] = {
    "понедельник", "вторник", "среда", "среду", "четверг", "пятница",
    "пятницу", "суббота", "субботу", "воскресенье", "января", "февраля",
    "марта", "апреля", "мая", "июня", "июля", "августа", "сентября",
    "октября", "ноября", "декабря", "январь", "февраль", "март", "апрель",
    "май", "июнь", "июль", "август", "сентябрь", "октябрь", "ноябрь",
    "декабрь",
};

#define SL_COUNT(a) (sizeof (a) / sizeof (a)[0])
#define SL_LIST(code)                                                \
    { #code, code##_words, SL_COUNT(code##_words), code##_calendar, \
      SL_COUNT(code##_calendar) }

/* In the documented order: en, de, fr, es, it, pt, nl, ru. */
static const sl_stoplist lists[] = {
    SL_LIST(en),
    SL_LIST(de),
    SL_LIST(fr),
    SL_LIST(es),
    SL_LIST(it),
    SL_LIST(pt),
    SL_LIST(nl),
    SL_LIST(ru),
};

const sl_stoplist *
sl_stoplists(size_t *out_n)
{
    if (out_n)
        *out_n = SL_COUNT(lists);
    return lists;
}
