#!/bin/bash
# The forecast variants of docs/backtest.md (round 4: day effect, forecast bands, service by
# hour), from the repository root:  cargo build --release && bash docs/backtest/forecast.sh
# Fit on Sun-Thu 1-7 Feb 1999 with the chosen staffing rule (15-min slots, 1 dedicated agent,
# availability 0.75); back-test on Sun-Thu 8-14 Feb (and in-sample on 1-7 Feb), hours 07-23,
# 40 replications. Variants, each from the same fit (the held-out week chooses nothing):
#   full     : as fitted (day_effect and tier.service_factors), all three arrival modes
#   no-factor: the fit without [tier.service_factors]
#   no-day   : the fit without day_effect
#   neither  : without both (the round-3 scenario)
# Writes output/bt4/ (git-ignored).
set -e
L=${LOG:-../shared/data/anonymous-bank/calls-1999-02-01-to-14.tsv}
T=target/release/tiersim; O=output/bt4
B="--format anonymous-bank --days sun,mon,tue,wed,thu"
FIT="--from 1999-02-01 --to 1999-02-07"; OUT="--from 1999-02-08 --to 1999-02-14"
S="--availability 0.75 --dedicated-agents 1"
mkdir -p $O
/usr/bin/time -f "fit: %e s wall, %M KB" $T fit $L $B $FIT --slot-minutes 15 $S --out $O/full/s.toml 2>&1 | grep -v "^wrote"
mkdir -p $O/no-factor $O/no-day $O/neither
# Drop the [tier.service_factors] table (its header line and the range lines after it).
drop_factors() { awk '/^\[tier.service_factors\]/{skip=1;next} skip && /^"/{next} {skip=0; print}' "$1"; }
drop_factors $O/full/s.toml > $O/no-factor/s.toml
grep -v '^day_effect' $O/full/s.toml > $O/no-day/s.toml
grep -v '^day_effect' $O/no-factor/s.toml > $O/neither/s.toml
for v in full no-factor no-day neither; do
  M="--arrivals forecast --replications 40 --quiet"
  [ $v = full ] && M="--arrivals forecast,replay,replay-service --replications 40 --quiet"
  /usr/bin/time -f "backtest $v: %e s wall" $T backtest $O/$v/s.toml --log $L $B $OUT $S $M --report --out $O/out-$v 2>&1 | grep -v "^wrote"
  $T backtest $O/$v/s.toml --log $L $B $FIT $S $M --out $O/in-$v 2>&1 | grep -v "^wrote"
done
python3 - "$O" <<'PY'
import json, sys
O = sys.argv[1]
for where in ("out", "in"):
    for v in ("full", "no-factor", "no-day", "neither"):
        b = json.load(open(f"{O}/{where}-{v}/backtest.json"))
        for m in b["modes"]:
            o, r = m["overall"], m["correlations"]
            line = f"{where:3} {v:9} {m['arrivals']:14} P(ab) {100*o['p_abandon']['simulated']:.2f}% +/- {100*o['p_abandon']['ci95']:.2f} (obs {100*o['p_abandon']['observed']:.2f}%)  wait {60*o['wait_mean']['simulated']:.1f} +/- {60*o['wait_mean']['ci95']:.1f} s (obs {60*o['wait_mean']['observed']:.1f})  r P(ab) {r['p_abandon']:+.2f}  r wait {r['wait_mean']:+.2f}  naive {r['naive_p_abandon']:+.2f}/{r['naive_wait_mean']:+.2f}  MAPE {100*o['volume_mape']:.1f}%"
            f = m.get("forecast_bands")
            if f:
                line += f"  bands cv {f['cv']:.3f}: cover {100*f['coverage']:.0f}% (Poisson {100*f['coverage_poisson']:.0f}%) of {len(f['day_hours'])}, day-hour MAPE {100*f['day_hour_mape']:.1f}%"
            print(line)
PY
