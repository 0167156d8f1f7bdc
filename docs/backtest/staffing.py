#!/usr/bin/env python3
"""Writes a `tiersim fit --staffing` file (day,slot,agents) from a fit.json's
staffing table: FIELD is `agents` (presence sessions), `distinct_agents` or
`busy_agents`, divided by DIVISOR (e.g. a target occupancy) and times FACTOR.

    python3 docs/backtest/staffing.py FIT_JSON FIELD DIVISOR > staffing.csv"""
import json, sys
fit = json.load(open(sys.argv[1]))
field, divisor = sys.argv[2], float(sys.argv[3])
got = {}
for s in fit["staffing"]["slots"]:
    v = s[field]["value"] if isinstance(s[field], dict) else s[field]
    got[s["weekday"], s["slot"]] = v / divisor
print("day,slot,agents")   # every weekday and hour; 0 where the table has none
for d in ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]:
    for h in range(24):
        print(f"{d},{h:02d}:00,{got.get((d, f'{h:02d}:00'), 0.0):.3f}")
