# GeoJSON and the GDAL formats out of evmap render: every GeoJSON written
# is checked with the RFC 7946 checker of test_geojson, read back by GDAL
# (ogrinfo: the same features and fields), read back by evmap (a round
# trip writes the same bytes) and, where node is present, checked by
# @mapbox/geojsonhint 3.2.0.
. "$EVMAP_ROOT/tests/lib.sh"
D="$T_DIR"
TAB="$EVMAP_ROOT/tests/data/tables"
EX="$EVMAP_ROOT/examples/kazakhstan-2022.yaml"
CHECKER="$(dirname "$EVMAP")/tests/test_geojson"
GEOJSONS=""

# rfc FILE: the RFC 7946 checker passes
rfc() {
    if [ -x "$CHECKER" ]; then
        if "$CHECKER" --check "$1" >"$D/chk.out" 2>&1; then pass; else
            fail "$1: RFC 7946: $(head -c 300 "$D/chk.out")"; fi
    else
        fail "no RFC 7946 checker at $CHECKER"
    fi
    GEOJSONS="$GEOJSONS $1"
}
# ogr_count FILE N [LAYER]: ogrinfo reads N features
ogr_count() {
    local n
    n=$(ogrinfo -ro -al -so "$1" ${3:+"$3"} 2>/dev/null | sed -n 's/^Feature Count: //p' | awk '{s+=$1} END {print s+0}')
    [ "$n" = "$2" ] && pass || fail "$1: ogrinfo reads $n features, want $2"
}
# ogr_fields FILE NAME...: ogrinfo lists every NAME as a field
ogr_fields() {
    local f=$1; shift
    ogrinfo -ro -al -so "$f" >"$D/info" 2>/dev/null
    for k in "$@"; do
        grep -q "^$k: " "$D/info" && pass || fail "$f: no field $k"
    done
}

# ------------------------------------------------------------ a map spec
expect_rc 0 "spec to GeoJSON" "$EVMAP" render "$EX" -o "$D/k.geojson"
rfc "$D/k.geojson"
ogr_count "$D/k.geojson" 13
ogr_fields "$D/k.geojson" feature type event_type sub_event_type date time \
    label fatalities side confidence place place_name place_id \
    place_country place_kind marker-color marker-symbol marker-size stroke \
    stroke-width stroke-opacity fill fill-opacity stroke-dasharray from to
grep -q '^date: Date' "$D/info" && pass || fail "date is not a Date field for GDAL"
grep -q '^time: DateTime' "$D/info" && pass || fail "time is not a DateTime field for GDAL"
grep -q '"crs"' "$D/k.geojson" && fail "a crs member" || pass
expect_rc 0 "-f geojson to stdout" "$EVMAP" render "$EX" -f geojson -o -
cmp -s "$T_DIR/out" "$D/k.geojson" && pass || fail "stdout differs from the file"
# round trip: evmap's GeoJSON read back writes the same bytes
expect_rc 0 "GeoJSON read back" "$EVMAP" render "$D/k.geojson" -o "$D/k2.geojson"
cmp -s "$D/k.geojson" "$D/k2.geojson" && pass || fail "spec round trip differs"
# a route's turning points survive the round trip (GeoJSON and GeoPackage)
cat > "$D/via.yaml" <<'YAML'
events:
  - { lat: 50.45, lon: 30.52, type: protest, label: Kyiv }
movements:
  - from: { lat: 53.9, lon: 27.57 }
    to: { lat: 50.45, lon: 30.52 }
    via: [ { lat: 52.0, lon: 29.5 }, { lat: 51.5, lon: 31.29 } ]
    type: advance
    side: Russia
