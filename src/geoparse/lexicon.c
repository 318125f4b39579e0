/* The geoparser's word lists. They come from general facts of English
 * news prose (titles before names, organisation suffixes, month and day
 * names, given names, country adjectives), not from any test corpus:
 * a list is searched with bsearch once sorted on first use. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "gp_int.h"

static const char *common_words[] = {
#include "common_words.inc"
};

/* Capitalised words that are never a place on their own: function
 * words that start sentences, calendar names, honorifics and generic
 * nouns of headlines. */
static const char *stop_caps[] = {
    "a", "about", "above", "aug", "dec", "feb", "jan", "jul", "jun",
    "nov", "oct", "sep", "sept", "according", "across", "after", "again",
    "against", "all", "also", "although", "an", "and", "another", "any",
    "april", "are", "as", "at", "august", "authorities", "be", "because",
    "been", "before", "being", "both", "but", "by", "can", "could",
    "day", "december", "did", "do", "does", "during", "each", "earlier",
    "east", "eastern", "either", "even", "every", "february", "few",
    "first", "for", "friday", "from", "god", "government", "had", "has",
    "have", "he", "her", "here", "his", "how", "however", "i", "if", "in",
    "into", "is", "it", "its", "january", "july", "june", "just", "last",
    "later", "many", "march", "may", "meanwhile", "minister", "monday",
    "more", "most", "mr", "mrs", "ms", "much", "my", "new", "news", "next",
    "no", "none", "nor", "north", "northern", "not", "november", "now",
    "october", "of", "on", "once", "one", "only", "or", "other", "our",
    "over", "people", "police", "president", "officials", "saturday",
    "september", "several", "she", "since", "so", "some", "south",
    "southern", "still", "such", "sunday", "than", "that", "the", "their",
    "them", "then", "there", "these", "they", "this", "those", "though",
    "through", "thursday", "to", "today", "tomorrow", "too", "tuesday",
    "two", "under", "until", "up", "upon", "us", "very", "was", "we",
    "wednesday", "were", "west", "western", "what", "when", "where",
    "whether", "which", "while", "who", "whom", "whose", "why", "will",
    "with", "within", "without", "would", "yes", "yesterday", "yet", "you",
    "your", "central", "city", "state", "county", "island", "river",
    "lake", "mount", "port", "fort", "saint", "san", "santa", "los", "las",
    "el", "la", "le", "de", "del", "da", "do", "du", "al", "st", "mt",
    "ft", "upper", "lower", "greater", "little", "big", "old", "great",
    "royal", "national", "international", "federal", "republic",
    "kingdom", "union", "united", "world", "global", "christmas",
    "easter", "ramadan", "eid", "covid", "ebola", "internet", "web",
    "english", "spanish", "french", "arabic", "latin", "chinese",
    "reuters", "associated", "press", "afp", "tass", "ria", "interfax",
    "bbc", "cnn", "xinhua", "ap", "upi", "dpa", "efe", "ansa", "kyodo",
    "region", "centre", "center", "mountain", "mountains", "province",
    "district", "valley", "coast", "border", "capital", "airport",
    "station", "square", "street", "road", "bridge", "park", "hospital",
    "nato", "who", "un", "eu", "cdc", "fbi", "cia", "nasa", "imf",
    "opec", "csto", "unicef", "unhcr", "icrc", "msf", "fda", "epa",
};

/* Words before a person's name. */
static const char *titles[] = {
    "adm", "admiral", "ambassador", "archbishop", "bishop", "brig",
    "brother", "capt", "captain", "cardinal", "chairman", "chairwoman",
    "chancellor", "chief", "col", "colonel", "commander", "commissioner",
    "congressman", "congresswoman", "councillor", "councilman",
    "councilwoman", "cpl", "dame", "deputy", "det", "detective", "dr",
    "emir", "father", "gen", "general", "gov", "governor", "imam",
    "judge", "justice", "king", "lady", "lieutenant", "lord", "lt", "maj",
    "major", "mayor", "minister", "miss", "mr", "mrs", "ms", "mullah",
    "officer", "pastor", "pope", "premier", "president", "prince",
    "princess", "prof", "professor", "queen", "rabbi", "rep",
    "representative", "rev", "reverend", "secretary", "sen", "senator",
    "sergeant", "sgt", "sheikh", "sir", "sister", "speaker", "spokesman",
    "spokesperson", "spokeswoman", "sultan", "superintendent", "supt",
    "trooper", "vice", "warden",
};

