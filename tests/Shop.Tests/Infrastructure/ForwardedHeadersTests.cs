using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Shop.ServiceDefaults;
using StackExchange.Redis;

namespace Shop.Tests.Infrastructure;

/// <summary>
/// Per-client rate limits key on the client address, so in the published configuration a client must not
/// be able to choose it with its own X-Forwarded-For entries. The test publishes the manifest and starts
/// a service in process with exactly the settings the manifest gives user-api, ServiceDefaults'
/// middleware, and a limit keyed the way user-api keys its sign-in limit; the test client plays the
/// ingress (a trusted peer that appends the address it saw).
/// </summary>
[Collection(ShopCollections.Platform)]
public sealed class ForwardedHeadersTests(ShopAppFixture fixture) : SharedSystemTest
{
    private const string IngressSeenAddress = "203.0.113.9";
    private const int PermitLimit = 3;

    [Fact]
    public async Task In_the_published_configuration_a_spoofed_forwarded_for_neither_sets_the_address_nor_escapes_the_limit()
    {
        var published = await PublishedManifest.LiteralEnvironmentAsync("user-api");
        Assert.True(published.ContainsKey(ServiceDefaultsExtensions.KnownNetworksSetting), "publishing must name the ingress's networks");

        await using var app = await StartServiceAsync(published);
        using var client = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };

        var answers = new List<(HttpStatusCode Status, string Body)>();
        for (var attempt = 0; attempt < PermitLimit + 2; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/client-address");
            // What the client sent, then what the ingress appended.
            request.Headers.Add("X-Forwarded-For", $"{ShopAppFixture.RandomClientAddress()}, {IngressSeenAddress}");
            using var response = await client.SendAsync(request);
            answers.Add((response.StatusCode, await response.Content.ReadAsStringAsync()));
        }

        Assert.All(answers.Take(PermitLimit), answer => Assert.Equal((HttpStatusCode.OK, IngressSeenAddress), answer));
        Assert.All(answers.Skip(PermitLimit), answer => Assert.Equal(HttpStatusCode.TooManyRequests, answer.Status));
    }

    private async Task<WebApplication> StartServiceAsync(Dictionary<string, string> settings)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            EnvironmentName = "Production",
            // user-api checks tokens against its own key store and is given no key address; this stand-in
            // uses ServiceDefaults' key fetching, which needs one to start (and never uses it here).
            Args = [.. settings.Select(setting => $"--{setting.Key}={setting.Value}"), "--Auth:JwksUri=http://127.0.0.1:9/.well-known/jwks.json"],
        });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.AddServiceDefaults();
        builder.Services.AddSingleton<IConnectionMultiplexer>(await ConnectionMultiplexer.ConnectAsync(await fixture.ConnectionStringAsync("cache")));
        builder.Services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.AddPolicy("per-client", context => RateLimitPartition.GetFixedWindowLimiter(
                context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = PermitLimit, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
        });

        var app = builder.Build();
        app.UseServiceDefaults();
        app.UseRateLimiter();
        app.MapGet("/client-address", (HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "")
            .AllowAnonymous()
            .RequireRateLimiting("per-client");
        await app.StartAsync();
        return app;
    }
}
