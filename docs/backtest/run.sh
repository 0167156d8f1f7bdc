#!/bin/bash
# Every figure of docs/backtest.md, from the repository root:
#   cargo build --release && bash docs/backtest/run.sh
# Writes output/backtest/ (git-ignored) and prints the tables' rows.
set -e
L=${LOG:-../shared/data/anonymous-bank/calls-1999-02-01-to-14.tsv}
T=target/release/tiersim; O=output/backtest; D=docs/backtest
B="--format anonymous-bank --days sun,mon,tue,wed,thu"
F="--from 1999-02-01 --to 1999-02-07"; H="--from 1999-02-08 --to 1999-02-14"
mkdir -p $O
$T fit $L $B $F --out $O/fit/s.toml 2>/dev/null        # the fit week (default staffing: presence)
$T fit $L $B $H --out $O/heldout/s.toml 2>/dev/null    # the held-out week: only its staffing table is used
st() { python3 $D/staffing.py "$@"; }
st $O/heldout/fit.json agents 1 > $O/st-h-presence.csv
st $O/heldout/fit.json distinct_agents 1 > $O/st-h-distinct.csv
st $O/heldout/fit.json busy_agents 1 > $O/st-h-busy.csv
st $O/fit/fit.json busy_agents 1 > $O/st-f-busy.csv
for a in 1.0 0.85 0.8 0.75 0.65 0.55; do st $O/fit/fit.json agents $(python3 -c "print(1/$a)") > $O/st-f-x$a.csv; done
st $O/heldout/fit.json agents 1.25 > $O/st-h-x0.8.csv
st $O/heldout/fit.json agents 1.25 --dither > $O/st-h-x0.8-dither.csv
python3 $D/availability.py $L 990201 990207 $O/fit/fit.json $O/fit/fit.json > $O/st-f-avail.csv 2> $O/availability.txt
python3 $D/availability.py $L 990201 990207 $O/fit/fit.json $O/heldout/fit.json > $O/st-h-avail.csv 2>/dev/null
# variant: name, arrivals period (F = forecast, H = in-sample on the held-out week), staffing file or "-", slot minutes
variant() {
  local name=$1 period=$2 staff=$3 slot=$4 args
  [ "$period" = F ] && args="$F" || args="$H"
  [ "$staff" != - ] && args="$args --staffing $O/st-$staff.csv"
  $T fit $L $B $args --slot-minutes $slot --out $O/$name/s.toml >/dev/null 2>&1
  $T run $O/$name/s.toml --out $O/run-$name >/dev/null 2>&1
}
variant V0 F - 60; variant V1 F h-presence 60; variant V2 F h-distinct 60; variant V3 F h-busy 60
variant V4 F f-busy 60; variant V5 H h-presence 60; variant V6 H h-busy 60
for a in 1.0 0.85 0.8 0.75 0.65 0.55; do variant S$a F f-x$a 60; done
variant A1 F f-x0.8 60; variant A2 F h-x0.8 60; variant A3 H h-x0.8 60
variant E1 F f-avail 60; variant E2 F h-avail 60; variant E3 H h-avail 60
variant D1 F h-x0.8-dither 15; variant D2 H h-x0.8-dither 15
echo "== in-sample, fit week 1-7 Feb =="
python3 $D/compare.py $L 990201 990207 $(for a in 1.0 0.85 0.8 0.75 0.65 0.55; do echo $O/run-S$a; done) $O/run-E1
echo "== held-out week 8-14 Feb =="
python3 $D/compare.py $L 990208 990214 $(for v in V0 V1 V2 V3 V4 V5 V6 A1 A2 A3 E1 E2 E3 D1 D2; do echo $O/run-$v; done)
echo "== availability by hour (fit week) =="; cat $O/availability.txt
echo "== Erlang-A on the held-out week's calls =="
python3 $D/erlang_a.py $L $O/fit/fit.json $O/heldout/fit.json
