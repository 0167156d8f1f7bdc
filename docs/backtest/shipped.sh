#!/bin/bash
# The shipped back-test of docs/backtest.md (issue 18 item 5), from the repository root:
#   cargo build --release && bash docs/backtest/shipped.sh
# Fit on Sun-Thu 1-7 Feb 1999, back-test on Sun-Thu 8-14 Feb, hours 07-23, 40 replications,
# in each of the three arrival modes; the same commands on the fit week give the in-sample rows.
# Three staffing rules (slot minutes, availability, dedicated agents): the one chosen on the fit
# week (docs/backtest/select.sh), the first choice made on a narrower grid, and the old rule.
# Writes output/bt/ (git-ignored): fit<slot>/ (scenario, fit.json), out-*/ and in-*/
# (backtest.json, backtest.csv, one folder per mode with summary.json and report.html).
set -e
L=${LOG:-../shared/data/anonymous-bank/calls-1999-02-01-to-14.tsv}
T=target/release/tiersim; O=output/bt
B="--format anonymous-bank --days sun,mon,tue,wed,thu"
FIT="--from 1999-02-01 --to 1999-02-07"; OUT="--from 1999-02-08 --to 1999-02-14"
M="--arrivals forecast,replay,replay-service --replications 40 --quiet"
for rule in "15 0.75 1" "60 0.75 1" "60 0.8 0"; do
  set -- $rule; tag=s$1-a$2-d$3
  S="--availability $2 --dedicated-agents $3"
  $T fit $L $B $FIT --slot-minutes $1 $S --out $O/fit-$tag/s.toml 2>/dev/null
  $T backtest $O/fit-$tag/s.toml --log $L $B $OUT $S $M --report --out $O/out-$tag
  $T backtest $O/fit-$tag/s.toml --log $L $B $FIT $S $M --out $O/in-$tag
done
