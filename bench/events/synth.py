#!/usr/bin/env python3
"""Event tables shaped like real exports, for looking at maps of them
(docs/ images) and for the benchmarks: a UCDP GED 19.1 table for Myanmar
(42 columns; where_prec 1 exact ... 6 country, a day in northern Rakhine
with country-level events, 485 events at one site) and a GDELT 2.0
15-minute export (61 tab-separated columns, most rows statements and
consultations, city, ADM1 and country-centroid locations).
Deterministic. Usage: synth.py OUTDIR"""
import csv, os, random, sys

out = sys.argv[1] if len(sys.argv) > 1 else "."
R = random.Random(9)

MM = [  # name, lat, lon, adm1
    ("Maungdaw town", 20.822, 92.368, "Rakhine State"),
    ("Buthidaung town", 20.870, 92.530, "Rakhine State"),
    ("Rathedaung town", 20.480, 92.750, "Rakhine State"),
    ("Sittwe town", 20.150, 92.900, "Rakhine State"),
    ("Paletwa town", 21.300, 92.850, "Chin State"),
    ("Myitkyina town", 25.383, 97.396, "Kachin State"),
    ("Laiza town", 24.770, 97.560, "Kachin State"),
    ("Hpakant town", 25.610, 96.310, "Kachin State"),
    ("Lashio town", 22.933, 97.750, "Shan State"),
    ("Muse town", 23.990, 97.900, "Shan State"),
    ("Kutkai town", 23.450, 97.930, "Shan State"),
    ("Namhkam town", 23.840, 97.680, "Shan State"),
    ("Hsipaw town", 22.620, 97.300, "Shan State"),
    ("Kyaukme town", 22.530, 97.030, "Shan State"),
    ("Mandalay city", 21.975, 96.083, "Mandalay Region"),
    ("Yangon city", 16.800, 96.160, "Yangon Region"),
    ("Myawaddy town", 16.690, 98.510, "Kayin State"),
    ("Hpa-an town", 16.890, 97.630, "Kayin State"),
    ("Loikaw town", 19.670, 97.210, "Kayah State"),
]
ADM1 = {"Rakhine State": (19.8, 93.9), "Kachin State": (26.0, 97.5),
        "Shan State": (21.5, 98.0)}
COUNTRY = (21.92, 95.96)
DYADS = [("Government of Myanmar (Burma) - KIO", 1, "Government of Myanmar (Burma)", "KIO"),
         ("Government of Myanmar (Burma) - TNLA", 1, "Government of Myanmar (Burma)", "TNLA"),
         ("Government of Myanmar (Burma) - ARSA", 1, "Government of Myanmar (Burma)", "ARSA"),
         ("Government of Myanmar (Burma) - AA", 1, "Government of Myanmar (Burma)", "AA"),
         ("Government of Myanmar (Burma) - Civilians", 3, "Government of Myanmar (Burma)", "Civilians"),
         ("KIO - TNLA", 2, "KIO", "TNLA")]
HEAD = ("id,year,active_year,type_of_violence,conflict_new_id,conflict_name,"
        "dyad_new_id,dyad_name,side_a_new_id,gwnoa,side_a,side_b_new_id,gwnob,"
        "side_b,number_of_sources,source_article,source_office,source_date,"
        "source_headline,source_original,where_prec,where_coordinates,adm_1,"
        "adm_2,latitude,longitude,geom_wkt,priogrid_gid,country,country_id,"
        "region,event_clarity,date_prec,date_start,date_end,deaths_a,deaths_b,"
        "deaths_civilians,deaths_unknown,low,best,high").split(",")


