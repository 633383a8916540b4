#!/usr/bin/env bash
# Every measurement of bench/README.md's results table, in one command, from a clean start:
#   bench/run.sh [--quick] [--micro]
# Builds Release, then starts the AppHost (local infrastructure mode, a fresh durable data folder: fsync and
# synchronous_commit stay on) on the developer ports, and measures:
#   1. checkout: a warm-up, then three 40 s windows of 32 buyers over 32 products, and three of 32 buyers
#      competing for one product (Shop.Bench.Load: paid checkouts/s, latency, CPU per paid checkout of each
#      process, peak resident memory of each API), plus the database statements of one checkout
#      (pg_stat_statements);
#   2. product by id against a bare EF Core endpoint, side by side (bench/product-read.sh, when present);
#   3. search p50 at 10,000 and at 1,000,000 products (two more AppHost starts; bench/search-latency.sh);
#   4. with --micro, the token-validation benchmarks (BenchmarkDotNet, several minutes).
# Writes bench/results/<UTC date and time>.md and prints it. --quick: one window each and 100,000 products
# instead of 1,000,000 (a smoke run of the script, not a measurement to quote).
# Nothing else should run on the machine meanwhile: the load generator shares its two cores with the system.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
quick=false micro=false
for arg in "$@"; do
  case $arg in
    --quick) quick=true ;;
    --micro) micro=true ;;
    *) echo "usage: bench/run.sh [--quick] [--micro]" >&2; exit 2 ;;
  esac
done
windows=3 warmup=120 large=1000000
if $quick; then windows=1 warmup=30 large=100000; fi
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }
command -v psql >/dev/null || { echo "psql is needed (Debian's postgresql-client, installed with postgresql)" >&2; exit 1; }

