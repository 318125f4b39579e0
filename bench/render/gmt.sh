#!/usr/bin/env bash
# bench/render/gmt.sh — the reference map (examples/kazakhstan-2022.yaml) drawn
# with GMT 6 in modern mode, from the Natural Earth files that ./run converts.
#
#   gmt.sh prep WORKDIR        turn WORKDIR's events.tsv/labels.tsv into GMT
#                              inputs (once, not timed)
#   gmt.sh WORKDIR OUT.png     draw one 1600x1000 PNG (what is timed)
#
# Sizes are in points at 72 dpi, so 1 pt = 1 px of the PNG. Colours, line
# widths and font sizes follow evmap's light theme where GMT can; the fonts
# are GMT's built-in Helvetica.
set -euo pipefail

if [ "${1:-}" = prep ]; then
    W=$2
    # Event markers: lon lat category-index size symbol, coloured through cls.cpt.
    awk -F'\t' 'NR > 1 {
        c = $4; z = (c == "protest") ? 0 : (c == "riot") ? 1 : (c == "battle") ? 2 : (c == "strategic") ? 3 : 4
        sym = (c == "battle") ? "d" : (c == "strategic") ? "h" : (c == "infra") ? "s" : "c"
        printf "%s %s %d %sp %s\n", $1, $2, z, $5, sym }' "$W/events.tsv" >"$W/events.txt"
    cat >"$W/cls.cpt" <<'EOF'
0	#0072B2	1	#0072B2
1	#56B4E9	2	#56B4E9
2	#D55E00	3	#D55E00
3	#009E73	4	#009E73
4	#4D4D4D	5	#4D4D4D
EOF
    # Text: lon lat font justification text, one font per kind. GMT's fonts
    # are ISO Latin-1.
    awk -F'\t' 'NR > 1 {
        k = $3; h = "=~2.5p,#fbfaf6"
        if (k == "event")   f = "12p,Helvetica,#1f1f1f" h
        if (k == "place")   f = "12p,Helvetica-Bold,#1f1f1f" h
        if (k == "country") f = "12p,Helvetica,#6e6a62"
        if (k == "area")    f = "12p,Helvetica-Bold,#7B4EA3" h
        if (k == "move")    f = "11p,Helvetica-Bold,#C0392B" h
        if (k == "origin")  f = "10.5p,Helvetica,#1f1f1f" h
        if (k == "city")    f = "10.5p,Helvetica,#55514a" h
        print $1, $2, f, $5, $4 }' "$W/labels.tsv" | iconv -f UTF-8 -t ISO-8859-1//TRANSLIT >"$W/labels.txt"
    awk -F'\t' 'NR > 1 && $3 == "origin" { print $1, $2 }' "$W/labels.tsv" >"$W/origins.txt"
    awk -F'\t' 'NR > 1 && $3 == "city" { print $1, $2 }' "$W/labels.tsv" >"$W/cities.txt"
    cat >"$W/legend.txt" <<'EOF'
S 10p d 14p #D55E00 1p,white 24p Armed clash
S 10p d 14p #D55E00 1p,white 24p Recaptured
S 10p c 14p #0072B2 1p,white 24p Protest
S 10p c 14p #56B4E9 1p,white 24p Riot
S 10p h 14p #009E73 1p,white 24p Arson
S 10p h 14p #009E73 1p,white 24p Arrests
S 10p h 14p #009E73 1p,white 24p Seizure
S 10p s 14p #4D4D4D 1p,white 24p Oil / gas
S 10p s 14p #4D4D4D 1p,white 24p Rail disruption
S 10p - 18p - 4p,#C0392B,10_6:0 24p Russia (CSTO): airlift
S 10p r 18p/12p #eee8ee 1.4p,#7B4EA3 24p Internet shutdown
EOF
    exit 0
fi

W=$1
OUT=$2
case $OUT in /*) ;; *) OUT=$PWD/$OUT ;; esac
# Each map is its own GMT session, so several can run side by side.
export GMT_SESSION_NAME=evmapbench$$
cd "$W"

R=-2091/2091/-1135/1479+uk                     # the frame in km (see ./run)
J=L64.165/48.785/43.31/54.26/1600p             # evmap's Lambert conic, 1600 px wide

gmt begin "${OUT%.png}" png A+r,E72
gmt set PS_MEDIA 2000px2000p PS_CHAR_ENCODING ISOLatin1+ MAP_SCALE_HEIGHT 4p \
    FONT_ANNOT_PRIMARY 10p,Helvetica,#333333 FONT_LABEL 10p,Helvetica,#333333
gmt basemap -R$R -J$J -B+n+g#d6e6f2
gmt plot land.gmt -G#efece4
# The area's 10% fill, pre-blended over the focus country's land colour:
# GMT 6.4 with Ghostscript 10 renders -t transparency opaque in PNG.
gmt plot kaz.gmt -G#eee8ee
gmt plot lakes.gmt -G#d6e6f2
gmt plot rivers.gmt -W0.8p,#a9c8e0
gmt plot admin1.gmt -W0.6p,#b8b4aa,3_2:0
gmt plot borders.gmt -W2.4p,white
gmt plot borders.gmt -W0.9p,#8c8c8c
gmt plot kaz.gmt -W1.4p,#7B4EA3
gmt plot moves.gmt -W4p,#C0392B,10_6:0
gmt plot heads.txt -S=0.01p+e+s+h0.5 -W4p,#C0392B -G#C0392B --MAP_VECTOR_SHAPE=0.5
gmt plot cities.txt -Sc3p -G#6e6a62
gmt plot origins.txt -Sc6p -G#C0392B -W1p,white
gmt plot events.txt -Ccls.cpt -S -W1.5p,white
gmt text labels.txt -F+f+j -Dj6p
gmt legend legend.txt -DjTR+w170p+o16p -F+gwhite@10+p1p,#d0ccc2
gmt basemap -LjBL+c48.785+w500k+f+o40p/40p+u -F+gwhite@15
# Title box and footer band, in pixel coordinates of the canvas.
gmt plot -R0/1600/0/1000 -JX1600p/1000p -Gwhite <<'EOF'
>
18 908
522 908
522 984
18 984
>
0 0
1600 0
1600 21
0 21
EOF
gmt text -F+cTL+jTL+f24p,Helvetica-Bold,#1a1a1a -Dj26p/26p <<'EOF'
Unrest in Kazakhstan
EOF
gmt text -F+cTL+jTL+f14p,Helvetica,#55514a -Dj26p/62p <<'EOF'
2-7 January 2022 - fuel-price protests, riots and the CSTO deployment
EOF
gmt text -F+cBL+jBL+f10p,Helvetica,#77736b -Dj16p/6p <<'EOF'
Source: Reporting: TASS, RIA Novosti, Chevron, US State Department - Basemap: Natural Earth - Places: GeoNames (CC BY 4.0), OurAirports
EOF
gmt end
