#!/usr/bin/env bash
# Wall time and peak memory of the README's test command (`dotnet test`, build included). Memory is
# the peak of the summed resident set of every process on the machine, minus what was resident before
# the run started, sampled every half second.
set -euo pipefail
cd "$(dirname "$0")/.."

resident_kib() { ps -e -o rss= | awk '{ s += $1 } END { print s }'; }

baseline=$(resident_kib)
peak=0
start=$(date +%s.%N)
dotnet test >/tmp/shop-test-footprint.log 2>&1 &
pid=$!
while kill -0 "$pid" 2>/dev/null; do
  now=$(resident_kib)
  [ "$now" -gt "$peak" ] && peak=$now
  sleep 0.5
done
wait "$pid" && status=0 || status=$?
elapsed=$(echo "$(date +%s.%N) - $start" | bc)

grep -E "^(Passed|Failed)!" /tmp/shop-test-footprint.log || true
printf 'wall time: %.0f s, peak memory above baseline: %.2f GiB (exit %d)\n' "$elapsed" "$(echo "($peak - $baseline) / 1048576" | bc -l)" "$status"
