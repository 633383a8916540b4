using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Shop.Tests.Infrastructure;

/// <summary>
/// The whole system, started once per test run through the real AppHost: four APIs, Postgres and Redis
/// (local processes with a throwaway data folder unless Infrastructure__Mode says otherwise).
/// Tests isolate themselves by creating their own users and products, never by resetting the world.
/// Several collections share the one running system (<see cref="ShopCollections"/>): each collection gets
/// a fixture of its own, and every fixture with the same AppHost arguments refers to the same system,
/// started by the first and disposed by the last. A derived fixture may start it with other AppHost
/// arguments (<see cref="ReplicaAppFixture"/>).
/// </summary>
public class ShopAppFixture : IAsyncLifetime
{
    public static readonly string[] ApiNames = ["user-api", "catalog-api", "order-api", "payment-api"];
    public static readonly string[] InfrastructureNames = ["postgres", "userdb", "catalogdb", "orderdb", "paymentdb", "cache"];
    public static readonly string[] FrontEndNames = ["webapp"];
    public static IEnumerable<string> AllResourceNames => InfrastructureNames.Concat(ApiNames).Concat(FrontEndNames);

    /// <summary>How long the AppHost may take until every resource is healthy.</summary>
    protected virtual TimeSpan StartTimeout => TimeSpan.FromMinutes(3);

    public static readonly TimeSpan SigningKeyActivationDelay = TimeSpan.FromSeconds(2);

    /// <summary>
    /// One AppHost at a time in a test run: the machine's two cores would make both slow, and
    /// timing-sensitive tests flaky. A system with other arguments waits here until the first is disposed.
    /// </summary>
    private static readonly SemaphoreSlim OneAppHostAtATime = new(1, 1);

    /// <summary>The running systems, by their AppHost arguments.</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, SharedSystem> Systems = new();

    private readonly string[] _appHostArguments;
    private readonly SharedSystem _system;
    private bool _holdsAShare;

    public ShopAppFixture() : this([], "resource-logs.txt")
    {
    }

    protected ShopAppFixture(string[] appHostArguments, string resourceLogFileName)
    {
        _appHostArguments = appHostArguments;
        ResourceLogPath = Path.Combine(AppContext.BaseDirectory, resourceLogFileName);
        _system = Systems.GetOrAdd(string.Join(' ', appHostArguments), _ => new SharedSystem());
    }

    public DistributedApplication App => _system.App ?? throw new InvalidOperationException("The system is not running.");

    /// <summary>Where the resources' console output goes, for diagnosing a failed run.</summary>
    public string ResourceLogPath { get; }

    public virtual async Task InitializeAsync()
    {
        await _system.Lock.WaitAsync();
        try
        {
            // A system that could not start is not tried again by every collection that shares it.
            _system.StartFailure?.Throw();
            if (_system.Users == 0)
            {
                await OneAppHostAtATime.WaitAsync();
                try
                {
                    _system.App = await StartAsync();
                }
                catch (Exception ex)
                {
                    OneAppHostAtATime.Release();
                    _system.StartFailure = System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(ex);
                    throw;
                }
            }

            _system.Users++;
            _holdsAShare = true;
        }
        finally
        {
            _system.Lock.Release();
        }
    }

    public async Task DisposeAsync()
    {
        if (!_holdsAShare)
        {
            return;
        }

        await _system.Lock.WaitAsync();
        try
        {
            if (--_system.Users == 0)
            {
                try
                {
                    await _system.App!.DisposeAsync();
                }
                finally
                {
                    _system.App = null;
                    _system.ExtraEnvironment.Clear();
                    OneAppHostAtATime.Release();
                }
            }
        }
        finally
        {
            _system.Lock.Release();
        }
    }

