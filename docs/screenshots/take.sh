#!/usr/bin/env bash
# Regenerates the README's storefront screenshots: bash docs/screenshots/take.sh
# Builds the solution, starts the system (AppHost, local or container infrastructure as `dotnet run` would), drives
# Chromium through a customer's visit with the Playwright package the tests already use, and stops the system.
# Needs what the tests need: Chromium at /usr/bin/chromium or SHOP_CHROMIUM.
set -euo pipefail
cd "$(dirname "$0")/../.."

dotnet build Shop.sln -v quiet -nologo
playwright_dir=tests/Shop.Tests/bin/Debug/net10.0/.playwright
node="$playwright_dir/node/linux-x64/node"
[ -x "$node" ] || { echo "No Playwright driver at $playwright_dir (build tests/Shop.Tests first)." >&2; exit 1; }

dotnet run --project src/Shop.AppHost --no-build > /tmp/shop-screenshots-apphost.log 2>&1 &
apphost=$!
# The AppHost runs under `dotnet run`; stop the AppHost process itself so that it stops what it started.
trap 'pkill -TERM -P "$apphost" 2>/dev/null || true; wait "$apphost" 2>/dev/null || true' EXIT

for _ in $(seq 1 120); do
  curl -sf http://localhost:5300/health >/dev/null 2>&1 && curl -sf http://localhost:5303/health >/dev/null 2>&1 && break
  sleep 2
done

PLAYWRIGHT_PACKAGE="$PWD/$playwright_dir/package" "$node" docs/screenshots/take.js http://localhost:5300 docs/screenshots
echo "Screenshots written to docs/screenshots/."
