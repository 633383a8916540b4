#!/usr/bin/env bash
# Latency of catalog search pages against a running AppHost (catalog-api on its developer port).
# For each query: wrk with one connection (so the number is latency, not throughput) for 10 s, three
# times; prints the median of the three p50s and of the three p99s. "deep" continues the same query
# from a cursor up to 2,000 results in (DEEP_PAGES=20 pages of 100), or near its last page when it has fewer.
#   bench/search-latency.sh [label]
# Load a catalog size first: dotnet run --project src/Shop.AppHost -c Release -- --Catalog:SeedProductCount=100000
set -euo pipefail
base=${SHOP_CATALOG_API:-http://localhost:5302}
label=${1:-}
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }

# The cursor after walking up to $deep_pages pages of a query, 100 items a page (all but the last when the
# query has fewer): keyset paging should make a page that deep as cheap as the first. Capped, because at a
# million products a text query matches 100,000 of them, and walking all of its pages takes longer than
# every other measurement together.
deep_pages=${DEEP_PAGES:-20}
deep_cursor() {
  local query=$1 cursor="" next
  for _ in $(seq "$deep_pages"); do
    next=$(curl -s "$base/api/products?$query&limit=100${cursor:+&cursor=$cursor}" | python3 -c 'import sys,json; print(json.load(sys.stdin).get("nextCursor") or "")')
    [ -z "$next" ] && break
    cursor=$next
  done
  echo "$cursor"
}

median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

to_ms() { awk '{ v = $1; if (v ~ /us$/) { sub("us", "", v); v /= 1000 } else if (v ~ /ms$/) { sub("ms", "", v) } else if (v ~ /s$/) { sub("s", "", v); v *= 1000 } printf "%.2f\n", v }'; }

measure() {
  local name=$1 url=$2 p50s=() p99s=()
  for run in 1 2 3; do
    out=$(wrk -t1 -c1 -d10s --latency "$url")
    p50s+=("$(echo "$out" | awk '$1 == "50%" { print $2 }' | to_ms)")
    p99s+=("$(echo "$out" | awk '$1 == "99%" { print $2 }' | to_ms)")
  done
  printf '%-44s p50 %7s ms   p99 %7s ms\n' "$label $name" "$(printf '%s\n' "${p50s[@]}" | median)" "$(printf '%s\n' "${p99s[@]}" | median)"
}

products=$(curl -s "$base/api/products?limit=1" >/dev/null; curl -s "$base/api/categories" | python3 -c 'import sys,json; print(len(json.load(sys.stdin)))')
echo "catalog-api at $base ($products categories)"

text="q=headphones&limit=20"
browse="category=electronics&sort=price&limit=20"

# Warm-up, not measured: a freshly started catalog-api still compiles its query pipeline (tiered JIT).
wrk -t1 -c1 -d10s "$base/api/products?$text" >/dev/null
wrk -t1 -c1 -d5s "$base/api/products?$browse" >/dev/null
measure "text search, page 1" "$base/api/products?$text"
measure "text search, deep page" "$base/api/products?$text&cursor=$(deep_cursor "q=headphones")"
measure "category by price, page 1" "$base/api/products?$browse"
measure "category by price, deep page" "$base/api/products?$browse&cursor=$(deep_cursor "category=electronics&sort=price")"
measure "newest, page 1" "$base/api/products?limit=20"
