# evmap geocode: table and JSON output, qualifiers and options, misses
# with suggestions, bad input and exit codes, --places overlays.
. "$EVMAP_ROOT/tests/lib.sh"
BAD="$EVMAP_ROOT/tests/bad/places"

expect_rc 0 "Almaty" "$EVMAP" geocode Almaty
grep_out "table header" '^name +lat +lon +country +kind +precision +population +source'
grep_out "Almaty row" '^Almaty +43\.25[0-9]* +76\.91[0-9]* +KZ +city +exact +[0-9]{7} +GeoNames'
[ "$(wc -l <"$T_DIR/out")" = 2 ] && pass || fail "one match by default"

expect_rc 0 "json" "$EVMAP" geocode --json Almaty
grep_out "json shape" '^\{"query":"Almaty","matches":\[\{"name":"Almaty","lat":43\.25[0-9]*,"lon":76\.91[0-9]*,"country":"KZ","admin1":"Almaty","kind":"city","kind_name":"city","population":[0-9]+,"id":"geonames:1526384","source":"GeoNames","score":0\.[0-9]+,"precision":"exact"\}\]\}$'
[ "$(wc -l <"$T_DIR/out")" = 1 ] && pass || fail "one JSON line per query"

expect_rc 0 "json -n 3" "$EVMAP" geocode --json -n 3 Paris
[ "$(grep -o '"name":' "$T_DIR/out" | wc -l)" = 3 ] && pass || fail "-n 3 gives 3 matches"
grep_out "Paris first is France" '"matches":\[\{"name":"Paris","lat":48\.8'

expect_rc 0 "several names" "$EVMAP" geocode Alma-Ata Алматы "Almaty International Airport" ALA UAAA
grep_out "query column" '^query +name'
grep_out "Alma-Ata" '^Alma-Ata +Almaty +43\.2'
grep_out "Cyrillic" '^Алматы +Almaty +43\.2'
grep_out "airport by name" '^Almaty International Airport +Almaty International Airport +43\.35'
grep_out "IATA" '^ALA +Almaty International Airport'
grep_out "ICAO" '^UAAA +Almaty International Airport'

expect_rc 0 "Tengiz" "$EVMAP" geocode --json Tengiz "Tengiz oil field"
[ "$(grep -c '"name":"Tengiz Field","lat":46\.15,"lon":53\.38,"country":"KZ"' "$T_DIR/out")" = 2 ] && pass || fail "Tengiz is the oil field in Atyrau, not the lake: $(cat "$T_DIR/out")"

expect_rc 0 "homonyms" "$EVMAP" geocode --json Moscow Ivanovo Sydney London Georgia Kazakhstan Nur-Sultan Київ Kiev
grep_out "Moscow RU" '"query":"Moscow","matches":\[\{[^}]*"country":"RU"'
grep_out "Ivanovo RU" '"query":"Ivanovo","matches":\[\{[^}]*"country":"RU"'
grep_out "Sydney AU" '"query":"Sydney","matches":\[\{[^}]*"country":"AU"'
grep_out "London GB" '"query":"London","matches":\[\{[^}]*"country":"GB"'
grep_out "Georgia country" '"query":"Georgia","matches":\[\{[^}]*"country":"GE","admin1":"","kind":"country"'
grep_out "Kazakhstan" '"query":"Kazakhstan","matches":\[\{"name":"Kazakhstan"[^}]*"kind":"country"'
grep_out "Nur-Sultan" '"query":"Nur-Sultan","matches":\[\{"name":"Astana"'
grep_out "Kyiv in Ukrainian" '"query":"Київ","matches":\[\{"name":"Kyiv"'
grep_out "Kiev" '"query":"Kiev","matches":\[\{"name":"Kyiv"'