/* Common given names across English news (and the commonest of the
 * Arabic, Spanish, Slavic and other names reporters write in Latin
 * letters). A capitalised run that starts with one is a person. */
static const char *given[] = {
    "aaron", "abdul", "abdullah", "adam", "ahmad", "ahmed", "aisha",
    "alan", "albert", "alex", "alexander", "alexei", "ali", "alice",
    "alicia", "alison", "amanda", "amy", "ana", "andre", "andrea",
    "andrew", "andrei", "andy", "angela", "ann", "anna", "anne",
    "anthony", "antonio", "arthur", "ashley", "barack", "barbara",
    "ben", "benjamin", "bernard", "beth", "betty", "bill", "billy", "bob",
    "bobby", "brad", "brandon", "brenda", "brian", "bruce", "bryan",
    "carl", "carlos", "carol", "caroline", "catherine", "charles",
    "cheryl", "chris", "christina", "christine", "christopher", "cindy",
    "claire", "craig", "cynthia", "dan", "daniel", "danny", "david",
    "dean", "debbie", "deborah", "dennis", "diana", "diane", "dmitry",
    "donald", "donna", "doug", "douglas", "ed", "edward", "elizabeth",
    "emily", "emma", "eric", "erik", "fatima", "frank", "fred", "gary",
    "george", "gerald", "gloria", "gordon", "greg", "gregory", "hannah",
    "harold", "harry", "hassan", "heather", "helen", "henry", "hillary",
    "howard", "hussein", "ibrahim", "ivan", "jack", "jacob", "james",
    "jamie", "jane", "janet", "jason", "jean", "jeff", "jeffrey",
    "jennifer", "jeremy", "jerry", "jessica", "jim", "jimmy", "joan",
    "joe", "john", "johnny", "jon", "jonathan", "jose", "joseph", "josh",
    "joshua", "joyce", "juan", "judith", "judy", "julia", "julie",
    "justin", "karen", "kate", "katherine", "kathleen", "kathy", "keith",
    "kelly", "ken", "kenneth", "kevin", "kim", "kimberly", "kyle",
    "larry", "laura", "lauren", "lawrence", "lee", "leonid", "linda",
    "lisa", "luis", "margaret", "maria", "marie", "mark", "martha",
    "martin", "mary", "matt", "matthew", "megan", "melissa", "michael",
    "michelle", "mike", "mikhail", "mohamed", "mohammad", "mohammed",
    "muhammad", "nancy", "natalia", "ned", "nicholas", "nick", "nicole",
    "nikolai", "olga", "omar", "oleg", "pamela", "pat", "patricia",
    "patrick", "paul", "pedro", "peter", "phil", "philip", "rachel",
    "ralph", "randy", "raymond", "rebecca", "richard", "rick", "rob",
    "robert", "roger", "ron", "ronald", "rose", "roy", "russell", "ruth",
    "ryan", "sam", "samuel", "sandra", "sara", "sarah", "scott", "sean",
    "sergei", "sergey", "sharon", "shirley", "stephanie", "stephen",
    "steve", "steven", "susan", "tammy", "teresa", "terry", "thomas",
    "tim", "timothy", "tom", "tony", "tyler", "valerie", "vicki",
    "victor", "vincent", "vladimir", "walter", "wayne",
    "william", "yuri", "zachary",
};

/* Last words of organisation names. */
static const char *org_words[] = {
    "academy", "administration", "agency", "airline", "airlines",
    "airways", "alliance", "assembly", "association", "authority",
    "bank", "board", "bureau", "centre", "center", "centers", "church",
    "club", "co", "college", "commission", "committee", "company",
    "corp", "corporation", "council", "court", "department", "fc",
    "federation", "force", "forces", "foundation", "fund", "gazette",
    "group", "guard", "herald", "holdings", "hospital", "inc",
    "institute", "journal", "league", "llc", "ltd", "ministry",
    "movement", "network", "office", "organisation", "organization",
    "parliament", "party", "plc", "police", "post", "press", "school",
    "service", "services", "society", "telegraph", "times", "tribune",
    "union", "university",
};

/* Lower-case words that may sit inside a place name. */
static const char *connectors[] = {
    "al", "am", "an", "au", "aux", "da", "das", "de", "del", "della",
    "der", "des", "di", "do", "dos", "du", "el", "en", "im", "la", "las",
    "le", "les", "los", "of", "on", "sur", "the", "upon", "y",
};

