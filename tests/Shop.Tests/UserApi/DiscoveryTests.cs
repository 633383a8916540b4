using System.Text.Json.Serialization;
using Shop.Tests.Infrastructure;

namespace Shop.Tests.UserApi;

/// <summary>user-api's OpenID metadata says where things are from configuration, and lists only what is true.</summary>
[Collection(ShopCollections.Accounts)]
public sealed class DiscoveryTests(ShopAppFixture fixture) : SharedSystemTest
{
    [Fact]
    public async Task The_metadata_urls_come_from_configuration_not_from_the_requests_host_headers()
    {
        var baseUrl = fixture.App.GetEndpoint("user-api", "http").ToString().TrimEnd('/');
        using var client = fixture.CreateClient("user-api");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/.well-known/openid-configuration");
        request.Headers.Host = "attacker.example";
        request.Headers.Add("X-Forwarded-Proto", "https");
        request.Headers.Add("X-Forwarded-Host", "attacker.example");

        using var response = await client.SendAsync(request);
        var metadata = await response.Content.ReadFromJsonAsync<Metadata>();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal($"{baseUrl}/.well-known/jwks.json", metadata!.JwksUri);
        Assert.Equal($"{baseUrl}/api/auth/token", metadata.TokenEndpoint);
    }

    [Fact]
    public async Task The_metadata_lists_exactly_the_grants_the_token_endpoint_accepts()
    {
        using var client = fixture.CreateClient("user-api");

        var metadata = await client.GetFromJsonAsync<Metadata>("/.well-known/openid-configuration");

        Assert.Equal(["client_credentials"], metadata!.GrantTypesSupported);
        foreach (var grant in new[] { "password", "refresh_token" })
        {
            using var refused = await client.PostAsync("/api/auth/token", new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = grant }));
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        }
    }

    private sealed record Metadata(
        [property: JsonPropertyName("jwks_uri")] string JwksUri,
        [property: JsonPropertyName("token_endpoint")] string TokenEndpoint,
        [property: JsonPropertyName("grant_types_supported")] List<string> GrantTypesSupported);
}