def ucdp():
    rows = []

    def add(day, name, lat, lon, adm1, prec, dyad=None, best=None):
        d = dyad or R.choice(DYADS)
        best = best if best is not None else R.choice([0, 0, 1, 1, 2, 3, 5, 8, 13, 30])
        rows.append({
            "id": 100000 + len(rows), "year": day[:4], "active_year": 1,
            "type_of_violence": d[1], "conflict_new_id": 200 + DYADS.index(d),
            "conflict_name": d[0], "dyad_new_id": 500 + DYADS.index(d),
            "dyad_name": d[0], "side_a_new_id": 1, "gwnoa": 775, "side_a": d[2],
            "side_b_new_id": 2, "gwnob": "", "side_b": d[3],
            "number_of_sources": 1, "source_article": "", "source_office": "",
            "source_date": day, "source_headline": "", "source_original": "",
            "where_prec": prec, "where_coordinates": name, "adm_1": adm1,
            "adm_2": "", "latitude": "%.4f" % lat, "longitude": "%.4f" % lon,
            "geom_wkt": "POINT (%.4f %.4f)" % (lon, lat), "priogrid_gid": 0,
            "country": "Myanmar (Burma)", "country_id": 775, "region": "Asia",
            "event_clarity": 1, "date_prec": 1, "date_start": day + " 00:00:00.000",
            "date_end": day + " 00:00:00.000", "deaths_a": 0, "deaths_b": 0,
            "deaths_civilians": 0, "deaths_unknown": best, "low": best,
            "best": best, "high": best})

    for i in range(900):
        y = R.randint(2012, 2018)
        day = "%d-%02d-%02d" % (y, R.randint(1, 12), R.randint(1, 28))
        name, lat, lon, adm1 = R.choice(MM)
        r = R.random()
        if r < 0.08:
            lat, lon = ADM1.get(adm1, COUNTRY)
            add(day, adm1, lat, lon, adm1, 4)
        elif r < 0.12:
            add(day, "Myanmar (Burma)", COUNTRY[0], COUNTRY[1], "", 6)
        else:
            add(day, name, lat + R.uniform(-0.03, 0.03), lon + R.uniform(-0.03, 0.03), adm1, R.choice([1, 1, 2, 3]))
    # 485 events at one site
    for i in range(485):
        day = "%d-%02d-%02d" % (R.randint(2012, 2018), R.randint(1, 12), R.randint(1, 28))
        add(day, "Laiza town", 24.7700, 97.5600, "Kachin State", 1, DYADS[0])
    # 25 August 2017 in northern Rakhine: sites 3-8 km apart, a big one
    arsa = DYADS[2]
    for k, (dlat, dlon) in enumerate([(0, 0), (0.03, 0.05), (-0.04, 0.02), (0.07, -0.01),
                                      (0.02, 0.09), (-0.06, 0.07), (0.05, 0.12), (0.1, 0.04),
                                      (-0.02, -0.05), (0.12, 0.1), (0.15, 0.2), (-0.08, 0.15),
                                      (0.2, 0.0), (0.04, 0.3), (0.25, 0.35), (-0.1, 0.38),
                                      (0.3, 0.25), (0.18, 0.42), (0.35, 0.4), (0.0, 0.45)]):
        add("2017-08-25", "Maungdaw township village %d" % k, 20.80 + dlat, 92.36 + dlon,
            "Rakhine State", 1, arsa, 364 if k == 4 else R.choice([1, 2, 4, 7, 12]))
    for k in range(4):
        add("2017-08-25", "Myanmar (Burma)", COUNTRY[0], COUNTRY[1], "", 6, arsa, 10)
    for k in range(2):
        add("2017-08-25", "Rakhine State", ADM1["Rakhine State"][0], ADM1["Rakhine State"][1],
            "Rakhine State", 4, arsa, 5)
    with open(os.path.join(out, "ucdp_ged_mmr.csv"), "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=HEAD)
        w.writeheader()
        w.writerows(rows)


WORLD = [("Washington, District of Columbia, United States", "US", 38.895, -77.036),
         ("New York, New York, United States", "US", 40.714, -74.006),
         ("London, London, City of, United Kingdom", "UK", 51.5, -0.117),
         ("Paris, Ile-de-France, France", "FR", 48.867, 2.333),
         ("Berlin, Berlin, Germany", "GM", 52.517, 13.4),
         ("Moscow, Moskva, Russia", "RS", 55.752, 37.616),
         ("Kyiv, Kyyiv, Misto, Ukraine", "UP", 50.433, 30.517),
         ("Kharkiv, Kharkivs'ka Oblast', Ukraine", "UP", 50.0, 36.25),
         ("Gaza, Gaza Strip, Israel", "GZ", 31.5, 34.467),
         ("Jerusalem, Israel (general), Israel", "IS", 31.767, 35.233),
         ("Beirut, Beyrouth, Lebanon", "LE", 33.872, 35.51),
         ("Damascus, Dimashq, Syria", "SY", 33.5, 36.3),
         ("Baghdad, Baghdad, Iraq", "IZ", 33.339, 44.394),
         ("Tehran, Tehran, Iran", "IR", 35.75, 51.514),
         ("Kabul, Kabol, Afghanistan", "AF", 34.517, 69.183),
         ("Islamabad, Islamabad, Pakistan", "PK", 33.7, 73.167),
         ("New Delhi, National Capital Territory of Delhi, India", "IN", 28.6, 77.2),
         ("Dhaka, Dhaka, Bangladesh", "BG", 23.723, 90.409),
         ("Beijing, Beijing, China", "CH", 39.929, 116.388),
         ("Tokyo, Tokyo, Japan", "JA", 35.685, 139.751),
         ("Seoul, Seoul-t'ukpyolsi, South Korea", "KS", 37.566, 126.978),
         ("Manila, Manila, Philippines", "RP", 14.604, 120.982),
         ("Sydney, New South Wales, Australia", "AS", -33.883, 151.217),
         ("Lagos, Lagos, Nigeria", "NI", 6.453, 3.396),
         ("Nairobi, Nairobi Area, Kenya", "KE", -1.283, 36.817),
         ("Khartoum, Khartoum, Sudan", "SU", 15.588, 32.534),
         ("Cairo, Al Qahirah, Egypt", "EG", 30.05, 31.25),
         ("Johannesburg, Gauteng, South Africa", "SF", -26.2, 28.083),
         ("Mexico City, The Federal District, Mexico", "MX", 19.434, -99.139),
         ("Bogota, Bogota D.C., Colombia", "CO", 4.6, -74.083),
         ("Sao Paulo, Sao Paulo, Brazil", "BR", -23.533, -46.617),
         ("Buenos Aires, Distrito Federal, Argentina", "AR", -34.588, -58.673),
         ("Los Angeles, California, United States", "US", 34.052, -118.244),
         ("Chicago, Illinois, United States", "US", 41.85, -87.65),
         ("Ottawa, Ontario, Canada", "CA", 45.417, -75.7),
         ("Port-au-Prince, Ouest, Haiti", "HA", 18.543, -72.339),
         ("Caracas, Distrito Federal, Venezuela", "VE", 10.5, -66.917)]
CENTROIDS = [("United States", "US", 39.828, -98.5795), ("Russia", "RS", 60, 100),
             ("China", "CH", 35, 105), ("Ukraine", "UP", 49, 32), ("Israel", "IS", 31.5, 34.75),
             ("India", "IN", 20, 77), ("Iran", "IR", 32, 53), ("Brazil", "BR", -10, -55),
             ("Nigeria", "NI", 10, 8), ("Australia", "AS", -27, 133), ("Canada", "CA", 60, -95)]


def gdelt():
    lines = []
    conflict = 571
    for i in range(2356):
        if i < conflict:
            root = R.choice(["14", "14", "17", "18", "19", "19", "20", "15", "13", "10", "11", "12"])
            quad = 4 if root in ("14", "15", "17", "18", "19", "20") else 3
        else:
            root = R.choice(["01", "02", "03", "04", "04", "05", "06", "07", "08"])
            quad = 1 if root in ("01", "02", "03", "04", "05") else 2
        code = root + str(R.randint(0, 4)) if R.random() < 0.6 else root + "0"
        if R.random() < 0.25:
            full, cc, lat, lon = R.choice(CENTROIDS)
            gtype = 1
        else:
            full, cc, lat, lon = R.choice(WORLD)
            gtype = 4 if cc != "US" else 3
        geo = [str(gtype), full, cc, cc + "00", "", "%.4f" % lat, "%.4f" % lon, str(-1000 - i)]
        row = [str(1100000000 + i), "20240315", "202403", "2024", "2024.2027"]
        row += ["USA", "UNITED STATES", "USA", "", "", "", "", "GOV", "", ""]
        row += ["", "", "", "", "", "", "", "", "", ""]
        row += ["1", code, code[:3], root, str(quad), "%.1f" % R.uniform(-10, 7),
                str(R.randint(1, 20)), str(R.randint(1, 5)), str(R.randint(1, 20)),
                "%.2f" % R.uniform(-8, 4)]
        row += geo + geo + geo
        row += ["20240315101500", "https://example.org/%d" % i]
        assert len(row) == 61
        lines.append("\t".join(row))
    with open(os.path.join(out, "20240315101500.export.CSV"), "w") as f:
        f.write("\n".join(lines) + "\n")


ucdp()
gdelt()
