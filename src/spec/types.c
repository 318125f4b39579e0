/* The event-type vocabulary: ACLED's event and sub-event types plus the
 * short words news reports use, each mapped to a category (colour and
 * shape), an inner glyph and a legend text.
 *
 * Names are matched case-insensitively with '_', '-', '/' and runs of
 * spaces treated as one space, so "Air/drone strike", "air-drone-strike"
 * and "AIR DRONE STRIKE" are the same name.
 *
 * Choices worth knowing:
 *  - "seizure" (also "captured", "takeover") is a strategic development
 *    (ACLED "Non-violent transfer of territory") drawn with a flag: a site
 *    taken without reported fighting. Territory taken in fighting is
 *    "non-state actor overtakes territory"; taken back, "recaptured"
 *    (ACLED Battles / "Government regains territory"), both with a flag.
 *  - "strike" is a labour strike (Protests). Air, drone and missile
 *    strikes have their own names.
 *  - "looting" and "arson" follow ACLED's "Looting/property destruction"
 *    (Strategic developments); arson carries a fire glyph.
 *  - Infrastructure words (oil, pipeline, rail, outage, airport, ...) use
 *    the infrastructure category; for ACLED export they count as
 *    Strategic developments / Other. */
#include <stddef.h>
#include <string.h>

#include "core/core.h"
#include "spec/spec.h"

#define BAT "Battles"
#define EXP "Explosions/Remote violence"
#define VAC "Violence against civilians"
#define PRO "Protests"
#define RIO "Riots"
#define STR "Strategic developments"

/* Canonical entries: X(key, ACLED event_type, ACLED sub_event_type,
 * category, glyph, legend). Order is the legend order in a category. */
