#include <dlfcn.h>
#include <errno.h>
#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

/* Commands are linked weakly: the evmap binary holds only `geocode` and
 * finds the others in evmap-cmds.so (see the Makefile), which it loads
 * on first use; a program that links all of libevmap has them all. */
#pragma weak cmd_geocode
#pragma weak cmd_render
#pragma weak cmd_validate
#pragma weak cmd_batch
#pragma weak cmd_places
#pragma weak cmd_geoparse
#pragma weak cmd_extract

struct command {
    const char *name;
    int (*fn)(int, char **);
    const char *synopsis;
    const char *help;
};

static const struct command commands[] = {
    {"render", cmd_render,
     "evmap render SPEC|TABLE... [-o OUT] [-f FORMAT] [--size WxH] [--dpi N]\n"
     "             [--theme light|dark|print] [--places FILE] [-j N]\n"
     "             [--date D] [--by day|week|month [--cumulative]] [-q]\n"
     "             [--lat COL --lon COL --place COL --type COL --date COL]\n"
     "             [--skip-bad] [--title T] [--subtitle T] [--extent BOX|PLACE]\n"
     "             [--style auto|markers|points|hexbin|heatmap]\n"
     "             [--measure auto|events|fatalities]\n"
     "             [--where COL=VALUE|COL!=VALUE]... [--all]\n"
     "             [--precision exact|admin2|admin1|country]\n"
     "             [--layout FILE.json] [--verbose]\n"
     "             [--fallback admin2|admin1|country]",
     "Draws a map spec (YAML or JSON) to PNG, SVG or PDF, or writes its\n"
     "features as GeoJSON. The format follows -f, else the extension of -o,\n"
     "else PNG. -o - writes to stdout. Output files are written atomically.\n"
     "Several specs, or -o DIR/, write DIR/<spec stem>.<format>, drawn on\n"
     "-j N threads (default: one per core) as evmap batch does.\n"
     "--date D draws only what is dated D: a day (2022-01-06), a month\n"
     "(2022-01) or a window (2022-01-02..2022-01-05, ..2022-01-05, or\n"
     "ISO 8601's 2022-01-02/2022-01-05).\n"
     "--by day|week|month draws a time series: one frame per period from\n"
     "the first to the last date of the map (within --date, if given),\n"
     "named <stem>-YYYY-MM-DD (the period's first day; weeks start on\n"
     "Monday), with the extent and legend of the whole map and the period\n"
     "as the subtitle; --cumulative draws everything up to each period's\n"
     "end.\n"
     "TABLE: an event table instead of a spec -- an ACLED export, a GDELT\n"
     "1.0/2.0 events file, UCDP GED CSV, any CSV/TSV with latitude and\n"
     "longitude or place columns, or a GDAL source (GeoJSON, GPKG, SHP,\n"
     "KML, FGB). --lat, --lon, --place, --type, --date COL name its columns\n"
     "when their names are not the usual ones. A bad row (ragged, bad\n"
     "number, out of range, unknown place, invalid UTF-8) fails the run\n"
     "with exit 1 and no output; --skip-bad warns, counts and skips it.\n"
     "-f geojson|gpkg|kml|fgb|shp|csv converts a table row by row.\n"
     "A table's map is titled from its data (\"UCDP GED: Bangladesh\", its\n"
     "date range and counts) unless --title/--subtitle say otherwise;\n"
     "--extent takes lon_min,lat_min,lon_max,lat_max or a place, --style\n"
     "how events are drawn. --where COL=VALUE (or COL!=VALUE; repeatable,\n"
     "equalities on one column are alternatives), --date D and --precision\n"
     "P (keep events located at least that precisely) leave rows out; a\n"
     "GDELT map keeps the conflict classes (QuadClass 3, 4) unless --all.\n"
     "--style draws events as one symbol per place (markers), a dot per\n"
     "event (points), hexagons coloured by count (hexbin) or a density\n"
     "(heatmap); auto (the default) draws markers while the places fit.\n"
     "--measure events|fatalities: what marker sizes, hexagon colours and\n"
     "the density show (auto: deaths for markers when there are any, the\n"
     "number of events for hexagons and density).\n"
     "--layout FILE.json also writes where every symbol and label went.\n"
     "Labels that find no room are counted in one warning; --verbose names\n"
     "each. -q hides warnings, not errors.\n"
     "--fallback LEVEL: a spec's qualified name not found inside its\n"
     "qualifiers is placed at the qualifier's area down to LEVEL (as the\n"
     "spec's fallback: key); without it, it is an unknown place. Tables\n"
     "always place such rows at the area and count them.\n"},
    {"geocode", cmd_geocode,
     "evmap geocode NAME...|- [--country CC] [--kind KIND] [--near LAT,LON]\n"
     "              [--json] [-n N] [--places FILE]",
     "Resolves place names to coordinates with the shipped gazetteer.\n"
     "Names may carry qualifiers (\"Almaty, Kazakhstan\", \"Paris, Texas\"),\n"
     "kind words (\"Tengiz oil field\", \"Muse Township\", \"kibbutz Be'eri\")\n"
     "or be IATA/ICAO codes. Every match has a precision: exact, admin2,\n"
     "admin1 or country. A name not found inside its qualifiers is placed\n"
     "at the qualifier's area, with a warning (\"Bogoro, Borno\": Borno\n"
     "State, admin1), never at a namesake elsewhere. --country is a\n"
     "filter. --places FILE adds your own places: a CSV/TSV of name, lat,\n"
     "lon[, country, kind], an event table (ACLED, UCDP GED, GDELT) whose\n"
     "rows' places are learned, or a places index (evmap places build).\n"
     "With - names are read one per line from stdin and answered as they\n"
     "come; a bad line is reported with its line number and the others are\n"
     "answered. Prints a table, or with --json one JSON object per query.\n"
     "Exit 1 when a name resolves to nothing or a line is bad.\n"},
    {"places", cmd_places, "evmap places build TABLE... -o FILE.evp",
     "Compiles the places of event tables (ACLED, UCDP GED, GDELT events,\n"
     "or a CSV whose header names a place, latitude and longitude with\n"
     "admin or precision columns) into a places index: every row with a\n"
     "place name and coordinates becomes a place (its admin names as\n"
     "qualifiers, its precision kept), deduplicated by name and position.\n"
     "--places FILE.evp, or EVMAP_PLACES=FILE.evp in the environment, makes\n"
     "every command use it; its places rank above shipped ones of the same\n"
     "name and say where they came from (\"source\": \"places:FILE\").\n"},
    {"geoparse", cmd_geoparse,
     "evmap geoparse FILE|- [--json] [--batch] [--demonyms] [--country CC]\n"
     "               [--places FILE]",
     "Finds the place names of a news text and places them with the\n"
     "shipped gazetteer, in the context of the whole text (the countries it\n"
     "is about, places named together, \"Springfield, Ill.\" qualifiers,\n"
     "kind words such as \"Almaty airport\"). Prints a table: offset,\n"
     "text, place, country, kind, lat, lon. --json prints\n"
     "{\"places\":[{\"start\",\"end\",\"text\",\"name\",\"lat\",\"lon\",\"kind\",\n"
     "\"country\",\"admin1\",\"id\",\"score\"}]} with offsets in Unicode code\n"
     "points (end exclusive). --batch reads JSON Lines {\"id\",\"text\"} and\n"
     "writes one {\"id\",\"places\":[...]} line per line, in order.\n"
     "--demonyms also lists country adjectives (\"Kazakh\"); --country CC\n"
     "says which country the text is about. Long texts stream in bounded\n"
     "memory, cut at paragraph breaks. Exit 1 on text that is not UTF-8\n"
     "(its byte offset is given) or a JSON Lines line that is not an\n"
     "object (its line is given); no place found is not an error.\n"},
    {"extract", cmd_extract,
     "evmap extract REPORT.txt|- [-o DRAFT.yaml] [--places FILE]",
     "Drafts a map spec from a news report: title from the headline,\n"
     "subtitle from the dateline, source from the agencies cited; events\n"
     "typed in the ACLED vocabulary with dates, fatalities and labels;\n"
     "movements (\"troops ... from A to B\"); areas for nationwide or\n"
     "regional statements. Every drafted element carries a YAML comment\n"
     "with the sentence it came from: check it, then evmap validate and\n"
     "evmap render. Exit 1 when the report names no place (no file is\n"
     "written).\n"},
    {"validate", cmd_validate,
     "evmap validate [--fallback admin2|admin1|country] SPEC...",
     "Parses each spec and resolves its places; prints what each place\n"
     "became, with its precision when it is not exact.\n"},
    {"batch", cmd_batch,
     "evmap batch MANIFEST|DIR -o OUTDIR [-j N] [--shard I/N] [--skip-existing]\n"
     "            [--allow-any-path] [-f FORMAT] [--size WxH] [--dpi N]\n"
     "            [--theme T] [--places FILE] [--date D]\n"
     "            [--by day|week|month [--cumulative]] [-q]",
     "Renders many maps in one process on -j N threads (default: one per\n"
     "core). MANIFEST is YAML or JSON: a list of jobs, or a mapping with\n"
     "jobs: and defaults:. A job is a spec path (relative to the manifest)\n"
     "or a mapping:\n"
     "  - { spec: kaz.yaml, output: maps/kaz-dark.png, theme: dark,\n"
     "      size: 800x500, format: png, dpi: 150, subtitle: \"...\",\n"
     "      date: 2022-01-02..2022-01-05, by: day, cumulative: true }\n"
     "spec: may also be an inline spec (a mapping). Outputs are named\n"
     "relative to OUTDIR (default: <spec stem>.<format>); absolute names\n"
     "and '..' are refused unless --allow-any-path, and two jobs with one\n"
     "output are an error before anything renders. A DIR renders every\n"
     "*.yaml, *.yml and *.json in it. Options on the command line are\n"
     "defaults under each job's own.\n"
     "A failing map is reported with its file and reason and the others go\n"
     "on; the run ends with \"N written, M failed\". Every file is written\n"
     "to a temporary name and renamed into place. SIGINT or SIGTERM stops\n"
     "the run after the maps being drawn (a second signal stops at once);\n"
     "--skip-existing then resumes, and a run removes the temporaries a\n"
     "killed run left for its outputs. --shard I/N draws maps I, I+N,\n"
     "I+2N, ... (0-based; each frame of a series is one map), so N machines\n"
     "given 0/N .. N-1/N draw every map once. A progress bar shows on a\n"
     "terminal unless -q.\n"
     "Exit codes: 0 all written; 1 a map failed, or a bad manifest; 2\n"
     "usage; 3 I/O or library failure before the run; 130 / 143 stopped by\n"
     "SIGINT / SIGTERM.\n"},
};
#define NCMD (sizeof commands / sizeof commands[0])