# current names where GeoNames has a former one as the primary name
expect_rc 0 "Aktau" "$EVMAP" geocode Aktau
grep_out "Aktau row" '^Aktau +43\.6[0-9]* +51\.1[0-9]* +KZ +city +exact +[0-9]{6} +GeoNames'
expect_rc 0 "renamed places" "$EVMAP" geocode --json Aktau Shevchenko Kropyvnytskyi Kirovohrad Dnipropetrovsk Artemovsk Tselinograd
grep_out "Aktau json" '"query":"Aktau","matches":\[\{"name":"Aktau","lat":43\.6[0-9]*,"lon":51\.1[0-9]*,"country":"KZ","admin1":"Mang[^"]*","kind":"city"[^}]*"id":"geonames:610612"'
grep_out "Shevchenko is Aktau" '"query":"Shevchenko","matches":\[\{[^}]*"id":"geonames:610612"'
grep_out "Kropyvnytskyi" '"query":"Kropyvnytskyi","matches":\[\{"name":"Kropyvnytskyi"[^}]*"country":"UA"'
grep_out "Kirovohrad" '"query":"Kirovohrad","matches":\[\{"name":"Kropyvnytsky[iy]"[^}]*"kind":"city"'
grep_out "Dnipropetrovsk" '"query":"Dnipropetrovsk","matches":\[\{"name":"Dnipro"[^}]*"kind":"city"'
grep_out "Artemovsk" '"query":"Artemovsk","matches":\[\{"name":"Bakhmut"'
grep_out "Tselinograd" '"query":"Tselinograd","matches":\[\{"name":"Astana"'
expect_rc 1 "current name suggested" "$EVMAP" geocode Aktauu
grep_err "did you mean Aktau" 'did you mean "Aktau" \(KZ, city, pop 147k\)'

expect_rc 0 "qualifiers" "$EVMAP" geocode --json "Moscow, Idaho" "Paris, Texas" "Almaty, KZ" "Kharkiv, Kharkivs'ka Oblast', Ukraine" "El Fasher" "Al-Fashir"
grep_out "Moscow, Idaho" '"query":"Moscow, Idaho","matches":\[\{[^}]*"lat":46\.7[^}]*"country":"US","admin1":"Idaho"'
grep_out "Paris, Texas" '"query":"Paris, Texas","matches":\[\{[^}]*"lat":33\.6[^}]*"country":"US","admin1":"Texas"'
grep_out "Almaty, KZ" '"query":"Almaty, KZ","matches":\[\{"name":"Almaty"[^}]*"country":"KZ"'
grep_out "GDELT full name" "\"query\":\"Kharkiv, Kharkivs'ka Oblast', Ukraine\",\"matches\":\\[\\{\"name\":\"Kharkiv\"[^}]*\"country\":\"UA\""
grep_out "El Fasher" '"query":"El Fasher","matches":\[\{"name":"El Fasher"'
grep_out "Al-Fashir" '"query":"Al-Fashir","matches":\[\{"name":"El Fasher"'

expect_rc 0 "--country" "$EVMAP" geocode --json --country US Paris
grep_out "--country US" '"country":"US"'
expect_rc 0 "--kind" "$EVMAP" geocode --json --kind airport Almaty
grep_out "--kind airport" '"kind":"airport"'
expect_rc 0 "--near" "$EVMAP" geocode --json --near 46.7,-117 Moscow
grep_out "--near" '"country":"US","admin1":"Idaho"'

