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
# an ISO 8601 interval is the same window
expect_rc 0 "--date FROM/TO" "$EVMAP" render "$BGD" --date 1990-01-01/1999-12-31 -o "$D/iso.png" --layout "$D/iso.json" -q
cmp -s <(grep -v '"projection"' "$D/iso.json") <(grep -v '"projection"' "$D/bgd-1990s.json") && pass || fail "--date FROM/TO differs from FROM..TO"
clean bgd-southeast "$BGD" --extent 91,21,93,23.5
# a fixed frame with events in its top-left corner: the title moves to a
# clear corner rather than hide them (Dhaka sat under it)
clean bgd-dhaka-corner "$BGD" --extent 90.2,21,93,24
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

# events located only by country: gathered into one hollow symbol on the
# country's land, labelled as such; a border area keeps its point and
# reads well ("Bangladesh border", not "Bangladesh border Bangladesh")
python3 - "$D/bgd.json" <<'PY' && pass || fail "BGD: country-level events not gathered"
import json, sys
r = json.load(open(sys.argv[1]))
lab = {l["text"]: l for l in r["labels"]}
t = "Bangladesh (country-level): 15 events, 41 deaths"
assert t in lab and lab[t]["shown"], sorted(lab)[:5]
ev = set(lab[t]["events"])
sym = [s for s in r["symbols"] if set(s["events"]) == ev]
assert len(sym) == 1 and sym[0]["precision"] == "approximate", sym
s = sym[0]
# on Bangladesh's land, not at UCDP's points (21.45, 91.98 is off the coast)
assert 88.5 < s["lon"] < 92.5 and 22.5 < s["lat"] < 26, (s["lon"], s["lat"])
assert not any("Bangladesh border Bangladesh" in x for x in lab), "doubled name"
assert any(x.startswith("Bangladesh border: 2 events") for x in lab), sorted(lab)
assert not any(x.startswith("Bangladesh:") for x in lab), "ungathered"
PY
# a map of one region, the country's point off it: the events stay, but
# still read as country-level
python3 - "$D/bgd-southeast.json" <<'PY' && pass || fail "BGD south-east: country-level label"
import json, sys
r = json.load(open(sys.argv[1]))
texts = [l["text"] for l in r["labels"]]
assert "Bangladesh (country-level): 12 events, 32 deaths" in texts, texts
assert not any(t.startswith("Bangladesh:") for t in texts), texts
PY
python3 - "$D/gdelt.json" <<'PY' && pass || fail "GDELT: country centroids not gathered"
import json, sys
r = json.load(open(sys.argv[1]))
texts = [l["text"] for l in r["labels"]]
for c in ("Russia", "Brazil", "Canada", "China"):
    assert any(t.startswith(c + " (country-level): ") for t in texts), (c, texts)
    assert not any(t.startswith(c + ": ") for t in texts), (c, texts)
PY
python3 - "$D/mmr.json" <<'PY' && pass || fail "Myanmar (Burma): country not read"
import json, sys
r = json.load(open(sys.argv[1]))
assert r["title"] == "UCDP GED: Myanmar", r["title"]
assert any(l["text"].startswith("Myanmar (country-level): 55 events") and l["shown"]
           for l in r["labels"]), [l["text"] for l in r["labels"]][:8]
PY
python3 - "$D/bgd-hexbin.json" <<'PY' && pass || fail "BGD hexbin: country-level events binned"
import json, sys
r = json.load(open(sys.argv[1]))
assert "15 country-level events not mapped" in r["legend"], r["legend"]
n = sum(s["count"] for s in r["symbols"])
assert n == 601 - r["omitted"]["events_outside_frame"] - 15, n
PY

