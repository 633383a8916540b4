using System.Runtime.InteropServices;

/// <summary>
/// CPU time and memory of the running system, read from /proc (Linux only): every process is put in a
/// group by what it is (one of the APIs, Postgres, Redis, the orchestrator, the dashboard, the load
/// generator), and a window's CPU time is the difference of two snapshots. A process that ends inside the
/// window is counted through its parent's "children" time (Postgres backends through the postmaster).
/// </summary>
internal static class SystemCpu
{
    public static readonly string[] SystemGroups = ["user-api", "catalog-api", "order-api", "payment-api", "postgres", "redis", "rabbitmq"];
    public static readonly string[] OtherGroups = ["orchestrator", "dashboard", "load generator"];

    private static readonly (string Name, string Assembly)[] Apis =
        [("user-api", "Shop.UserApi"), ("catalog-api", "Shop.CatalogApi"), ("order-api", "Shop.OrderApi"), ("payment-api", "Shop.PaymentApi")];

    private static readonly double TicksPerSecond = OperatingSystem.IsLinux() ? sysconf(2 /* _SC_CLK_TCK */) : 100;

    public static bool Available => OperatingSystem.IsLinux() && Directory.Exists("/proc/self");

    /// <summary>CPU seconds used so far by each live process, by pid, with its group.</summary>
    public static Dictionary<int, (string Group, double Seconds)> Snapshot()
    {
        var snapshot = new Dictionary<int, (string, double)>();
        foreach (var (pid, group) in Processes())
        {
            try
            {
                // Fields after the command name (which may hold spaces): state is field 3; utime, stime,
                // cutime, cstime are fields 14-17.
                var stat = File.ReadAllText($"/proc/{pid}/stat");
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                var ticks = long.Parse(fields[11]) + long.Parse(fields[12]) + long.Parse(fields[13]) + long.Parse(fields[14]);
                snapshot[pid] = (group, ticks / TicksPerSecond);
            }
            catch (IOException)
            {
                // Ended between the listing and the read.
            }
        }

        return snapshot;
    }

    /// <summary>CPU seconds per group between two snapshots.</summary>
    public static Dictionary<string, double> Between(Dictionary<int, (string Group, double Seconds)> before, Dictionary<int, (string Group, double Seconds)> after)
    {
        var used = new Dictionary<string, double>();
        foreach (var (pid, (group, seconds)) in after)
        {
            var start = before.TryGetValue(pid, out var earlier) ? earlier.Seconds : 0;
            used[group] = used.GetValueOrDefault(group) + seconds - start;
        }

        return used;
    }

    /// <summary>Resident memory (VmRSS) in MB per group, summed over its processes.</summary>
    public static Dictionary<string, double> ResidentMegabytes()
    {
        var rss = new Dictionary<string, double>();
        foreach (var (pid, group) in Processes())
        {
            try
            {
                var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
                if (line is not null)
                {
                    rss[group] = rss.GetValueOrDefault(group) + long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024.0;
                }
            }
            catch (IOException)
            {
            }
        }

        return rss;
    }

    private static IEnumerable<(int Pid, string Group)> Processes()
    {
        var self = Environment.ProcessId;
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid))
            {
                continue;
            }

            string commandLine;
            try
            {
                commandLine = File.ReadAllText($"{directory}/cmdline").Replace('\0', ' ');
            }
            catch (IOException)
            {
                continue;
            }

            if (Group(pid == self, commandLine) is { } group)
            {
                yield return (pid, group);
            }
        }
    }

    private static string? Group(bool self, string commandLine)
    {
        if (self || commandLine.StartsWith("wrk ", StringComparison.Ordinal) || commandLine.Contains("/wrk ", StringComparison.Ordinal))
        {
            return "load generator";
        }

        // `dotnet run` launchers that the orchestrator starts for each project, the AppHost, DCP.
        if (commandLine.StartsWith("dotnet run", StringComparison.Ordinal) || commandLine.Contains("Shop.AppHost", StringComparison.Ordinal)
            || commandLine.Contains("/dcp ", StringComparison.Ordinal))
        {
            return "orchestrator";
        }

        foreach (var (name, assembly) in Apis)
        {
            if (commandLine.Contains(assembly, StringComparison.Ordinal))
            {
                return name;
            }
        }

        return commandLine switch
        {
            _ when commandLine.StartsWith("postgres", StringComparison.Ordinal) || commandLine.Contains("/bin/postgres ", StringComparison.Ordinal) => "postgres",
            _ when commandLine.Contains("redis-server", StringComparison.Ordinal) => "redis",
            _ when commandLine.Contains("rabbit", StringComparison.Ordinal) || commandLine.Contains("beam.smp", StringComparison.Ordinal)
                || commandLine.Contains("epmd", StringComparison.Ordinal) => "rabbitmq",
            _ when commandLine.Contains("Aspire.Dashboard", StringComparison.Ordinal) => "dashboard",
            _ => null,
        };
    }

    [DllImport("libc", EntryPoint = "sysconf")]
    private static extern long sysconf(int name);
}
