#!/usr/bin/env bash
# GET /api/products/{id} through the whole of catalog-api (authentication middleware, telemetry, product
# cache) against a bare EF Core endpoint reading the same products from the same database
# (bench/Shop.Bench.BareCatalog), side by side: wrk at 16 connections, the two alternating, 3 rounds x 10 s
# each after 3 rounds of warm-up, rotating over 100 seeded products. Prints median requests/s, their ratio,
# and the CPU time per request of every process involved, read from /proc before and after each round.
#   bench/product-read.sh      (against a running AppHost, Release: dotnet run --project src/Shop.AppHost -c Release)
# catalog-api is called on its own port, not through the orchestrator's proxy on 5302, so that both
# sides are reached the same way (set SHOP_CATALOG_API=http://localhost:5302 to include the proxy).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }
connections=${CONNECTIONS:-16}
seconds=${SECONDS_PER_ROUND:-10}
rounds=${ROUNDS:-3}

catalog_pid=$(pgrep -f 'bin/Release/net10.0/Shop.CatalogApi$' | head -n1 || true)
[ -n "$catalog_pid" ] || { echo "No catalog-api from a Release build is running: start the AppHost with -c Release." >&2; exit 1; }
environ() { tr '\0' '\n' < "/proc/$catalog_pid/environ" | sed -n "s/^$1=//p" | head -n1; }
connection_string=$(environ ConnectionStrings__catalogdb)
[ -n "$connection_string" ] || { echo "catalog-api (pid $catalog_pid) has no ConnectionStrings__catalogdb." >&2; exit 1; }
if [ -z "${SHOP_CATALOG_API:-}" ]; then
  port=$(environ HTTP_PORTS); port=${port%%[;,]*}
  [ -n "$port" ] || port=$(environ ASPNETCORE_URLS | sed -E 's#.*:([0-9]+).*#\1#')
  SHOP_CATALOG_API="http://127.0.0.1:$port"
fi
catalog=$SHOP_CATALOG_API

dotnet build -c Release bench/Shop.Bench.BareCatalog -v q -nologo >/dev/null
bare_port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
CATALOG_DB=$connection_string dotnet bench/Shop.Bench.BareCatalog/bin/Release/net10.0/Shop.Bench.BareCatalog.dll --urls "http://127.0.0.1:$bare_port" >/dev/null 2>&1 &
bare_pid=$!
work=$(mktemp -d)
trap 'kill $bare_pid 2>/dev/null; rm -rf "$work"' EXIT
bare="http://127.0.0.1:$bare_port"

# 100 active products of the seeded catalog, as any customer sees them.
curl -sf "$catalog/api/products?limit=100" | python3 -c 'import sys, json; print("\n".join(p["id"] for p in json.load(sys.stdin)["items"]))' > "$work/ids"
[ -s "$work/ids" ] || { echo "The catalog has no products." >&2; exit 1; }
for _ in $(seq 50); do curl -sf -o /dev/null "$bare/products/$(head -n1 "$work/ids")" && break; sleep 0.2; done
# Both sides must answer the same thing before they are compared.
id=$(head -n1 "$work/ids")
python3 - "$catalog/api/products/$id" "$bare/products/$id" <<'PY'
import json, sys, urllib.request
a, b = (json.load(urllib.request.urlopen(u)) for u in sys.argv[1:3])
if a != b:
    sys.exit(f"The two endpoints answer differently:\n{a}\n{b}")
PY

