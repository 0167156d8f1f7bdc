#!/usr/bin/env python3
"""Availability by hour of day, estimated on the FIT period only: for each
hour (Sun-Thu, 07-23, pooled over the fit days), the effective number of
agents n_eff at which Erlang-A (M/M/n+M: the hour's arrival rate, its mean
service time, and the fit period's censored-exponential patience
sum(waits)/abandonments) gives the hour's observed P(abandon); fractional n by
linear interpolation between integers. availability(h) = n_eff / presence(h),
presence from the fit period's fit.json. Then writes a --staffing file:
a target period's presence (its fit.json: staffing is allowed to come from
the held-out period) times availability(hour).

    python3 docs/backtest/availability.py LOG FIT_FROM FIT_TO FIT_JSON TARGET_FIT_JSON > staffing.csv
(dates yymmdd). The table of availabilities goes to stderr."""
import csv, json, sys
from collections import defaultdict
from datetime import date

HOURS = range(7, 24)
sec = lambda t: sum(int(x) * m for x, m in zip(t.split(":"), (3600, 60, 1)))

def erlang_a_pab(lam, es, n, pat):            # per minute rates, as docs/calibration.md §5
    p, k = [1.0], 1
    while k < n or p[-1] > 1e-12 * sum(p):
        p.append(p[-1] * lam / (min(k, n) / es + max(0, k - n) / pat)); k += 1
        if k > 10000: break
    s = sum(p)
    lq = sum(max(0, i - n) * v / s for i, v in enumerate(p))
    return lq / pat / lam

def n_eff(lam, es, pat, target):
    prev = erlang_a_pab(lam, es, 1, pat)
    if target >= prev: return 1.0
    for n in range(2, 200):
        cur = erlang_a_pab(lam, es, n, pat)
        if cur <= target:
            return n - 1 + (prev - target) / (prev - cur)
        prev = cur
    return 200.0

def main():
    log, lo, hi, fit_json, target_json = sys.argv[1:6]
    calls, ab, svc, nsvc = defaultdict(int), defaultdict(int), defaultdict(float), defaultdict(int)
    days, wait_all, ab_all = set(), 0.0, 0
    for r in csv.DictReader(open(log), delimiter="\t"):
        d = r["date"]
        if not (lo <= d <= hi) or r["outcome"] == "PHANTOM": continue
        if date(1900 + int(d[:2]), int(d[2:4]), int(d[4:])).isoweekday() in (5, 6): continue
        q = r["q_start"] != "0:00:00"
        if r["outcome"] == "HANG" and not q: continue
        days.add(d)
        h = sec(r["vru_exit"]) // 3600
        if q:
            wait_all += (sec(r["q_exit"]) - sec(r["q_start"])) % 86400 / 60
            ab_all += r["outcome"] == "HANG"
        if h not in HOURS: continue
        calls[h] += 1; ab[h] += r["outcome"] == "HANG"
        if r["outcome"] == "AGENT" and r["server"] != "NO_SERVER" and int(r["ser_time"]) > 0:
            svc[h] += int(r["ser_time"]) / 60; nsvc[h] += 1
    pat = wait_all / ab_all
    pres = defaultdict(float)
    for s in json.load(open(fit_json))["staffing"]["slots"]:
        pres[int(s["slot"][:2])] += s["agents"]["value"] / len(days)
    avail = {}
    print(f"patience {pat:.2f} min; hour lam/min E[S] P(ab) n_eff presence availability", file=sys.stderr)
    for h in HOURS:
        lam = calls[h] / len(days) / 60
        es = svc[h] / nsvc[h]
        n = n_eff(lam, es, pat, ab[h] / calls[h])
        avail[h] = min(1.0, n / pres[h])
        print(f"{h:02d} {lam:.3f} {es:.2f} {ab[h]/calls[h]:.3f} {n:.2f} {pres[h]:.2f} {avail[h]:.2f}", file=sys.stderr)
    mean = sum(avail.values()) / len(avail)
    got = {}
    for s in json.load(open(target_json))["staffing"]["slots"]:
        h = int(s["slot"][:2])
        got[s["weekday"], h] = s["agents"]["value"] * avail.get(h, mean)
    print("day,slot,agents")
    for d in ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]:
        for h in range(24):
            print(f"{d},{h:02d}:00,{got.get((d, h), 0.0):.3f}")

main()