# points: approximate locations are rings, and the legend says so; a
# world heatmap's peak reads in a unit that is not 0
python3 - "$D/bgd-points.json" <<'PY' && pass || fail "BGD points: legend"
import json, sys
r = json.load(open(sys.argv[1]))
assert "Rings: location known only to a region" in r["legend"], r["legend"]
PY
expect_rc 0 "GDELT world heatmap" "$EVMAP" render "$GD" --all --style heatmap -o "$D/gdheat.png" --layout "$D/gdheat.json" -q
python3 - "$D/gdheat.json" <<'PY' && pass || fail "world heatmap: peak reads 0"
import json, re, sys
r = json.load(open(sys.argv[1]))
peak = [t for t in r["legend"] if t.startswith("low")][0]
m = re.search(r"peak ([0-9.,]+) per ([0-9,]+) km", peak)
assert m and float(m.group(1).replace(",", "")) > 0, peak
PY

# hexagons by deaths (--measure fatalities, or measure: in a spec): the
# legend says what is counted, the labels give deaths, and the fullest
# hexagon by deaths is labelled first
expect_rc 0 "hexbin by deaths" "$EVMAP" render "$BGD" --style hexbin --measure fatalities --size 800x500 -o "$D/hexf.png" --layout "$D/hexf.json" -q
python3 - "$D/hexf.json" <<'PY' && pass || fail "hexbin --measure fatalities: report"
import json, sys
r = json.load(open(sys.argv[1]))
assert r["measure"] == "fatalities", r["measure"]
assert r["legend"][0].startswith("Deaths per hexagon"), r["legend"]
assert "events, no deaths" in r["legend"], r["legend"]
top = max(s["fatalities"] for s in r["symbols"])
first = r["labels"][0]["text"]
assert first.endswith(": %d deaths" % top), (first, top)
assert all(l["text"].endswith("deaths") for l in r["labels"]), r["labels"]
PY
clean hexf-clean "$BGD" --style hexbin --measure fatalities --size 800x500
expect_rc 0 "hexbin by events" "$EVMAP" render "$BGD" --style hexbin --size 800x500 -o "$D/hexn.png" --layout "$D/hexn.json" -q
python3 - "$D/hexn.json" <<'PY' && pass || fail "hexbin by events: report"
import json, sys
r = json.load(open(sys.argv[1]))
assert r["measure"] == "events", r["measure"]
assert r["legend"][0].startswith("Events per hexagon"), r["legend"]
assert all(l["text"].endswith(("events", "event")) for l in r["labels"])
PY
expect_rc 0 "heatmap by deaths" "$EVMAP" render "$BGD" --style heatmap --measure deaths --size 800x500 -o "$D/heatf.png" --layout "$D/heatf.json" -q
grep -q '"Density of deaths"' "$D/heatf.json" && pass || fail "heatmap legend does not say deaths"
printf 'events: { from: %s }\nstyle: hexbin\nmeasure: deaths\n' "$BGD" > "$D/m.yaml"
expect_rc 0 "spec measure: deaths" "$EVMAP" render "$D/m.yaml" -o "$D/m.png" --layout "$D/m.json" -q
grep -q '"measure": "fatalities"' "$D/m.json" && pass || fail "spec measure: not applied"
printf 'events: { from: %s }\nmeasure: fatalitis\n' "$BGD" > "$D/bad.yaml"
expect_rc 1 "spec measure: misspelt" "$EVMAP" render "$D/bad.yaml" -o "$D/bad.png"
grep_err "misspelt measure suggests" 'bad.yaml:2:10: unknown measure "fatalitis" .* did you mean "fatalities"'
[ ! -e "$D/bad.png" ] && pass || fail "bad measure left an output"
expect_rc 2 "--measure misspelt" "$EVMAP" render "$BGD" --measure evnts -o "$D/bad2.png"
grep_err "--measure suggests" 'did you mean "events"'
expect_rc 0 "--measure fatalities on GDELT" "$EVMAP" render "$GD" --style hexbin --measure fatalities -o "$D/gdf.png"
grep_err "no deaths warned" 'measure fatalities: no event drawn has deaths'
report
