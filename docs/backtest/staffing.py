#!/usr/bin/env python3
"""Writes a `tiersim fit --staffing` file (day,slot,agents) from a fit.json's
staffing table: FIELD is `agents` (presence sessions), `distinct_agents` or
`busy_agents`, divided by DIVISOR (e.g. 1.25 for an availability of 0.8).
With `--dither` the hourly figures become integers per 15-minute slot by
error diffusion along each day, so that an hour's mean number of agents is
the fractional figure (fit then with --slot-minutes 15).

    python3 docs/backtest/staffing.py FIT_JSON FIELD DIVISOR [--dither] > staffing.csv
An input CSV (day,slot,agents) in place of FIT_JSON is dithered the same way."""
import csv, json, sys
if sys.argv[1].endswith(".csv"):
    rows = list(csv.DictReader(open(sys.argv[1])))
    fit = {"staffing": {"slots": [{"weekday": r["day"], "slot": r["slot"], "agents": float(r["agents"])} for r in rows]}}
else:
    fit = json.load(open(sys.argv[1]))
field, divisor = sys.argv[2], float(sys.argv[3])
got = {}
for s in fit["staffing"]["slots"]:
    v = s[field]["value"] if isinstance(s[field], dict) else s[field]
    got[s["weekday"], s["slot"]] = v / divisor
dither = "--dither" in sys.argv
print("day,slot,agents")   # every weekday and hour; 0 where the table has none
for d in ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]:
    carry = 0.0
    for h in range(24):
        v = got.get((d, f"{h:02d}:00"), 0.0)
        if not dither:
            print(f"{d},{h:02d}:00,{v:.3f}")
            continue
        for q in range(4):
            want = v + carry
            k = round(want) if v > 0 else 0
            carry = want - k if v > 0 else 0.0
            print(f"{d},{h:02d}:{15*q:02d},{k}")
