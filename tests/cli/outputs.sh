# Outputs are whole or not there: a full disk, a multi-file output that
# cannot be committed, two runs on one directory, an output that is an
# input, an unknown extension, a symbolic link out of the output
# directory, a full standard output. The old file survives every failure.
. "$EVMAP_ROOT/tests/lib.sh"
EX="$EVMAP_ROOT/examples/kazakhstan-2022.yaml"
D="$T_DIR"
SZ="--size 400x250"
tmps() { find "$1" -name '.*.tmp*' | wc -l; }

# --- a full disk: every format fails with exit 3, names its file and
# keeps the old one (a 24 KB tmpfs; mounting needs root)
mkdir -p "$D/full"
if mount -t tmpfs -o size=24k tmpfs "$D/full" 2>/dev/null; then
    for f in kml gpkg fgb shp csv geojson png svg pdf; do
        echo old >"$D/full/o.$f"
        expect_rc 3 "$f to a full disk exits 3" "$EVMAP" render "$EX" -o "$D/full/o.$f"
        grep_err "$f: the error names the file" "full/o\.$f"
        [ "$(cat "$D/full/o.$f")" = old ] && pass || fail "$f: the old file was replaced on a full disk"
        [ "$(tmps "$D/full")" = 0 ] && pass || fail "$f: temporaries left on a full disk: $(ls -a "$D/full")"
        rm -f "$D/full/o.$f"
    done
    umount "$D/full"
else
    echo "SKIP: full-disk checks (mounting a tmpfs is not allowed here)" >&2
fi

# --- multi-file outputs commit all files or none
for f in shp csv; do
    mkdir -p "$D/multi-$f" && cd "$D/multi-$f" || exit 1
    expect_rc 0 "$f with side files" "$EVMAP" render "$EX" -o o.$f -q
    [ -f o_movements.$f ] && [ -f o_areas.$f ] && pass || fail "$f: side files missing: $(ls)"
    md5sum o* >"$D/before-$f"
    # one side file's place is taken by a directory: the commit fails
    # before anything is replaced
    rm -f o_movements.dbf o_movements.csv
    side=o_movements.$([ $f = shp ] && echo dbf || echo csv)
    mkdir "$side"
    grep -v " $side\$" "$D/before-$f" >"$D/before2-$f"
    expect_rc 3 "$f: a side file that cannot be written exits 3" "$EVMAP" render "$EX" -o o.$f -q
    grep_err "$f: names the file in the way" "$side"
    md5sum -c --quiet "$D/before2-$f" >/dev/null 2>&1 && pass || fail "$f: old files changed or lost after a failed commit: $(ls)"
    [ "$(tmps .)" = 0 ] && pass || fail "$f: temporaries left: $(ls -a)"
    rmdir "$side"
    cd "$D" || exit 1
done
# a layer the new map lacks does not survive from the old one
mkdir -p "$D/stale" && cd "$D/stale" || exit 1
sed '/^areas:/,$d' "$EX" >noareas.yaml
"$EVMAP" render "$EX" -o o.shp -q
[ -f o_areas.shp ] && pass || fail "no o_areas.shp to begin with"
expect_rc 0 "a map without areas over one with" "$EVMAP" render noareas.yaml -o o.shp -q
[ ! -e o_areas.shp ] && [ ! -e o_areas.dbf ] && pass || fail "the old areas layer survived: $(ls)"
[ -f o.shp ] && [ -f o_movements.shp ] && pass || fail "new files missing: $(ls)"
cd "$D" || exit 1

# --- side files are outputs of the batch: another job may not take them
mkdir -p "$D/side"
cat >"$D/side/m.yaml" <<EOF
jobs:
  - { spec: $EX, output: a.shp }
  - { spec: $EX, output: a_areas.shp }
EOF
expect_rc 1 "a job writing another's side file" "$EVMAP" batch "$D/side/m.yaml" -o "$D/side/out" -q
grep_err "the side file collision is named" 'a_areas\.shp.*also written.*side file of'
[ ! -e "$D/side/out/a.shp" ] && pass || fail "a collision still rendered"

# --- two runs on one directory: a live run's temporaries stay, a dead
# run's go at once (no waiting for an mtime to age)
mkdir -p "$D/two"
boot=$(tr -d '-' </proc/sys/kernel/random/boot_id | head -c 8)
dead=$(sh -c 'echo $$')
sleep 60 &
live=$!
cat >"$D/two/m.yaml" <<EOF
jobs:
  - { spec: $EX, output: a.png }
  - { spec: $EX, output: b.png }