static const struct command *find(const char *name)
{
    for (size_t i = 0; i < NCMD; i++)
        if (strcmp(commands[i].name, name) == 0)
            return &commands[i];
    return NULL;
}

static void usage(FILE *f)
{
    fprintf(f, "evmap %s: events at named places -> maps\n\nUsage:\n",
            EVM_VERSION);
    for (size_t i = 0; i < NCMD; i++)
        fprintf(f, "  %s\n", commands[i].synopsis);
    fprintf(f, "  evmap help COMMAND | --help | --version\n\n"
               "Exit codes: 0 done, 1 bad input, 2 usage, 3 I/O or library "
               "failure.\n");
}

/* The command `name` from evmap-cmds.so, or NULL after saying why. */
static int (*module_command(const char *name))(int, char **)
{
    char *path = evm_data_path("evmap-cmds.so");
    if (!path && errno == ENOMEM) {
        fprintf(stderr, "evmap: out of memory\n");
        return NULL;
    }
    if (!path) {
        fprintf(stderr, "evmap: evmap-cmds.so not found beside the "
                        "executable or in the install prefix; reinstall "
                        "evmap or set EVMAP_DATA\n");
        return NULL;
    }
    void *h = dlopen(path, RTLD_LAZY | RTLD_GLOBAL);
    if (!h) {
        fprintf(stderr, "evmap: cannot load %s: %s\n", path, dlerror());
        free(path);
        return NULL;
    }
    free(path);
    /* the module's process-wide set-up, before any command runs */
    evm_status (*init)(void);
    *(void **)&init = dlsym(h, "evm_global_init");
    if (init)
        init();
    char sym[64];
    snprintf(sym, sizeof sym, "cmd_%s", name);
    int (*fn)(int, char **);
    *(void **)&fn = dlsym(h, sym);
    if (!fn)
        fprintf(stderr, "evmap: this build has no '%s' command\n", name);
    return fn;
}