# a miss: nothing on stdout in table mode, suggestions on stderr, exit 1
expect_rc 1 "miss" "$EVMAP" geocode Almatty
grep_err "did you mean" 'unknown place "Almatty" .* did you mean "Almaty" \(KZ, city, pop 2\.0M\)'
[ -s "$T_DIR/out" ] && fail "a miss prints no table" || pass
expect_rc 1 "miss json" "$EVMAP" geocode --json Almatty
grep_out "miss json" '^\{"query":"Almatty","matches":\[\],"suggestions":\[\{"name":"Almaty"'
# a qualifier no candidate lies in: its area, with a warning, never a
# namesake elsewhere
expect_rc 0 "wrong qualifier" "$EVMAP" geocode --json "Almaty, Uzbekistan"
grep_out "qualifier's area" '"name":"Uzbekistan",.*"precision":"country","fallback":true'
grep_err "fallback warning" 'warning: Almaty not found in Uzbekistan; placed at Uzbekistan \(country\)'
for q in "Bogoro, Borno, Nigeria|Borno|admin1" "Kwara, Zamfara|Zamfara|admin1" \
         "Hebei, Jilin, China|Jilin|admin1" "La Union, Sorsogon|Sorsogon|admin1"; do
    IFS='|' read -r name area prec <<<"$q"
    expect_rc 0 "$name" "$EVMAP" geocode --json "$name"
    grep_out "$name: the qualifier's area" "\"matches\":\[\{\"name\":\"$area[^\"]*\".*\"precision\":\"$prec\",\"fallback\":true"
    grep_err "$name: warning" "warning: ${name%%,*} not found in $area"
done
expect_rc 1 "--country filters" "$EVMAP" geocode --country FR Almaty
[ -s "$T_DIR/out" ] && fail "--country FR Almaty prints nothing" || pass
expect_rc 0 "precision admin2" "$EVMAP" geocode --json "Lakshmipur District"
grep_out "district" '"kind":"admin2","kind_name":"district".*"precision":"admin2"'
expect_rc 1 "one miss among hits" "$EVMAP" geocode --json Almaty Almatty
[ "$(wc -l <"$T_DIR/out")" = 2 ] && pass || fail "hits still printed with a miss"

# stdin
printf 'Almaty\nKyiv\r\nParis, Texas\n' >"$T_DIR/names"
expect_rc 0 "stdin" sh -c "\"$EVMAP\" geocode --json - <\"$T_DIR/names\""
[ "$(wc -l <"$T_DIR/out")" = 3 ] && pass || fail "three names from stdin"
grep_out "stdin CRLF" '"query":"Kyiv","matches":\[\{"name":"Kyiv"'

# bad input: one clear line, exit 1, nothing on stdout
big=$(head -c 102400 /dev/zero | tr '\0' a)
for q in "" "   " "$big" "$(printf 'Alm\377aty')" "$(printf 'Alm\001aty')" ", KZ" "!!!"; do
    expect_rc 1 "bad name" "$EVMAP" geocode --json Almaty "$q"
    [ -s "$T_DIR/out" ] && fail "bad name: no partial output" || pass
    [ "$(wc -l <"$T_DIR/err")" = 1 ] && pass || fail "bad name: one line: $(head -c 200 "$T_DIR/err")"
done
grep_err "which argument" 'argument 2'
# stdin is answered line by line: a bad line is reported on its own
printf 'Almaty\n\377bad\nKyiv\n' >"$T_DIR/badnames"
expect_rc 1 "bad stdin line" sh -c "\"$EVMAP\" geocode - <\"$T_DIR/badnames\""
grep_err "stdin line" 'stdin:2: .*UTF-8'
grep_out "the good lines answered" '^Almaty +Almaty'
grep_out "after the bad one too" '^Kyiv +Kyiv'
printf 'Almaty\n\000x\n, Gornji Grad, Slovenia\nKyiv\n' >"$T_DIR/nul"
expect_rc 1 "NUL and malformed lines" sh -c "\"$EVMAP\" geocode --json - <\"$T_DIR/nul\""
grep_err "NUL line" 'stdin:2: name contains a NUL byte'
grep_err "malformed line" 'stdin:3: empty name before ","'
[ "$(wc -l <"$T_DIR/out")" = 2 ] && pass || fail "two answers around the bad lines"
# JSON Lines stream: the first answer is out before stdin ends
rm -f "$T_DIR/fifo"; mkfifo "$T_DIR/fifo"
( printf 'Almaty\n'; sleep 3; printf 'Kyiv\n' ) >"$T_DIR/fifo" &
"$EVMAP" geocode --json - <"$T_DIR/fifo" >"$T_DIR/stream" 2>/dev/null &
sleep 1.5
grep -q '"query":"Almaty"' "$T_DIR/stream" && pass || fail "answers stream line by line"
wait
printf 'Almaty\n\n' >"$T_DIR/blank"
expect_rc 1 "blank stdin line" sh -c "\"$EVMAP\" geocode - <\"$T_DIR/blank\""
grep_err "empty name" 'stdin:2: empty name'

