#!/bin/sh
# Memory benchmark of sweeps: peak resident memory (GNU time's maximum RSS)
# of `tiersim run` on 1,000 and 10,000 points of a small model with
# 15-minute slots, and 10,000 points with 10 segments. Memory must stay
# flat in the number of points (target: under 200 MB at 10,000).
#
#   benches/memory/run.sh [path/to/tiersim]     (default target/release/tiersim)
#
# Needs GNU time (/usr/bin/time). Writes into output/memory-bench/.
set -eu
bin=${1:-target/release/tiersim}
here=$(dirname "$0")
out=output/memory-bench
mkdir -p "$out"
printf '%-22s %12s %10s %14s\n' scenario peak_rss_mb seconds summary_mb
for s in sweep-1000 sweep-10000 sweep-10000-10seg; do
    rm -rf "$out/$s"
    /usr/bin/time -f '%M %e' -o "$out/$s.time" \
        "$bin" run "$here/$s.toml" --out "$out/$s" --threads 2 >/dev/null
    read -r kb secs < "$out/$s.time"
    bytes=$(wc -c < "$out/$s/summary.json")
    awk -v s="$s" -v kb="$kb" -v t="$secs" -v b="$bytes" \
        'BEGIN { printf "%-22s %12.1f %10s %14.1f\n", s, kb / 1024, t, b / 1048576 }'
done