#define TYPES(X) \
    /* Battles */ \
    X("battle", BAT, NULL, BATTLES, NONE, "Battle") \
    X("armed clash", BAT, "Armed clash", BATTLES, NONE, "Armed clash") \
    X("government regains territory", BAT, "Government regains territory", \
      BATTLES, FLAG, "Government regains territory") \
    X("recaptured", BAT, "Government regains territory", \
      BATTLES, FLAG, "Recaptured") \
    X("non-state actor overtakes territory", BAT, \
      "Non-state actor overtakes territory", \
      BATTLES, FLAG, "Territory taken") \
    /* Explosions/Remote violence */ \
    X("explosion", EXP, NULL, EXPLOSIONS, NONE, "Explosion") \
    X("bombing", EXP, NULL, EXPLOSIONS, NONE, "Bombing") \
    X("air/drone strike", EXP, "Air/drone strike", \
      EXPLOSIONS, NONE, "Air/drone strike") \
    X("airstrike", EXP, "Air/drone strike", EXPLOSIONS, NONE, "Airstrike") \
    X("drone strike", EXP, "Air/drone strike", \
      EXPLOSIONS, NONE, "Drone strike") \
    X("shelling/artillery/missile attack", EXP, \
      "Shelling/artillery/missile attack", \
      EXPLOSIONS, NONE, "Shelling / missile attack") \
    X("shelling", EXP, "Shelling/artillery/missile attack", \
      EXPLOSIONS, NONE, "Shelling") \
    X("missile strike", EXP, "Shelling/artillery/missile attack", \
      EXPLOSIONS, NONE, "Missile strike") \
    X("remote explosive/landmine/ied", EXP, \
      "Remote explosive/landmine/IED", \
      EXPLOSIONS, NONE, "Remote explosive / IED") \
    X("ied", EXP, "Remote explosive/landmine/IED", EXPLOSIONS, NONE, "IED") \
    X("grenade", EXP, "Grenade", EXPLOSIONS, NONE, "Grenade") \
    X("suicide bomb", EXP, "Suicide bomb", \
      EXPLOSIONS, NONE, "Suicide bombing") \
    X("chemical weapon", EXP, "Chemical weapon", \
      EXPLOSIONS, NONE, "Chemical weapon") \
    /* Violence against civilians */ \
    X("violence against civilians", VAC, NULL, \
      VIOLENCE_CIV, NONE, "Violence against civilians") \
    X("attack", VAC, "Attack", VIOLENCE_CIV, NONE, "Attack") \
    X("massacre", VAC, "Attack", VIOLENCE_CIV, NONE, "Massacre") \
    X("killing", VAC, "Attack", VIOLENCE_CIV, NONE, "Killing") \
    X("abduction/forced disappearance", VAC, \
      "Abduction/forced disappearance", \
      VIOLENCE_CIV, NONE, "Abduction") \
    X("sexual violence", VAC, "Sexual violence", \
      VIOLENCE_CIV, NONE, "Sexual violence") \
    /* Protests */ \
    X("protest", PRO, NULL, PROTESTS, NONE, "Protest") \
    X("peaceful protest", PRO, "Peaceful protest", \
      PROTESTS, NONE, "Peaceful protest") \
    X("protest with intervention", PRO, "Protest with intervention", \
      PROTESTS, NONE, "Protest with intervention") \
    X("excessive force against protesters", PRO, \
      "Excessive force against protesters", \
      PROTESTS, NONE, "Excessive force against protesters") \
    X("rally", PRO, "Peaceful protest", PROTESTS, NONE, "Rally") \
    X("strike", PRO, "Peaceful protest", PROTESTS, NONE, "Strike") \
    /* Riots */ \
    X("riot", RIO, NULL, RIOTS, NONE, "Riot") \
    X("violent demonstration", RIO, "Violent demonstration", \
      RIOTS, NONE, "Violent demonstration") \
    X("mob violence", RIO, "Mob violence", RIOTS, NONE, "Mob violence") \
    X("unrest", RIO, NULL, RIOTS, NONE, "Unrest") \
    /* Strategic developments */ \
    X("strategic development", STR, NULL, \
      STRATEGIC, NONE, "Strategic development") \
    X("agreement", STR, "Agreement", STRATEGIC, NONE, "Agreement") \
    X("ceasefire", STR, "Agreement", STRATEGIC, NONE, "Ceasefire") \
    X("arrests", STR, "Arrests", STRATEGIC, BARS, "Arrests") \
    X("change to group/activity", STR, "Change to group/activity", \
      STRATEGIC, NONE, "Change to group/activity") \
    X("disrupted weapons use", STR, "Disrupted weapons use", \
      STRATEGIC, NONE, "Disrupted weapons use") \
    X("headquarters or base established", STR, \
      "Headquarters or base established", \
      STRATEGIC, SQUARE, "Base / HQ") \
    X("deployment", STR, "Other", STRATEGIC, SQUARE, "Deployment") \
    X("airlift", STR, "Other", STRATEGIC, PLANE, "Airlift") \
    X("looting/property destruction", STR, "Looting/property destruction", \
      STRATEGIC, NONE, "Looting / property destruction") \
    X("looting", STR, "Looting/property destruction", \
      STRATEGIC, NONE, "Looting") \
    X("arson", STR, "Looting/property destruction", \
      STRATEGIC, FIRE, "Arson") \
    X("non-violent transfer of territory", STR, \
      "Non-violent transfer of territory", \
      STRATEGIC, FLAG, "Non-violent transfer of territory") \
    X("seizure", STR, "Non-violent transfer of territory", \
      STRATEGIC, FLAG, "Seizure") \
    X("curfew", STR, "Other", STRATEGIC, NONE, "Curfew") \
    X("state of emergency", STR, "Other", \
      STRATEGIC, NONE, "State of emergency") \
    X("evacuation", STR, "Other", STRATEGIC, NONE, "Evacuation") \
    X("other", STR, "Other", STRATEGIC, NONE, "Other") \
    /* Infrastructure / economic */ \
    X("economic", STR, "Other", INFRA, NONE, "Economic") \
    X("infrastructure", STR, "Other", INFRA, NONE, "Infrastructure") \
    X("oil", STR, "Other", INFRA, DROP, "Oil / gas") \
    X("pipeline", STR, "Other", INFRA, DROP, "Pipeline") \
    X("rail", STR, "Other", INFRA, RAILS, "Rail disruption") \
    X("outage", STR, "Other", INFRA, SIGNAL, "Outage") \
    X("internet shutdown", STR, "Other", INFRA, SIGNAL, "Internet shutdown") \
    X("power outage", STR, "Other", INFRA, NONE, "Power outage") \
    X("airport", STR, "Other", INFRA, PLANE, "Airport") \
    /* end */