EOF
: >"$D/two/.a.png.tmp-$live-$boot-AbC123"
: >"$D/two/.b.png.tmp-$dead-$boot-XyZ789"
mkdir "$D/two/.a.png.tmp-$dead-$boot-DiR000"
expect_rc 0 "a run beside another's temporaries" "$EVMAP" batch "$D/two/m.yaml" -o "$D/two" $SZ
[ -e "$D/two/.a.png.tmp-$live-$boot-AbC123" ] && pass || fail "a running writer's temporary was removed"
[ ! -e "$D/two/.b.png.tmp-$dead-$boot-XyZ789" ] && pass || fail "a dead writer's temporary was kept"
[ ! -e "$D/two/.a.png.tmp-$dead-$boot-DiR000" ] && pass || fail "a dead writer's temporary directory was kept"
grep_err "stale temporaries counted" 'removed 2 stale temporary files'
kill "$live" 2>/dev/null; wait "$live" 2>/dev/null
# kill -9 in the middle of a run, and resume at once: the dead run's
# temporaries go, every map is whole
mkdir -p "$D/k9"
{
    echo "jobs:"
    for i in $(seq 1 30); do echo "  - { spec: $EX, output: m$i.png }"; done
} >"$D/k9/m.yaml"
"$EVMAP" batch "$D/k9/m.yaml" -o "$D/k9/out" -j 2 $SZ -q 2>/dev/null &
k9=$!
for _ in $(seq 1 400); do
    [ "$(tmps "$D/k9/out" 2>/dev/null || echo 0)" -ge 1 ] && break
    sleep 0.02
done
kill -KILL "$k9" 2>/dev/null
wait "$k9" 2>/dev/null
left=$(tmps "$D/k9/out"); [ -n "${VERBOSE:-}" ] && echo "kill -9 left $left temporaries" >&2
expect_rc 0 "resume right after kill -9" "$EVMAP" batch "$D/k9/m.yaml" -o "$D/k9/out" -j 2 $SZ --skip-existing
[ "$(tmps "$D/k9/out")" = 0 ] && pass || fail "temporaries left after the resume ($left before it)"
[ "$left" = 0 ] || grep_err "the dead run's temporaries removed" "removed $left stale temporary file"
[ "$(find "$D/k9/out" -name '*.png' | wc -l)" = 30 ] && pass || fail "resume: $(find "$D/k9/out" -name '*.png' | wc -l) of 30"

# a real batch run beside another: neither fails, both complete
mkdir -p "$D/par"
{
    echo "jobs:"
    for i in 1 2 3 4 5 6; do echo "  - { spec: $EX, output: m$i.png }"; done
} >"$D/par/m.yaml"
"$EVMAP" batch "$D/par/m.yaml" -o "$D/par/out" -j 2 $SZ -q 2>"$D/par/e1" &
p1=$!
"$EVMAP" batch "$D/par/m.yaml" -o "$D/par/out" -j 2 $SZ -q 2>"$D/par/e2"
r2=$?
wait "$p1"
r1=$?
[ "$r1" = 0 ] && [ "$r2" = 0 ] && pass || fail "two runs on one directory: exits $r1 and $r2: $(cat "$D/par/e1" "$D/par/e2")"
[ "$(tmps "$D/par/out")" = 0 ] && pass || fail "temporaries left by two runs"

# --- an output that is an input of the map is refused (exit 2)
cp "$EX" "$D/k.yaml"
cp "$D/k.yaml" "$D/k.orig"
expect_rc 2 "-o the spec itself" "$EVMAP" render "$D/k.yaml" -f png -o "$D/k.yaml"
grep_err "refusal says why" 'refusing to write over'
cmp -s "$D/k.yaml" "$D/k.orig" && pass || fail "the spec was overwritten"
printf 'place,date,type\nAlmaty,2022-01-05,protest\n' >"$D/ev.csv"
printf 'title: t\nevents: { from: ev.csv }\n' >"$D/t.yaml"
cp "$D/ev.csv" "$D/ev.orig"
expect_rc 2 "-o the spec's event table" "$EVMAP" render "$D/t.yaml" -o "$D/ev.csv"
grep_err "the table is named" 'ev\.csv'
cmp -s "$D/ev.csv" "$D/ev.orig" && pass || fail "the event table was overwritten"
printf 'jobs:\n  - { spec: t.yaml, output: ev.csv }\n' >"$D/self.yaml"
expect_rc 1 "a batch job writing over its event table" "$EVMAP" batch "$D/self.yaml" -o "$D" -q
grep_err "the batch names the table" 'refusing to write over.*ev\.csv'
cmp -s "$D/ev.csv" "$D/ev.orig" && pass || fail "batch overwrote the event table"

# --- an extension that is no format, without -f: a usage error
for x in html webp; do
    expect_rc 2 "-o map.$x" "$EVMAP" render "$EX" -o "$D/map.$x"
    grep_err "map.$x: says what to do" 'not an output format'
    [ ! -e "$D/map.$x" ] && pass || fail "map.$x written"
