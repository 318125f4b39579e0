# evmap batch and evmap render with many maps: failures isolated and
# reported, exit codes, time-series frames, --skip-existing, an
# interrupted run that leaves only complete maps, shards that together
# render every map once, refused paths and bad manifests.
. "$EVMAP_ROOT/tests/lib.sh"
EX="$EVMAP_ROOT/examples/kazakhstan-2022.yaml"
D="$T_DIR"
SZ="--size 400x250"

png_size() { od -An -tu1 -j16 -N8 "$1" | awk '{print ($1*16777216+$2*65536+$3*256+$4) "x" ($5*16777216+$6*65536+$7*256+$8)}'; }
# a complete PNG: the 8-byte signature, and the IEND chunk at the very end
is_png() {
    [ "$(od -An -tx1 -N8 "$1" | tr -d ' \n')" = 89504e470d0a1a0a ] &&
    [ "$(tail -c 8 "$1" | head -c 4)" = IEND ]
}
count() { find "$1" -type f ! -name '.*' | wc -l; }
tmps() { find "$1" -name '.*.tmp*' | wc -l; }

# --- failure isolation: good maps written, bad ones reported, exit 1
mkdir -p "$D/iso"
cp "$EX" "$D/iso/good.yaml"
printf 'title: [unclosed\n' >"$D/iso/broken.yaml"
printf 'events:\n  - { place: Almatty, type: riot }\n' >"$D/iso/unknown.yaml"
echo "not a directory" >"$D/blocker"
cat >"$D/iso/m.yaml" <<EOF
jobs:
  - good.yaml
  - broken.yaml
  - unknown.yaml
  - { spec: good.yaml, output: blocker/x.png }
  - { spec: good.yaml, output: again/good2.png }
EOF
mkdir -p "$D/iso-out"
cp "$D/blocker" "$D/iso-out/blocker"
expect_rc 1 "a batch with failures exits 1" "$EVMAP" batch "$D/iso/m.yaml" -o "$D/iso-out" -j 2 $SZ -q
is_png "$D/iso-out/good.png" && pass || fail "good.png not written"
is_png "$D/iso-out/again/good2.png" && pass || fail "again/good2.png not written"
grep_err "bad spec named with its position" 'broken\.yaml:[0-9]+:[0-9]+: YAML syntax error'
grep_err "unknown place named" 'unknown\.yaml:2:[0-9]+: unknown place "Almatty"'
grep_err "unwritable output named with its job" 'm\.yaml:5:5: .*blocker/x\.png'
grep_err "summary line" '^evmap: 2 written, 3 failed$'
[ "$(count "$D/iso-out")" = 3 ] && pass || fail "failed maps left files: $(ls -R "$D/iso-out")"
[ "$(tmps "$D/iso-out")" = 0 ] && pass || fail "temporary files left"
grep -q $'\r' "$T_DIR/err" && fail "progress bar drawn on a file" || pass

# --- time series on the example: 5 days, 2 ISO weeks
expect_rc 0 "--by day" "$EVMAP" render "$EX" --by day -o "$D/days/" $SZ -q -j 2
n=0
for d in 02 03 04 05 06; do
    f="$D/days/kazakhstan-2022-2022-01-$d.png"
    if is_png "$f" && [ "$(png_size "$f")" = 400x250 ]; then n=$((n + 1)); fi
done
[ "$n" = 5 ] && pass || fail "--by day: $n of 5 frames: $(ls "$D/days")"
[ "$(count "$D/days")" = 5 ] && pass || fail "--by day wrote $(count "$D/days") files"
# the same extent in every frame, other events: frames differ
cmp -s "$D/days/kazakhstan-2022-2022-01-02.png" "$D/days/kazakhstan-2022-2022-01-06.png" &&
    fail "first and last day frames are identical" || pass
# one frame at the spec's size: a valid 1600x1000 PNG
expect_rc 0 "--by day with a one-day window" "$EVMAP" render "$EX" --by day --date 2022-01-04 -o "$D/one/frame.png" -q
f="$D/one/frame-2022-01-04.png"
is_png "$f" && [ "$(png_size "$f")" = 1600x1000 ] && pass ||
    fail "frame-2022-01-04.png: $(png_size "$f" 2>/dev/null)"