/* Every other accepted name -> the key of its canonical entry: X(name,
 * key). ACLED's own spellings come first. */
#define ALIASES(X) \
    /* ACLED event_type names */ \
    X("Battles", "battle") \
    X("Explosions/Remote violence", "explosion") \
    X("Violence against civilians", "violence against civilians") \
    X("Protests", "protest") \
    X("Riots", "riot") \
    X("Strategic developments", "strategic development") \
    /* ACLED sub_event_type spellings that differ from the key */ \
    X("Abduction/forced disappearance", "abduction/forced disappearance") \
    X("Remote explosive/landmine/IED", "remote explosive/landmine/ied") \
    /* news words */ \
    X("battles", "battle") \
    X("clash", "armed clash") \
    X("clashes", "armed clash") \
    X("fighting", "armed clash") \
    X("firefight", "armed clash") \
    X("gunfight", "armed clash") \
    X("retaken", "recaptured") \
    X("recapture", "recaptured") \
    X("retake", "recaptured") \
    X("explosions", "explosion") \
    X("blast", "explosion") \
    X("remote violence", "explosion") \
    X("air strike", "airstrike") \
    X("air strikes", "airstrike") \
    X("airstrikes", "airstrike") \
    X("air raid", "airstrike") \
    X("drone attack", "drone strike") \
    X("drone strikes", "drone strike") \
    X("artillery", "shelling") \
    X("artillery fire", "shelling") \
    X("missile attack", "missile strike") \
    X("rocket attack", "missile strike") \
    X("landmine", "remote explosive/landmine/ied") \
    X("car bomb", "remote explosive/landmine/ied") \
    X("suicide bombing", "suicide bomb") \
    X("suicide attack", "suicide bomb") \
    X("chemical attack", "chemical weapon") \
    X("abduction", "abduction/forced disappearance") \
    X("abductions", "abduction/forced disappearance") \
    X("kidnapping", "abduction/forced disappearance") \
    X("forced disappearance", "abduction/forced disappearance") \
    X("killings", "killing") \
    X("protests", "protest") \
    X("demonstration", "protest") \
    X("demonstrations", "protest") \
    X("march", "protest") \
    X("rallies", "rally") \
    X("labour strike", "strike") \
    X("labor strike", "strike") \
    X("general strike", "strike") \
    X("riots", "riot") \
    X("strategic developments", "strategic development") \
    X("peace agreement", "agreement") \
    X("deal", "agreement") \
    X("cease-fire", "ceasefire") \
    X("truce", "ceasefire") \
    X("arrest", "arrests") \
    X("detention", "arrests") \
    X("detentions", "arrests") \
    X("detained", "arrests") \
    X("base", "headquarters or base established") \
    X("hq", "headquarters or base established") \
    X("headquarters", "headquarters or base established") \
    X("troops", "deployment") \
    X("troop deployment", "deployment") \
    X("deployed", "deployment") \
    X("property destruction", "looting/property destruction") \
    X("vandalism", "looting/property destruction") \
    X("fire", "arson") \
    X("captured", "seizure") \
    X("capture", "seizure") \
    X("seized", "seizure") \
    X("takeover", "seizure") \
    X("take over", "seizure") \
    X("emergency", "state of emergency") \
    X("evacuations", "evacuation") \
    X("economy", "economic") \
    X("oil gas", "oil") \
    X("oil and gas", "oil") \
    X("gas", "oil") \
    X("oil field", "oil") \
    X("pipelines", "pipeline") \
    X("railway", "rail") \
    X("railroad", "rail") \
    X("rail disruption", "rail") \
    X("internet", "internet shutdown") \
    X("internet outage", "internet shutdown") \
    X("telecom outage", "outage") \
    X("blackout", "outage") \
    X("power cut", "power outage") \
    X("airports", "airport") \
    /* end */

