# evmap geoparse and evmap extract from the command line: output forms,
# JSON Lines in batch, bad input (not UTF-8, empty, a line that is not an
# object), long streams in bounded memory, drafts that validate and render.
. "$EVMAP_ROOT/tests/lib.sh"
D="$T_DIR"
R="$EVMAP_ROOT/tests/data/reports"

# --- the three output forms
printf 'Protests spread from Almaty to Aktau, Kazakhstan, on Wednesday.\n' >"$D/a.txt"
expect_rc 0 "table" "$EVMAP" geoparse "$D/a.txt"
grep_out "table header" '^offset +text +place +country +kind +lat +lon'
grep_out "Almaty row" '^21 +Almaty +Almaty +KZ +city'
expect_rc 0 "json" "$EVMAP" geoparse --json - <"$D/a.txt"
grep_out "json span and place" '\{"start":21,"end":27,"text":"Almaty","name":"Almaty","lat":43\.2[0-9]*,"lon":76\.9'
grep_out "Aktau resolved" '"text":"Aktau","name":"Aktau",.*"country":"KZ"'
grep_out "Kazakhstan a country" '"text":"Kazakhstan","name":"Kazakhstan",.*"kind":"country"'

# --- batch: one line out per line in, in order, ids as given
printf '{"id":"b","text":"Fighting in Khartoum."}\n\n{"text":"Rain in Lviv.","id":7,"extra":[1,{"x":null}]}\n{"id":"c","text":"no places here"}\n' >"$D/in.jsonl"
expect_rc 0 "batch" "$EVMAP" geoparse --json --batch "$D/in.jsonl"
[ "$(wc -l <"$D/out")" = 3 ] && pass || fail "batch: $(wc -l <"$D/out") lines, want 3"
[ "$(sed -n 1p "$D/out" | grep -c '^{"id":"b","places":\[{"start":12,"end":20,"text":"Khartoum"')" = 1 ] && pass || fail "batch line 1: $(sed -n 1p "$D/out")"
[ "$(sed -n 2p "$D/out" | grep -c '^{"id":7,"places":\[{"start":8,"end":12,"text":"Lviv"')" = 1 ] && pass || fail "batch line 2: $(sed -n 2p "$D/out")"
[ "$(sed -n 3p "$D/out")" = '{"id":"c","places":[]}' ] && pass || fail "batch line 3: $(sed -n 3p "$D/out")"
printf '{"id":1,"text":"a \\u00e9 \\ud83d\\ude00 Odesa"}\n' | "$EVMAP" geoparse --json --batch - >"$D/out" 2>&1
grep_out "escapes decoded, offsets in code points" '"start":6,"end":11,"text":"Odesa"'

# --- bad input
printf '{"id":1,"text":"Kyiv"}\n[1,2]\n' >"$D/bad.jsonl"
expect_rc 1 "a line that is not an object" "$EVMAP" geoparse --json --batch "$D/bad.jsonl"
grep_err "the line named" 'bad\.jsonl:2: not a JSON object'
printf '{"id":1}\n' | "$EVMAP" geoparse --batch - >/dev/null 2>"$D/err"; rc=$?
[ $rc = 1 ] && grep -q 'stdin:1: column 9: no "text" member' "$D/err" && pass || fail "no text member: rc $rc $(cat "$D/err")"
printf 'Paris is \xff nice' >"$D/latin1.txt"
expect_rc 1 "not UTF-8" "$EVMAP" geoparse "$D/latin1.txt"
grep_err "byte offset given" 'latin1\.txt: byte 9: text is not valid UTF-8'
[ ! -s "$D/out" ] && pass || fail "output printed for bad text: $(cat "$D/out")"
: >"$D/empty.txt"
expect_rc 0 "empty text" "$EVMAP" geoparse --json "$D/empty.txt"
grep_out "no places" '^\{"places":\[\]\}$'
expect_rc 2 "usage" "$EVMAP" geoparse --frobnicate x

