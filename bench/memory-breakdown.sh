#!/usr/bin/env bash
# Where each API's resident memory (the working set the scale issue's target names) goes, from
# /proc/<pid>/smaps of the running services (Release build, started by the AppHost):
#   anon          the managed heap, thread stacks and native allocations (grows under load)
#   jit code      /memfd:doublemapper: code the JIT wrote and the runtime's stubs. With W^X (on by
#                 default since .NET 7) each page is mapped twice, writable and executable, and both
#                 mappings count in RSS, so this column is about twice the memory it uses
#   runtime       the .NET runtime and shared framework images (/usr/share/dotnet, /usr/lib/dotnet)
#   app           the service's own folder: its assemblies and the packages it ships
#   other         everything else mapped from files (OpenSSL, ICU, libc, ...)
#   bench/memory-breakdown.sh
set -euo pipefail
printf '%-14s %8s %8s %9s %8s %8s %8s\n' service "rss MB" anon "jit code" runtime app other
for service in Shop.UserApi Shop.CatalogApi Shop.OrderApi Shop.PaymentApi; do
  pid=$(pgrep -f "bin/Release/net10.0/$service\$" | head -n1 || true)
  [ -n "$pid" ] || { echo "$service: no Release process running" >&2; continue; }
  python3 - "$pid" "$service" <<'PY'
import re, sys
pid, service = sys.argv[1], sys.argv[2]
groups = {"anon": 0, "jit": 0, "runtime": 0, "app": 0, "other": 0}
current = "anon"
for line in open(f"/proc/{pid}/smaps"):
    if re.match(r"^[0-9a-f]+-[0-9a-f]+ ", line):
        parts = line.split(None, 5)
        name = parts[5].strip() if len(parts) > 5 else ""
        if name == "" or name.startswith("["):
            current = "anon"
        elif "doublemapper" in name:
            current = "jit"
        elif name.startswith(("/usr/share/dotnet/", "/usr/lib/dotnet/")):
            current = "runtime"
        elif f"/{service}/bin/" in name:
            current = "app"
        else:
            current = "other"
    elif line.startswith("Rss:"):
        groups[current] += int(line.split()[1])
mb = {k: v / 1024 for k, v in groups.items()}
print(f"{service:<14} {sum(mb.values()):8.0f} {mb['anon']:8.0f} {mb['jit']:9.0f} {mb['runtime']:8.0f} {mb['app']:8.0f} {mb['other']:8.0f}")
PY
done
