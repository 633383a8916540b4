using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Shop.ServiceDefaults.Resilience;

namespace Shop.Tests.Faults;

/// <summary>
/// Resilience:Chaos without the system: off unless configured, refused at start when out of range, and
/// injected below a client's own resilience handler, whose retries meet each injected fault.
/// </summary>
public sealed class ChaosConfigurationTests
{
    [Fact]
    public async Task Nothing_is_injected_unless_configured()
    {
        var (peer, retries) = (new CountingPeer(), new Counter());
        using var host = HostWith([], peer, retries);
        await host.StartAsync();

        using var response = await ClientOf(host).GetAsync("http://peer/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, peer.Calls);
    }

    [Fact]
    public async Task A_rate_out_of_range_stops_the_service_at_start()
    {
        using var host = HostWith(new() { ["Resilience:Chaos:FaultRate"] = "1.5" }, new CountingPeer(), new Counter());

        var refused = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.Contains(nameof(ChaosOptions.FaultRate), refused.Message);
    }

    [Fact]
    public async Task Injected_faults_are_met_by_the_clients_own_retries()
    {
        var (peer, retries) = (new CountingPeer(), new Counter());
        using var host = HostWith(new() { ["Resilience:Chaos:FaultRate"] = "1" }, peer, retries);
        await host.StartAsync();

        var failure = await Assert.ThrowsAsync<HttpRequestException>(() => ClientOf(host).GetAsync("http://peer/"));

        Assert.Contains("Chaos", failure.Message);
        Assert.Equal(0, peer.Calls);
        Assert.Equal(3, retries.Value);
    }

    [Fact]
    public async Task Injected_5xx_answers_are_met_by_the_clients_own_retries()
    {
        var (peer, retries) = (new CountingPeer(), new Counter());
        using var host = HostWith(new() { ["Resilience:Chaos:OutcomeRate"] = "1" }, peer, retries);
        await host.StartAsync();

        using var response = await ClientOf(host).GetAsync("http://peer/");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(0, peer.Calls);
        Assert.Equal(3, retries.Value);
    }

    [Fact]
    public async Task The_signing_key_fetch_is_left_alone()
    {
        var (peer, retries) = (new CountingPeer(), new Counter());
        using var host = HostWith(new() { ["Resilience:Chaos:FaultRate"] = "1" }, peer, retries, clientName: "shop-jwks");
        await host.StartAsync();

        using var response = await ClientOf(host, "shop-jwks").GetAsync("http://peer/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, peer.Calls);
    }

    // A client configured as the services configure theirs: its own standard resilience handler, which
    // replaces the default; chaos is added by ServiceDefaults' filter, after the client's own configuration.
    private static IHost HostWith(Dictionary<string, string?> settings, CountingPeer peer, Counter retries, string clientName = "peer")
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddHttpChaos();
        builder.Services.AddHttpClient(clientName)
            .ConfigurePrimaryHttpMessageHandler(() => peer)
            .AddStandardResilienceHandler(options =>
            {
                options.Retry.Delay = TimeSpan.FromMilliseconds(1);
                options.Retry.UseJitter = false;
                options.Retry.OnRetry = _ =>
                {
                    retries.Value++;
                    return ValueTask.CompletedTask;
                };
            });
        return builder.Build();
    }

    private static HttpClient ClientOf(IHost host, string clientName = "peer") =>
        host.Services.GetRequiredService<IHttpClientFactory>().CreateClient(clientName);

    private sealed class Counter
    {
        public int Value { get; set; }
    }

    private sealed class CountingPeer : HttpMessageHandler
    {
        public int Calls { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Calls++;
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK));
        }
    }
}