stamp=$(date -u +%Y-%m-%dT%H%M)
work=$(mktemp -d /tmp/shop-bench.XXXXXX)
chmod 755 "$work" # Postgres runs as its own account and must reach its data folder inside
out="$root/bench/results/$stamp.md"
mkdir -p "$root/bench/results"
apphost=""
cleanup() {
  [ -n "$apphost" ] && kill -TERM "$apphost" 2>/dev/null && wait "$apphost" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 143' TERM INT # so that a stopped run still stops the AppHost it started

echo "building (Release)..."
dotnet build -c Release Shop.sln -v q -nologo >/dev/null
dotnet build -c Release bench/Shop.Bench.Load -v q -nologo >/dev/null

# Starts the AppHost with a fresh data folder and extra AppHost arguments; waits for four healthy APIs.
start_system() {
  local data="$work/data-$1"; shift
  mkdir -p "$data"
  Infrastructure__DataDirectory="$data" dotnet run --project src/Shop.AppHost -c Release --no-build -- "$@" >"$work/apphost.log" 2>&1 &
  apphost=$!
  for _ in $(seq 1 300); do
    local healthy=0
    for port in 5301 5302 5303 5304; do
      [ "$(curl -s -o /dev/null -w '%{http_code}' "http://localhost:$port/health")" = 200 ] && healthy=$((healthy + 1))
    done
    [ $healthy = 4 ] && break
    kill -0 "$apphost" 2>/dev/null || { cat "$work/apphost.log" >&2; exit 1; }
    sleep 2
  done
  [ $healthy = 4 ] || { echo "the APIs did not all become healthy in 10 minutes" >&2; tail -n 40 "$work/apphost.log" >&2; exit 1; }
  # psql reaches the AppHost's Postgres with catalog-api's own connection string.
  local catalog connection
  catalog=$(pgrep -f 'bin/Release/net10.0/Shop.CatalogApi$' | head -1)
  connection=$(tr '\0' '\n' <"/proc/$catalog/environ" | sed -n 's/^ConnectionStrings__catalogdb=//p')
  export PGHOST=localhost PGDATABASE=postgres
  PGPORT=$(echo "$connection" | grep -oP 'Port=\K[0-9]+') && export PGPORT
  PGUSER=$(echo "$connection" | grep -oP 'Username=\K[^;]+') && export PGUSER
  PGPASSWORD=$(echo "$connection" | grep -oP 'Password=\K[^;]+') && export PGPASSWORD
  psql -qc 'CREATE EXTENSION IF NOT EXISTS pg_stat_statements' >/dev/null
}

stop_system() {
  kill -TERM "$apphost"; wait "$apphost" 2>/dev/null || true; apphost=""
  sleep 3
}

load() { dotnet bench/Shop.Bench.Load/bin/Release/net10.0/Shop.Bench.Load.dll "$@"; }

# value NAME FILE...: the NAME=value of each file's RESULT line, one per line.
value() { local name=$1; shift; for f in "$@"; do sed -n "s/^RESULT.* $name=\([^ ]*\).*/\1/p" "$f" | head -1; done; }
median() { sort -g | awk '{ a[NR] = $1 } END { if (NR) print a[int((NR + 1) / 2)] }'; }
list() { tr '\n' ' ' | sed 's/ $//; s/ /, /g'; }

echo "1. checkout (warm-up ${warmup} s, then ${windows} windows of 40 s each, spread and hot)"
start_system checkout
load 32 10 "$warmup" 32 >"$work/warmup.txt"
for w in $(seq 1 "$windows"); do
  [ "$w" = 1 ] && psql -qc 'SELECT pg_stat_statements_reset()' >/dev/null
  load 32 40 5 32 >"$work/spread-$w.txt"
  if [ "$w" = 1 ]; then
    psql -qAt -F $'\t' -c "SELECT d.datname, s.calls, round(s.total_exec_time::numeric, 1), regexp_replace(left(s.query, 90), '\s+', ' ', 'g')
      FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid WHERE d.datname LIKE '%db' ORDER BY d.datname, s.calls DESC" >"$work/statements.tsv"
  fi
  tail -n 7 "$work/spread-$w.txt"
done
for w in $(seq 1 "$windows"); do
  load 32 40 5 1 >"$work/hot-$w.txt"
  tail -n 7 "$work/hot-$w.txt"
done
paid_checkouts=$(awk '/^checkouts:/ { print $2 }' "$work/spread-1.txt")

product_read=""
if [ -x bench/product-read.sh ]; then
  echo "2. product by id, side by side with a bare EF Core endpoint"
  product_read=$(bench/product-read.sh)
  echo "$product_read"
fi
stop_system

echo "3. search at 10,000 and ${large} products"
declare -A search
for size in 10000 "$large"; do
  start_system "search-$size" --Catalog:SeedProductCount="$size"
  search[$size]=$(bench/search-latency.sh "$size")
  echo "${search[$size]}"
  stop_system
done

micro_rows=""
if $micro; then
  echo "4. token validation (BenchmarkDotNet)"
  (cd bench/Shop.Bench.Micro && dotnet run -c Release -- --filter '*TokenValidationThroughJwtBearer*' >"$work/micro.txt")
  micro_rows=$(grep -E '^\|' "$work/micro.txt" || true)
fi

spread_files=("$work"/spread-*.txt) hot_files=("$work"/hot-*.txt)
m() { value "$1" "${@:2}" | median; }
l() { value "$1" "${@:2}" | list; }
p50() { echo "$1" | awk -v what="$2" 'index($0, what) { for (i = 1; i <= NF; i++) if ($i == "p50") print $(i + 1) }' | head -1; }
{
  echo "# Bench results $stamp"
  echo
  echo "\`bench/run.sh$($quick && echo ' --quick')$($micro && echo ' --micro')\` on $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)),"
  echo "local infrastructure mode with durable commits, load generator on the same machine. Checkout windows: 40 s"
  echo "each after a ${warmup} s warm-up of the same system; medians of ${windows} windows (each value listed)."
  echo
  echo "| measure | median | windows | target |"
  echo "|---|---:|---|---|"
  echo "| paid checkouts/s, 32 buyers over 32 products | $(m paid_per_s "${spread_files[@]}") | $(l paid_per_s "${spread_files[@]}") | >= 300 |"
  echo "| checkout p99 ms, same | $(m p99_ms "${spread_files[@]}") | $(l p99_ms "${spread_files[@]}") | < 250 |"
  echo "| CPU ms per paid checkout, the system's processes | $(m cpu_ms "${spread_files[@]}") | $(l cpu_ms "${spread_files[@]}") | <= 6 |"
  for g in order-api catalog-api payment-api user-api postgres redis; do
    echo "| &nbsp;&nbsp;of which $g | $(m "cpu_$g" "${spread_files[@]}") | $(l "cpu_$g" "${spread_files[@]}") | |"
  done
  for g in orchestrator dashboard load_generator; do
    echo "| CPU ms per paid checkout outside the system: ${g/_/ } | $(m "cpu_$g" "${spread_files[@]}") | $(l "cpu_$g" "${spread_files[@]}") | |"
  done
  echo "| paid checkouts/s, 32 buyers, one product | $(m paid_per_s "${hot_files[@]}") | $(l paid_per_s "${hot_files[@]}") | |"
  echo "| checkout p99 ms, one product | $(m p99_ms "${hot_files[@]}") | $(l p99_ms "${hot_files[@]}") | |"
  echo "| largest API working set under checkout load, MB | $(m rss_max_api_mb "${spread_files[@]}") | $(l rss_max_api_mb "${spread_files[@]}") | <= 200 |"
  small_p50=$(p50 "${search[10000]}" "text search, page 1") large_p50=$(p50 "${search[$large]}" "text search, page 1")
  echo "| relevance search p50 ms, $large vs 10,000 products | $large_p50 vs $small_p50 ($(awk -v a="$large_p50" -v b="$small_p50" 'BEGIN { printf "%.2fx", a / b }')) | 3 rounds | <= 1.2x |"
  echo
  if [ -n "$product_read" ]; then
    echo "## Product by id"
    echo
    echo '```'
    echo "$product_read"
    echo '```'
    echo
  fi
  echo "## Search"
  echo
  echo '```'
  echo "${search[10000]}"
  echo "${search[$large]}"
  echo '```'
  echo
  echo "## Statements of the first spread window ($paid_checkouts checkouts measured), by database, most frequent first"
  echo
  echo "Counted from the start of the window's 5 s warm-up, so a statement run once per checkout shows about 1.1."
  echo
  echo "| database | calls | per checkout | total ms | statement |"
  echo "|---|---:|---:|---:|---|"
  awk -F '\t' -v n="$paid_checkouts" '$2 >= n / 2 { gsub(/\|/, "\\|", $4); printf "| %s | %d | %.2f | %.1f | `%s` |\n", $1, $2, $2 / n, $3, $4 }' "$work/statements.tsv"
  if [ -n "$micro_rows" ]; then
    echo
    echo "## Token validation"
    echo
    echo "$micro_rows"
  fi
} >"$out"
echo
cat "$out"
echo "written to $out"