done
expect_rc 0 "-o map.html with -f png" "$EVMAP" render "$EX" -f png -o "$D/map.html" $SZ -q

# --- a symbolic link inside the output directory does not lead out
mkdir -p "$D/conf/out" "$D/conf/outside"
ln -s "$D/conf/outside" "$D/conf/out/link"
printf 'jobs:\n  - { spec: %s, output: link/x.png }\n  - { spec: %s, output: link/new/y.png }\n' "$EX" "$EX" >"$D/conf/m.yaml"
expect_rc 1 "a manifest output through a link" "$EVMAP" batch "$D/conf/m.yaml" -o "$D/conf/out" $SZ -q
grep_err "the link is named" 'symbolic link'
[ -z "$(ls -A "$D/conf/outside")" ] && pass || fail "written outside the output directory: $(ls -R "$D/conf/outside")"

# --- -j far above the cores under a memory limit: capped, every map
# drawn, no temporary left (it aborted inside Pango's thread creation and
# left 509 temporaries). Not under AddressSanitizer, which reserves
# terabytes of address space.
if ! ldd "$EVMAP" 2>/dev/null | grep -q libasan; then
    mkdir -p "$D/jobs"
    { echo "jobs:"; for i in $(seq 1 12); do echo "  - { spec: $EX, output: m$i.png }"; done; } >"$D/jobs/m.yaml"
    expect_rc 0 "-j 512 under a 2 GB address-space limit" \
        sh -c "ulimit -v 2000000; exec \"$EVMAP\" batch \"$D/jobs/m.yaml\" -o \"$D/jobs/out\" -j 512 $SZ -q"
    [ "$(ls "$D/jobs/out" | wc -l)" = 12 ] && pass || fail "-j 512: $(ls "$D/jobs/out" | wc -l) of 12 maps"
    [ "$(tmps "$D/jobs/out")" = 0 ] && pass || fail "-j 512 left temporaries"
fi

# --- GeoJSON movements that end on the antimeridian read back and write
# out byte for byte
mkdir -p "$D/am"
i=0
for mv in "from: { lat: 10, lon: 170 }, to: { lat: 12, lon: 180 }" \
          "from: { lat: 10, lon: -170 }, to: { lat: 12, lon: 180 }" \
          "from: { lat: 10, lon: 180 }, to: { lat: 12, lon: -170 }" \
          "from: { lat: 10, lon: 160 }, to: { lat: 12, lon: -180 }" \
          "from: { lat: 10, lon: 170 }, via: [{ lat: 11, lon: 180 }], to: { lat: 12, lon: -170 }"; do
    i=$((i + 1))
    printf 'title: t\nmovements:\n  - { %s, type: advance }\n' "$mv" >"$D/am/$i.yaml"
    "$EVMAP" render "$D/am/$i.yaml" -o "$D/am/$i-a.geojson" -q &&
        "$EVMAP" render "$D/am/$i-a.geojson" -o "$D/am/$i-b.geojson" -q &&
        cmp -s "$D/am/$i-a.geojson" "$D/am/$i-b.geojson" && pass ||
        fail "GeoJSON round trip at the antimeridian: $mv"
done

# --- a raster over the pixel limit is refused before anything is drawn
expect_rc 1 "--size 20000x20000" "$EVMAP" render "$EX" --size 20000x20000 -o "$D/huge.png"
grep_err "the limit is named" 'million pixels, over the limit'
[ ! -e "$D/huge.png" ] && pass || fail "huge.png written"
expect_rc 1 "8000x8000 at 192 dpi" "$EVMAP" render "$EX" --size 8000x8000 --dpi 192 -o "$D/huge.png"
# a label from a table is named in a warning by its first 60 characters
awk 'BEGIN { s = "a"; for (i = 0; i < 14; i++) s = s s;
    print "latitude,longitude,event_date,event_type,notes";
    print "43.25,76.92,2022-01-05,Protests," s }' >"$D/long.csv"
expect_rc 0 "a 16 KB label from a table" "$EVMAP" render "$D/long.csv" -o "$D/long.png"
[ "$(wc -c <"$T_DIR/err")" -lt 600 ] && pass || fail "the warning echoes the whole label ($(wc -c <"$T_DIR/err") bytes)"

# --- standard output to a full device
if [ -w /dev/full ]; then
    expect_rc 3 "validate to /dev/full" sh -c "\"$EVMAP\" validate \"$EX\" >/dev/full"
    grep_err "stdout named" 'stdout: write failed'
    expect_rc 3 "render -o - to /dev/full" sh -c "\"$EVMAP\" render \"$EX\" -f svg -o - $SZ >/dev/full"
    expect_rc 3 "render -o /dev/full" "$EVMAP" render "$EX" -f svg -o /dev/full $SZ
    grep_err "the device is named" '/dev/full'
fi
report
