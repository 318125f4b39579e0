# evmap validate: what each place reference became, errors with
# file:line:col, exit codes.
. "$EVMAP_ROOT/tests/lib.sh"
cd "$T_DIR" || exit 1

cat > own.yaml <<'EOF'
title: Own places only
places:
  - { name: Republic Square, lat: 43.2380, lon: 76.9452, country: KZ, kind: square }
  - { name: Astana Station, lat: 51.1801, lon: 71.4460 }
events:
  - place: republic square
    type: riot
  - { lat: 49.80, lon: 73.10, type: protest }
movements:
  - { from: Astana Station, to: Republic Square, type: airlift }
EOF
expect_rc 0 "spec with own places validates" "$EVMAP" validate own.yaml
grep_out "event place, case-insensitive" \
    '^own\.yaml:6:12  "republic square" -> Republic Square \(KZ, square\) 43\.238, 76\.9452 spec:Republic Square$'
grep_out "given coordinates" '^own\.yaml:8:12  49\.8, 73\.1 \(coordinates given\)$'
grep_out "movement origin" '^own\.yaml:10:13  "Astana Station" -> Astana Station 51\.1801, 71\.446 '
grep_out "movement destination" '^own\.yaml:10:33  "Republic Square" -> '
lines=$(wc -l < "$T_DIR/out")
if [ "$lines" = 4 ]; then pass; else fail "one line per place reference: $lines"; fi

cat > bad.yaml <<'EOF'
events:
  - place: Almaty
    type: riot
    lable: Clashes
EOF
expect_rc 1 "unknown key is bad input" "$EVMAP" validate bad.yaml
grep_err "unknown key with position and suggestion" \
    'bad\.yaml:4:5: unknown key "lable" in event — did you mean "label"\?'
if [ ! -s "$T_DIR/out" ]; then pass; else fail "nothing on stdout for a bad spec"; fi

# every file is checked; the worst failure sets the exit code
expect_rc 1 "a bad file does not stop the next" "$EVMAP" validate bad.yaml own.yaml
grep_out "second file still printed" '^own\.yaml:6:12 '
grep_err "first file's error" 'bad\.yaml:4:5'

printf 'events:\n  - { place: Republik Square, type: riot }\nplaces:\n  - { name: Republic Square, lat: 43.2, lon: 76.9 }\n' > typo.yaml
# an unknown name is bad input; without a gazetteer to look it up in, it
# is the installation's failure (3)
if [ -f "$EVMAP_DATA/gazetteer.evg" ]; then want=1; else want=3; fi
expect_rc $want "typo in own place" "$EVMAP" validate typo.yaml
grep_err "suggests own place" 'typo\.yaml:2:14: unknown place "Republik Square" — did you mean "Republic Square"'

printf '{"events": [{"lat": 43.25, "lon": 76.9, "type": "rioot"}]}\n' > bad.json
expect_rc 1 "JSON spec errors too" "$EVMAP" validate bad.json
grep_err "JSON position" 'bad\.json:1:49: unknown event type "rioot" — did you mean "riot"\?'

# events read from a table: positions name the table's rows
printf 'name,latitude,longitude,event_type\nRepublic Square,,,Riots\nX,43.3,76.95,Protests\nRepublik Square,,,Riots\n' > ev.csv
printf 'places:\n  - { name: Republic Square, lat: 43.238, lon: 76.9452 }\nevents: { from: ev.csv, place: name }\n' > table.yaml
"$EVMAP" validate table.yaml >"$T_DIR/out" 2>"$T_DIR/err"
grep_out "table row resolved through places:" '^ev\.csv:2:[0-9]+  "Republic Square" -> Republic Square 43\.238, 76\.9452 '
grep_out "table row with coordinates" ':3:[0-9]+  .*43\.3, 76\.95 \(coordinates given\)$'
grep_err "table row error names the table" 'ev\.csv:4:[0-9]+: unknown place "Republik Square" — did you mean "Republic Square"'