#define TYPE_ENTRY(k, e, s, c, g, l) {k, e, s, EVM_CAT_##c, EVM_GLYPH_##g, l},
static const evm_event_type types[] = {TYPES(TYPE_ENTRY)};
#define NTYPES (sizeof types / sizeof types[0])

#define ALIAS_ENTRY(n, k) {n, k},
static const struct alias {
    const char *name, *key;
} aliases[] = {ALIASES(ALIAS_ENTRY)};
#define NALIASES (sizeof aliases / sizeof aliases[0])

/* Every accepted name in its display spelling, NULL-terminated. */
#define TYPE_NAME(k, e, s, c, g, l) k,
#define ALIAS_NAME(n, k) n,
static const char *const all_names[] = {TYPES(TYPE_NAME)
                                        ALIASES(ALIAS_NAME) NULL};
/* Normalises a type name into out (cap bytes): ASCII lower case, '_', '-',
 * '/' and whitespace runs folded into one space, trimmed. Returns 0, or -1
 * when the name does not fit (no type name is that long). */
static int norm(const char *s, char *out, size_t cap)
{
    size_t n = 0;
    int space = 0;
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '_' || c == '-' || c == '/' || c == ' ' || c == '\t' ||
            c == '\n' || c == '\r') {
            space = n > 0;
            continue;
        }
        if (space) {
            if (n + 1 >= cap)
                return -1;
            out[n++] = ' ';
            space = 0;
        }
        if (n + 1 >= cap)
            return -1;
        out[n++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
    }
    out[n] = '\0';
    return 0;
}

/* The entry whose normalised key is nkey (already normalised). */
static const evm_event_type *find_key(const char *nkey)
{
    char b[96];
    for (size_t i = 0; i < NTYPES; i++)
        if (norm(types[i].key, b, sizeof b) == 0 && strcmp(b, nkey) == 0)
            return &types[i];
    return NULL;
}

/* Looks a type name up: canonical key, alias, ACLED event_type or
 * sub_event_type, case-insensitive, with '_', '-', '/' and spaces
 * equivalent. Returns a static entry, or NULL if unknown. */
const evm_event_type *evm__event_type_find(const char *name)
{
    char n[96], b[96];
    if (!name || norm(name, n, sizeof n) < 0 || !n[0])
        return NULL;
    const evm_event_type *t = find_key(n);
    if (t)
        return t;
    for (size_t i = 0; i < NALIASES; i++)
        if (norm(aliases[i].name, b, sizeof b) == 0 && strcmp(b, n) == 0)
            return norm(aliases[i].key, b, sizeof b) == 0 ? find_key(b)
                                                          : NULL;
    /* ACLED sub_event_type spellings not listed as keys or aliases */
    for (size_t i = 0; i < NTYPES; i++)
        if (types[i].sub_event_type &&
            norm(types[i].sub_event_type, b, sizeof b) == 0 &&
            strcmp(b, n) == 0)
            return &types[i];
    return NULL;
}

/* NULL-terminated list of every accepted name (static). */
const char *const *evm__event_type_names(void)
{
    return all_names;
}

/* The accepted type name closest to name (edit distance on the normalised
 * forms, at most 2, or 3 for names of 8+ characters), or NULL. Static
 * string. */
const char *evm__event_type_suggest(const char *name)
{
    char n[96], b[96];
    if (!name || norm(name, n, sizeof n) < 0 || !n[0])
        return NULL;
    int max = strlen(n) >= 8 ? 3 : 2;
    const char *best = NULL;
    int bd = max + 1;
    for (const char *const *p = all_names; *p; p++) {
        if (norm(*p, b, sizeof b) < 0)
            continue;
        int d = evm__edit_distance(n, b, max);
        if (d < bd) {
            bd = d;
            best = *p;
        }
    }
    return best;
}

/* Number of canonical entries and the i-th one (for legends and tests). */
int evm__event_type_count(void)
{
    return (int)NTYPES;
}

const evm_event_type *evm__event_type_at(int i)
{
    return i >= 0 && i < (int)NTYPES ? &types[i] : NULL;
}
