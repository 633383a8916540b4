#!/usr/bin/env bash
# Integration events end to end, against a running AppHost (Release, local infrastructure mode:
# dotnet run --project src/Shop.AppHost -c Release): products created in catalog-api at each rate given,
# each commit's ProductChanged going through the outbox, the broker and order-api's handler; the time from
# the commit to order-api's copy, its percentiles, whether it grows over a run, and CPU per event
# (Shop.Bench.Load's `events` mode).
#   bench/event-latency.sh [rates="200 400 1000"] [seconds=30]
set -euo pipefail
cd "$(dirname "$0")/.."
rates=${1:-200 400 1000}
seconds=${2:-30}

order_pid=$(pgrep -f 'bin/Release/net10.0/Shop.OrderApi$' | head -n1 || true)
[ -n "$order_pid" ] || { echo "No order-api from a Release build is running: start the AppHost with -c Release." >&2; exit 1; }
SHOP_ORDERDB=$(tr '\0' '\n' < "/proc/$order_pid/environ" | sed -n 's/^ConnectionStrings__orderdb=//p' | head -n1)
[ -n "$SHOP_ORDERDB" ] || { echo "order-api (pid $order_pid) has no ConnectionStrings__orderdb." >&2; exit 1; }
export SHOP_ORDERDB

dotnet build -c Release bench/Shop.Bench.Load -v q -nologo | grep -E "error|warning" && exit 1 || true
for rate in $rates; do
  echo "== $rate events/s"
  dotnet bench/Shop.Bench.Load/bin/Release/net10.0/Shop.Bench.Load.dll events "$rate" "$seconds" 10
done