[ "$(count "$D/one")" = 1 ] && pass || fail "a one-day window made $(count "$D/one") frames"
expect_rc 0 "--by week --cumulative" "$EVMAP" render "$EX" --by week --cumulative -o "$D/weeks/" $SZ -q
[ -f "$D/weeks/kazakhstan-2022-2021-12-27.png" ] && [ -f "$D/weeks/kazakhstan-2022-2022-01-03.png" ] &&
    [ "$(count "$D/weeks")" = 2 ] && pass || fail "weeks: $(ls "$D/weeks")"
expect_rc 0 "--by day --cumulative in a window" "$EVMAP" render "$EX" --by day --cumulative --date 2022-01-03..2022-01-05 -o "$D/cum/" $SZ -q
[ "$(count "$D/cum")" = 3 ] && [ -f "$D/cum/kazakhstan-2022-2022-01-03.png" ] &&
    [ -f "$D/cum/kazakhstan-2022-2022-01-05.png" ] && pass || fail "cumulative days: $(ls "$D/cum")"
cmp -s "$D/cum/kazakhstan-2022-2022-01-04.png" "$D/days/kazakhstan-2022-2022-01-04.png" &&
    fail "a cumulative frame equals the day's own" || pass
expect_rc 0 "--by month" "$EVMAP" render "$EX" --by month -o "$D/months/" $SZ -q
[ -f "$D/months/kazakhstan-2022-2022-01-01.png" ] && [ "$(count "$D/months")" = 1 ] && pass ||
    fail "months: $(ls "$D/months")"
printf 'events:\n  - { lat: 43.2, lon: 76.9, type: riot }\n' >"$D/undated.yaml"
expect_rc 1 "--by on a spec without dates" "$EVMAP" render "$D/undated.yaml" --by day -o "$D/undated/" -q
grep_err "says the dates are missing" 'undated\.yaml: no event, movement or area has a date'
expect_rc 2 "--by to stdout is a usage error" "$EVMAP" render "$EX" --by day -o -
expect_rc 2 "--by year" "$EVMAP" render "$EX" --by year -o "$D/x/"
expect_rc 2 "a bad --date" "$EVMAP" render "$EX" --date 2022-02-30 -o "$D/x.png"

# --- several specs to a directory, and a directory of specs
mkdir -p "$D/specs"
cp "$EX" "$D/specs/a.yaml"
cp "$EX" "$D/specs/b.yaml"
expect_rc 0 "render SPEC SPEC -o DIR/" "$EVMAP" render "$D/specs/a.yaml" "$D/specs/b.yaml" -o "$D/multi/" $SZ -q -j 2
[ -f "$D/multi/a.png" ] && [ -f "$D/multi/b.png" ] && pass || fail "multi: $(ls "$D/multi")"
expect_rc 0 "batch DIR" "$EVMAP" batch "$D/specs" -o "$D/fromdir" -f svg $SZ -q
[ -f "$D/fromdir/a.svg" ] && [ -f "$D/fromdir/b.svg" ] && pass || fail "batch DIR: $(ls "$D/fromdir")"

# --- a manifest of 16 maps; SIGTERM midway; --skip-existing resumes
{
    echo "defaults: { size: 400x250 }"
    echo "jobs:"
    for i in $(seq -w 1 16); do echo "  - { spec: $EX, output: m$i.png }"; done
} >"$D/many.yaml"
"$EVMAP" batch "$D/many.yaml" -o "$D/intr" -j 1 -q 2>"$D/intr.err" &
pid=$!
for _ in $(seq 1 600); do
    [ "$(count "$D/intr" 2>/dev/null || echo 0)" -ge 2 ] && break
    sleep 0.05
done
kill -TERM "$pid"
wait "$pid"; rc=$?
[ "$rc" = 143 ] && pass || fail "SIGTERM: exit $rc, want 143"
grep -qE '^evmap: interrupted after [0-9]+ of 16 maps' "$D/intr.err" && pass ||
    fail "no 'interrupted after' line: $(cat "$D/intr.err")"
