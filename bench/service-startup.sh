#!/usr/bin/env bash
# Start-up cost and idle memory of each API: the AppHost of a tree (Release, a fresh data folder) is started
# N times; for each API, the time from its process starting (/proc/<pid>/stat) until its /health first answers
# 200 (its dependencies are healthy before it starts: WaitFor) and the CPU time it used until then (which,
# unlike the wall time, does not depend on how many services start at the same moment on the two cores), and,
# after 30 s idle in the last run, its working set (bench/memory-breakdown.sh) and the CPU it uses over the next
# 60 s of idling. Prints each run and the medians.
#   bench/service-startup.sh [tree] [runs]      (tree: this one; runs: 3)
# Compare two commits with a worktree: git worktree add /tmp/before <commit> && bench/service-startup.sh /tmp/before
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
tree=$(cd "${1:-$here/..}" && pwd)
runs=${2:-3}
declare -A ports=([Shop.UserApi]=5301 [Shop.CatalogApi]=5302 [Shop.OrderApi]=5303 [Shop.PaymentApi]=5304)
work=$(mktemp -d /tmp/shop-startup.XXXXXX)
chmod 755 "$work"
apphost=""
cleanup() {
  [ -n "$apphost" ] && kill -TERM "$apphost" 2>/dev/null && wait "$apphost" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 143' TERM INT

dotnet build -c Release "$tree/Shop.sln" -v q -nologo >/dev/null
ticks=$(getconf CLK_TCK)
boot=$(awk '/^btime/ { print $2 }' /proc/stat)
echo "tree $tree ($(git -C "$tree" rev-parse --short HEAD))"
for run in $(seq 1 "$runs"); do
  mkdir -p "$work/data-$run"
  (cd "$tree" && Infrastructure__DataDirectory="$work/data-$run" exec dotnet run --project src/Shop.AppHost -c Release --no-build) >"$work/apphost-$run.log" 2>&1 &
  apphost=$!
  declare -A done_at=() cpu_at=()
  deadline=$((SECONDS + 300))
  while [ ${#done_at[@]} -lt 4 ] && [ $SECONDS -lt $deadline ]; do
    for service in "${!ports[@]}"; do
      [ -n "${done_at[$service]:-}" ] && continue
      pid=$(pgrep -f "bin/Release/net10.0/$service\$" | head -n1 || true)
      [ -n "$pid" ] || continue
      if [ "$(curl -s -o /dev/null -w '%{http_code}' -m 1 "http://localhost:${ports[$service]}/health")" = 200 ]; then
        started=$(awk -v t="$ticks" -v b="$boot" '{ printf "%.2f", b + $22 / t }' "/proc/$pid/stat")
        done_at[$service]=$(echo "$(date +%s.%N) - $started" | bc)
        cpu_at[$service]=$(awk -v t="$ticks" '{ printf "%.2f", ($14 + $15) / t }' "/proc/$pid/stat")
      fi
    done
    sleep 0.1
  done
  line="run $run:"
  for service in Shop.UserApi Shop.CatalogApi Shop.OrderApi Shop.PaymentApi; do
    printf -v line '%s %s %.1f s (cpu %.1f s)' "$line" "$service" "${done_at[$service]:-nan}" "${cpu_at[$service]:-nan}"
    echo "${done_at[$service]:-nan}" >>"$work/$service.times"
    echo "${cpu_at[$service]:-nan}" >>"$work/$service.cpu"
  done
  echo "$line"
  if [ "$run" = "$runs" ]; then
    sleep 30
    "$here/memory-breakdown.sh"
    # What each API does with nobody calling it (health probes from the orchestrator aside): CPU over 60 s idle.
    declare -A idle_before=()
    for service in "${!ports[@]}"; do
      pid=$(pgrep -f "bin/Release/net10.0/$service\$" | head -n1)
      idle_before[$service]=$(awk '{ print $14 + $15 }' "/proc/$pid/stat")
    done
    sleep 60
    line="idle CPU (ms per second):"
    for service in Shop.UserApi Shop.CatalogApi Shop.OrderApi Shop.PaymentApi; do
      pid=$(pgrep -f "bin/Release/net10.0/$service\$" | head -n1)
      now=$(awk '{ print $14 + $15 }' "/proc/$pid/stat")
      printf -v line '%s %s %.1f' "$line" "$service" "$(echo "($now - ${idle_before[$service]}) * 1000 / $ticks / 60" | bc -l)"
    done
    echo "$line"
  fi
  kill -TERM "$apphost"; wait "$apphost" 2>/dev/null || true; apphost=""
  unset done_at cpu_at
  sleep 3
done
median() { sort -g "$1" | awk '{ a[NR] = $1 } END { printf "%.1f", a[int((NR + 1) / 2)] }'; }
printf 'median start-up:'
for service in Shop.UserApi Shop.CatalogApi Shop.OrderApi Shop.PaymentApi; do
  printf ' %s %s s (cpu %s s)' "$service" "$(median "$work/$service.times")" "$(median "$work/$service.cpu")"
done
echo
