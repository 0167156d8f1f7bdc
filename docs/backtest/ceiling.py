#!/usr/bin/env python3
"""Round 6 diagnostics of a back-test's hourly correlations (docs/backtest.md), from its
backtest.csv (one mode): (1) the correlation with and without each hour (which hours carry the
miss); (2) the ceiling set by the simulation's own noise: if the model were exactly right, the
observed week would be like ONE replication, whose hourly figure scatters about the model's mean
with the replications' sd (ci95 / t(0.975, R-1) x sqrt(R)); the expected correlation of such a
week with the mean is about sqrt(var_hours(mean) / (var_hours(mean) + mean noise variance)).

    python3 docs/backtest/ceiling.py BACKTEST.csv [REPLICATIONS]"""
import csv, math, sys
rows = list(csv.DictReader(open(sys.argv[1])))
R = int(sys.argv[2]) if len(sys.argv) > 2 else 40
t = {40: 2.0227, 20: 2.093}.get(R, 1.96)
def pearson(x, y):
    mx, my = sum(x) / len(x), sum(y) / len(y)
    sxy = sum((a - mx) * (b - my) for a, b in zip(x, y))
    return sxy / math.sqrt(sum((a - mx) ** 2 for a in x) * sum((b - my) ** 2 for b in y))
for k in ("p_abandon", "wait_mean"):
    obs = [float(r[k + "_observed"]) for r in rows]; sim = [float(r[k + "_simulated"]) for r in rows]
    sd = [float(r[k + "_ci95"]) / t * math.sqrt(R) for r in rows]
    m = sum(sim) / len(sim); v = sum((x - m) ** 2 for x in sim) / (len(sim) - 1)
    noise = sum(s * s for s in sd) / len(sd)
    print(f"{k}: r {pearson(obs, sim):+.3f}; noise ceiling {math.sqrt(v / (v + noise)):.2f}")
    drop = sorted((pearson([o for j, o in enumerate(obs) if j != i], [s for j, s in enumerate(sim) if j != i]), rows[i]["hour"]) for i in range(len(rows)))
    print("   without hour:", ", ".join(f"{h}: {r:+.2f}" for r, h in drop[-3:][::-1]))
