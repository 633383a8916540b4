using System.Diagnostics;
using Microsoft.Extensions.Configuration;

namespace Shop.AppHost.Infrastructure;

/// <summary>
/// Answers whether a container engine is usable right now. A CLI on PATH is not enough (our CI machines
/// have the docker client and no engine), so the probe asks the engine itself and treats a failure or a
/// slow answer as "no runtime".
/// </summary>
internal static class ContainerRuntimeProbe
{
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(10);

    public static ProbeResult Probe(IConfiguration configuration)
    {
        // Aspire's own setting picks the runtime; without it Aspire uses docker, and podman when docker is absent.
        var configured = configuration["ASPIRE_CONTAINER_RUNTIME"] ?? configuration["DOTNET_ASPIRE_CONTAINER_RUNTIME"];
        string[] candidates = string.IsNullOrWhiteSpace(configured) ? ["docker", "podman"] : [configured];

        var findings = new List<string>();
        foreach (var runtime in candidates)
        {
            var path = ExecutableLocator.FindOnPath(runtime);
            if (path is null)
            {
                findings.Add($"{runtime}: not on PATH");
                continue;
            }

            var (healthy, detail) = AskEngine(path);
            if (healthy)
            {
                return new ProbeResult(true, $"{runtime} engine answered ({detail})");
            }

            findings.Add($"{runtime}: {detail}");
        }

        return new ProbeResult(false, string.Join("; ", findings));
    }

    private static (bool Healthy, string Detail) AskEngine(string cliPath)
    {
        var startInfo = new ProcessStartInfo(cliPath)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        startInfo.ArgumentList.Add("info");
        startInfo.ArgumentList.Add("--format");
        startInfo.ArgumentList.Add("{{json .}}");

        try
        {
            using var process = Process.Start(startInfo);
            if (process is null)
            {
                return (false, "could not start the CLI");
            }

            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(ProbeTimeout))
            {
                process.Kill(entireProcessTree: true);
                return (false, $"no answer within {ProbeTimeout.TotalSeconds:0} s");
            }

            if (process.ExitCode == 0 && stdout.Result.Length > 0)
            {
                return (true, "engine running");
            }

            var reason = stderr.Result.Trim().Split('\n', 2)[0];
            return (false, reason.Length > 0 ? reason : $"exit code {process.ExitCode}");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            return (false, ex.Message);
        }
    }

    public sealed record ProbeResult(bool Healthy, string Detail);
}
