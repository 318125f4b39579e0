# evmap render from the command line: outputs, sizes, formats, exit codes,
# and that no failure leaves a file behind.
. "$EVMAP_ROOT/tests/lib.sh"
EX="$EVMAP_ROOT/examples/kazakhstan-2022.yaml"
D="$T_DIR"

png_size() { od -An -tu1 -j16 -N8 "$1" | awk '{print ($1*16777216+$2*65536+$3*256+$4) "x" ($5*16777216+$6*65536+$7*256+$8)}'; }

expect_rc 0 "render the example" "$EVMAP" render "$EX" -o "$D/k.png" -q
[ "$(png_size "$D/k.png")" = 1600x1000 ] && pass || fail "PNG is $(png_size "$D/k.png"), want 1600x1000"
expect_rc 0 "render with --size" "$EVMAP" render "$EX" -o "$D/s.png" --size 800x600 -q
[ "$(png_size "$D/s.png")" = 800x600 ] && pass || fail "--size 800x600 gave $(png_size "$D/s.png")"
expect_rc 0 "SVG by extension" "$EVMAP" render "$EX" -o "$D/k.svg" -q
head -c 200 "$D/k.svg" | grep -q "<svg" && pass || fail "SVG output lacks <svg"
# no stray joins: a label's start used to stay the current point, and the
# next dot's arc was joined to it by a line (hairlines across PDF maps)
n=$(grep -cE 'd="M [-0-9.]+ [-0-9.]+ L [-0-9.]+ [-0-9.]+ C' "$D/k.svg" || true)
[ "$n" = 0 ] && pass || fail "$n paths join a line into an arc (stray lines to dots)"
expect_rc 0 "PDF by -f to stdout" "$EVMAP" render "$EX" -f pdf -o - -q
head -c 5 "$T_DIR/out" | grep -q "%PDF-" && pass || fail "stdout is not a PDF"
expect_rc 0 "dark theme" "$EVMAP" render "$EX" -o "$D/dark.png" --theme dark -q
# a directory as -o: DIR/<stem>.<format>
mkdir -p "$D/outdir"
expect_rc 0 "render into a directory" "$EVMAP" render "$EX" -o "$D/outdir/" -f svg -q
[ -f "$D/outdir/kazakhstan-2022.svg" ] && pass || fail "no outdir/kazakhstan-2022.svg"
# the same command twice gives the same bytes
"$EVMAP" render "$EX" -o "$D/k2.png" -q
cmp -s "$D/k.png" "$D/k2.png" && pass || fail "PNG not deterministic"

# labels find room: in Web Mercator without the area, the data's box puts
# Almaty's seven-line label block at the bottom edge; the frame grows
# until it is placed
sed -e 's/^projection: auto/projection: "EPSG:3857"/' -e '/^areas:/,$d' "$EX" > "$D/merc.yaml"
expect_rc 0 "Web Mercator without the area" "$EVMAP" render "$D/merc.yaml" -o "$D/merc.png"
if grep -q "could not be placed" "$T_DIR/err"; then fail "labels unplaced: $(cat "$T_DIR/err")"; else pass; fi

# bad input: the documented exit code, one line naming file:line:col,
# and no output file (nor a temporary) left behind
mkdir -p "$D/bad"
printf 'title: x\nevents:\n  - { place: Almatty, type: riot }\n' > "$D/unknown.yaml"
expect_rc 1 "unknown place" "$EVMAP" render "$D/unknown.yaml" -o "$D/bad/u.png"
grep_err "unknown place names file:line:col" 'unknown.yaml:3:[0-9]+: unknown place "Almatty"'
grep_err "suggests Almaty" 'did you mean "Almaty"'
printf 'title: [unclosed\n' > "$D/broken.yaml"
expect_rc 1 "malformed YAML" "$EVMAP" render "$D/broken.yaml" -o "$D/bad/b.png"
grep_err "YAML error has a position" 'broken.yaml:[0-9]+:[0-9]+:'
printf 'size: [100000, 1000]\nevents:\n  - { lat: 1, lon: 1, type: riot }\n' > "$D/huge.yaml"
expect_rc 1 "impossible size in the spec" "$EVMAP" render "$D/huge.yaml" -o "$D/bad/h.png"
printf 'events:\n  - { lat: 95, lon: 1, type: riot }\n' > "$D/lat.yaml"
expect_rc 1 "latitude out of range" "$EVMAP" render "$D/lat.yaml" -o "$D/bad/l.png"
grep_err "names the line" 'lat.yaml:2:'
printf 'events:\n  - { lat: 1, lon: 1, type: rioot }\n' > "$D/type.yaml"
expect_rc 1 "unknown event type" "$EVMAP" render "$D/type.yaml" -o "$D/bad/t.png"
grep_err "suggests riot" '"riot"'
printf 'layers:\n  - { path: nope.geojson }\nevents:\n  - { lat: 43.2, lon: 76.9, type: riot }\n' > "$D/layer.yaml"
expect_rc 3 "missing layer file" "$EVMAP" render "$D/layer.yaml" -o "$D/bad/ly.png"
grep_err "the layer's failure names where the spec sets it" 'layer.yaml:2:5: layer: .*nope.geojson'
expect_rc 2 "--size 0x10 is a usage error" "$EVMAP" render "$EX" -o "$D/bad/z.png" --size 0x10
expect_rc 2 "unknown option" "$EVMAP" render "$EX" --bogus
expect_rc 2 "unknown format" "$EVMAP" render "$EX" -f tiff
expect_rc 3 "unwritable output" "$EVMAP" render "$EX" -o /nonexistent-dir/k.png -q
grep_err "names the path" '/nonexistent-dir/k.png'
expect_rc 3 "missing spec file" "$EVMAP" render "$D/nope.yaml" -o "$D/bad/n.png"
[ -z "$(ls -A "$D/bad")" ] && pass || fail "failures left files: $(ls -A "$D/bad")"
# a crowded table: one warning line counts the labels not shown, --verbose
# names each, -q hides warnings; --layout writes the report beside the map
CROWD="$D/crowd.csv"
{ echo "lat,lon,type,place,fatalities"
  for i in $(seq 0 59); do
      echo "$((40 + i % 6)).$((i * 7 % 10)),$((70 + i / 6)).5,riot,Town $i,$((i % 5))"
  done; } > "$CROWD"
expect_rc 0 "crowded table" "$EVMAP" render "$CROWD" -o "$D/crowd.png" --size 400x300 --layout "$D/crowd.json"
grep_err "one line counts the hidden labels" '^evmap: .*: [0-9]+ of [0-9]+ labels not shown \(no room\); --verbose lists them$'
[ "$(grep -c 'labels not shown' "$T_DIR/err")" = 1 ] && pass || fail "more than one summary line"
grep -q '"symbols": \[' "$D/crowd.json" && grep -q '"omitted": {"labels": [0-9]' "$D/crowd.json" && pass || fail "--layout report lacks symbols or omitted"
expect_rc 0 "crowded table, verbose" "$EVMAP" render "$CROWD" -o "$D/crowd.png" --size 400x300 --verbose
grep_err "--verbose names each label" 'label "Town [0-9]+: Riot.*" not shown \(no room\)'
expect_rc 0 "crowded table, quiet" "$EVMAP" render "$CROWD" -o "$D/crowd.png" --size 400x300 -q
[ ! -s "$T_DIR/err" ] && pass || fail "-q left warnings: $(head -c 200 "$T_DIR/err")"
expect_rc 2 "bad --style" "$EVMAP" render "$CROWD" -o "$D/crowd.png" --style dots
report
