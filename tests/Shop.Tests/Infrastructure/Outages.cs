using System.Diagnostics;

namespace Shop.Tests.Infrastructure;

/// <summary>
/// Breaks the running system the way production breaks: a resource stopped through the orchestrator, or a
/// service's process killed outright (SIGKILL: no shutdown, no flushing, requests cut mid-way).
/// </summary>
public static class Outages
{
    /// <summary>How long a restarted resource may take to report healthy again.</summary>
    public static readonly TimeSpan RecoveryPatience = TimeSpan.FromSeconds(60);

    public static async Task StopAsync(this ShopAppFixture fixture, string resourceName)
    {
        var stopped = await fixture.App.ResourceCommands.ExecuteCommandAsync(fixture.Resource(resourceName), KnownResourceCommands.StopCommand);
        Assert.True(stopped.Success, $"{resourceName} did not stop: {stopped.Message}");
    }

    /// <summary>Starts a stopped or dead resource and waits until a new process of it reports healthy.</summary>
    public static async Task StartAsync(this ShopAppFixture fixture, string resourceName)
    {
        var before = ProcessIdOrNull(fixture, resourceName);
        var started = await fixture.App.ResourceCommands.ExecuteCommandAsync(fixture.Resource(resourceName), KnownResourceCommands.StartCommand);
        Assert.True(started.Success, $"{resourceName} did not start: {started.Message}");
        await WaitUntilHealthyAgainAsync(fixture, resourceName, before);
    }

    /// <summary>Stops and starts a service, which reads its configuration (and the fixture's extra environment) afresh.</summary>
    public static async Task RestartAsync(this ShopAppFixture fixture, string resourceName)
    {
        var before = ProcessIdOrNull(fixture, resourceName);
        var restarted = await fixture.App.ResourceCommands.ExecuteCommandAsync(fixture.Resource(resourceName), KnownResourceCommands.RestartCommand);
        Assert.True(restarted.Success, $"{resourceName} did not restart: {restarted.Message}");
        await WaitUntilHealthyAgainAsync(fixture, resourceName, before);
    }

    /// <summary>
    /// kill -9 of a service. The orchestrator's process for a project is its launcher (<c>dotnet run</c>); the
    /// service is that launcher's child, so the child is killed first, then the launcher, and nothing survives
    /// to keep serving. Returns once the orchestrator has seen the resource go down.
    /// </summary>
    public static async Task KillAsync(this ShopAppFixture fixture, string resourceName)
    {
        var launcher = ProcessIdOrNull(fixture, resourceName) ?? throw new InvalidOperationException($"{resourceName} has no process.");
        foreach (var child in ChildrenOf(launcher))
        {
            Kill(child);
        }

        Kill(launcher);
        using var timeout = new CancellationTokenSource(RecoveryPatience);
        await fixture.App.ResourceNotifications.WaitForResourceAsync(
            resourceName, e => e.Snapshot.State?.Text is { } state && state != KnownResourceStates.Running, timeout.Token);
    }

    public static int? ProcessIdOrNull(ShopAppFixture fixture, string resourceName) =>
        fixture.App.ResourceNotifications.TryGetCurrentState(resourceName, out var current)
        && current.Snapshot.Properties.FirstOrDefault(p => p.Name == "executable.pid")?.Value is { } pid
        && Convert.ToInt32(pid) is > 0 and var id
            ? id
            : null;

    // A restart first reports the old process's last state; only a new process counts. Then every API is
    // asked directly whether it is ready (its database and Redis included): the orchestrator polls health
    // every several seconds, and waiting for it would make each outage test that much slower.
    private static async Task WaitUntilHealthyAgainAsync(ShopAppFixture fixture, string resourceName, int? previousProcessId)
    {
        using var timeout = new CancellationTokenSource(RecoveryPatience);
        await fixture.App.ResourceNotifications.WaitForResourceAsync(
            resourceName,
            e => e.Snapshot.State?.Text == KnownResourceStates.Running && (ProcessIdOf(e) is not { } pid || pid != previousProcessId),
            timeout.Token);
        await Task.WhenAll(ShopAppFixture.ApiNames.Select(api => UntilReadyAsync(fixture, api, timeout.Token)));
    }

    private static async Task UntilReadyAsync(ShopAppFixture fixture, string api, CancellationToken cancellationToken)
    {
        using var client = fixture.CreateClient(api);
        client.Timeout = TimeSpan.FromSeconds(5);
        while (true)
        {
            try
            {
                using var response = await client.GetAsync("/health", cancellationToken);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException || (ex is TaskCanceledException && !cancellationToken.IsCancellationRequested))
            {
                // Not listening yet.
            }

            await Task.Delay(250, cancellationToken);
        }
    }

    private static int? ProcessIdOf(ResourceEvent e) =>
        e.Snapshot.Properties.FirstOrDefault(p => p.Name == "executable.pid")?.Value is { } pid && Convert.ToInt32(pid) is > 0 and var id ? id : null;

    private static IEnumerable<int> ChildrenOf(int pid) =>
        Directory.Exists($"/proc/{pid}/task")
            ? Directory.GetDirectories($"/proc/{pid}/task")
                .Select(task => Path.Combine(task, "children"))
                .Where(File.Exists)
                .SelectMany(file => File.ReadAllText(file).Split(' ', StringSplitOptions.RemoveEmptyEntries))
                .Select(int.Parse)
                .ToList()
            : [];

    private static void Kill(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            process.Kill(); // SIGKILL on Linux
        }
        catch (ArgumentException)
        {
            // Already gone.
        }
    }
}
