#!/usr/bin/env bash
# Time from `dotnet run --project src/Shop.AppHost` to all four APIs answering 200 on /health, on their
# fixed developer ports, with a warm build. Prints each run and the median.
# Usage: bench/startup-time.sh [runs]   (default 5)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
ports=(5301 5302 5303 5304)

dotnet build src/Shop.AppHost -v q -nologo >/dev/null

all_healthy() {
  for port in "${ports[@]}"; do
    [ "$(curl -s -o /dev/null -w '%{http_code}' -m 1 "http://localhost:$port/health")" = 200 ] || return 1
  done
}

times=()
for run in $(seq 1 "$runs"); do
  start=$(date +%s.%N)
  setsid dotnet run --project src/Shop.AppHost --no-build >/tmp/shop-startup-$run.log 2>&1 &
  pid=$!
  until all_healthy; do
    sleep 0.1
    if ! kill -0 "$pid" 2>/dev/null; then echo "AppHost exited; see /tmp/shop-startup-$run.log" >&2; exit 1; fi
  done
  elapsed=$(echo "$(date +%s.%N) - $start" | bc)
  times+=("$elapsed")
  printf 'run %d: %.1f s\n' "$run" "$elapsed"
  kill -TERM -- -"$pid"
  while kill -0 "$pid" 2>/dev/null; do sleep 0.2; done
  # Let the previous run's ports close before the next one binds them.
  while pgrep -f "Shop\.(User|Catalog|Order|Payment)Api|tools/dcp" >/dev/null; do sleep 0.2; done
done

printf '%s\n' "${times[@]}" | sort -n | awk '{ a[NR] = $1 } END { printf "median of %d: %.1f s\n", NR, (NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2) }'
