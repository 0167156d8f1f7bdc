#!/usr/bin/env python3
"""Back-test figures of docs/backtest.md: observed hour-by-hour P(abandon) and
mean wait of a held-out period (Sun-Thu, hours 07-23) against `tiersim run`
output folders and the naive calls-per-distinct-agent ratio.

    python3 docs/backtest/compare.py LOG FROM TO RUN_DIR [RUN_DIR ...]

FROM/TO are yymmdd. Calls to the agents, waits and the cleaning are as in
`tiersim fit` (docs/fit.md): PHANTOM and VRU-only rows are not calls; a call's
wait is its queue time (0 when it never queued); P(abandon) = abandoned / calls.
Simulated slots pool the run's days, so the observed figures pool the
held-out days too (17 hourly points). HOURS_TABLE=1 also prints the observed
hourly table."""
import csv, json, math, os, sys
from collections import defaultdict
from datetime import date

HOURS = range(7, 24)

def sec(t):
    h, m, s = map(int, t.split(":"))
    return 3600 * h + 60 * m + s

def observed(log, lo, hi):
    calls, ab, wait = defaultdict(int), defaultdict(int), defaultdict(float)
    agents = defaultdict(set)
    for r in csv.DictReader(open(log), delimiter="\t"):
        d = r["date"]
        if not (lo <= d <= hi) or r["outcome"] == "PHANTOM":
            continue
        if date(1900 + int(d[:2]), int(d[2:4]), int(d[4:])).isoweekday() in (5, 6):
            continue                                   # Fri, Sat
        queued = r["q_start"] != "0:00:00"
        if r["outcome"] == "HANG" and not queued:
            continue                                   # left in the VRU
        h = sec(r["vru_exit"]) // 3600
        if r["server"] != "NO_SERVER":
            agents[d, sec(r["ser_start"]) // 3600].add(r["server"])
        if h not in HOURS:
            continue
        calls[h] += 1
        ab[h] += r["outcome"] == "HANG"
        if queued:
            wait[h] += (sec(r["q_exit"]) - sec(r["q_start"])) % 86400 / 60
    days = sorted({d for d, _ in agents})
    distinct = {h: sum(len(agents[d, h]) for d in days) for h in HOURS}
    return calls, ab, wait, distinct

def pearson(x, y):
    mx, my = sum(x) / len(x), sum(y) / len(y)
    sxy = sum((a - mx) * (b - my) for a, b in zip(x, y))
    sxx = sum((a - mx) ** 2 for a in x)
    syy = sum((b - my) ** 2 for b in y)
    return sxy / math.sqrt(sxx * syy) if sxx > 0 and syy > 0 else float("nan")

def simulated(run):
    """Hourly figures of a run, its slots (15, 30 or 60 min) pooled by hour,
    weighted by the slot's arrivals."""
    s = json.load(open(f"{run}/summary.json"))["scenarios"][0]
    sl = s["slots"]
    arrived = sl["overall"]["arrived"]["mean"]
    n, pab, w = defaultdict(float), defaultdict(float), defaultdict(float)
    for i, label in enumerate(sl["labels"]):
        h = int(label[:2])
        a = arrived[i]
        if h not in HOURS or not a:
            continue
        n[h] += a
        pab[h] += a * (sl["overall"]["abandon_rate"]["mean"][i] or 0.0)
        w[h] += a * (sl["overall"]["wait_mean"]["mean"][i] or 0.0)
    tot = sum(n.values())
    return {"pab": {h: pab[h] / n[h] for h in HOURS}, "wait": {h: w[h] / n[h] for h in HOURS},
            "calls": n, "pab_all": sum(pab.values()) / tot, "wait_all": sum(w.values()) / tot}

def main():
    log, lo, hi, runs = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
    calls, ab, wait, distinct = observed(log, lo, hi)
    opab = [ab[h] / calls[h] for h in HOURS]
    ow = [wait[h] / calls[h] for h in HOURS]
    tot = sum(calls[h] for h in HOURS)
    print(f"observed {lo}-{hi} Sun-Thu 07-23: {tot} calls, P(ab) {sum(ab.values())/tot:.4f}, "
          f"mean wait {60*sum(wait.values())/tot:.1f} s")
    ratio = [calls[h] / max(distinct[h], 1) for h in HOURS]
    print(f"naive calls/distinct-agent ratio: r(P(ab)) {pearson(ratio, opab):+.2f}, r(wait) {pearson(ratio, ow):+.2f}")
    for run in runs:
        s = simulated(run)
        sp = [s["pab"][h] for h in HOURS]
        sw = [s["wait"][h] for h in HOURS]
        sn = [s["calls"][h] for h in HOURS]
        mape = sum(abs(sn[i] - calls[h]) / calls[h] for i, h in enumerate(HOURS)) / len(HOURS)
        print(f"{run}: P(ab) {s['pab_all']:.4f}, mean wait {60*s['wait_all']:.1f} s, "
              f"r(P(ab)) {pearson(sp, opab):+.2f}, r(wait) {pearson(sw, ow):+.2f}, hourly volume MAPE {100*mape:.1f}%")
    if not os.environ.get("HOURS_TABLE"):
        return
    print("hour calls distinct obsP(ab) obsW(min)")
    for i, h in enumerate(HOURS):
        print(f"{h:02d} {calls[h]:5d} {distinct[h]:4d} {opab[i]:.3f} {ow[i]:.3f}")

main()