    /// <summary>
    /// Brings the main system (the one without extra AppHost arguments) back after a disruptive test,
    /// however the test ended: starts every resource that is stopped or dead and waits until every
    /// resource is healthy, so that one failed outage test does not fail the tests after it too.
    /// </summary>
    internal static async Task RestoreMainSystemAsync()
    {
        if (!Systems.TryGetValue(string.Empty, out var system) || system.App is not { } app)
        {
            return;
        }

        foreach (var name in AllResourceNames)
        {
            if (app.ResourceNotifications.TryGetCurrentState(name, out var current)
                && current.Snapshot.State?.Text is { } state
                && KnownResourceStates.TerminalStates.Contains(state))
            {
                await app.ResourceCommands.ExecuteCommandAsync(name, KnownResourceCommands.StartCommand);
            }
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await WaitUntilHealthyAsync(app, AllResourceNames, timeout.Token);
    }

    private async Task<DistributedApplication> StartAsync()
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Shop_AppHost>(TestArguments());
        builder.Services.AddLogging(logging => logging
            .AddFilter("Aspire.Hosting.Dcp", LogLevel.Warning)
            .AddProvider(new FileLoggerProvider(ResourceLogPath)));

        // A key rotation takes effect after seconds instead of the production ten minutes, so a test can watch it.
        builder.CreateResourceBuilder(builder.Resources.OfType<ProjectResource>().Single(p => p.Name == "user-api"))
            .WithEnvironment("Auth__Tokens__SigningKeyActivationDelay", SigningKeyActivationDelay.ToString());

        // Expired reservations are released within a second, so a test can watch expiry happen.
        builder.CreateResourceBuilder(builder.Resources.OfType<ProjectResource>().Single(p => p.Name == "catalog-api"))
            .WithEnvironment("Catalog__ReservationSweepInterval", "00:00:01");

        // The recovery worker looks every second and retries an unavailable service at least every five,
        // and a payment interrupted mid-processing is looked into after ten seconds.
        builder.CreateResourceBuilder(builder.Resources.OfType<ProjectResource>().Single(p => p.Name == "order-api"))
            .WithEnvironment("Orders__RecoveryInterval", "00:00:01")
            .WithEnvironment("Orders__MaxRetryDelay", "00:00:05")
            // Idempotency leases of three seconds (renewed every second), so a test can outlive one.
            .WithEnvironment("Idempotency__Lease", "00:00:03");
        builder.CreateResourceBuilder(builder.Resources.OfType<ProjectResource>().Single(p => p.Name == "payment-api"))
            .WithEnvironment("Payments__StaleProcessingAfter", "00:00:10");

        var extraEnvironment = _system.ExtraEnvironment;
        foreach (var project in builder.Resources.OfType<ProjectResource>())
        {
            // Read at every start of the service, so a test can restart one with settings of its own (chaos).
            builder.CreateResourceBuilder(project).WithEnvironment(context =>
            {
                if (extraEnvironment.TryGetValue(project.Name, out var extra))
                {
                    foreach (var (name, value) in extra)
                    {
                        context.EnvironmentVariables[name] = value;
                    }
                }
            });

            // No dashboard runs under tests, yet each service gets an OTLP endpoint; without a short
            // timeout every service spends ~13 s retrying exports on shutdown.
            builder.CreateResourceBuilder(project).WithEnvironment("OTEL_EXPORTER_OTLP_TIMEOUT", "1000");
        }

        var app = await builder.BuildAsync();
        try
        {
            using var timeout = new CancellationTokenSource(StartTimeout);
            await app.StartAsync(timeout.Token);
            await WaitUntilHealthyAsync(app, AllResourceNames, timeout.Token);
            return app;
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// A client of one service that appears to come from its own address (X-Forwarded-For, which the
    /// services trust from the loopback proxy in front of them), so per-client rate limits of one test
    /// never hold up another.
    /// </summary>
    public virtual HttpClient CreateClient(string resourceName, string? clientAddress = null)
    {
        var client = App.CreateHttpClient(resourceName, "http");
        client.DefaultRequestHeaders.Add("X-Forwarded-For", clientAddress ?? RandomClientAddress());
        return client;
    }

    public static string RandomClientAddress() =>
        $"10.{Random.Shared.Next(256)}.{Random.Shared.Next(256)}.{Random.Shared.Next(1, 255)}";

    public async Task<string> ParameterValueAsync(string name) =>
        await ((ParameterResource)Resource(name)).GetValueAsync(CancellationToken.None)
        ?? throw new InvalidOperationException($"Parameter '{name}' has no value.");

    public async Task<string> ConnectionStringAsync(string resourceName) =>
        await App.GetConnectionStringAsync(resourceName) ?? throw new InvalidOperationException($"'{resourceName}' has no connection string.");

    /// <summary>
    /// Environment variables a service gets, on top of its own, from its next start on; an empty set
    /// goes back to its own. Takes effect when the service is (re)started.
    /// </summary>
    public void SetExtraEnvironment(string resourceName, IReadOnlyDictionary<string, string> environment) =>
        _system.ExtraEnvironment[resourceName] = environment;

    public IResource Resource(string name) =>
        App.Services.GetRequiredService<DistributedApplicationModel>().Resources.Single(r => r.Name == name);

    /// <summary>Waits through restarts: a resource that is briefly down on the way is waited for, not failed.</summary>
    public Task WaitUntilHealthyAsync(IEnumerable<string> resourceNames, CancellationToken cancellationToken) =>
        WaitUntilHealthyAsync(App, resourceNames, cancellationToken);

    private static Task WaitUntilHealthyAsync(DistributedApplication app, IEnumerable<string> resourceNames, CancellationToken cancellationToken) =>
        Task.WhenAll(resourceNames.Select(name =>
            app.ResourceNotifications.WaitForResourceHealthyAsync(name, WaitBehavior.WaitOnResourceUnavailable, cancellationToken)));

    private string[] TestArguments()
    {
        List<string> args = ["--Infrastructure:Ephemeral=true", .. _appHostArguments];
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("Infrastructure__Mode")))
        {
            args.Add("--Infrastructure:Mode=local");
        }

        return [.. args];
    }

    /// <summary>
    /// One system started once, shared by every fixture with the same AppHost arguments; <see cref="Lock"/>
    /// guards the rest.
    /// </summary>
    private sealed class SharedSystem
    {
        public SemaphoreSlim Lock { get; } = new(1, 1);

        public DistributedApplication? App { get; set; }

        public System.Runtime.ExceptionServices.ExceptionDispatchInfo? StartFailure { get; set; }

        /// <summary>How many collections' fixtures refer to the running system.</summary>
        public int Users { get; set; }

        /// <summary>Environment variables a service gets on top of its own (<see cref="ShopAppFixture.SetExtraEnvironment"/>).</summary>
        public System.Collections.Concurrent.ConcurrentDictionary<string, IReadOnlyDictionary<string, string>> ExtraEnvironment { get; } = new();
    }
}
