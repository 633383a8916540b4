using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Shop.Tests.Infrastructure;

/// <summary>
/// The whole system with every API as <see cref="Replicas"/> replicas behind the orchestrator's proxy,
/// as Container Apps runs them when it scales out. Set up like <see cref="ShopAppFixture"/> (the same
/// test settings for every replica); ready once every replica of every API has answered.
/// </summary>
public sealed class ReplicaAppFixture() : ShopAppFixture([$"--Shop:Replicas={Replicas}"], "resource-logs-replicas.txt")
{
    public const int Replicas = 3;

    /// <summary>The response header in which a service names the replica that answered (on when the AppHost runs the system).</summary>
    public const string InstanceHeader = "X-Shop-Instance";

    private static readonly TimeSpan EveryReplicaTimeout = TimeSpan.FromMinutes(3);

    private readonly Dictionary<string, IReadOnlySet<string>> _replicas = [];

    /// <summary>Three times the processes on the same two cores: more time to start than the single fixture.</summary>
    protected override TimeSpan StartTimeout => TimeSpan.FromMinutes(8);

    public override async Task InitializeAsync()
    {
        var started = Stopwatch.GetTimestamp();
        await base.InitializeAsync();

        // Aspire reports health per resource, through the shared proxy: one replica up makes it healthy.
        using var timeout = new CancellationTokenSource(EveryReplicaTimeout);
        foreach (var api in ApiNames)
        {
            _replicas[api] = await ReplicaNamesAsync(api, timeout.Token);
        }

        await Task.WhenAll(ApiNames.Select(api => UntilEveryReplicaAnswersAsync(api, timeout.Token)));
        App.Services.GetRequiredService<ILoggerFactory>().CreateLogger<ReplicaAppFixture>()
            .LogInformation("Every replica of every API answered {Elapsed:0.0} s after the fixture started", Stopwatch.GetElapsedTime(started).TotalSeconds);
    }

    /// <summary>
    /// Every request on a connection of its own: the orchestrator's proxy balances connections, not
    /// requests, and the clients' pooled connections would otherwise keep a scenario on one replica.
    /// </summary>
    public override HttpClient CreateClient(string resourceName, string? clientAddress = null)
    {
        var client = base.CreateClient(resourceName, clientAddress);
        client.DefaultRequestHeaders.ConnectionClose = true;
        return client;
    }

    /// <summary>The replicas of a service, by the names the dashboard shows (<c>order-api-abcdefgh</c>).</summary>
    public IReadOnlySet<string> ReplicasOf(string api) => _replicas[api];

    public static string InstanceOf(HttpResponseMessage response) => response.Headers.GetValues(InstanceHeader).Single();

    /// <summary>
    /// Each response came from a replica of <paramref name="api"/>, and they came from more than one:
    /// the scenario really ran across replicas.
    /// </summary>
    public void AssertSpreadOverReplicas(string api, IEnumerable<string> answeredBy)
    {
        var replicas = ReplicasOf(api);
        var seen = answeredBy.ToList();
        Assert.All(seen, instance => Assert.Contains(instance, replicas));
        Assert.True(seen.Distinct().Count() > 1, $"Every request to {api} reached {string.Join(", ", seen.Distinct())}; expected more than one of {string.Join(", ", replicas)}.");
    }

    /// <summary>The orchestrator's name of each replica, as its resource events carry them.</summary>
    private async Task<IReadOnlySet<string>> ReplicaNamesAsync(string api, CancellationToken cancellationToken)
    {
        var names = new HashSet<string>();
        await foreach (var resourceEvent in App.ResourceNotifications.WatchAsync(cancellationToken))
        {
            if (resourceEvent.Resource.Name == api && names.Add(resourceEvent.ResourceId) && names.Count == Replicas)
            {
                break;
            }
        }

        return names;
    }

    /// <summary>
    /// Asks until every replica has answered (after the fixture started, or after a test stopped and
    /// started some). Each request on a new connection: the proxy balances connections, not requests.
    /// </summary>
    public async Task UntilEveryReplicaAnswersAsync(string api, CancellationToken cancellationToken)
    {
        var replicas = ReplicasOf(api);
        var answered = new HashSet<string>();
        using var client = CreateClient(api);
        while (!answered.IsSupersetOf(replicas))
        {
            if (cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException(
                    $"Only {string.Join(", ", answered)} of {api}'s replicas {string.Join(", ", replicas)} answered in time.");
            }

            using var request = new HttpRequestMessage(HttpMethod.Get, "/alive");
            request.Headers.ConnectionClose = true;
            try
            {
                using var response = await client.SendAsync(request, cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    var instance = InstanceOf(response);
                    if (!replicas.Contains(instance))
                    {
                        throw new InvalidOperationException($"{api} answered as '{instance}', none of its replicas {string.Join(", ", replicas)}.");
                    }

                    answered.Add(instance);
                }
            }
            catch (HttpRequestException)
            {
                // A replica still starting: the proxy may pick it before it listens.
                await Task.Delay(100, CancellationToken.None);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
            }
        }
    }
}

/// <summary>
/// Runs after every parallel collection (those of <see cref="ShopCollections"/> included) has finished and
/// the last of them disposed the shared system (xunit runs collections that disable parallelization last, one by one), so the
/// two AppHosts never share the machine; <see cref="ShopAppFixture"/> also waits for its turn.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ReplicaCollection : ICollectionFixture<ReplicaAppFixture>
{
    public const string Name = "Shop with replicas";
}
