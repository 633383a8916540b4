using System.Diagnostics;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;

namespace Shop.AppHost.Infrastructure;

/// <summary>
/// The on-disk side of a local Postgres server: where its binaries are, where its cluster lives, its
/// superuser password, and creating the cluster the first time. Postgres refuses to run as root, so
/// when the AppHost is root every Postgres program runs as the <c>postgres</c> account.
/// </summary>
public sealed class LocalPostgresCluster
{
    private const string ServiceAccount = "postgres";

    private LocalPostgresCluster(string binDirectory, string dataRoot, bool ephemeral, string? setprivPath)
    {
        BinDirectory = binDirectory;
        DataRoot = dataRoot;
        Ephemeral = ephemeral;
        SetprivPath = setprivPath;
    }

    public string BinDirectory { get; }

    /// <summary>Folder holding the cluster and its password file.</summary>
    public string DataRoot { get; }

    public string DataDirectory => Path.Combine(DataRoot, "postgres");

    public bool Ephemeral { get; }

    /// <summary>Set when the AppHost runs as root: Postgres programs are started through setpriv.</summary>
    public string? SetprivPath { get; }

    private string PasswordFile => Path.Combine(DataRoot, "postgres.password");

    private string PostgresExecutable => Path.Combine(BinDirectory, "postgres");

    private string InitdbExecutable => Path.Combine(BinDirectory, "initdb");

    /// <summary>
    /// Finds the server programs (and, as root, the means to drop to the postgres account), failing at
    /// once with what to install or configure. Touches nothing on disk.
    /// </summary>
    public static LocalPostgresPrograms Locate(InfrastructureOptions options)
    {
        var binDirectory = FindBinDirectory(options.PostgresBinDirectory);
        if (OperatingSystem.IsWindows() || !Environment.IsPrivilegedProcess)
        {
            return new LocalPostgresPrograms(binDirectory, SetprivPath: null);
        }

        var setprivPath = ExecutableLocator.FindOnPath("setpriv") ?? throw new DistributedApplicationException(
            "The AppHost runs as root, and Postgres refuses to run as root, so it is started as the 'postgres' account " +
            "through setpriv, which is not on PATH. Install it (Debian/Ubuntu: `apt-get install util-linux`) or run the AppHost as a normal user.");
        if (!ServiceAccountExists())
        {
            throw new DistributedApplicationException(
                "The AppHost runs as root, and Postgres refuses to run as root, so it is started as the 'postgres' account, " +
                "which does not exist. Installing the Debian/Ubuntu 'postgresql' package creates it; or run the AppHost as a normal user.");
        }

        return new LocalPostgresPrograms(binDirectory, setprivPath);
    }

