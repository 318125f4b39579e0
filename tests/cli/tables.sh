# evmap render TABLE: every table format in, named columns, bad rows with
# and without --skip-bad (exit codes, messages naming file and row, no
# output file), PNG from tables, several tables at once, and events: {
# from: FILE } in a spec.
. "$EVMAP_ROOT/tests/lib.sh"
D="$T_DIR"
TAB="$EVMAP_ROOT/tests/data/tables"
BAD="$TAB/bad"
count() { grep -c '"feature":"event"' "$1" 2>/dev/null || echo 0; }

# --------------------------------------------------------- every format
for t in acled_new.csv:4 acled_old.csv:3 gdelt2.export.CSV:3 \
         gdelt1_daily.export.CSV:3 gdelt1_backfile.CSV:3 ucdp_hdx.csv:5 \
         generic_latlon.csv:3 generic_place.csv:4 generic.tsv:2; do
    f=${t%%:*}; n=${t##*:}
    expect_rc 0 "read $f" "$EVMAP" render "$TAB/$f" -o "$D/$f.geojson"
    [ "$(count "$D/$f.geojson")" = "$n" ] && pass || fail "$f: $(count "$D/$f.geojson") events, want $n"
done
gzip -c "$TAB/acled_new.csv" > "$D/acled.csv.gz"
expect_rc 0 "a gzip-compressed table" "$EVMAP" render "$D/acled.csv.gz" -o "$D/gz.geojson"
[ "$(count "$D/gz.geojson")" = 4 ] && pass || fail "gzip table: $(count "$D/gz.geojson") events"
expect_rc 0 "GDELT rows without coordinates" "$EVMAP" render "$TAB/gdelt2.export.CSV" --all -o "$D/g.geojson"
grep_err "are counted" 'gdelt2.export.CSV: 4 events; 1 row without coordinates skipped'
expect_rc 0 "the HXL row is skipped" "$EVMAP" render "$TAB/ucdp_hdx.csv" -o "$D/u.geojson"
grep -q '"ucdp_id":"#' "$D/u.geojson" && fail "the hashtag row became an event" || pass
grep -q 'Bh\xc4\x81nd\xc4\x81ria town\|Bhāndāria town' "$D/u.geojson" && pass || fail "UTF-8 place names"

expect_rc 3 "an unwritable output" "$EVMAP" render "$TAB/acled_new.csv" -o /nonexistent-dir/a.geojson
grep_err "names the path" '/nonexistent-dir/a.geojson'
expect_rc 3 "an unwritable GPKG" "$EVMAP" render "$TAB/acled_new.csv" -o /nonexistent-dir/a.gpkg
expect_rc 3 "a missing table" "$EVMAP" render "$D/nope.csv" -o "$D/nope.geojson"
grep_err "names the table" 'nope.csv: cannot open'

# --------------------------------------------------------- named columns
expect_rc 1 "undetected columns" "$EVMAP" render "$TAB/generic_columns.csv" -o "$D/c.geojson"
grep_err "says how to name them" 'generic_columns.csv:1: .*--lat and --lon, or --place'
[ -e "$D/c.geojson" ] && fail "output written on failure" || pass
expect_rc 0 "--lat --lon --place --type --date" "$EVMAP" render "$TAB/generic_columns.csv" \
    --lat y_coord --lon x_coord --place spot --type what --date when -o "$D/c.geojson"
[ "$(count "$D/c.geojson")" = 2 ] && pass || fail "named columns: $(count "$D/c.geojson") events"
grep -q '"type":"armed clash"' "$D/c.geojson" && pass || fail "--type not used"
grep -q '"date":"2022-01-04"' "$D/c.geojson" && pass || fail "--date not used"
expect_rc 2 "a named column that is not there" "$EVMAP" render "$TAB/generic_columns.csv" --lat nope --lon x_coord -o "$D/n.geojson"
grep_err "names the column" '--lat nope: no such column'
expect_rc 2 "--lat without a value" "$EVMAP" render "$TAB/generic.tsv" --lat

# ------------------------------------------------------------- bad rows
mkdir -p "$D/bad"
for t in ragged.csv:3 badnum.csv:3:1 range.csv:3:1 unknown_place.csv:3:1 \
         badutf8.csv:3 badtype.csv:2 baddate.csv:2 badfatal.csv:2; do
    f=${t%%:*}; where=${t#*:}
    expect_rc 1 "$f fails" "$EVMAP" render "$BAD/$f" -o "$D/bad/$f.geojson"
    grep_err "$f: names file and row" "$f:$where"
    grep_err "$f: says what to do" "--skip-bad"
    expect_rc 1 "$f fails for PNG too" "$EVMAP" render "$BAD/$f" -o "$D/bad/$f.png" -q
    expect_rc 1 "$f fails for GPKG too" "$EVMAP" render "$BAD/$f" -o "$D/bad/$f.gpkg"
done
[ -z "$(ls -A "$D/bad")" ] && pass || fail "failures left files: $(ls -A "$D/bad")"
expect_rc 1 "an open quote" "$EVMAP" render "$BAD/openquote.csv" -o "$D/bad/q.geojson" --skip-bad
grep_err "names where it opened" 'openquote.csv:2:18: a quote opened here is never closed'
for t in ragged.csv:2 badnum.csv:1 range.csv:1 unknown_place.csv:1 badutf8.csv:1; do
    f=${t%%:*}; n=${t##*:}
    expect_rc 0 "$f with --skip-bad" "$EVMAP" render "$BAD/$f" --skip-bad -o "$D/$f.geojson"
    grep_err "$f: a warning names the row" "^evmap: warning: .*$f:[0-9]+:[0-9]+: .*\(row skipped\)"
    grep_err "$f: the bad rows are counted" "$f: $n events?; 1 bad row skipped"
    [ "$(count "$D/$f.geojson")" = "$n" ] && pass || fail "$f: $(count "$D/$f.geojson") events kept, want $n"
done
# many bad rows: a few warnings, one count
{ echo "lat,lon,type"; i=0; while [ $i -lt 300 ]; do echo "99,1,riot"; echo "1,1,riot"; i=$((i+1)); done; } > "$D/many.csv"
expect_rc 0 "300 bad rows" "$EVMAP" render "$D/many.csv" --skip-bad -o "$D/many.geojson"
[ "$(grep -c 'warning' "$T_DIR/err")" -le 20 ] && pass || fail "more than 20 warnings printed"
grep_err "all counted" '300 events; 300 bad rows skipped'

# ------------------------------------------------------- maps of tables
png_size() { od -An -tu1 -j16 -N8 "$1" | awk '{print ($1*16777216+$2*65536+$3*256+$4) "x" ($5*16777216+$6*65536+$7*256+$8)}'; }
expect_rc 0 "ACLED to PNG" "$EVMAP" render "$TAB/acled_new.csv" -o "$D/a.png" -q
[ "$(png_size "$D/a.png")" = 1600x1000 ] && pass || fail "PNG size $(png_size "$D/a.png")"
expect_rc 0 "UCDP to SVG" "$EVMAP" render "$TAB/ucdp_hdx.csv" -o "$D/u.svg" -q
expect_rc 0 "a table with a date window" "$EVMAP" render "$TAB/acled_new.csv" --date 2022-01-05 -o "$D/w.png" -q
mkdir -p "$D/outdir"
expect_rc 0 "several tables into a directory" "$EVMAP" render "$TAB/acled_new.csv" "$TAB/generic.tsv" -f geojson -o "$D/outdir/"
[ -f "$D/outdir/acled_new.geojson" ] && [ -f "$D/outdir/generic.geojson" ] && pass || fail "outputs: $(ls "$D/outdir")"
# a dense table draws without labels, quickly enough for a test
{ echo "lat,lon,type,label"; i=0; while [ $i -lt 6000 ]; do echo "$((i % 120 - 60)).5,$((i % 340 - 170)).25,riot,Event $i"; i=$((i+1)); done; } > "$D/dense.csv"
expect_rc 0 "6000 events to PNG" "$EVMAP" render "$D/dense.csv" -o "$D/dense.png"
grep -q 'could not be placed' "$T_DIR/err" && fail "labels reported on a dense map" || pass

# ------------------------------------------------- events: { from: FILE }
mkdir -p "$D/spec"
printf 'place,type,date,label\nAlmaty,riot,2022-01-05,Clashes\nAstana,protest,2022-01-04,Rally\n' > "$D/spec/ev.csv"
printf 'title: Events from a table\nevents: { from: ev.csv }\n' > "$D/spec/s.yaml"
expect_rc 0 "a spec reading a table" "$EVMAP" render "$D/spec/s.yaml" -o "$D/spec/s.geojson"
[ "$(count "$D/spec/s.geojson")" = 2 ] && pass || fail "spec from table: $(count "$D/spec/s.geojson") events"
printf 'place,type\nQwxzzyville,riot\n' > "$D/spec/bad.csv"
printf 'events: { from: bad.csv }\n' > "$D/spec/b.yaml"
expect_rc 1 "an unknown place in the table" "$EVMAP" render "$D/spec/b.yaml" -o "$D/spec/b.png"
grep_err "names the table's row" 'bad.csv:2:1: unknown place "Qwxzzyville"'
printf 'events: { from: nowhere.csv }\n' > "$D/spec/m.yaml"
expect_rc 1 "a missing table" "$EVMAP" render "$D/spec/m.yaml" -o "$D/spec/m.png"
grep_err "names the spec line" 'm.yaml:1:[0-9]+: .*nowhere.csv'
# ------------------------------------------------- location precision
expect_rc 0 "UCDP where_prec" "$EVMAP" render "$TAB/ucdp_hdx.csv" -o "$D/prec.geojson"
python3 - "$D/prec.geojson" <<'PY' && pass || fail "UCDP where_prec -> precision"
import json, sys
want = {1: "exact", 2: "exact", 3: "admin2", 4: "admin1", 5: "country", 6: "country", 7: "country"}
fs = json.load(open(sys.argv[1]))["features"]
sys.exit(0 if fs and all(f["properties"]["precision"] == want[f["properties"]["where_prec"]] for f in fs) else 1)
PY
expect_rc 0 "ACLED geo_precision" "$EVMAP" render "$TAB/acled_new.csv" -o "$D/prec_a.geojson"
grep -q '"geo_precision":2' "$D/prec_a.geojson" && grep -q '"precision":"admin2"' "$D/prec_a.geojson" && pass || fail "ACLED geo_precision 2 -> admin2"
expect_rc 0 "GDELT geo type" "$EVMAP" render "$TAB/gdelt2.export.CSV" -o "$D/prec_g.geojson"
python3 - "$D/prec_g.geojson" <<'PY' && pass || fail "GDELT ActionGeo_Type -> precision"
import json, sys
want = {1: "country", 2: "admin1", 3: "exact", 4: "exact", 5: "admin1"}
fs = json.load(open(sys.argv[1]))["features"]
sys.exit(0 if fs and all(f["properties"]["precision"] == want[f["properties"]["ActionGeo_Type"]] for f in fs) else 1)
PY
expect_rc 0 "precision reads back" "$EVMAP" render "$D/prec.geojson" -o "$D/prec2.geojson"
[ "$(grep -o '"precision":"[a-z0-9]*"' "$D/prec.geojson" | sort | uniq -c)" = "$(grep -o '"precision":"[a-z0-9]*"' "$D/prec2.geojson" | sort | uniq -c)" ] && pass || fail "precision lost on the way back"
printf 'lat,lon,type,precision\n43.2,76.9,riot,exact\n43.3,76.8,riot,somewhere\n' > "$D/badprec.csv"
expect_rc 1 "an unknown precision" "$EVMAP" render "$D/badprec.csv" -o "$D/badprec.geojson"
grep_err "names the row and the codes" 'badprec.csv:3:16: a location precision of "somewhere"; this column takes exact, admin2, admin1, country'

# ------------------------------------------- titles and filters of tables
UCDP="$TAB/ucdp_hdx.csv"
expect_rc 0 "--title and --subtitle" "$EVMAP" render "$UCDP" --title "Own title" --subtitle "Own sub" -o "$D/t2.png"
expect_rc 0 "--where equality" "$EVMAP" render "$UCDP" --where type_of_violence=3 -o "$D/w.geojson"
[ "$(count "$D/w.geojson")" -gt 0 ] && ! grep -q '"type_of_violence":[12]' "$D/w.geojson" && pass || fail "--where type_of_violence=3"
grep_err "counts what it left out" '1 event; 4 rows left out by --where'
expect_rc 0 "--where != and alternatives" "$EVMAP" render "$UCDP" --where type_of_violence!=3 --where where_prec=1 --where where_prec=4 -o "$D/w2.geojson"
grep -o '"where_prec":[0-9]' "$D/w2.geojson" | sort -u | tr '\n' ' ' | grep -qx '"where_prec":1 "where_prec":4 ' && ! grep -q '"type_of_violence":3' "$D/w2.geojson" && pass || fail "--where != with alternatives: $(grep -o '"where_prec":[0-9]' "$D/w2.geojson" | sort -u | tr '\n' ' ')"
expect_rc 2 "--where on a missing column" "$EVMAP" render "$UCDP" --where nosuch=1 -o "$D/w3.geojson"
grep_err "names the column" '--where nosuch: no such column'
expect_rc 2 "--where without =" "$EVMAP" render "$UCDP" --where nosuch -o "$D/w3.geojson"
expect_rc 0 "--precision admin1" "$EVMAP" render "$UCDP" --precision admin1 -o "$D/p.geojson"
! grep -q '"precision":"country"' "$D/p.geojson" && grep -q '"precision":"admin1"' "$D/p.geojson" && pass || fail "--precision keeps admin1 and better"
expect_rc 2 "--precision takes names" "$EVMAP" render "$UCDP" --precision street -o "$D/p.geojson"
expect_rc 0 "--date filters a table" "$EVMAP" render "$TAB/acled_new.csv" --date 2022-01-05 -o "$D/d.geojson"
[ "$(count "$D/d.geojson")" = 1 ] && pass || fail "--date 2022-01-05: $(count "$D/d.geojson") events"
expect_rc 0 "--extent a box, --style" "$EVMAP" render "$TAB/acled_new.csv" --extent 50,40,80,55 --style points -o "$D/e.png"
expect_rc 0 "--extent a country" "$EVMAP" render "$TAB/acled_new.csv" --extent Kazakhstan -o "$D/e2.png"
expect_rc 1 "--extent an unknown place" "$EVMAP" render "$TAB/acled_new.csv" --extent Xqzzyland -o "$D/e3.png"
expect_rc 2 "--extent a bad box" "$EVMAP" render "$TAB/acled_new.csv" --extent 80,40,50,55 -o "$D/e3.png"
expect_rc 2 "--style takes names" "$EVMAP" render "$TAB/acled_new.csv" --style fancy -o "$D/e3.png"
expect_rc 2 "--title is for tables" "$EVMAP" render "$EVMAP_ROOT/examples/kazakhstan-2022.yaml" --title X -o "$D/k.png"
mkdir -p "$D/series"
expect_rc 0 "--by month on a table" "$EVMAP" render "$TAB/acled_old.csv" --by month -q -o "$D/series/"
[ "$(ls "$D/series" | grep -c '^acled_old-.*\.png$')" -ge 2 ] && pass || fail "frames of a table: $(ls "$D/series")"
printf 'title: Filtered\nevents: { from: %s, where: [type_of_violence=3], precision: admin1 }\n' "$UCDP" > "$D/spec/wf.yaml"
expect_rc 0 "where: in a spec" "$EVMAP" render "$D/spec/wf.yaml" -o "$D/spec/wf.geojson"
[ "$(count "$D/spec/wf.geojson")" = "$(count "$D/w.geojson")" ] && pass || fail "where: in a spec: $(count "$D/spec/wf.geojson") events"
printf 'events: { from: %s, where: [nocolumn] }\n' "$UCDP" > "$D/spec/wf2.yaml"
expect_rc 1 "a bad where: in a spec" "$EVMAP" render "$D/spec/wf2.yaml" -o "$D/spec/wf2.geojson"
grep_err "names the spec's line" 'wf2.yaml:1:.*COLUMN=VALUE'

# ------------------------------------------------ CSV that hides data
printf 'lat,lon,type,lat\n1,2,riot,3\n' > "$D/dup.csv"
expect_rc 1 "a duplicate column name" "$EVMAP" render "$D/dup.csv" -o "$D/dup.geojson"
grep_err "names both columns" 'dup.csv:1:14: column "lat" appears twice .columns 1 and 4.'
printf 'lat,lon,type,label\n1,2,riot,ab\000cd\n' > "$D/nul.csv"
expect_rc 1 "a NUL inside a field" "$EVMAP" render "$D/nul.csv" -o "$D/nul.geojson"
grep_err "names the field" 'nul.csv:2:10: a NUL byte at byte 3 of the field'
python3 -c "
n=100000
print(','.join(['lat','lon']+['c%d'%i for i in range(n)]))
print(','.join(['43.2','76.9']+[str(i) for i in range(n)]))" > "$D/wide.csv"
s=$(date +%s%N)
expect_rc 0 "a header of 100,000 columns" "$EVMAP" render "$D/wide.csv" -o "$D/wide.geojson"
ms=$(( ($(date +%s%N) - s) / 1000000 ))
[ "$ms" -lt 5000 ] && pass || fail "100,000 columns took $ms ms (quadratic?)"

expect_rc 0 "--where QuadClass replaces GDELT's default" "$EVMAP" render "$TAB/gdelt2.export.CSV" --where QuadClass=2 -o "$D/q1.geojson"
[ "$(count "$D/q1.geojson")" -ge 1 ] && ! grep -q '"QuadClass":[134]' "$D/q1.geojson" && pass || fail "--where QuadClass=2 on GDELT: $(grep -o '"QuadClass":[0-9]' "$D/q1.geojson" | tr '\n' ' ')"

printf '{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"LineString","coordinates":[[422995,45.0],[76.9,43.2]]},"properties":{"feature":"movement","type":"airlift"}}]}' > "$D/mvbad.geojson"
expect_rc 1 "a movement out of range read back" "$EVMAP" render "$D/mvbad.geojson" -o "$D/mvbad.out.geojson"
grep_err "names the feature and the point" 'mvbad.geojson: layer mvbad, feature 1: a movement starting at 422995, 45 out of range'

printf 'lat,lon,type,date\n1,2,riot,"20\n22"\n3,4,riot,\033[31mred\n' > "$D/ctl.csv"
expect_rc 0 "control characters in bad values" "$EVMAP" render "$D/ctl.csv" --skip-bad -o "$D/ctl.geojson"
grep_err "a newline is escaped" 'bad date "20\\n22"'
grep_err "an escape sequence is escaped" 'bad date "\\x1b\[31mred"'
[ "$(grep -c 'row skipped' "$T_DIR/err")" = 2 ] && pass || fail "one line per skipped row: $(cat -v "$T_DIR/err")"

report