# validate refuses what render would refuse, at file:line:col
printf 'title: Nothing\n' > empty.yaml
expect_rc 1 "a spec with nothing to map" "$EVMAP" validate empty.yaml
grep_err "says why" '^evmap: empty\.yaml: nothing to map'
printf 'projection: EPSG:99999\nevents:\n  - {lat: 43, lon: 76, type: riot}\n' > badproj.yaml
expect_rc 1 "an unknown EPSG code" "$EVMAP" validate badproj.yaml
grep_err "names the key" '^evmap: badproj\.yaml:1:13: projection "EPSG:99999": '
expect_rc 1 "render refuses it the same way" "$EVMAP" render badproj.yaml -o bp.png
grep_err "render names the key too" '^evmap: badproj\.yaml:1:13: projection "EPSG:99999": '
[ ! -e bp.png ] && pass || fail "render left bp.png behind"
printf 'projection: "+proj=robin"\nevents:\n  - {lat: 43, lon: 76, type: riot}\n' > robin.yaml
expect_rc 0 "a PROJ string" "$EVMAP" validate robin.yaml
printf 'layers:\n  - {path: nope.geojson}\nevents:\n  - {lat: 43, lon: 76, type: riot}\n' > nolayer.yaml
expect_rc 3 "a layer file that is not there" "$EVMAP" validate nolayer.yaml
grep_err "names the layer" '^evmap: nolayer\.yaml:2:5: layer: nope\.geojson: No such file'
printf 'background: nope.tif\nevents:\n  - {lat: 43, lon: 76, type: riot}\n' > nobg.yaml
expect_rc 3 "a background raster that is not there" "$EVMAP" validate nobg.yaml
grep_err "names the background" '^evmap: nobg\.yaml:1:13: background: nope\.tif: '
# a spec from a pipe is read once
expect_rc 0 "a spec from a pipe" "$EVMAP" validate /dev/stdin < robin.yaml
if command -v mkfifo >/dev/null && mkfifo spec.fifo 2>/dev/null; then
    cat robin.yaml > spec.fifo &
    expect_rc 0 "render a spec from a FIFO" timeout 60 "$EVMAP" render spec.fifo -o fifo.svg
    [ -s fifo.svg ] && pass || fail "no fifo.svg"
    wait
fi

# input echoed in an error cannot drive the terminal
printf 'events:\n  - {lat: 43, lon: 76, type: "\\e]0;pwned\\a\\e[31mriot"}\n' > esc.yaml
expect_rc 1 "a type with escape sequences" "$EVMAP" validate esc.yaml
grep_err "escaped in the message" 'unknown event type "\\x1b\]0;pwned\\x07\\x1b\[31mriot"'
if LC_ALL=C grep -q "$(printf '\033')" "$T_DIR/err"; then fail "raw ESC on stderr"; else pass; fi

expect_rc 3 "unreadable file" "$EVMAP" validate missing.yaml
grep_err "names the file" 'missing\.yaml'
expect_rc 2 "no spec given" "$EVMAP" validate
expect_rc 2 "unknown option" "$EVMAP" validate --frobnicate own.yaml

# through the shipped gazetteer, once it is built
if [ -f "$EVMAP_DATA/gazetteer.evg" ]; then
    cat > kaz.yaml <<'EOF'
context: { country: KZ }
events:
  - { place: Almaty, type: riot }
  - { place: Tengiz, kind: oil field, type: oil }
movements:
  - { from: Ivanovo, to: Almaty, type: airlift }
EOF
    expect_rc 0 "gazetteer names resolve" "$EVMAP" validate kaz.yaml
    grep_out "Almaty" '^kaz\.yaml:3:14  "Almaty" -> Almaty \(KZ, [a-z ]+\) 43\.2[0-9]*, 76\.9[0-9]* '
    grep_out "Tengiz oil field" '^kaz\.yaml:4:14  "Tengiz" -> [^(]*\(KZ, '
    grep_out "Ivanovo in Russia" '^kaz\.yaml:6:13  "Ivanovo" -> Ivanovo \(RU, '
    printf 'events:\n  - place: Almatty\n    type: riot\n' > typo2.yaml
    expect_rc 1 "unknown place" "$EVMAP" validate typo2.yaml
    grep_err "suggestion from the gazetteer" \
        'typo2\.yaml:2:12: unknown place "Almatty" — did you mean "Almaty" \(KZ, '
    # a name not found where its qualifiers say: an error unless the
    # spec (or --fallback) lets the qualifier's area stand in for it
    printf 'events:\n  - { place: "Bogoro, Borno, Nigeria", type: clash }\n' > fb.yaml
    expect_rc 1 "fallback off by default" "$EVMAP" validate fb.yaml
    grep_err "fallback hint" 'fb\.yaml:2:14: unknown place "Bogoro, Borno, Nigeria": not found in Borno State; add fallback: admin1'
    expect_rc 0 "--fallback admin1" "$EVMAP" validate --fallback admin1 fb.yaml
    grep_out "placed at the region" '"Bogoro, Borno, Nigeria" -> Borno State \(NG, state\) .*\(precision admin1\)$'
    expect_rc 1 "--fallback admin2 is too fine" "$EVMAP" validate --fallback admin2 fb.yaml
    printf 'fallback: admin1\nevents:\n  - { place: "Bogoro, Borno, Nigeria", type: clash }\n' > fb2.yaml
    expect_rc 0 "fallback: admin1" "$EVMAP" validate fb2.yaml
    grep_out "spec key" '\(precision admin1\)$'
    printf 'fallback: village\nevents: []\n' > fb3.yaml
    expect_rc 1 "bad fallback" "$EVMAP" validate fb3.yaml
    grep_err "bad fallback value" 'fb3\.yaml:1:11: fallback must be none, admin2, admin1 or country'
    expect_rc 2 "--fallback junk" "$EVMAP" validate --fallback village fb.yaml
fi
report