# usage
expect_rc 2 "no name" "$EVMAP" geocode
expect_rc 2 "-n 0" "$EVMAP" geocode -n 0 Almaty
expect_rc 2 "-n junk" "$EVMAP" geocode -n x Almaty
expect_rc 2 "--near junk" "$EVMAP" geocode --near 95,10 Almaty
expect_rc 2 "unknown option" "$EVMAP" geocode --frobnicate Almaty
expect_rc 2 "missing value" "$EVMAP" geocode Almaty --country
expect_rc 1 "unknown kind" "$EVMAP" geocode --kind wibble Almaty
grep_err "unknown kind" 'unknown kind "wibble"'
expect_rc 1 "unknown country" "$EVMAP" geocode --country Narnia Almaty

# --places
printf 'name,lat,lon,country,kind\nRepublic Square,43.2380,76.9452,KZ,square\nAlmaty,1,2,KZ,city\n' >"$T_DIR/mine.csv"
expect_rc 0 "--places" "$EVMAP" geocode --json --places "$T_DIR/mine.csv" "Republic Square" Almaty
grep_out "user place" '"query":"Republic Square","matches":\[\{"name":"Republic Square","lat":43\.238,"lon":76\.9452,"country":"KZ"[^}]*"source":"mine\.csv"'
grep_out "overlay wins" '"query":"Almaty","matches":\[\{"name":"Almaty","lat":1,"lon":2'
for f in "$BAD"/*; do
    b=$(basename "$f")
    expect_rc 1 "bad places $b" "$EVMAP" geocode --places "$f" Almaty
    grep_err "bad places $b names the file" "$b(:[0-9]+)?"
    [ -s "$T_DIR/out" ] && fail "bad places $b: no output" || pass
done
expect_rc 1 "ragged tsv" "$EVMAP" geocode --places "$BAD/ragged.tsv" Almaty
grep_err "line number" 'ragged\.tsv:3: 4 fields where the first row has 3'
expect_rc 1 "line:col" "$EVMAP" geocode --places "$BAD/nonnumeric_lat.csv" Almaty
grep_err "line:col" 'nonnumeric_lat\.csv:3:9: latitude "abc" is not a number'
expect_rc 3 "missing places file" "$EVMAP" geocode --places "$T_DIR/none.csv" Almaty
printf '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"Checkpoint Bravo"},"geometry":{"type":"Point","coordinates":[76.5,43.5]}}]}' >"$T_DIR/pts.geojson"
if [ -f "$EVMAP_DATA/evmap-gdal.so" ]; then
    expect_rc 0 "GDAL places" "$EVMAP" geocode --json --places "$T_DIR/pts.geojson" "Checkpoint Bravo"
    grep_out "GDAL point" '"lat":43\.5,"lon":76\.5'
else
    expect_rc 3 "GDAL places without the module" "$EVMAP" geocode --places "$T_DIR/pts.geojson" "Checkpoint Bravo"
fi

# places learned from event tables
TB="$EVMAP_ROOT/tests/data/tables"
expect_rc 0 "--places UCDP" "$EVMAP" geocode --json --places "$TB/ucdp_hdx.csv" "Bhāndāria town"
grep_out "learned place and its source" '"source":"places:ucdp_hdx\.csv","score":[0-9.]+,"precision":"exact"'
expect_rc 0 "places build" "$EVMAP" places build "$TB/ucdp_hdx.csv" "$TB/acled_old.csv" "$TB/gdelt2.export.CSV" -o "$T_DIR/mine.evp"
grep_err "places build counts" '[0-9]+ rows, [0-9]+ skipped .* [0-9]+ places -> .*mine\.evp'
[ -s "$T_DIR/mine.evp" ] && pass || fail "places build writes the index"
expect_rc 0 "--places .evp" "$EVMAP" geocode --json --places "$T_DIR/mine.evp" "Kyiv, Kyyiv, Ukraine"
grep_out "GDELT place learned" '"lat":50\.4333,"lon":30\.5167.*"id":"gdelt:-1044367","source":"places:gdelt2\.export\.CSV"'
expect_rc 0 "EVMAP_PLACES" env EVMAP_PLACES="$T_DIR/mine.evp" "$EVMAP" geocode --json "Kyiv, Kyyiv, Ukraine"
grep_out "EVMAP_PLACES is read" '"source":"places:gdelt2\.export\.CSV"'
# a compressed ACLED export; its admin1 (not its world "region") qualifies
gzip -c "$TB/acled_old.csv" >"$T_DIR/acled.csv.gz"
expect_rc 0 "--places .csv.gz" "$EVMAP" geocode --json --places "$T_DIR/acled.csv.gz" Aktau
grep_out "ACLED admin1 is the qualifier" '"lat":43\.6481,"lon":51\.1722,"country":"KZ","admin1":"Mangghysta'
mkdir -p "$T_DIR/home/.local/share/evmap"
cp "$T_DIR/mine.evp" "$T_DIR/home/.local/share/evmap/places.evp"
expect_rc 0 "default places index" env -u XDG_DATA_HOME HOME="$T_DIR/home" "$EVMAP" geocode --json "Kyiv, Kyyiv, Ukraine"
grep_out "the default path is read" '"source":"places:gdelt2\.export\.CSV"'
expect_rc 0 "learned id" "$EVMAP" geocode --json --places "$T_DIR/mine.evp" "Bhāndāria town"
grep_out "a learned place's id" '"id":"learned:[0-9]+","source":"places:ucdp_hdx\.csv"'
printf 'not an index' >"$T_DIR/junk.evp"
expect_rc 1 "bad .evp" "$EVMAP" geocode --places "$T_DIR/junk.evp" Almaty
grep_err "bad .evp named" 'junk\.evp: not a places index'
expect_rc 1 "places build of a table without places" "$EVMAP" places build "$TB/generic.tsv" -o "$T_DIR/x.evp"
[ -e "$T_DIR/x.evp" ] && fail "no index after a failed build" || pass
expect_rc 2 "places usage" "$EVMAP" places build "$TB/ucdp_hdx.csv"

# tables place a name not found inside its qualifiers at their area and
# count such rows
printf 'place,type,date\n"Bogoro, Borno, Nigeria",clash,2024-01-01\n"Maiduguri, Borno, Nigeria",clash,2024-01-02\n' >"$T_DIR/qual.csv"
expect_rc 0 "table fallback" "$EVMAP" render "$T_DIR/qual.csv" -o "$T_DIR/qual.geojson"
grep_err "table counts fallbacks" 'qual\.csv: 2 events; 1 placed at their region or country'
grep -q '"coordinates":\[13\.1533,12\.0019\]' "$T_DIR/qual.geojson" && pass || fail "the row is at Borno State"

# numbers do not follow the locale (CI generates it: scripts/bootstrap)
if [ -n "${CI:-}" ]; then
    locale -a | grep -qix 'de_DE\.utf-\{0,1\}8' && pass || fail "no de_DE.UTF-8 locale to test under"
fi
expect_rc 0 "locale" env LC_ALL=de_DE.UTF-8 "$EVMAP" geocode Almaty
grep_out "decimal point" ' 43\.25'
report