static const char *locatives[] = {
    "across", "along", "around", "at", "between", "beyond", "from",
    "in", "inside", "into", "near", "outside", "throughout", "to",
    "toward", "towards", "via", "visit", "visited", "within",
};

static const char *speech[] = {
    "added", "announced", "argued", "asked", "claimed", "confirmed",
    "declared", "denied", "explained", "noted", "replied", "said", "says",
    "stated", "told", "tweeted", "wrote",
};

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

#define LIST(a) {a, sizeof a / sizeof a[0]}
static struct { const char **w; size_t n; } lists[] = {
    LIST(stop_caps), LIST(titles), LIST(given), LIST(org_words),
    LIST(connectors), LIST(locatives), LIST(speech),
};
static pthread_once_t sorted = PTHREAD_ONCE_INIT;

static void sort_lists(void)
{
    for (size_t i = 0; i < sizeof lists / sizeof lists[0]; i++)
        qsort(lists[i].w, lists[i].n, sizeof *lists[i].w, cmp_str);
}

static int in(int list, const char *w)
{
    pthread_once(&sorted, sort_lists);
    return bsearch(&w, lists[list].w, lists[list].n, sizeof(char *),
                   cmp_str) != NULL;
}

int gp_is_common_word(const char *w)
{
    return bsearch(&w, common_words,
                   sizeof common_words / sizeof common_words[0],
                   sizeof(char *), cmp_str) != NULL;
}
int gp_is_stop_cap(const char *w) { return in(0, w); }
int gp_is_title(const char *w) { return in(1, w); }
int gp_is_given_name(const char *w) { return in(2, w); }
int gp_is_org_word(const char *w) { return in(3, w); }
int gp_is_connector(const char *w) { return in(4, w); }

/* Stop words that may still begin a longer name ("New York", "The
 * Hague", "San Diego", "North Carolina", "United States"). */
static const char *name_starts[] = {
    "al", "big", "central", "city", "county", "da", "de", "del", "do",
    "du", "east", "eastern", "el", "fort", "ft", "great", "greater",
    "international", "island", "kingdom", "la", "lake", "las", "le",
    "little", "los", "lower", "mount", "mt", "national", "new", "north",
    "northern", "old", "port", "republic", "river", "royal", "saint",
    "san", "santa", "south", "southern", "st", "state", "the", "union",
    "united", "upper", "west", "western", "world",
};

int gp_may_start_name(const char *w)
{
    for (size_t i = 0; i < sizeof name_starts / sizeof name_starts[0]; i++)
        if (!strcmp(w, name_starts[i]))
            return 1;
    return 0;
}
int gp_is_locative(const char *w) { return in(5, w); }
int gp_is_speech_verb(const char *w) { return in(6, w); }

