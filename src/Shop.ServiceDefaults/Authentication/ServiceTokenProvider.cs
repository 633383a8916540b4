using System.Net.Http.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;

namespace Shop.ServiceDefaults.Authentication;

/// <summary>
/// Obtains this service's short-lived access token from user-api (OAuth 2.0 client credentials) and
/// reuses it until shortly before it expires. One request at a time refreshes it.
/// </summary>
public sealed class ServiceTokenProvider(IHttpClientFactory httpClientFactory, IOptions<ServiceIdentityOptions> options, TimeProvider timeProvider)
{
    internal const string HttpClientName = "shop-service-token";
    private static readonly TimeSpan RenewBeforeExpiry = TimeSpan.FromSeconds(60);

    private readonly SemaphoreSlim _refreshLock = new(1, 1);
    private CachedToken? _current;

    public async ValueTask<string> GetTokenAsync(CancellationToken cancellationToken)
    {
        if (_current is { } token && token.IsFreshAt(timeProvider.GetUtcNow()))
        {
            return token.Value;
        }

        await _refreshLock.WaitAsync(cancellationToken);
        try
        {
            if (_current is { } fresh && fresh.IsFreshAt(timeProvider.GetUtcNow()))
            {
                return fresh.Value;
            }

            _current = await RequestTokenAsync(cancellationToken);
            return _current.Value;
        }
        finally
        {
            _refreshLock.Release();
        }
    }

    /// <summary>Forgets the cached token, after a callee refused it.</summary>
    public void Invalidate(string rejectedToken)
    {
        var current = _current;
        if (current?.Value == rejectedToken)
        {
            Interlocked.CompareExchange(ref _current, null, current);
        }
    }

    private async Task<CachedToken> RequestTokenAsync(CancellationToken cancellationToken)
    {
        var identity = options.Value;
        using var client = httpClientFactory.CreateClient(HttpClientName);
        using var content = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = identity.ClientId,
            ["client_secret"] = identity.ClientSecret,
        });
        var requestedAt = timeProvider.GetUtcNow();
        using var response = await client.PostAsync(identity.TokenEndpoint, content, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException(
                $"user-api refused the client credentials of '{identity.ClientId}' with {(int)response.StatusCode}.", null, response.StatusCode);
        }

        var body = await response.Content.ReadFromJsonAsync<TokenResponse>(cancellationToken)
            ?? throw new HttpRequestException("user-api answered the token request with an empty body.");
        return new CachedToken(body.AccessToken, requestedAt.AddSeconds(body.ExpiresIn) - RenewBeforeExpiry);
    }

    private sealed record CachedToken(string Value, DateTimeOffset RenewAt)
    {
        public bool IsFreshAt(DateTimeOffset now) => now < RenewAt;
    }

    private sealed record TokenResponse(
        [property: JsonPropertyName("access_token")] string AccessToken,
        [property: JsonPropertyName("expires_in")] int ExpiresIn);
}