cat > "$work/ids.lua" <<LUA
local ids, i = {}, 0
for line in io.lines("$work/ids") do ids[#ids + 1] = line end
request = function()
  i = i % #ids + 1
  return wrk.format("GET", wrk.path .. ids[i])
end
LUA

# CPU ticks (utime + stime + children's) per group of processes, the way bench/Shop.Bench.Load groups them.
snapshot() {
  for dir in /proc/[0-9]*; do
    pid=${dir#/proc/}
    cmd=$(tr "\0" " " 2>/dev/null < "$dir/cmdline") || continue
    case "$pid" in "$bare_pid") echo "$pid bare $(ticks "$dir")"; continue ;; "$catalog_pid") echo "$pid catalog-api $(ticks "$dir")"; continue ;; esac
    case "$cmd" in
      *Shop.UserApi*) group=user-api ;; *Shop.CatalogApi*) group=catalog-api ;; *Shop.OrderApi*) group=order-api ;; *Shop.PaymentApi*) group=payment-api ;;
      postgres*|*"/bin/postgres "*) group=postgres ;;
      *redis-server*) group=redis ;;
      *Aspire.Dashboard*) group=dashboard ;;
      "dotnet run"*|*Shop.AppHost*|*"/dcp "*|*"/dcpproc "*|*"/dcpctrl "*) group=orchestrator ;;
      *) continue ;;
    esac
    echo "$pid $group $(ticks "$dir")"
  done
}
# CPU ticks of a process's waited-for children (wrk ends within the round, so it is counted this way).
children() { local stat; stat=$(cat "/proc/$1/stat"); set -- ${stat##*) }; echo $(( ${14} + ${15} )); }
ticks() {
  local stat
  stat=$(cat "$1/stat" 2>/dev/null) || { echo 0; return; }
  set -- ${stat##*) }
  echo $(( ${12} + ${13} + ${14} + ${15} ))
}
ticks_per_second=$(getconf CLK_TCK)

# One wrk round; prints "requests/s" and appends each group's CPU microseconds per request to $work/cpu-<label>.
round() {
  local label=$1 url=$2 me=$BASHPID
  snapshot > "$work/before"
  echo "$me wrk $(children "$me")" >> "$work/before"
  wrk -t1 -c"$connections" -d"${seconds}s" -s "$work/ids.lua" "$url" > "$work/wrk.out"
  echo "$me wrk $(children "$me")" > "$work/after"
  out=$(cat "$work/wrk.out")
  snapshot >> "$work/after"
  requests=$(echo "$out" | awk '/requests in/ { print $1 }')
  if echo "$out" | grep -q 'Non-2xx'; then echo "$label: non-2xx answers: $out" >&2; exit 1; fi
  awk -v requests="$requests" -v hz="$ticks_per_second" -v label="$label" '
    NR == FNR { before[$1] = $3; next }
    { used[$2] += $3 - ($1 in before ? before[$1] : 0) }
    END { for (g in used) printf "%s %s %.1f\n", label, g, used[g] / hz * 1e6 / requests }' "$work/before" "$work/after" >> "$work/cpu"
  echo "$out" | awk '/Requests\/sec/ { printf "%.0f\n", $2 }'
}

median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

# Warm-up of both, not counted: the bare endpoint is a fresh process, and its JIT's tiered compilation
# takes tens of seconds of load before its hot path is optimized (one 10 s round left it at 70% of its speed).
for _ in $(seq "${WARMUP_ROUNDS:-3}"); do
  round bare "$bare/products/" >/dev/null
  round catalog "$catalog/api/products/" >/dev/null
done
: > "$work/cpu"
bare_rates=() catalog_rates=()
for r in $(seq "$rounds"); do
  bare_rates+=("$(round bare "$bare/products/")")
  catalog_rates+=("$(round catalog "$catalog/api/products/")")
  echo "round $r: bare ${bare_rates[-1]} req/s, catalog-api ${catalog_rates[-1]} req/s"
done
bare_median=$(printf '%s\n' "${bare_rates[@]}" | median)
catalog_median=$(printf '%s\n' "${catalog_rates[@]}" | median)
echo
printf '%-34s %10s req/s\n' "bare EF Core (median of $rounds)" "$bare_median"
printf '%-34s %10s req/s\n' "catalog-api (median of $rounds)" "$catalog_median"
printf '%-34s %10.2fx\n' "catalog-api / bare" "$(echo "$catalog_median / $bare_median" | bc -l)"
echo
echo "CPU per request (us, median of $rounds rounds), by process group:"
printf '%-14s %10s %12s\n' group bare catalog-api
for g in bare catalog-api postgres redis wrk orchestrator dashboard user-api order-api payment-api; do
  b=$(awk -v g="$g" '$1 == "bare" && $2 == g { print $3 }' "$work/cpu" | median)
  c=$(awk -v g="$g" '$1 == "catalog" && $2 == g { print $3 }' "$work/cpu" | median)
  printf '%-14s %10s %12s\n' "$g" "${b:--}" "${c:--}"
done
awk '{ sum[$1] += $3; n[$1 " " $2]++ } END { printf "%-14s %10.1f %12.1f   (mean over rounds)\n", "all", sum["bare"] / '"$rounds"', sum["catalog"] / '"$rounds"' }' "$work/cpu"