evm_gazetteer *cli_gazetteer(const char *places, evm_error *err)
{
    evm_gazetteer *gz = evm_gazetteer_open(NULL, err);
    /* a places index named in the environment, or the user's default
     * one, serves every command */
    const char *env = getenv("EVMAP_PLACES");
    char def[4096];
    if (!env) {
        const char *xdg = getenv("XDG_DATA_HOME"), *home = getenv("HOME");
        def[0] = '\0';
        if (xdg && *xdg)
            snprintf(def, sizeof def, "%s/evmap/places.evp", xdg);
        else if (home && *home)
            snprintf(def, sizeof def, "%s/.local/share/evmap/places.evp",
                     home);
        if (def[0] && access(def, F_OK) == 0)
            env = def;
    }
    if (gz && env && *env &&
        evm_gazetteer_add_places(gz, env, err) != EVM_OK) {
        evm_gazetteer_close(gz);
        return NULL;
    }
    if (gz && places && evm_gazetteer_add_places(gz, places, err) != EVM_OK) {
        evm_gazetteer_close(gz);
        return NULL;
    }
    return gz;
}

int cli_fail(const evm_error *err)
{
    fprintf(stderr, "evmap: %s\n", err->msg[0] ? err->msg
                                                : evm_status_str(err->code));
    return evm_status_exit_code(err->code);
}

