# Areas: the polygon shaded is the one of the place the name resolved to
# in the gazetteer, found by its Natural Earth id; validate names it; a
# name that resolves to a point says what to write instead.
. "$EVMAP_ROOT/tests/lib.sh"
cd "$T_DIR" || exit 1

# the cities themselves are on the map too: their points must not pull
# the regions named after them onto the city units
cat > regions.yaml <<'EOF'
title: Areas
events:
  - { place: Kyiv, type: protest }
  - { place: Moscow, type: protest }
  - { place: Almaty, type: protest }
areas:
  - place: Kyiv Oblast
  - place: Kyiv
  - place: Moscow
  - place: Moscow Oblast
  - place: Tashkent
  - place: Tashkent Region
  - place: Almaty
  - place: Almaty Region
  - place: California
  - place: France
  - place: United States
EOF
expect_rc 0 "areas validate" "$EVMAP" validate regions.yaml
grep_out "Kyiv Oblast is the oblast" \
    '^regions\.yaml:7:12  area "Kyiv Oblast" -> admin-1 polygon UA-32 Kiev \(Natural Earth ne:UKR-321\)$'
grep_out "Kyiv is the city" \
    '^regions\.yaml:8:12  area "Kyiv" -> admin-1 polygon UA-30 Kiev City \(Natural Earth ne:UKR-4826\)$'
grep_out "the city Kyiv resolves to its admin-1 unit" \
    '^regions\.yaml:8:12  "Kyiv" -> Kyiv City \(UA, municipality\) .* ne:UKR-4826 '
grep_out "Moscow is the federal city" \
    '^regions\.yaml:9:12  area "Moscow" -> admin-1 polygon RU-MOS Moskva \(Natural Earth ne:RUS-2365\)$'
grep_out "Moscow Oblast is the oblast" \
    '^regions\.yaml:10:12  area "Moscow Oblast" -> admin-1 polygon RU-MOW Moskovskaya \(Natural Earth ne:RUS-2364\)$'
grep_out "Tashkent is the city" 'area "Tashkent" -> admin-1 polygon UZ-TK Tashkent \(Natural Earth ne:UZB-4828\)$'
grep_out "Tashkent Region is the region" 'area "Tashkent Region" -> admin-1 polygon UZ-TO Tashkent \(Natural Earth ne:UZB-372\)$'
grep_out "Almaty is the city" 'area "Almaty" -> admin-1 polygon KZ-ALA Almaty City \(Natural Earth ne:KAZ-4829\)$'
grep_out "Almaty Region is the oblast" 'area "Almaty Region" -> admin-1 polygon KZ-ALA Almaty \(Natural Earth ne:KAZ-3207\)$'
grep_out "California is the state, not a town" \
    'area "California" -> admin-1 polygon US-CA California \(Natural Earth ne:USA-3521\)$'
grep_out "a country" '^regions\.yaml:16:12  area "France" -> country polygon FR France \(Natural Earth ne:FRA\)$'
grep_out "another country" 'area "United States" -> country polygon US United States of America \(Natural Earth ne:USA\)$'
n=$(grep -c '  area "' "$T_DIR/out")
[ "$n" = 11 ] && pass || fail "one polygon line per area: $n"
# the events stay at the cities
grep_out "event at Kyiv city" '^regions\.yaml:3:14  "Kyiv" -> Kyiv \(UA, capital\) .* geonames:703448$'

# a type word picks between nested units of one name, whichever the
# gazetteer ranks first
printf 'title: x\nareas:\n  - place: Almaty Oblast\n  - place: Tashkent Oblast\n  - place: Moscow City\n  - place: Kiev Oblast\n' > words.yaml
expect_rc 0 "type words validate" "$EVMAP" validate words.yaml
grep_out "Almaty Oblast is the oblast" 'area "Almaty Oblast" -> admin-1 polygon KZ-ALA Almaty \(Natural Earth ne:KAZ-3207\)$'
grep_out "Tashkent Oblast is the region" 'area "Tashkent Oblast" -> admin-1 polygon UZ-TO Tashkent \(Natural Earth ne:UZB-372\)$'
grep_out "Moscow City is the city" 'area "Moscow City" -> admin-1 polygon RU-MOS Moskva \(Natural Earth ne:RUS-2365\)$'
grep_out "Kiev Oblast is the oblast" 'area "Kiev Oblast" -> admin-1 polygon UA-32 Kiev \(Natural Earth ne:UKR-321\)$'