got=$(count "$D/intr")
[ "$got" -ge 2 ] && [ "$got" -lt 16 ] && pass || fail "interrupted run wrote $got of 16"
bad=0
for f in "$D"/intr/*.png; do is_png "$f" || bad=$((bad + 1)); done
[ "$bad" = 0 ] && pass || fail "$bad partial PNGs after SIGTERM"
[ "$(tmps "$D/intr")" = 0 ] && pass || fail "temporary files after SIGTERM: $(ls -a "$D/intr")"
# a stale temporary as kill -9 leaves it: the next run removes it
touch -d '2000-01-01' "$D/intr/.m16.png.tmpAbC123"
first=$(ls "$D/intr" | head -1)
touch -d '2001-01-01' "$D/intr/$first"
expect_rc 0 "--skip-existing finishes the run" "$EVMAP" batch "$D/many.yaml" -o "$D/intr" -j 2 --skip-existing
[ "$(count "$D/intr")" = 16 ] && pass || fail "resumed run: $(count "$D/intr") of 16"
grep_err "skipped counted" "[0-9]+ written, 0 failed, $got skipped"
grep_err "stale temporary removed" 'removed 1 stale temporary file'
[ "$(tmps "$D/intr")" = 0 ] && pass || fail "stale temporary not removed"
[ "$(stat -c %Y "$D/intr/$first")" = "$(date -d 2001-01-01 +%s)" ] && pass ||
    fail "--skip-existing redrew $first"

# --- shards: 0/3, 1/3 and 2/3 together render each map exactly once
{
    echo "jobs:"
    for i in 1 2 3 4 5 6; do echo "  - { spec: $EX, output: s$i.png }"; done
    echo "  - { spec: $EX, output: series.png, by: day }"
} >"$D/shard.yaml"
total=0
for i in 0 1 2; do
    expect_rc 0 "shard $i/3" "$EVMAP" batch "$D/shard.yaml" -o "$D/sh" --shard $i/3 $SZ
    w=$(sed -nE "s/^evmap: shard $i\/3: ([0-9]+) written, 0 failed$/\1/p" "$T_DIR/err")
    [ -n "$w" ] && pass || fail "shard $i/3 summary: $(cat "$T_DIR/err")"
    total=$((total + ${w:-0}))
done
# 6 maps and 5 frames: 11 files, 11 written in all (none twice)
[ "$(count "$D/sh")" = 11 ] && [ "$total" = 11 ] && pass ||
    fail "shards wrote $total maps into $(count "$D/sh") files, want 11 and 11"
expect_rc 2 "--shard 3/3" "$EVMAP" batch "$D/shard.yaml" -o "$D/sh" --shard 3/3
expect_rc 2 "--shard x" "$EVMAP" batch "$D/shard.yaml" -o "$D/sh" --shard 1

# --- output paths: refused unless --allow-any-path; duplicates
printf 'jobs:\n  - %s\n  - { spec: %s, output: ../escape.png }\n' "$EX" "$EX" >"$D/esc.yaml"
expect_rc 1 "'..' refused" "$EVMAP" batch "$D/esc.yaml" -o "$D/esc" $SZ -q
grep_err "names the job and the path" 'esc\.yaml:3:5: output "\.\./escape\.png" leaves the output directory'
[ ! -e "$D/esc" ] && [ ! -e "$D/escape.png" ] && pass || fail "a refused manifest rendered something"
printf -- '- { spec: %s, output: /tmp/abs.png }\n' "$EX" >"$D/abs.yaml"
expect_rc 1 "absolute refused" "$EVMAP" batch "$D/abs.yaml" -o "$D/esc" $SZ -q
grep_err "absolute named" 'abs\.yaml:1:3: output "/tmp/abs\.png" is absolute'
expect_rc 0 "--allow-any-path" "$EVMAP" batch "$D/esc.yaml" -o "$D/esc" --allow-any-path $SZ -q
[ -f "$D/escape.png" ] && pass || fail "--allow-any-path did not write ../escape.png"
printf -- '- { spec: %s, output: same.png }\n- { spec: %s, output: ./same.png }\n' "$EX" "$EX" >"$D/dup.yaml"
expect_rc 1 "duplicate outputs" "$EVMAP" batch "$D/dup.yaml" -o "$D/dup" $SZ -q
grep_err "duplicate named" 'dup\.yaml:2:3: output ".*same\.png" is also written by the job at .*dup\.yaml:1:3'
[ ! -e "$D/dup" ] && pass || fail "duplicates: something rendered"

# --- malformed manifests: file:line:col, exit 1, nothing rendered
printf 'jobs:\n  - {spec: a.yaml\n' >"$D/bad1.yaml"
expect_rc 1 "YAML syntax error" "$EVMAP" batch "$D/bad1.yaml" -o "$D/bad"
grep_err "syntax error position" 'bad1\.yaml:3:1: YAML syntax error'
printf 'jobs:\n  - {spec: a.yaml, sise: 10x10}\n' >"$D/bad2.yaml"
expect_rc 1 "unknown key" "$EVMAP" batch "$D/bad2.yaml" -o "$D/bad"
grep_err "unknown key suggestion" 'bad2\.yaml:2:20: unknown key "sise" in a job; did you mean "size"\?'
printf 'jobs: []\n' >"$D/bad3.yaml"
expect_rc 1 "no jobs" "$EVMAP" batch "$D/bad3.yaml" -o "$D/bad"
printf -- '- {spec: a.yaml, date: 2022-01-40}\n' >"$D/bad4.yaml"
expect_rc 1 "bad date" "$EVMAP" batch "$D/bad4.yaml" -o "$D/bad"
grep_err "bad date position" 'bad4\.yaml:1:24: bad date'
[ ! -e "$D/bad" ] && pass || fail "a bad manifest rendered something"
expect_rc 3 "missing manifest" "$EVMAP" batch "$D/nope.yaml" -o "$D/bad"

# --- usage
expect_rc 2 "no -o" "$EVMAP" batch "$D/many.yaml"
expect_rc 2 "no manifest" "$EVMAP" batch -o "$D/x"
expect_rc 2 "unknown option" "$EVMAP" batch "$D/many.yaml" -o "$D/x" --bogus
expect_rc 2 "-j 0" "$EVMAP" batch "$D/many.yaml" -o "$D/x" -j 0
# --- one YAML reader: an anchor set in one job is used in the next, and
# the reader's limits hold for manifests (nested brackets fail at once)
mkdir -p "$D/anch"
cat > "$D/anch/m.yaml" <<'EOF'
jobs:
  - spec: &base
      title: Anchored
      events:
        - { lat: 43.25, lon: 76.95, type: riot, date: 2022-01-05, label: &l Almaty }
        - { lat: 47.1, lon: 51.9, type: protest, date: 2022-01-02, label: *l }
    output: a.svg
  - { spec: *base, output: b.svg }
  - { spec: *base, output: c.svg, date: 2022-01-05 }
EOF
expect_rc 0 "anchors across jobs" "$EVMAP" batch "$D/anch/m.yaml" -o "$D/anch/out" -q $SZ
[ -s "$D/anch/out/a.svg" ] && cmp -s "$D/anch/out/a.svg" "$D/anch/out/b.svg" && pass ||
    fail "the aliased spec does not draw the same map"
[ -s "$D/anch/out/c.svg" ] && ! cmp -s "$D/anch/out/a.svg" "$D/anch/out/c.svg" && pass ||
    fail "the aliased spec with a date window draws the whole map"
{ printf -- '- {spec: a.yaml, size: '; head -c 400000 /dev/zero | tr '\0' '['; echo; } > "$D/anch/deep.yaml"
expect_rc 1 "a manifest of nested brackets" "$EVMAP" batch "$D/anch/deep.yaml" -o "$D/anch/out2" -q
grep_err "refused at its line:col" 'deep\.yaml:1:[0-9]+: the manifest nests more than 32 levels deep'


# a job's unknown projection is named at its spec's line and column, as
# render and validate name it
mkdir -p "$D/proj"
printf 'title: x\nprojection: "EPSG:99999"\nevents:\n  - { place: Almaty, type: riot }\n' >"$D/proj/p.yaml"
expect_rc 1 "unknown projection in a job" "$EVMAP" batch "$D/proj" -o "$D/proj/out"
grep_err "the job's projection at file:line:col" 'p\.yaml:2:13: projection "EPSG:99999"'

report
