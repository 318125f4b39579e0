#!/usr/bin/env python3
"""Checks a layout report (evmap render ... --layout FILE.json) for what a
published map must not have, and prints one line per fault:
  leader x leader   two leader lines cross
  leader x label    a leader crosses another label's box
  leader x symbols  a leader crosses two or more other places' symbols
                    (one is allowed: a place walled in by others' symbols
                    keeps its label; a symbol its own point lies in does
                    not count)
  label x symbol    a shown label's box covers a symbol
  label x label     two shown labels overlap
  legend x data     the legend covers a symbol or an occupied hexagon
  title x data      the title block covers a symbol or an occupied hexagon
  label x data      a shown label covers an occupied hexagon (its inner
                    circle)
Usage: layout_check.py FILE.json [--count]; exit 1 when there is a fault
(with --count: prints "KIND N" lines, and "leader x symbol N", leaders
crossing one symbol, and exits 0)."""
import json, math, sys

EPS = 0.5  # px: touching is not crossing


def seg_cross(a, b):
    """Proper intersection of segments a and b (x0, y0, x1, y1)."""
    def orient(px, py, qx, qy, rx, ry):
        return (qx - px) * (ry - py) - (qy - py) * (rx - px)
    p1, p2, q1, q2 = a[:2], a[2:], b[:2], b[2:]
    d1 = orient(*q1, *q2, *p1)
    d2 = orient(*q1, *q2, *p2)
    d3 = orient(*p1, *p2, *q1)
    d4 = orient(*p1, *p2, *q2)
    return d1 * d2 < 0 and d3 * d4 < 0


def seg_rect(s, r):
    """Does segment s pass through the interior of rect r (x0,y0,x1,y1),
    shrunk by EPS? Liang-Barsky."""
    x0, y0, x1, y1 = s
    rx0, ry0, rx1, ry1 = r[0] + EPS, r[1] + EPS, r[2] - EPS, r[3] - EPS
    if rx0 >= rx1 or ry0 >= ry1:
        return False
    dx, dy = x1 - x0, y1 - y0
    t0, t1 = 0.0, 1.0
    for p, q in ((-dx, x0 - rx0), (dx, rx1 - x0), (-dy, y0 - ry0),
                 (dy, ry1 - y0)):
        if p == 0:
            if q < 0:
                return False
        else:
            t = q / p
            if p < 0:
                t0 = max(t0, t)
            else:
                t1 = min(t1, t)
            if t0 > t1:
                return False
    return t0 < t1


def seg_circle(s, cx, cy, r):
    x0, y0, x1, y1 = s
    dx, dy = x1 - x0, y1 - y0
    L2 = dx * dx + dy * dy
    t = 0 if L2 == 0 else max(0, min(1, ((cx - x0) * dx + (cy - y0) * dy) / L2))
    return math.hypot(x0 + t * dx - cx, y0 + t * dy - cy) < r - EPS


def rect_circle(r, cx, cy, rad):
    nx = min(max(cx, r[0]), r[2])
    ny = min(max(cy, r[1]), r[3])
    return math.hypot(nx - cx, ny - cy) < rad - EPS


def anchor(label, syms):
    """The point a label's leader starts from: its place's symbol."""
    ev = set(label["events"])
    for y in syms:
        if set(y["events"]) & ev:
            return y["true_x"], y["true_y"]
    return None, None


def faults(rep):
    out = []
    labels = [l for l in rep["labels"] if l["shown"]]
    box = [(l["x"], l["y"], l["x"] + l["w"], l["y"] + l["h"]) for l in labels]
    syms = [s for s in rep["symbols"] if "events" in s]
    lead = [(i, l["leader_line"]) for i, l in enumerate(labels)
            if l.get("leader_line")]
    for a in range(len(lead)):
        for b in range(a + 1, len(lead)):
            if seg_cross(lead[a][1], lead[b][1]):
                out.append(("leader x leader", labels[lead[a][0]]["text"],
                            labels[lead[b][0]]["text"]))
    for i, s in lead:
        for j, r in enumerate(box):
            if j != i and seg_rect(s, r):
                out.append(("leader x label", labels[i]["text"],
                            labels[j]["text"]))
        own = set(labels[i]["events"])
        ax, ay = anchor(labels[i], syms)
        crossed = []
        for y in syms:
            if set(y["events"]) <= own:
                continue
            # a symbol the place's point lies in (symbols overlap there:
            # no leader could leave without crossing it)
            if ax is not None and math.hypot(ax - y["x"], ay - y["y"]) < y["r"]:
                continue
            if seg_circle(s, y["x"], y["y"], y["r"]):
                crossed.append("symbol of %d at %.0f,%.0f" % (y["count"],
                                                              y["x"], y["y"]))
        if crossed:
            out.append(("leader x symbols" if len(crossed) > 1
                        else "leader x symbol", labels[i]["text"],
                        "; ".join(crossed)))
    for key, what in (("legend_box", "legend"), ("title_box", "title")):
        lb = rep.get(key)
        if not lb:
            continue
        for y in rep["symbols"]:
            if y.get("count", 1) and rect_circle(lb, y["x"], y["y"], y["r"]):
                out.append((what + " x data", what,
                            "symbol of %d at %.0f,%.0f" % (y.get("count", 0),
                                                           y["x"], y["y"])))
    bins = [y for y in rep["symbols"] if "events" not in y and y.get("count")]
    for i, r in enumerate(box):
        for y in bins:
            if rect_circle(r, y["x"], y["y"], y["r"] * math.sqrt(3) / 2):
                out.append(("label x data", labels[i]["text"],
                            "hexagon of %d at %.0f,%.0f" % (y["count"],
                                                            y["x"], y["y"])))
                break
        for y in syms:
            if rect_circle(r, y["x"], y["y"], y["r"]):
                out.append(("label x symbol", labels[i]["text"],
                            "symbol of %d at %.0f,%.0f" % (y["count"], y["x"],
                                                           y["y"])))
        for j in range(i + 1, len(box)):
            q = box[j]
            if (r[0] < q[2] - EPS and q[0] < r[2] - EPS and
                    r[1] < q[3] - EPS and q[1] < r[3] - EPS):
                out.append(("label x label", labels[i]["text"],
                            labels[j]["text"]))
    return out


def main():
    rep = json.load(open(sys.argv[1]))
    f = faults(rep)
    if "--count" in sys.argv:
        kinds = ["leader x leader", "leader x label", "leader x symbols",
                 "leader x symbol", "label x symbol", "label x label",
                 "legend x data", "label x data"]
        for k in kinds:
            print("%s %d" % (k, sum(1 for x in f if x[0] == k)))
        return 0
    f = [x for x in f if x[0] != "leader x symbol"]
    for k, a, b in f:
        print("%s: %s | %s" % (k, a.replace("\n", " / "), b.replace("\n", " / ")))
    return 1 if f else 0


sys.exit(main())
