using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Shop.ServiceDefaults;
using Shop.ServiceDefaults.Authentication;
using StackExchange.Redis;

namespace Shop.Tests.Infrastructure;

/// <summary>
/// ServiceDefaults knows no service's address: the AppHost passes user-api's, and a service that needs
/// one and was given none refuses to start, naming the setting, rather than fail at its first request.
/// </summary>
public sealed class PeerAddressTests
{
    [Fact]
    public async Task A_service_that_fetches_signing_keys_does_not_start_without_their_address()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.AddServiceDefaults();
        // Resolved with the hosted services, never reached: the host refuses to start before any runs.
        builder.Services.AddSingleton<IConnectionMultiplexer>(_ => ConnectionMultiplexer.Connect("127.0.0.1:1,abortConnect=false,connectTimeout=100"));
        using var host = builder.Build();

        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("Auth:JwksUri is required", failure.Message);
    }

    [Fact]
    public void The_signing_keys_are_fetched_from_the_address_given()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Auth:JwksUri"] = "https+http://identity/keys.json" });
        builder.AddServiceDefaults();
        using var host = builder.Build();

        var bearer = host.Services.GetRequiredService<IOptionsMonitor<JwtBearerOptions>>().Get(JwtBearerDefaults.AuthenticationScheme);

        Assert.Equal("https+http://identity/keys.json", Assert.IsType<Microsoft.IdentityModel.Protocols.ConfigurationManager<Microsoft.IdentityModel.Protocols.OpenIdConnect.OpenIdConnectConfiguration>>(bearer.ConfigurationManager).MetadataAddress);
    }

    [Fact]
    public async Task A_service_that_obtains_its_own_token_does_not_start_without_the_token_endpoint()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Auth:ServiceIdentity:ClientId"] = "order-api",
            ["Auth:ServiceIdentity:ClientSecret"] = "a-secret-of-sixteen-or-more",
        });
        builder.Services.AddHttpClient("peer").AddServiceToken();
        using var host = builder.Build();

        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("Auth:ServiceIdentity:TokenEndpoint is required", failure.Message);
        Assert.DoesNotContain("ClientSecret", failure.Message);
    }
}
