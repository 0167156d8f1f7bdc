#!/usr/bin/env python3
"""An independent check of `backtest --fit-from/--fit-to`'s predictive bands (docs/backtest.md,
"Predictive bands"): the same method written again from the log alone. Fit week 1-7 Feb
(Sun-Thu), held-out 8-14 Feb, hours 07-23; the forecast is the fit week's pooled hour share x
the weekday's fit total (what `fit`'s profile x day factor gives); the day cv is `fit`'s
(method of moments on the fit days' totals). Prints the spread, the band coverage per day-hour
and per pooled hour.

    python3 docs/backtest/predictive.py LOG"""
import math, sys
from collections import defaultdict
exec(open(sys.path[0] + "/compare.py").read().split("def observed")[0])   # sec(), date
import csv
calls = defaultdict(int)
for r in csv.DictReader(open(sys.argv[1]), delimiter="\t"):
    d = r["date"]
    if r["outcome"] == "PHANTOM" or date(1900 + int(d[:2]), int(d[2:4]), int(d[4:])).isoweekday() in (5, 6):
        continue
    if r["outcome"] == "HANG" and r["q_start"] == "0:00:00":
        continue
    calls[d, sec(r["vru_exit"]) // 3600] += 1
days = sorted({d for d, _ in calls})
H = list(range(7, 24))
FIT = [d for d in days if d <= "990207"]; TEST = [d for d in days if d >= "990208"]
wd = lambda d: date(1900 + int(d[:2]), int(d[2:4]), int(d[4:])).weekday()
n = {(d, h): calls.get((d, h), 0) for d in FIT + TEST for h in H}
day = {d: sum(n[d, h] for h in H) for d in FIT}
S = {h: sum(n[d, h] for d in FIT) for h in H}
T = sum(day.values())
e = {(d, h): day[d] * S[h] / T for d in FIT for h in H}
rss = sum((n[d, h] - e[d, h]) ** 2 for d in FIT for h in H)
cells, params = len(FIT) * len(H), len(FIT) + len(H) - 1
se, se2 = sum(e.values()), sum(x * x for x in e.values())
hcv2 = (rss * cells / (cells - params) - se) / se2
h2 = max(hcv2, 0.0)
tot = [sum(calls.get((d, h), 0) for h in range(24)) for d in FIT]
m = sum(tot) / len(tot); v = sum((x - m) ** 2 for x in tot) / (len(tot) - 1)
d2 = max(0.0, (v - m) / m ** 2)
print(f"fit days {len(FIT)}, calls {T}; day cv {math.sqrt(d2):.3f}; hour cv2 (moments) {hcv2:.4f}, cv {math.sqrt(h2):.3f}")
def quantile(mu, cv, q):
    # smallest k with P(N <= k) >= q, negative binomial of mean mu and cv (Poisson at cv 0)
    if mu <= 0: return 0
    if cv > 0:
        r = 1 / cv ** 2; p = r / (r + mu); lp = r * math.log(p)
        step = lambda k: math.log((k + r) / (k + 1) * (1 - p))
    else:
        lp = -mu; step = lambda k: math.log(mu / (k + 1))
    cdf, k = math.exp(lp), 0
    while cdf < q:
        lp += step(k); k += 1; cdf += math.exp(lp)
    return k
fitby = {wd(d): d for d in FIT}
parts = {}
inside = total = 0
for dt in TEST:
    df = fitby[wd(dt)]
    a = (1 + d2) * (1 + h2) * (1 + (d2 + 1 / day[df])) - 1
    for h in H:
        b = 1 / S[h] + h2 * sum(e[d, h] ** 2 for d in FIT) / S[h] ** 2
        mu = S[h] / T * day[df]
        cv = math.sqrt((1 + a) * (1 + b) - 1)
        lo, hi = quantile(mu, cv, 0.1), quantile(mu, cv, 0.9)
        inside += lo <= n[dt, h] <= hi; total += 1
        parts.setdefault(h, []).append((mu, a, b, n[dt, h]))
print(f"predictive coverage {inside}/{total} = {100 * inside / total:.0f}%")
pin = 0
for h in H:
    mu = [x[0] for x in parts[h]]; M = sum(mu); b = parts[h][0][2]
    var = (M * M + sum(u * u * x[1] for u, x in zip(mu, parts[h]))) * (1 + b) - M * M
    cv = math.sqrt(var) / M
    lo, hi = quantile(M, cv, 0.1), quantile(M, cv, 0.9)
    o = sum(x[3] for x in parts[h]); pin += lo <= o <= hi
    print(f"  {h:02d}:00 forecast {M:6.0f} band {lo:4d}-{hi:4d} observed {o:4d} {'in' if lo <= o <= hi else 'OUT'}")
print(f"pooled-hour coverage {pin}/{len(H)} = {100 * pin / len(H):.0f}%")
# What each source adds (the same day-hours; a source left out is a factor of 1).
for label, use_h, use_est in (("day effect only", 0, 0), ("+ hour spread", 1, 0),
                              ("+ estimation error only", 0, 1), ("all", 1, 1)):
    hh = h2 if use_h else 0.0
    k = 0
    for dt in TEST:
        df = fitby[wd(dt)]
        f = (d2 + 1 / day[df]) if use_est else 0.0
        for h in H:
            b = (1 / S[h] + hh * sum(e[d, h] ** 2 for d in FIT) / S[h] ** 2) if use_est else 0.0
            cv = math.sqrt((1 + d2) * (1 + hh) * (1 + f) * (1 + b) - 1)
            mu = S[h] / T * day[df]
            k += quantile(mu, cv, 0.1) <= n[dt, h] <= quantile(mu, cv, 0.9)
    print(f"  {label:24} {100 * k / total:.0f}%")
# Round 6 (docs/backtest.md): the same band with each fitted variance replaced by its predictive
# value, E[sigma^2 | s^2] = s^2 nu / (nu - 2) under the reference prior p(sigma^2) ~ 1/sigma^2
# (the Student-t predictive of a variance estimated with nu degrees of freedom): the day totals'
# variance (nu = fit days - 1) and the hour-within-day residual variance (nu = cells - params).
# Everything else as above; the band is still the moment-matched negative binomial.
if len(sys.argv) > 2 and sys.argv[2] == "--uncertain-cv":
    nu_d, nu_h = len(tot) - 1, cells - params
    d2u = max(0.0, (v * nu_d / (nu_d - 2) - m) / m ** 2)
    h2u = max(0.0, (rss * cells / (nu_h - 2) - se) / se2)
    print(f"uncertain cv: day cv {math.sqrt(d2):.3f} -> {math.sqrt(d2u):.3f} (nu {nu_d}), "
          f"hour cv {math.sqrt(h2):.3f} -> {math.sqrt(h2u):.3f} (nu {nu_h})")
    k = 0; parts = {}
    for dt in TEST:
        df = fitby[wd(dt)]
        a = (1 + d2u) * (1 + h2u) * (1 + (d2u + 1 / day[df])) - 1
        for h in H:
            b = 1 / S[h] + h2u * sum(e[d, h] ** 2 for d in FIT) / S[h] ** 2
            mu = S[h] / T * day[df]
            cv = math.sqrt((1 + a) * (1 + b) - 1)
            k += quantile(mu, cv, 0.1) <= n[dt, h] <= quantile(mu, cv, 0.9)
            parts.setdefault(h, []).append((mu, a, b, n[dt, h]))
    pin = 0
    for h in H:
        mu = [x[0] for x in parts[h]]; M = sum(mu); b = parts[h][0][2]
        var = (M * M + sum(u * u * x[1] for u, x in zip(mu, parts[h]))) * (1 + b) - M * M
        cv = math.sqrt(var) / M
        o = sum(x[3] for x in parts[h]); pin += quantile(M, cv, 0.1) <= o <= quantile(M, cv, 0.9)
    print(f"uncertain-cv coverage {k}/{total} = {100 * k / total:.0f}%; pooled hours {pin}/{len(H)}")