int cli_usage(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "evmap %s: ", cmd);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, " (see 'evmap help %s')\n", cmd);
    return 2;
}

/* Every command's standard output is checked once it is done: a full
 * disk or /dev/full is an I/O failure (exit 3), never a silent 0. */
static int finish_stdout(int rc)
{
    if (fflush(stdout) != 0 || ferror(stdout)) {
        int e = errno;
        fprintf(stderr, "evmap: stdout: write failed: %s\n",
                strerror(e ? e : EIO));
        return rc > 3 ? rc : 3;
    }
    return rc;
}

int main(int argc, char **argv)
{
    /* The user's locale for messages and text; numbers are always
     * formatted by evm__fmt_num, never by printf, so output does not
     * change with LC_NUMERIC. */
    setlocale(LC_ALL, "");
    setlocale(LC_NUMERIC, "C");
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    const char *c = argv[1];
    if (!strcmp(c, "--help") || !strcmp(c, "-h")) {
        usage(stdout);
        return 0;
    }
    if (!strcmp(c, "--version") || !strcmp(c, "-V")) {
        printf("evmap %s\n\nData:\n%s", EVM_VERSION, evm_attribution());
        return 0;
    }
    if (!strcmp(c, "help")) {
        if (argc < 3) {
            usage(stdout);
            return 0;
        }
        const struct command *h = find(argv[2]);
        if (!h) {
            fprintf(stderr, "evmap: no command '%s' (see 'evmap --help')\n",
                    argv[2]);
            return 2;
        }
        printf("Usage: %s\n\n%s", h->synopsis, h->help);
        return 0;
    }
    const struct command *cmd = find(c);
    if (!cmd) {
        fprintf(stderr, "evmap: no command '%s' (see 'evmap --help')\n", c);
        return 2;
    }
    int (*fn)(int, char **) = cmd->fn ? cmd->fn : module_command(c);
    if (!fn)
        return 3;
    for (int i = 2; i < argc; i++)
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            printf("Usage: %s\n\n%s", cmd->synopsis, cmd->help);
            return 0;
        }
    return finish_stdout(fn(argc - 1, argv + 1));
}
