#!/bin/bash
# The in-sample choice of the staffing rule of docs/backtest.md: every candidate replayed
# (replay-service) on the fit week 1-7 Feb 1999 itself; nothing from 8-14 Feb.
#   cargo build --release && bash docs/backtest/select.sh
set -e
L=${LOG:-../shared/data/anonymous-bank/calls-1999-02-01-to-14.tsv}
T=target/release/tiersim; O=output/bt-select
B="--format anonymous-bank --days sun,mon,tue,wed,thu"; FIT="--from 1999-02-01 --to 1999-02-07"
for m in 60 30 15; do $T fit $L $B $FIT --slot-minutes $m --out $O/fit$m/s.toml 2>/dev/null; done
for m in 60 30 15; do for d in 0 1; do for a in 0.65 0.7 0.75 0.8 0.85; do
  printf "slot %s dedicated %s availability %s: " $m $d $a
  $T backtest $O/fit$m/s.toml --log $L $B $FIT --availability $a --dedicated-agents $d \
     --arrivals replay-service --replications 40 --out $O/s$m-d$d-a$a --quiet 2>/dev/null
  python3 -c "import json,sys; m=json.load(open('$O/s$m-d$d-a$a/backtest.json'))['modes'][0]; o=m['overall']; r=m['correlations']; print(f\"P(ab) {o['p_abandon']['simulated']:.4f} (obs {o['p_abandon']['observed']:.4f}) wait {60*o['wait_mean']['simulated']:.1f} s (obs {60*o['wait_mean']['observed']:.1f}) r {r['p_abandon']:+.2f} / {r['wait_mean']:+.2f}\")"
done; done; done
