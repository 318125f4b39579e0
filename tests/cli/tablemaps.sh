# Maps of whole event tables read as an analyst would publish them, checked
# through the layout report (tests/layout_check.py): no two leaders cross,
# no leader crosses a label or another place's symbol, no label covers a
# symbol or another label. Real data (UCDP GED for Bangladesh, from HDX:
# tests/data/tables/ucdp_bgd_hdx.csv, CC BY-IGO, Sundberg & Melander 2013)
# and the synthetic Myanmar UCDP and GDELT tables of bench/events/synth.py.
. "$EVMAP_ROOT/tests/lib.sh"
D="$T_DIR"
BGD="$EVMAP_ROOT/tests/data/tables/ucdp_bgd_hdx.csv"
CHECK="$EVMAP_ROOT/tests/layout_check.py"
python3 "$EVMAP_ROOT/bench/events/synth.py" "$D" >/dev/null
MMR="$D/ucdp_ged_mmr.csv"
GD="$D/20240315101500.export.CSV"

# clean NAME ARGS...: the map draws and its layout has no fault
clean() {
    local name=$1; shift
    expect_rc 0 "$name" "$EVMAP" render "$@" -o "$D/$name.png" --layout "$D/$name.json" -q
    if python3 "$CHECK" "$D/$name.json" >"$D/$name.faults"; then pass; else
        fail "$name: $(wc -l <"$D/$name.faults") layout faults: $(head -n 3 "$D/$name.faults")"; fi
}
clean bgd "$BGD"
clean bgd-1990s "$BGD" --date 1990-01-01..1999-12-31
clean bgd-southeast "$BGD" --extent 91,21,93,23.5
clean bgd-small "$BGD" --size 800x500
clean bgd-hexbin "$BGD" --style hexbin --size 800x500
clean bgd-points "$BGD" --style points --size 800x500
clean mmr "$MMR"
clean gdelt "$GD"
clean gdelt-all "$GD" --all --size 1200x700

# leaders are in the report, so the checks above see them
python3 - "$D/bgd.json" <<'PY' && pass || fail "BGD map: no leader_line in the layout report"
import json, sys
r = json.load(open(sys.argv[1]))
lead = [l for l in r["labels"] if l["shown"] and l["leader"]]
assert lead and all(len(l["leader_line"]) == 4 for l in lead), lead[:2]
PY
# a table's map shows its 25 labels on 1600 x 1000 when more places fit
python3 - "$D/bgd.json" <<'PY' && pass || fail "BGD map: fewer than 25 labels shown"
import json, sys
r = json.load(open(sys.argv[1]))
n = sum(l["shown"] for l in r["labels"])
assert n == 25, n
PY
report
