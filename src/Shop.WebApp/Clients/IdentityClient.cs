namespace Shop.WebApp.Clients;

/// <summary>user-api's anonymous side: registration and the token endpoints (sign-in and refresh).</summary>
public sealed class IdentityClient(HttpClient http, IHttpClientFactory clients) : ApiClient(http, null, "user-api")
{
    /// <summary>The client for refreshes, whose one attempt is waited for (see the web app's service registration).</summary>
    public const string RefreshClientName = "user-api-refresh";

    public Task<ApiResult<UserProfile>> RegisterAsync(string email, string password, string displayName, CancellationToken cancellationToken) =>
        RequestAsync<UserProfile>(HttpMethod.Post, "/api/users/register", new { email, password, displayName }, asUser: false, cancellationToken);

    public Task<ApiResult<TokenPair>> SignInAsync(string email, string password, CancellationToken cancellationToken) =>
        RequestAsync<TokenPair>(HttpMethod.Post, "/api/auth/login", new { email, password }, asUser: false, cancellationToken);

    public async Task<ApiResult<TokenPair>> RefreshAsync(string refreshToken, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Post, "/api/auth/refresh", new { refreshToken }, asUser: false, cancellationToken,
            through: clients.CreateClient(RefreshClientName));
        return await ReadAsync<TokenPair>(response, cancellationToken);
    }

    /// <summary>
    /// The profile of the holder of a token that has just been issued (the session does not exist yet). A refusal is a
    /// role change racing the sign-in (its stale mark covers the second the token was issued in): "try again" works.
    /// </summary>
    public async Task<UserProfile> GetProfileAsync(string accessToken, CancellationToken cancellationToken) =>
        await RequestAsync<UserProfile>(HttpMethod.Get, "/api/users/me", null, asUser: false, cancellationToken,
            request => request.Headers.Authorization = new("Bearer", accessToken)) switch
        {
            ApiResult<UserProfile>.Ok ok => ok.Value,
            ApiResult<UserProfile>.Refused refused => throw new ServiceUnavailableException("user-api", refused.Problem.Status),
            _ => throw new InvalidOperationException("Unknown result."),
        };

    /// <summary>Ends the session at user-api (its refresh tokens and, in every service, its access tokens).</summary>
    public async Task SignOutAsync(string accessToken, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Post, "/api/auth/logout", null, asUser: false, cancellationToken,
            request => request.Headers.Authorization = new("Bearer", accessToken));
    }
}
