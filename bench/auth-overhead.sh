#!/usr/bin/env bash
# What validating an access token adds to a request in a real service: catalog-api's /alive (no work
# beyond the pipeline) and GET /api/categories (one small query), each without a token and with a
# valid customer token (validated on every request, though neither endpoint needs one), side by side.
# wrk, one connection (latency) and 16 (throughput), 10 s each, three rounds; medians.
#   bench/auth-overhead.sh      (against a running AppHost on the developer ports)
set -euo pipefail
catalog=${SHOP_CATALOG_API:-http://localhost:5302}
users=${SHOP_USER_API:-http://localhost:5301}
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }

email="bench-$(date +%s%N)@example.com"
curl -s -o /dev/null -H 'Content-Type: application/json' -H "X-Forwarded-For: 10.9.$((RANDOM % 256)).1" \
  -d "{\"email\":\"$email\",\"password\":\"correct horse battery staple\",\"displayName\":\"Bench\"}" "$users/api/users/register"
token=$(curl -s -H 'Content-Type: application/json' -H "X-Forwarded-For: 10.9.$((RANDOM % 256)).2" \
  -d "{\"email\":\"$email\",\"password\":\"correct horse battery staple\"}" "$users/api/auth/login" | python3 -c 'import sys,json; print(json.load(sys.stdin)["accessToken"])')

median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
to_us() { awk '{ v = $1; if (v ~ /us$/) { sub("us", "", v) } else if (v ~ /ms$/) { sub("ms", "", v); v *= 1000 } else if (v ~ /s$/) { sub("s", "", v); v *= 1000000 } printf "%.0f\n", v }'; }

run() {
  local connections=$1 path=$2 auth=$3 p50s=() rates=()
  local header=()
  [ "$auth" = yes ] && header=(-H "Authorization: Bearer $token")
  for round in 1 2 3; do
    out=$(wrk -t1 -c"$connections" -d10s --latency "${header[@]}" "$catalog$path")
    p50s+=("$(echo "$out" | awk '$1 == "50%" { print $2 }' | to_us)")
    rates+=("$(echo "$out" | awk '/Requests\/sec/ { printf "%.0f\n", $2 }')")
  done
  echo "$(printf '%s\n' "${p50s[@]}" | median) $(printf '%s\n' "${rates[@]}" | median)"
}

printf '%-22s %-6s %12s %12s %14s %14s\n' endpoint conns "p50 no token" "p50 token" "req/s no token" "req/s token"
for path in /alive /api/categories; do
  for connections in 1 16; do
    read -r p50_plain rate_plain <<<"$(run "$connections" "$path" no)"
    read -r p50_token rate_token <<<"$(run "$connections" "$path" yes)"
    printf '%-22s %-6s %10s us %10s us %14s %14s\n' "$path" "$connections" "$p50_plain" "$p50_token" "$rate_plain" "$rate_token"
  done
done
