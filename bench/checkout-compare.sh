#!/usr/bin/env bash
# What a change costs a checkout: the same checkout load against two trees of this repository, one after the
# other on this machine (each: Release build, a fresh durable data folder, 60 s warm-up, three 30 s windows of
# 32 buyers over 32 products). Prints each tree's medians: paid checkouts/s, p99, CPU ms per paid checkout of
# the whole system and of each process group (broker included), and the peak working set of the largest API.
#   bench/checkout-compare.sh <before-tree> [<after-tree>]     (after: this tree)
# e.g. git worktree add /tmp/before <commit> && bench/checkout-compare.sh /tmp/before
# Nothing else should run meanwhile: the load generator shares the two cores with the system.
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 1 ] || { echo "usage: bench/checkout-compare.sh <before-tree> [<after-tree>]" >&2; exit 2; }
before=$(cd "$1" && pwd)
after=$(cd "${2:-.}" && pwd)
work=$(mktemp -d /tmp/shop-compare.XXXXXX)
chmod 755 "$work" # Postgres runs as its own account and must reach its data folder inside
apphost=""
cleanup() {
  [ -n "$apphost" ] && kill -TERM "$apphost" 2>/dev/null && wait "$apphost" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 143' TERM INT

# The load generator of this tree drives both systems, so both are measured the same way.
dotnet build -c Release bench/Shop.Bench.Load -v q -nologo >/dev/null
load="$PWD/bench/Shop.Bench.Load/bin/Release/net10.0/Shop.Bench.Load.dll"

median() { sort -g | awk '{ a[NR] = $1 } END { if (NR) print a[int((NR + 1) / 2)] }'; }
value() { local name=$1; shift; for f in "$@"; do sed -n "s/^RESULT.* $name=\([^ ]*\).*/\1/p" "$f" | head -1; done; }

measure() {
  local label=$1 tree=$2
  echo "== $label: $tree ($(git -C "$tree" rev-parse --short HEAD))"
  dotnet build -c Release "$tree/Shop.sln" -v q -nologo >/dev/null
  mkdir -p "$work/data-$label"
  (cd "$tree" && Infrastructure__DataDirectory="$work/data-$label" exec dotnet run --project src/Shop.AppHost -c Release --no-build) >"$work/apphost-$label.log" 2>&1 &
  apphost=$!
  local healthy=0
  for _ in $(seq 1 150); do
    healthy=0
    for port in 5301 5302 5303 5304; do
      [ "$(curl -s -o /dev/null -w '%{http_code}' "http://localhost:$port/health")" = 200 ] && healthy=$((healthy + 1))
    done
    [ $healthy = 4 ] && break
    sleep 2
  done
  [ $healthy = 4 ] || { echo "$label: the APIs did not become healthy" >&2; tail -n 30 "$work/apphost-$label.log" >&2; exit 1; }
  # The load generator reads the admin password from the AppHost's user secrets (one secrets id in both trees).
  (cd "$tree" && dotnet "$load" 32 60 5 32) >"$work/$label-warmup.txt"
  for w in 1 2 3; do
    (cd "$tree" && dotnet "$load" 32 30 5 32) >"$work/$label-$w.txt"
  done
  kill -TERM "$apphost"; wait "$apphost" 2>/dev/null || true; apphost=""
  sleep 3
  local files=("$work/$label"-[123].txt)
  printf '%s: paid/s %s, p99 %s ms, cpu ms/checkout %s' "$label" \
    "$(value paid_per_s "${files[@]}" | median)" "$(value p99_ms "${files[@]}" | median)" "$(value cpu_ms "${files[@]}" | median)"
  for group in user-api catalog-api order-api payment-api postgres redis rabbitmq; do
    printf ', %s %s' "$group" "$(value "cpu_$group" "${files[@]}" | median)"
  done
  printf ', peak API MB %s\n' "$(value rss_max_api_mb "${files[@]}" | median)"
}

measure before "$before"
measure after "$after"