YAML
expect_rc 0 "route to GeoJSON" "$EVMAP" render "$D/via.yaml" -o "$D/via.geojson"
grep -q '"via":"29.5,52;31.29,51.5"' "$D/via.geojson" && pass || fail "via column: $(grep -o '"via":"[^"]*"' "$D/via.geojson")"
expect_rc 0 "route read back" "$EVMAP" render "$D/via.geojson" -o "$D/via2.geojson"
cmp -s "$D/via.geojson" "$D/via2.geojson" && pass || fail "route round trip differs"
expect_rc 0 "route to GeoPackage" "$EVMAP" render "$D/via.geojson" -o "$D/via.gpkg"
expect_rc 0 "GeoPackage read back" "$EVMAP" render "$D/via.gpkg" -o "$D/via3.geojson"
cmp -s "$D/via.geojson" "$D/via3.geojson" && pass || fail "GeoPackage route round trip differs"
sed 's/"via":"[^"]*"/"via":"29.5;52"/' "$D/via.geojson" > "$D/via-bad.geojson"
expect_rc 1 "a malformed via" "$EVMAP" render "$D/via-bad.geojson" -o "$D/via-bad.png"
grep_err "names the via column" 'via must be'
# the PNG's theme and date window apply to its features too
expect_rc 0 "print theme" "$EVMAP" render "$EX" --theme print -o "$D/kp.geojson"
grep -q '"marker-color":"#0072b2"' "$D/kp.geojson" && fail "print theme kept the light colours" || pass
grep -q '"marker-color":"#1a1a1a"' "$D/kp.geojson" && pass || fail "print theme colours missing"
expect_rc 0 "a date window" "$EVMAP" render "$EX" --date 2022-01-05 -o "$D/kw.geojson"
grep -o '"date":"[0-9-]*"' "$D/kw.geojson" | grep -qv '2022-01-05' && fail "features outside the window" || pass
grep -q '"date":"2022-01-05"' "$D/kw.geojson" && pass || fail "the window's own day missing"
# GDAL's RFC 7946 writer agrees on the features
ogr2ogr -f GeoJSON -lco RFC7946=YES "$D/k-gdal.geojson" "$D/k.geojson" 2>/dev/null
ogr_count "$D/k-gdal.geojson" 13

# ------------------------------------------------------------ the tables
for t in acled_new.csv:4 acled_old.csv:3 gdelt2.export.CSV:3 \
         gdelt1_daily.export.CSV:3 gdelt1_backfile.CSV:3 ucdp_hdx.csv:5 \
         generic_latlon.csv:3 generic_place.csv:4 generic.tsv:2; do
    f=${t%%:*}; n=${t##*:}
    expect_rc 0 "$f to GeoJSON" "$EVMAP" render "$TAB/$f" -o "$D/$f.geojson"
    rfc "$D/$f.geojson"
    ogr_count "$D/$f.geojson" "$n"
    expect_rc 0 "$f read back" "$EVMAP" render "$D/$f.geojson" -o "$D/$f.2.geojson"
    cmp -s "$D/$f.geojson" "$D/$f.2.geojson" && pass || fail "$f: round trip differs"
done
ogr_fields "$D/acled_new.csv.geojson" event_type sub_event_type fatalities \
    side geo_precision time_precision event_id_cnty
ogr_fields "$D/gdelt2.export.CSV.geojson" EventCode EventRootCode \
    GoldsteinScale SOURCEURL
ogr_fields "$D/ucdp_hdx.csv.geojson" ucdp_id type_of_violence where_prec
grep -q '"geo_precision":1' "$D/acled_new.csv.geojson" && pass || fail "geo_precision is not a number"
expect_rc 0 "GDELT, every class" "$EVMAP" render "$TAB/gdelt2.export.CSV" --all -o "$D/gdelt-all.geojson"
grep -q '"EventRootCode":"08"' "$D/gdelt-all.geojson" && pass || fail "CAMEO codes keep their zeros"
grep -q '"place_country":"UA"' "$D/gdelt2.export.CSV.geojson" && pass || fail "FIPS codes become ISO"
# a point across the antimeridian and a polygon with a hole
printf 'areas:\n  - { place: South Africa, type: control }\n  - { place: Fiji, type: unrest, confidence: claimed }\nmovements:\n  - { from: { lat: 60, lon: 170 }, to: { lat: 62, lon: -170 }, type: airlift }\n' > "$D/am.yaml"
expect_rc 0 "antimeridian map" "$EVMAP" render "$D/am.yaml" -o "$D/am.geojson"
rfc "$D/am.geojson"
ogr_count "$D/am.geojson" 3
grep -q '"MultiLineString"' "$D/am.geojson" && pass || fail "the airlift is not split"

# ------------------------------------------------------- GDAL sources in
ogr2ogr -f GeoJSON "$D/src.geojson" "$TAB/generic.tsv" -oo X_POSSIBLE_NAMES=lon -oo Y_POSSIBLE_NAMES=lat 2>/dev/null
ogr2ogr -f GPKG "$D/src.gpkg" "$TAB/generic.tsv" -oo X_POSSIBLE_NAMES=lon -oo Y_POSSIBLE_NAMES=lat 2>/dev/null
for s in src.geojson src.gpkg; do
    expect_rc 0 "GDAL source $s" "$EVMAP" render "$D/$s" -o "$D/$s.out.geojson"
    rfc "$D/$s.out.geojson"
    ogr_count "$D/$s.out.geojson" 2
done

# ---------------------------------------------------- the GDAL formats
for f in gpkg kml fgb shp csv; do
    expect_rc 0 "table to $f" "$EVMAP" render "$TAB/acled_new.csv" -o "$D/a.$f"
    ogr_count "$D/a.$f" 4
    expect_rc 0 "spec to $f" "$EVMAP" render "$EX" -f "$f" -o "$D/k.$f"
done
# and they read back in as tables
for f in gpkg kml fgb shp; do
    expect_rc 0 "$f read back" "$EVMAP" render "$D/a.$f" -o "$D/a-$f.geojson"
    rfc "$D/a-$f.geojson"
    ogr_count "$D/a-$f.geojson" 4
    # the values stay in their fields
    grep -q '"type":"mob violence".*"date":"2022-01-05".*"label":null,"fatalities":8,"side":"Rioters (Kazakhstan)".*"notes":"Rioters stormed the akimat; \\"dozens\\" injured"' "$D/a-$f.geojson" \
        && pass || fail "$f: values moved between fields: $(grep -m1 -o '"properties".\{0,300\}' "$D/a-$f.geojson")"
done
grep -q '"geo_precision":1' "$D/a-gpkg.geojson" && pass || fail "GPKG read back lost geo_precision"
ogr_fields "$D/a.gpkg" type event_type sub_event_type date time label \
    fatalities side place_country geo_precision marker-color marker-symbol
ogr_fields "$D/a.fgb" type event_type sub_event_type fatalities geo_precision
ogr_fields "$D/a.kml" type event_type fatalities geo_precision
ogr_fields "$D/a.csv" type event_type fatalities geo_precision
ogrinfo -ro "$D/k.gpkg" 2>/dev/null | grep -q 'movements (Multi Line String)' && pass || fail "GPKG has no movements layer"
ogr_count "$D/k.gpkg" 13
ogr_count "$D/k_movements.shp" 2
[ -f "$D/k_areas.shp" ] && [ -f "$D/k_areas.dbf" ] && pass || fail "shapefile areas missing"
ls -a "$D" | grep -q 'tmp' && fail "temporary files left: $(ls -a "$D" | grep tmp)" || pass
expect_rc 2 "GPKG to stdout" "$EVMAP" render "$TAB/acled_new.csv" -f gpkg -o -

# ------------------------------------ sides without a colour of their own
# A movement or area read from GeoJSON with a side and no stroke takes its
# colour from the side palette (the first side red, the second blue), with
# no map being drawn: this used to crash the export (exit 139).
cat > "$D/sides.geojson" <<'JSON'
{"type":"FeatureCollection","features":[
{"type":"Feature","geometry":{"type":"LineString","coordinates":[[40.97,57.0],[76.91,43.25]]},
 "properties":{"feature":"movement","type":"airlift","label":"Paratroopers","date":"2022-01-06","side":"CSTO","from":"Ivanovo","to":"Almaty"}},
{"type":"Feature","geometry":{"type":"LineString","coordinates":[[71.4,51.2],[76.91,43.25]]},
 "properties":{"feature":"movement","type":"advance","side":"Government","date":"2022-01-07"}},
{"type":"Feature","geometry":{"type":"LineString","coordinates":[[69.6,42.3],[76.91,43.25]]},
 "properties":{"feature":"movement","type":"advance","side":"csto","date":"2022-01-07"}}]}
JSON
for ext in geojson gpkg; do
    expect_rc 0 "side without stroke to $ext" "$EVMAP" render "$D/sides.geojson" -o "$D/sides_out.$ext"
done
rfc "$D/sides_out.geojson"
strokes=$(grep -o '"stroke":"#[0-9a-f]*"' "$D/sides_out.geojson" | tr '\n' ' ')
[ "$strokes" = '"stroke":"#c0392b" "stroke":"#2e6db4" "stroke":"#c0392b" ' ] && pass ||
    fail "sides coloured in order of appearance, case-insensitive: $strokes"
grep -q '"stroke-dasharray":"11 6"' "$D/sides_out.geojson" && pass ||
    fail "the airlift keeps its dashes"
ogr_count "$D/sides_out.gpkg" 3

# ------------------------------------------- @mapbox/geojsonhint 3.2.0
NOTE=""
NODE_DIR="$EVMAP_ROOT/tests/node"
if ! command -v node >/dev/null 2>&1; then
    NOTE="geojsonhint skipped: node not installed"
elif [ ! -d "$NODE_DIR/node_modules/@mapbox/geojsonhint" ]; then
    if command -v npm >/dev/null 2>&1; then
        (cd "$NODE_DIR" && timeout 300 npm ci --no-audit --no-fund --loglevel=error) >"$D/npm.log" 2>&1 \
            || NOTE="geojsonhint skipped: npm could not install it (no network?)"
    else
        NOTE="geojsonhint skipped: npm not installed"
    fi
fi
if [ -z "$NOTE" ]; then
    if node "$NODE_DIR/hint.js" $GEOJSONS >"$D/hint.out" 2>&1; then pass; else
        fail "geojsonhint: $(head -c 600 "$D/hint.out")"; fi
    # and it sees what it should
    printf '{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[0,0],[1,1],[1,0],[0,0]]]},"properties":{}}]}' > "$D/cw.json"
    node "$NODE_DIR/hint.js" "$D/cw.json" >/dev/null 2>&1 && fail "geojsonhint passes a clockwise ring" || pass
fi
[ -n "$NOTE" ] && echo "NOTE: $NOTE" >&2
out=$(report); rc=$?
echo "$out${NOTE:+ ($NOTE)}"
exit $rc
