#!/usr/bin/env python3
"""Analytic check of docs/backtest.md: hour by hour Erlang-A (M/M/n+M) on the
held-out week's actual calls per hour (Sun-Thu 07-23, pooled over its days),
its presence agents x 0.8 (the availability chosen on the fit week), the fit
week's patience (sum of waits / abandonments) and a service mean that is
either by hour or one for the day; n fractional (linear between integers) or
rounded. Prints the Pearson correlations with the observed hourly P(abandon)
and mean wait.

    python3 docs/backtest/erlang_a.py LOG FIT_JSON HELDOUT_FIT_JSON"""
import json, sys
from collections import defaultdict
here = sys.path[0]
exec(open(f"{here}/availability.py").read().replace("\nmain()\n", "\n"))
exec(open(f"{here}/compare.py").read().split("def main")[0])

log, fit_json, held_json = sys.argv[1:4]
calls, ab, wait, _ = observed(log, "990208", "990214")
H = list(HOURS)
opab = [ab[h] / calls[h] for h in H]
ow = [wait[h] / calls[h] for h in H]
held = json.load(open(held_json))
fit = json.load(open(fit_json))
pres = defaultdict(float)
for s in held["staffing"]["slots"]:
    if s["weekday"] in ("sun", "mon", "tue", "wed", "thu"):
        pres[int(s["slot"][:2])] += s["agents"]["value"] / 5
by_hour = lambda j: {int(k[:2]): v["value"] for k, v in j["service"]["all"]["by_hour"]["hours"].items()}
es_fit, es_held = by_hour(fit), by_hour(held)
es_day = fit["service"]["all"]["mean"]["value"]
patience = 5.45   # fit week, printed by availability.py
ratio = [calls[h] * es_fit[h] / pres[h] for h in H]
print(f"offered load per presence agent (fit-week service by hour): r(P(ab)) {pearson(ratio, opab):+.2f}, r(wait) {pearson(ratio, ow):+.2f}")
for label, es in [("service by hour (fit week)", lambda h: es_fit[h]),
                  (f"one service mean ({es_day:.2f} min, fit week)", lambda h: es_day),
                  ("service by hour (held-out week's own)", lambda h: es_held[h])]:
    for frac in (True, False):
        pr = []
        for h in H:
            n, lam = 0.8 * pres[h], calls[h] / 5 / 60
            if frac:
                lo = max(1, int(n)); w = n - lo
                pr.append((1 - w) * erlang_a_pab(lam, es(h), lo, patience) + w * erlang_a_pab(lam, es(h), lo + 1, patience))
            else:
                pr.append(erlang_a_pab(lam, es(h), max(1, round(n)), patience))
        tot = sum(calls[h] for h in H)
        print(f"Erlang-A, {label}, {'fractional' if frac else 'rounded'} n: P(ab) {sum(p * calls[h] for p, h in zip(pr, H)) / tot:.4f}, "
              f"r(P(ab)) {pearson(pr, opab):+.2f}, r(wait) {pearson(pr, ow):+.2f}")
