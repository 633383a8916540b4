#!/usr/bin/env bash
# What rendering costs the storefront: the catalog page and a product page of the web app against the catalog-api
# JSON endpoints they call, side by side. wrk at 16 connections (--latency), the four targets alternating,
# 3 rounds x 10 s each after a warm-up round, product pages rotating over 100 seeded products. Prints median
# requests/s, p50 and p99 of each, the CPU time per request of each process involved (read from /proc), the page/JSON
# ratios, and the web app's largest working set (VmRSS) seen under load.
#   dotnet run --project src/Shop.AppHost -c Release      (then, in another shell)
#   bench/storefront-render.sh
# Both sides are reached on their own ports, not through the orchestrator's proxies.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }
connections=${CONNECTIONS:-16}
seconds=${SECONDS_PER_ROUND:-10}
rounds=${ROUNDS:-3}

port_of() {
  local pid=$1 port
  port=$(tr '\0' '\n' < "/proc/$pid/environ" | sed -n 's/^HTTP_PORTS=//p' | head -n1); port=${port%%[;,]*}
  [ -n "$port" ] || port=$(tr '\0' '\n' < "/proc/$pid/environ" | sed -n 's/^ASPNETCORE_URLS=//p' | head -n1 | sed -E 's#.*:([0-9]+).*#\1#')
  echo "$port"
}
catalog_pid=$(pgrep -f 'bin/Release/net10.0/Shop.CatalogApi$' | head -n1 || true)
webapp_pid=$(pgrep -f 'bin/Release/net10.0/Shop.WebApp$' | head -n1 || true)
[ -n "$catalog_pid" ] && [ -n "$webapp_pid" ] || { echo "Start the AppHost from a Release build first: dotnet run --project src/Shop.AppHost -c Release" >&2; exit 1; }
catalog="http://127.0.0.1:$(port_of "$catalog_pid")"
webapp="http://127.0.0.1:$(port_of "$webapp_pid")"

work=$(mktemp -d)
trap 'kill "$sampler" 2>/dev/null || true; rm -rf "$work"' EXIT

# The product pages rotate over 100 products, as the API side does.
curl -sf "$catalog/api/products?limit=100&sort=newest" | python3 -c 'import sys, json; print("\n".join(p["slug"] for p in json.load(sys.stdin)["items"]))' > "$work/slugs"
[ -s "$work/slugs" ] || { echo "The catalog has no products." >&2; exit 1; }
cat > "$work/slugs.lua" <<LUA
local slugs, i = {}, 0
for line in io.lines("$work/slugs") do slugs[#slugs + 1] = line end
request = function()
  i = i % #slugs + 1
  return wrk.format("GET", wrk.path .. slugs[i])
end
LUA

# The web app's largest resident set, sampled every 200 ms while the bench runs.
( peak=0; while sleep 0.2; do rss=$(awk '/VmRSS/ { print $2 }' "/proc/$webapp_pid/status" 2>/dev/null || echo 0); [ "$rss" -gt "$peak" ] && { peak=$rss; echo "$peak" > "$work/peak"; }; done ) &
sampler=$!

# CPU time (clock ticks) used so far by the web app, catalog-api, every Postgres process, the Aspire dashboard (which
# ingests every span), and the whole machine.
dashboard_pid=$(pgrep -f 'Aspire.Dashboard' | head -n1 || true)
ticks_of() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0; }
cpu_ticks() {
  local postgres=0 pid
  for pid in $(pgrep -x postgres || true); do postgres=$((postgres + $(ticks_of "$pid"))); done
  echo "$(ticks_of "$webapp_pid") $(ticks_of "$catalog_pid") $postgres $([ -n "$dashboard_pid" ] && ticks_of "$dashboard_pid" || echo 0) $(awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 }' /proc/stat)"
}
hz=$(getconf CLK_TCK)

# One round: prints "requests/s p50-ms p99-ms" and the CPU milliseconds per request of the web app, catalog-api,
# Postgres, the dashboard and the machine.
round() {
  local url=$1 script=${2:-}
  local out before after
  before=$(cpu_ticks)
  out=$(wrk -t1 -c"$connections" -d"${seconds}s" --latency ${script:+-s "$script"} "$url")
  after=$(cpu_ticks)
  if echo "$out" | grep -q 'Non-2xx'; then echo "$url: non-2xx answers: $out" >&2; exit 1; fi
  echo "$out" | awk -v before="$before" -v after="$after" -v hz="$hz" '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    / requests in / { n = $1 } /Requests\/sec/ { rps = $2 } / 50%/ { p50 = ms($2) } / 99%/ { p99 = ms($2) }
    END {
      split(before, b, " "); split(after, a, " ")
      printf "%.0f %.1f %.1f", rps, p50, p99
      for (i = 1; i <= 5; i++) printf " %.2f", (a[i] - b[i]) * 1000 / hz / n
      printf "\n"
    }'
}
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

declare -A urls=(
  [catalog-page]="$webapp/catalog"
  [catalog-json]="$catalog/api/products?sort=newest&limit=20"
  [product-page]="$webapp/products/"
  [product-json]="$catalog/api/products/by-slug/"
)
targets=(catalog-page catalog-json product-page product-json)
script_for() { case $1 in product-*) echo "$work/slugs.lua" ;; *) echo "" ;; esac; }

for t in "${targets[@]}"; do round "${urls[$t]}" "$(script_for "$t")" >/dev/null; done
for r in $(seq "$rounds"); do
  for t in "${targets[@]}"; do
    round "${urls[$t]}" "$(script_for "$t")" >> "$work/$t"
  done
  echo "round $r done"
done

echo
printf '%-14s %8s %8s %8s   %s\n' target "req/s" "p50 ms" "p99 ms" "CPU ms per request: web app, catalog-api, postgres, dashboard, machine"
for t in "${targets[@]}"; do
  col() { cut -d' ' -f"$1" "$work/$t" | median; }
  printf '%-14s %8s %8s %8s   %s %s %s %s %s\n' "$t" "$(col 1)" "$(col 2)" "$(col 3)" "$(col 4)" "$(col 5)" "$(col 6)" "$(col 7)" "$(col 8)"
done
ratio() { echo "scale=2; $(cut -d' ' -f1 "$work/$1" | median) / $(cut -d' ' -f1 "$work/$2" | median)" | bc -l; }
echo
echo "catalog page / its JSON: $(ratio catalog-page catalog-json)x   product page / its JSON: $(ratio product-page product-json)x"
echo "web app's largest working set under load: $(( $(cat "$work/peak" 2>/dev/null || echo 0) / 1024 )) MB (medians of $rounds rounds, $connections connections)"