# --- a long stream in bounded memory (about 24 MB, cut at paragraphs);
# the memory bound is checked only without sanitizers (ASan's shadow
# memory and quarantine more than double a process's footprint)
sanitized=0
case "$EVMAP" in */build-san/*) sanitized=1 ;; esac
if [ -x /usr/bin/time ]; then
    for i in $(seq 1 400); do printf 'Police in Springfield, Illinois, said on Monday that crews from Chicago and Peoria helped.\n\n'; done >"$D/para.txt"
    for i in $(seq 1 7); do cat "$D/para.txt" "$D/para.txt" >"$D/p2.txt"; mv "$D/p2.txt" "$D/para.txt"; done
    /usr/bin/time -f '%M' -o "$D/rss" "$EVMAP" geoparse --json "$D/para.txt" >"$D/out" 2>/dev/null; rc=$?
    n=$(grep -o '"text":"Peoria"' "$D/out" | wc -l)
    [ $rc = 0 ] && [ "$n" = $((400 * 128)) ] && pass || fail "stream: rc $rc, $n Peoria, want $((400 * 128))"
    [ $sanitized = 1 ] || [ "$(cat "$D/rss")" -lt 100000 ] && pass ||
        fail "stream used $(cat "$D/rss") KB"
fi

# --- extract: drafts that validate, with what the reports say
expect_rc 1 "extract of an empty report" "$EVMAP" extract "$D/empty.txt" -o "$D/e.yaml"
grep_err "no places" 'no places found'
[ ! -e "$D/e.yaml" ] && pass || fail "a draft was written for an empty report"
printf 'nothing to see here. the weather was fine.\n' >"$D/none.txt"
expect_rc 1 "a report without places" "$EVMAP" extract "$D/none.txt" -o "$D/e.yaml"
expect_rc 1 "extract of text that is not UTF-8" "$EVMAP" extract "$D/latin1.txt"
grep_err "byte offset" 'byte 9'

expect_rc 0 "sudan draft" "$EVMAP" extract "$R/sudan-2023.txt" -o "$D/sudan.yaml"
ok "sudan draft validates" "$EVMAP" validate "$D/sudan.yaml"
S="$D/sudan.yaml"
grep -q '^title: "Fighting spreads across Sudan' "$S" && pass || fail "sudan title"
grep -q '^subtitle: "As reported on 22 April 2023"' "$S" && pass || fail "sudan subtitle"
grep -A2 'name: "Khartoum"' "$S" | grep -q 'type: armed clash' && pass || fail "Khartoum clash"
grep -A2 'name: "Omdurman"' "$S" | grep -q 'type: airstrike' && pass || fail "Omdurman air strike"
grep -A4 'name: "Al-Junaynah"' "$S" | grep -q 'fatalities: 56' && pass || fail "56 killed in El Geneina"
grep -A3 'name: "Al-Junaynah"' "$S" | grep -q 'date: 2023-04-21' && pass || fail "Friday before the dateline"
grep -A2 'name: "Nyala"' "$S" | grep -q 'type: arson' && pass || fail "Nyala arson"
grep -B1 -A4 'from: { name: "Nyala"' "$S" | grep -q 'side: "RSF"' && pass || fail "RSF convoy"
grep -A3 'from: { name: "Sudan"' "$S" | grep -q 'to: { name: "Chad"' && pass || fail "refugees into Chad"
sed -n "/^areas:/,\$p" "$S" | grep -A1 'name: "Sudan"' | grep -q 'internet shutdown' && pass || fail "internet cut across Sudan"
grep -q 'confidence: claimed' "$S" && pass || fail "attributed statements claimed"
grep -q '^  # "At least 56 civilians were killed' "$S" && pass || fail "sentence quoted"

expect_rc 0 "ukraine draft" "$EVMAP" extract "$R/ukraine-2022.txt" -o "$D/ua.yaml"
ok "ukraine draft validates" "$EVMAP" validate "$D/ua.yaml"
U="$D/ua.yaml"
grep -q '^source: "Reporting: Reuters"' "$U" && pass || fail "agency cited"
grep -A3 'name: "Kharkiv"' "$U" | grep -q 'fatalities: 4' && pass || fail "four killed in Kharkiv"
grep -A2 'name: "Balakliia"' "$U" | grep -q 'type: recaptured' && pass || fail "Balakliia recaptured"
grep -A1 'from: { name: "Balakliia"' "$U" | grep -q 'Kupiansk' && pass || fail "advance toward Kupiansk"
grep -A2 'from: { name: "Izium"' "$U" | grep -q 'type: withdrawal' && pass || fail "withdrawal from Izium"
grep -A2 'name: "Kyiv"' "$U" | grep -q 'type: protest' && pass || fail "Kyiv rally"
grep -A3 'name: "Kyiv"' "$U" | grep -q 'date: 2022-09-04' && pass || fail "Sunday before the dateline"

expect_rc 0 "US local draft" "$EVMAP" extract "$R/us-local-2021.txt" -o "$D/us.yaml"
ok "US local draft validates" "$EVMAP" validate "$D/us.yaml"
grep -A2 'name: "Portland"' "$D/us.yaml" | grep -q 'type: arrests' && pass || fail "Portland arrests"
grep -A2 'name: "Portland"' "$D/us.yaml" | grep -q 'type: arson' && pass || fail "Portland arson"
grep -q 'country: US' "$D/us.yaml" && pass || fail "Portland, Ore. in the US"

expect_rc 0 "myanmar draft" "$EVMAP" extract "$R/myanmar-2023.txt" -o "$D/mm.yaml"
ok "myanmar draft validates" "$EVMAP" validate "$D/mm.yaml"
M="$D/mm.yaml"
grep -q 'name: "Yangon"' "$M" && fail "the dateline's city is no event" || pass
grep -A3 'name: "Laukkai' "$M" | grep -q 'date: 2023-11-13' && pass || fail "Monday before the dateline, not the dateline's date"
for town in Sagaing Lashio Kutkai; do
    grep -q "name: \"$town\"" "$M" && pass || fail "$town: every town of the sentence gets its event"
done
grep -A2 'name: "Mandalay"' "$M" | grep -q 'abduction' && pass || fail "Mandalay abduction"
grep -A1 'from: { name: "Lashio"' "$M" | grep -q 'to: { name: "China"' && pass || fail "fled toward the Chinese border"

expect_rc 0 "movements draft" "$EVMAP" extract "$R/movements-2022.txt" -o "$D/mv.yaml"
ok "movements draft validates" "$EVMAP" validate "$D/mv.yaml"
V="$D/mv.yaml"
[ "$(grep -c '^  - from:' "$V")" = 5 ] && pass || fail "five movements: $(grep -c '^  - from:' "$V")"
grep -A3 'from: { name: "Belarus"' "$V" | grep -q 'side: "Russia"' && pass || fail "crossed the border from Belarus"
grep -B1 -A3 'from: { name: "Moscow"' "$V" | grep -q 'type: airlift' && pass || fail "flown in from Russia: an airlift from its capital"
grep -B2 'from: { name: "Moscow"' "$V" | grep -q 'gives the origin only as a country' && pass || fail "the comment says the origin was a country"
grep -A3 'from: { name: "Crimea"' "$V" | grep -q 'type: withdrawal' && pass || fail "pushed out of Crimea: a withdrawal"
grep -A3 'from: { name: "Crimea"' "$V" | grep -q 'side: "Russia"' && pass || fail "pushed out of Crimea: the side pushed"
grep -A3 'from: { name: "Bakhmut"' "$V" | grep -q 'side: "Wagner"' && pass || fail "Wagner"
grep -A3 'from: { name: "Kharkiv"' "$V" | grep -q 'side: "civilians"' && pass || fail "refugees are civilians"

# render takes a report directly
expect_rc 0 "render a report" "$EVMAP" render "$R/sudan-2023.txt" -o "$D/sudan.png" --size 600x400 -q
[ "$(od -An -tx1 -N4 "$D/sudan.png" | tr -d ' \n')" = 89504e47 ] && pass || fail "no PNG"
report
