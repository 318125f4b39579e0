#!/usr/bin/env bash
# bench/render/gmt.sh — the reference map (examples/kazakhstan-2022.yaml) drawn
# with GMT 6 in modern mode, from the Natural Earth files that ./run converts.
#
#   gmt.sh prep WORKDIR        turn WORKDIR's events.tsv/labels.tsv into GMT
#                              inputs (once, not timed)
#   gmt.sh WORKDIR OUT.png     draw one 1600x1000 PNG (what is timed)
#
# Sizes are in points at 72 dpi, so 1 pt = 1 px of the PNG. Colours, line
# widths and font sizes follow the evmap light theme where GMT can.
set -euo pipefail

if [ "${1:-}" = prep ]; then
    W=$2
    # Event markers: lon lat class-index size symbol, coloured through cls.cpt.
    awk -F'\t' 'NR > 1 {
        c = $3; z = (c == "protest") ? 0 : (c == "riot") ? 1 : (c == "battle") ? 2 : (c == "strategic") ? 3 : 4
        sym = (c == "battle") ? "d" : (c == "strategic") ? "h" : (c == "infra") ? "s" : "c"
        printf "%s %s %d %sp %s\n", $1, $2, z, $4, sym }' "$W/events.tsv" >"$W/events.txt"
    cat >"$W/cls.cpt" <<'EOF'
0	#0072B2	1	#0072B2
1	#56B4E9	2	#56B4E9
2	#D55E00	3	#D55E00
3	#009E73	4	#009E73
4	#4D4D4D	5	#4D4D4D
EOF
    # Text: lon lat font justification text, one font per kind.
    awk -F'\t' 'NR > 1 {
        k = $3
        if (k == "event")   f = "12p,Helvetica,#1f1f1f=~2.5p,#efece4"
        if (k == "country") f = "12p,Helvetica,#6e6a62"
        if (k == "area")    f = "13p,Helvetica-Oblique,#4D4D4D=~2.5p,#efece4"
        if (k == "move")    f = "12p,Helvetica-Bold,#C0392B=~2.5p,#efece4"
        if (k == "origin")  f = "11p,Helvetica,#55514a=~2p,#efece4"
        j = $5
        print $1, $2, f, j, $4 }' "$W/labels.tsv" >"$W/labels.txt"
    awk -F'\t' 'NR > 1 && $3 == "origin" { print $1, $2 }' "$W/labels.tsv" >"$W/origins.txt"
    cat >"$W/legend.txt" <<'EOF'
S 10p c 14p #0072B2 1p,white 24p Protests
S 10p c 14p #56B4E9 1p,white 24p Riots
S 10p d 14p #D55E00 1p,white 24p Battles
S 10p h 14p #009E73 1p,white 24p Strategic developments
S 10p s 14p #4D4D4D 1p,white 24p Infrastructure / economic
S 10p - 18p - 4p,#C0392B,10_6:0 24p Airlift, Russia (CSTO)
S 10p r 18p/12p #c7c4be 1.2p,#4D4D4D 24p Internet shutdown
EOF
    exit 0
fi

W=$1
OUT=$2
case $OUT in /*) ;; *) OUT=$PWD/$OUT ;; esac
# Each map is its own GMT session, so several can run side by side.
export GMT_SESSION_NAME=evmapbench$$
cd "$W"

R=-1800/1800/-1000/1250+uk          # the frame in km around 64E 48.5N
J=L64/48.5/45/55/1600p              # Lambert conformal conic, 1600 px wide

gmt begin "${OUT%.png}" png A+r,E72
gmt set PS_MEDIA 2000px2000p FONT_ANNOT_PRIMARY 11p,Helvetica,#333333 \
    MAP_SCALE_HEIGHT 4p FONT_LABEL 11p,Helvetica,#333333 PS_CHAR_ENCODING ISOLatin1+
gmt basemap -R$R -J$J -B+n+g#d6e6f2
gmt plot land.gmt -G#efece4
# GMT 6.4 with Ghostscript 10 renders -t transparency opaque in PNG, so the
# area's 25% fill is pre-blended over the land colour and drawn under the
# water and lines; its edge is drawn above them.
gmt plot kaz.gmt -G#c7c4be
gmt plot lakes.gmt -G#d6e6f2
gmt plot rivers.gmt -W0.8p,#a9c8e0
gmt plot admin1.gmt -W0.5p,#b8b4aa,3_2:0
gmt plot borders.gmt -W2.5p,white
gmt plot borders.gmt -W0.9p,#8c8c8c
gmt plot kaz.gmt -W1.2p,#4D4D4D
gmt plot moves.gmt -W4p,#C0392B@10,10_6:0
gmt plot heads.txt -S=0.01p+e+s+h0.5 -W4p,#C0392B@10 -G#C0392B@10 --MAP_VECTOR_SHAPE=0.5
gmt plot origins.txt -Sc5p -G#55514a -W1p,white
gmt plot events.txt -Ccls.cpt -S -W1.5p,white
gmt text labels.txt -F+f+j -Dj5p
gmt text -F+cTL+jTL+f26p,Helvetica-Bold,#1a1a1a -Dj16p/16p -Gwhite@15 -C6p/4p <<'EOF'
Unrest in Kazakhstan
EOF
gmt text -F+cTL+jTL+f15p,Helvetica,#55514a -Dj22p/54p <<'EOF'
2-7 January 2022 - fuel-price protests, riots and the CSTO deployment
EOF
gmt text -F+cBR+jBR+f10p,Helvetica,#77736b -Dj8p/6p -Gwhite@30 <<'EOF'
Source: Reporting: TASS, RIA Novosti, Chevron, US State Department - Basemap: Natural Earth - Places: GeoNames (CC BY 4.0)
EOF
gmt legend legend.txt -DjTR+w250p+o16p -F+gwhite@10+p1p,#d0ccc2
gmt basemap -LjBL+c48.5+w500k+f+o40p/30p+u -F+gwhite@15+p1p,#d0ccc2
gmt end