/* Adjectives and demonyms of countries (singular and plural). */
static const struct { const char *w, *cc; } demonyms[] = {
    {"afghan", "AF"}, {"afghans", "AF"}, {"albanian", "AL"},
    {"algerian", "DZ"}, {"american", "US"}, {"americans", "US"},
    {"angolan", "AO"}, {"argentine", "AR"}, {"argentinian", "AR"},
    {"armenian", "AM"}, {"armenians", "AM"}, {"australian", "AU"},
    {"australians", "AU"}, {"austrian", "AT"}, {"azerbaijani", "AZ"},
    {"azeri", "AZ"}, {"bangladeshi", "BD"}, {"belarusian", "BY"},
    {"belgian", "BE"}, {"bolivian", "BO"}, {"bosnian", "BA"},
    {"brazilian", "BR"}, {"british", "GB"}, {"bulgarian", "BG"},
    {"burkinabe", "BF"}, {"burmese", "MM"}, {"burundian", "BI"},
    {"cambodian", "KH"}, {"cameroonian", "CM"}, {"canadian", "CA"},
    {"canadians", "CA"}, {"chadian", "TD"}, {"chilean", "CL"},
    {"chinese", "CN"}, {"colombian", "CO"}, {"congolese", "CD"},
    {"croatian", "HR"}, {"cuban", "CU"}, {"cypriot", "CY"},
    {"czech", "CZ"}, {"danish", "DK"}, {"dutch", "NL"},
    {"ecuadorian", "EC"}, {"egyptian", "EG"}, {"egyptians", "EG"},
    {"emirati", "AE"}, {"eritrean", "ER"}, {"estonian", "EE"},
    {"ethiopian", "ET"}, {"ethiopians", "ET"}, {"filipino", "PH"},
    {"filipinos", "PH"}, {"finnish", "FI"}, {"french", "FR"},
    {"georgian", "GE"}, {"german", "DE"}, {"germans", "DE"},
    {"ghanaian", "GH"}, {"greek", "GR"}, {"guatemalan", "GT"},
    {"haitian", "HT"}, {"honduran", "HN"}, {"hungarian", "HU"},
    {"indian", "IN"}, {"indians", "IN"}, {"indonesian", "ID"},
    {"iranian", "IR"}, {"iranians", "IR"}, {"iraqi", "IQ"},
    {"iraqis", "IQ"}, {"irish", "IE"}, {"israeli", "IL"},
    {"israelis", "IL"}, {"italian", "IT"}, {"ivorian", "CI"},
    {"jamaican", "JM"}, {"japanese", "JP"}, {"jordanian", "JO"},
    {"kazakh", "KZ"}, {"kazakhs", "KZ"}, {"kazakhstani", "KZ"},
    {"kenyan", "KE"}, {"kenyans", "KE"}, {"korean", "KR"},
    {"kosovar", "XK"}, {"kuwaiti", "KW"}, {"kyrgyz", "KG"},
    {"latvian", "LV"}, {"lebanese", "LB"}, {"liberian", "LR"},
    {"libyan", "LY"}, {"libyans", "LY"}, {"lithuanian", "LT"},
    {"malawian", "MW"}, {"malaysian", "MY"}, {"malian", "ML"},
    {"mauritanian", "MR"}, {"mexican", "MX"}, {"mexicans", "MX"},
    {"moldovan", "MD"}, {"mongolian", "MN"}, {"moroccan", "MA"},
    {"mozambican", "MZ"}, {"namibian", "NA"}, {"nepalese", "NP"},
    {"nepali", "NP"}, {"nicaraguan", "NI"}, {"nigerian", "NG"},
    {"nigerians", "NG"}, {"nigerien", "NE"}, {"norwegian", "NO"},
    {"pakistani", "PK"}, {"pakistanis", "PK"}, {"palestinian", "PS"},
    {"palestinians", "PS"}, {"panamanian", "PA"}, {"paraguayan", "PY"},
    {"peruvian", "PE"}, {"polish", "PL"}, {"portuguese", "PT"},
    {"qatari", "QA"}, {"romanian", "RO"}, {"russian", "RU"},
    {"russians", "RU"}, {"rwandan", "RW"}, {"salvadoran", "SV"},
    {"saudi", "SA"}, {"saudis", "SA"}, {"senegalese", "SN"},
    {"serb", "RS"}, {"serbian", "RS"}, {"serbs", "RS"},
    {"singaporean", "SG"}, {"slovak", "SK"}, {"slovenian", "SI"},
    {"somali", "SO"}, {"somalis", "SO"}, {"spanish", "ES"},
    {"sri lankan", "LK"}, {"sudanese", "SD"}, {"swedish", "SE"},
    {"swiss", "CH"}, {"syrian", "SY"}, {"syrians", "SY"},
    {"taiwanese", "TW"}, {"tajik", "TJ"}, {"tanzanian", "TZ"},
    {"thai", "TH"}, {"tunisian", "TN"}, {"turkish", "TR"},
    {"turkmen", "TM"}, {"ugandan", "UG"}, {"ukrainian", "UA"},
    {"ukrainians", "UA"}, {"uruguayan", "UY"}, {"uzbek", "UZ"},
    {"venezuelan", "VE"}, {"venezuelans", "VE"}, {"vietnamese", "VN"},
    {"yemeni", "YE"}, {"yemenis", "YE"}, {"zambian", "ZM"},
    {"zimbabwean", "ZW"},
};