    /// <summary>Prepares the data folder for a cluster run by <paramref name="programs"/>.</summary>
    public static LocalPostgresCluster Create(LocalPostgresPrograms programs, string dataRoot, bool ephemeral)
    {
        Directory.CreateDirectory(dataRoot);
        if (programs.SetprivPath is not null && !OperatingSystem.IsWindows())
        {
            // The postgres account must be able to reach its data directory below this folder.
            File.SetUnixFileMode(dataRoot, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        }

        return new LocalPostgresCluster(programs.BinDirectory, dataRoot, ephemeral, programs.SetprivPath);
    }

    /// <summary>
    /// The superuser password, created with the cluster's folder and kept beside it, so that a persistent
    /// cluster and its password stay together across AppHost restarts.
    /// </summary>
    public string GetOrCreatePassword()
    {
        var clusterExists = File.Exists(Path.Combine(DataDirectory, "PG_VERSION"));
        if (clusterExists)
        {
            return File.Exists(PasswordFile)
                ? File.ReadAllText(PasswordFile).Trim()
                : throw new DistributedApplicationException(
                    $"The local Postgres cluster in '{DataDirectory}' has lost its password file '{PasswordFile}'. " +
                    "Restore the file, or delete the cluster folder to start with an empty one.");
        }

        // No cluster yet. A folder without PG_VERSION is what a failed initdb leaves behind: start over.
        if (Directory.Exists(DataDirectory))
        {
            Directory.Delete(DataDirectory, recursive: true);
        }

        var password = RandomNumberGenerator.GetHexString(32, lowercase: true);
        PrivateFile.Write(PasswordFile, password);
        return password;
    }

    /// <summary>Creates the cluster with <c>initdb</c> unless it already exists.</summary>
    public async Task EnsureInitializedAsync(string password, ILogger logger, CancellationToken cancellationToken)
    {
        if (File.Exists(Path.Combine(DataDirectory, "PG_VERSION")))
        {
            return;
        }

        Directory.CreateDirectory(DataDirectory);
        var passwordFile = Path.Combine(DataRoot, "initdb.pwfile");
        PrivateFile.Write(passwordFile, password);
        try
        {
            if (SetprivPath is not null)
            {
                await RunAsync("chown", ["-R", $"{ServiceAccount}:{ServiceAccount}", DataDirectory, passwordFile], logger, cancellationToken);
            }

            List<string> initdbArgs =
            [
                "--pgdata", DataDirectory,
                "--username", LocalPostgresServerResource.UserName,
                "--pwfile", passwordFile,
                "--auth", "scram-sha-256",
                "--encoding", "UTF8",
                "--no-locale",
            ];
            if (Ephemeral)
            {
                initdbArgs.Add("--no-sync");
            }

            var (command, args) = AsServiceAccount(InitdbExecutable, initdbArgs);
            logger.LogInformation("Creating a Postgres cluster in {DataDirectory}", DataDirectory);
            await RunAsync(command, args, logger, cancellationToken);
        }
        finally
        {
            File.Delete(passwordFile);
        }
    }

    /// <summary>
    /// The command line that runs the Postgres server in the foreground. The orchestrator stops a process
    /// with SIGTERM, which Postgres takes as a "smart" shutdown that waits for every client to disconnect,
    /// and the services' connection pools never do; the orchestrator then kills it. A small shell wrapper
    /// turns SIGTERM into SIGINT, Postgres's fast shutdown: clients are disconnected and the cluster is
    /// closed cleanly.
    /// </summary>
    public (string Command, IReadOnlyList<string> Args) ServerCommandLine()
    {
        List<string> args =
        [
            "-c", FastShutdownWrapper, "shop-postgres",
            PostgresExecutable,
            "-D", DataDirectory,
            // TCP on loopback only; the port comes from PGPORT, which the orchestrator sets.
            "-c", "listen_addresses=localhost",
            "-c", "unix_socket_directories=",
            "-c", "max_connections=300",
            .. ShopInfrastructureExtensions.PostgresSettings,
        ];
        if (Ephemeral)
        {
            // A throwaway cluster needs no durability, and skipping fsync makes tests much faster.
            args.AddRange(["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"]);
        }

        return AsServiceAccount("/bin/sh", args);
    }

    private const string FastShutdownWrapper = """
        "$@" &
        child=$!
        trap 'kill -INT "$child" 2>/dev/null' TERM INT
        wait "$child"
        status=$?
        while kill -0 "$child" 2>/dev/null; do wait "$child"; status=$?; done
        exit "$status"
        """;

    private (string Command, IReadOnlyList<string> Args) AsServiceAccount(string executable, IReadOnlyList<string> args) =>
        SetprivPath is null
            ? (executable, args)
            : (SetprivPath, [$"--reuid={ServiceAccount}", $"--regid={ServiceAccount}", "--init-groups", "--", executable, .. args]);

    private static string FindBinDirectory(string? configured)
    {
        static bool HasServer(string directory) =>
            ExecutableLocator.IsExecutableFile(Path.Combine(directory, "postgres"))
            && ExecutableLocator.IsExecutableFile(Path.Combine(directory, "initdb"));

        if (configured is not null)
        {
            return HasServer(configured)
                ? configured
                : throw new DistributedApplicationException(
                    $"Infrastructure:PostgresBinDirectory is '{configured}', which does not hold the PostgreSQL server programs 'postgres' and 'initdb'.");
        }

        List<string> candidates = [];
        if (ExecutableLocator.FindOnPath("pg_config") is { } pgConfig && RunForOutput(pgConfig, "--bindir") is { } bindir)
        {
            candidates.Add(bindir);
        }

        // Debian and Ubuntu keep the server programs off PATH, one folder per major version.
        if (Directory.Exists("/usr/lib/postgresql"))
        {
            candidates.AddRange(Directory.GetDirectories("/usr/lib/postgresql")
                .OrderByDescending(d => int.TryParse(Path.GetFileName(d), out var major) ? major : 0)
                .Select(d => Path.Combine(d, "bin")));
        }

        if (ExecutableLocator.FindOnPath("initdb") is { } initdb)
        {
            candidates.Add(Path.GetDirectoryName(initdb)!);
        }

        return candidates.FirstOrDefault(HasServer) ?? throw new DistributedApplicationException(
            "Local infrastructure mode needs the PostgreSQL server programs (postgres and initdb), and none were found " +
            "(looked at `pg_config --bindir`, /usr/lib/postgresql/*/bin and PATH). Install PostgreSQL " +
            "(Debian/Ubuntu: `sudo apt-get install postgresql`; macOS: `brew install postgresql@17`), " +
            "or set Infrastructure:PostgresBinDirectory to the folder that holds them, " +
            "or use a container runtime with Infrastructure:Mode=containers.");
    }

    private static bool ServiceAccountExists() =>
        File.Exists("/etc/passwd")
        && File.ReadLines("/etc/passwd").Any(line => line.StartsWith(ServiceAccount + ":", StringComparison.Ordinal));

    private static string? RunForOutput(string command, string argument)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(command, argument) { RedirectStandardOutput = true, RedirectStandardError = true });
            if (process is null)
            {
                return null;
            }

            var output = process.StandardOutput.ReadToEnd().Trim();
            process.WaitForExit();
            return process.ExitCode == 0 && output.Length > 0 ? output : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    private static async Task RunAsync(string command, IReadOnlyList<string> args, ILogger logger, CancellationToken cancellationToken)
    {
        var startInfo = new ProcessStartInfo(command) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            startInfo.ArgumentList.Add(arg);
        }

        using var process = Process.Start(startInfo) ?? throw new DistributedApplicationException($"Could not start '{command}'.");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        var output = (await stdout + await stderr).Trim();
        if (process.ExitCode != 0)
        {
            throw new DistributedApplicationException($"'{Path.GetFileName(command)} {string.Join(' ', args)}' failed with exit code {process.ExitCode}: {output}");
        }

        if (output.Length > 0)
        {
            logger.LogDebug("{Command}: {Output}", Path.GetFileName(command), output);
        }
    }
}

/// <summary>Where the Postgres server programs are, and setpriv when they must run as the postgres account.</summary>
public sealed record LocalPostgresPrograms(string BinDirectory, string? SetprivPath);