# the polygons drawn: GeoJSON export, checked against points inside and
# outside them (Kyiv city is a hole in Kyiv Oblast, Moscow one in Moscow
# Oblast)
expect_rc 0 "areas render to GeoJSON" "$EVMAP" render regions.yaml -o areas.geojson
python3 - areas.geojson <<'PY' && pass || fail "shaded polygons"
import json, sys
def inside(geom, x, y):
    polys = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
    n = 0
    for poly in polys:
        for ring in poly:
            for (x0, y0), (x1, y1) in zip(ring, ring[1:]):
                if (y0 > y) != (y1 > y) and x < x0 + (y - y0) * (x1 - x0) / (y1 - y0):
                    n += 1
    return n % 2 == 1
def width(geom):
    xs = [c[0] for p in (geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]) for r in p for c in r]
    return max(xs) - min(xs)
kyiv, moscow, paris = (30.5238, 50.4547), (37.6178, 55.752), (2.35, 48.86)
want = {  # place: (id, point, inside?, min width, max width)
    "Kyiv Oblast": ("ne:UKR-321", kyiv, False, 2, 5),
    "Kyiv": ("ne:UKR-4826", kyiv, True, 0, 1),
    "Moscow": ("ne:RUS-2365", moscow, True, 0, 1.5),
    "Moscow Oblast": ("ne:RUS-2364", moscow, False, 3, 8),
    "France": ("ne:FRA", paris, True, 10, 400),
}
seen = 0
for f in json.load(open(sys.argv[1]))["features"]:
    p = f["properties"]
    if p["feature"] != "area" or p["place"] not in want:
        continue
    pid, pt, ins, lo, hi = want[p["place"]]
    w = width(f["geometry"])
    ok = p["place_id"] == pid and inside(f["geometry"], *pt) == ins and lo <= w <= hi
    if not ok:
        print(p["place"], p["place_id"], inside(f["geometry"], *pt), w, file=sys.stderr)
        sys.exit(1)
    seen += 1
sys.exit(0 if seen == len(want) else 1)
PY

# a city that is not an admin-1 unit of its own: the oblast named after
# it is much larger, so the area says what to write
cat > kherson.yaml <<'EOF'
title: Kherson
areas:
  - place: Kherson
EOF
expect_rc 1 "a city inside a region of its name" "$EVMAP" validate kherson.yaml
grep_err "file:line:col, the point, the way out" \
    '^evmap: kherson\.yaml:3:12: area "Kherson": the name resolves to Kherson \(UA, city\), a point with no polygon of its own; for the admin-1 region that holds it, Kherson \(ne:UKR-4827\), write place: \{ name: "Kherson", kind: admin1 \}$'
expect_rc 1 "render refuses it as well" "$EVMAP" render kherson.yaml -o k.png
grep_err "render says the same" 'kherson\.yaml:3:12: area "Kherson": the name resolves to Kherson'
[ ! -e k.png ] && pass || fail "no map for a spec with a bad area"
# the way out works
printf 'title: Kherson\nareas:\n  - place: { name: Kherson, kind: admin1 }\n' > kherson2.yaml
expect_rc 0 "kind: admin1 takes the oblast" "$EVMAP" validate kherson2.yaml
grep_out "the oblast's polygon" 'area "Kherson" -> admin-1 polygon UA-65 Kherson \(Natural Earth ne:UKR-4827\)$'

# a town with no region of its name: the region that holds it
printf 'title: x\nareas:\n  - place: Springfield\n' > town.yaml
expect_rc 1 "a town" "$EVMAP" validate town.yaml
grep_err "the region to write instead" \
    'town\.yaml:3:12: area "Springfield": the name resolves to Springfield \(US, city\), a point with no polygon of its own; for the admin-1 region that holds it, Illinois \(ne:USA-3546\), write place: "Illinois"$'

# a places: entry is a point
printf 'title: x\nplaces:\n  - { name: Camp, lat: 43.2, lon: 76.9 }\nareas:\n  - place: Camp\n' > own.yaml
expect_rc 1 "a places: entry as an area" "$EVMAP" validate own.yaml
grep_err "a places: entry has no polygon" 'own\.yaml:5:12: area "Camp": a places: entry is a point with no polygon'

# a region Natural Earth does not draw (created in 2022)
printf 'title: x\nareas:\n  - place: Abai Region\n' > abai.yaml
expect_rc 1 "a region without a polygon" "$EVMAP" validate abai.yaml
grep_err "no polygon in the basemap" 'abai\.yaml:3:12: area "Abai Region": the name resolves to .*which has no polygon in the basemap'

# a polygon file is named as such
printf '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[76,43],[77,43],[77,44],[76,43]]]}}]}\n' > zone.geojson
printf 'title: x\nareas:\n  - path: zone.geojson\n' > file.yaml
expect_rc 0 "an area from a file" "$EVMAP" validate file.yaml
grep_out "polygons from the file" '^file\.yaml:3:5  area -> polygons from zone\.geojson$'

report