const char *gp_demonym(const char *w)
{
    size_t lo = 0, hi = sizeof demonyms / sizeof demonyms[0];
    while (lo < hi) { /* the table is sorted */
        size_t mid = (lo + hi) / 2;
        int c = strcmp(w, demonyms[mid].w);
        if (!c)
            return demonyms[mid].cc;
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL;
}

/* Kind words after a name: "Almaty airport", "the Tengiz oil field",
 * "Kherson region". The phrase goes to evm_geocode with the name, which
 * knows the kinds. admin: the phrase names an administrative area, whose
 * name is the text's toponym without it. */
static const struct { const char *w1, *w2; int admin; } kinds[] = {
    {"air", "base", 0}, {"airbase", NULL, 0}, {"airfield", NULL, 0},
    {"airport", NULL, 0}, {"county", NULL, 1}, {"dam", NULL, 0},
    {"district", NULL, 1}, {"field", NULL, 0}, {"gas", "field", 0},
    {"governorate", NULL, 1}, {"mine", NULL, 0}, {"naval", "base", 0},
    {"nuclear", "plant", 0}, {"oblast", NULL, 1}, {"oil", "field", 0},
    {"port", NULL, 0}, {"power", "plant", 0}, {"province", NULL, 1},
    {"refinery", NULL, 0}, {"region", NULL, 1}, {"square", NULL, 0},
};

const char *gp_kind_word(const char *w, const char *next, int *admin,
                         int *ntok)
{
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        if (strcmp(w, kinds[i].w1))
            continue;
        if (kinds[i].w2 && (!next || strcmp(next, kinds[i].w2)))
            continue;
        *admin = kinds[i].admin;
        *ntok = kinds[i].w2 ? 2 : 1;
        return kinds[i].w2 ? kinds[i].w2 : kinds[i].w1;
    }
    return NULL;
}

/* Regions the gazetteer has no point for (continents at GeoNames' points,
 * other regions at conventional centres), and
 * short forms of countries that news uses but ISO does not. */
static const struct gp_extra extras[] = {
    {"africa", "Africa", NULL, 7.19, 21.09, ""},
    {"americas", "Americas", NULL, 19.0, -80.0, ""},
    {"antarctica", "Antarctica", NULL, -78.15856, 16.40626, ""},
    {"asia", "Asia", NULL, 29.84064, 89.29688, ""},
    {"balkans", "Balkans", NULL, 42.5, 21.0, ""},
    {"caribbean", "Caribbean", NULL, 15.0, -73.0, ""},
    {"centralamerica", "Central America", NULL, 12.77, -85.6, ""},
    {"centralasia", "Central Asia", NULL, 45.0, 68.0, ""},
    {"drc", "Democratic Republic of the Congo",
     "Democratic Republic of the Congo", 0, 0, "CD"},
    {"eastafrica", "East Africa", NULL, 0.0, 37.0, ""},
    {"easterneurope", "Eastern Europe", NULL, 50.0, 30.0, ""},
    {"europe", "Europe", NULL, 48.69096, 9.14062, ""},
    {"gb", "United Kingdom", "United Kingdom", 0, 0, "GB"},
    {"latinamerica", "Latin America", NULL, -14.60485, -57.65625, ""},
    {"middleeast", "Middle East", NULL, 29.3, 42.5, ""},
    {"northamerica", "North America", NULL, 46.07323, -100.54688, ""},
    {"nsw", "New South Wales", "New South Wales", 0, 0, "AU"},
    {"oceania", "Oceania", NULL, -18.31281, 138.51562, ""},
    {"scandinavia", "Scandinavia", NULL, 64.0, 14.0, ""},
    {"southamerica", "South America", NULL, -14.60485, -57.65625, ""},
    {"southeastasia", "Southeast Asia", NULL, 2.5, 112.5, ""},
    {"southasia", "South Asia", NULL, 22.0, 79.0, ""},
    {"subsaharanafrica", "Sub-Saharan Africa", NULL, 2.0, 20.0, ""},
    {"uae", "United Arab Emirates", "United Arab Emirates", 0, 0, "AE"},
    {"uk", "United Kingdom", "United Kingdom", 0, 0, "GB"},
    {"us", "United States", "United States", 0, 0, "US"},
    {"usa", "United States", "United States", 0, 0, "US"},
    {"westafrica", "West Africa", NULL, 12.0, -2.0, ""},
    {"westbank", "West Bank", NULL, 31.95, 35.25, "PS"},
    {"westerneurope", "Western Europe", NULL, 48.0, 5.0, ""},
};

const struct gp_extra *gp_extra_find(const char *key)
{
    for (size_t i = 0; i < sizeof extras / sizeof extras[0]; i++)
        if (!strcmp(key, extras[i].key))
            return &extras[i];
    return NULL;
}
