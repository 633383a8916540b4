using Shop.Tests.Infrastructure;

namespace Shop.Tests.UserApi;

/// <summary>
/// An ended session ends its access tokens in every service, not only its refresh tokens: after a logout,
/// a password change or a demotion, the old access token is refused within the documented bound
/// (ServiceDefaults' RevocationResyncInterval, 5 s; usually at once through Redis pub/sub).
/// </summary>
[Collection(ShopCollections.Accounts)]
public sealed class SessionRevocationTests(ShopAppFixture fixture) : SharedSystemTest
{
    private static readonly TimeSpan RevocationBound = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task After_logout_the_old_access_token_is_refused_by_every_service()
    {
        var admin = await fixture.SignInAsAdminAsync();
        var calls = EveryServiceWithAnAdminEndpoint();
        foreach (var (service, path) in calls)
        {
            Assert.NotEqual(HttpStatusCode.Unauthorized, await StatusOnceAcceptedAsync(service, path, admin.AccessToken));
        }

        using var userApi = fixture.CreateClient("user-api");
        using var logout = await userApi.SendAsync(Accounts.Authorized(HttpMethod.Post, "/api/auth/logout", admin.AccessToken));
        Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);

        // The replica that ended the session refuses the token at once.
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync("user-api", "/api/users/me", admin.AccessToken));
        foreach (var (service, path) in calls)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, await StatusWithinBoundAsync(service, path, admin.AccessToken, HttpStatusCode.Unauthorized));
        }
    }

    [Fact]
    public async Task A_demoted_admins_token_no_longer_passes_admin_endpoints_and_the_refresh_carries_the_new_roles()
    {
        var admin = await fixture.SignInAsAdminAsync();
        var user = await fixture.SignUpAsync();
        using var client = fixture.CreateClient("user-api");
        using (var granted = await client.SendAsync(Accounts.Authorized(HttpMethod.Put, $"/api/users/{user.Id}/roles", admin.AccessToken, new { roles = new[] { "admin" } })))
        {
            Assert.Equal(HttpStatusCode.OK, granted.StatusCode);
        }

        var promoted = await RefreshAsync(client, user.RefreshToken);
        Assert.Equal(HttpStatusCode.OK, await StatusAsync("user-api", "/api/users?limit=1", promoted.AccessToken));
        Assert.Equal(HttpStatusCode.NotFound, await StatusOnceAcceptedAsync("catalog-api", $"/api/products/{Guid.NewGuid()}/stock", promoted.AccessToken));

        using (var demoted = await client.SendAsync(Accounts.Authorized(HttpMethod.Put, $"/api/users/{user.Id}/roles", admin.AccessToken, new { roles = Array.Empty<string>() })))
        {
            Assert.Equal(HttpStatusCode.OK, demoted.StatusCode);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, await StatusWithinBoundAsync("user-api", "/api/users?limit=1", promoted.AccessToken, HttpStatusCode.Unauthorized));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusWithinBoundAsync("catalog-api", $"/api/products/{Guid.NewGuid()}/stock", promoted.AccessToken, HttpStatusCode.Unauthorized));

        // The session lives on: its next refresh carries the account's current roles.
        var current = await RefreshAsync(client, promoted.RefreshToken);
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync("user-api", "/api/users?limit=1", current.AccessToken));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync("user-api", "/api/users/me", current.AccessToken));
    }

    [Fact]
    public async Task A_password_change_ends_the_access_tokens_of_the_other_sessions_everywhere()
    {
        var user = await fixture.SignUpAsync();
        using var client = fixture.CreateClient("user-api");
        var otherSession = await Accounts.SignInAsync(client, user.Email, user.Password);
        Assert.Equal(HttpStatusCode.OK, await StatusOnceAcceptedAsync("order-api", "/api/orders", otherSession.AccessToken));

        using (var changed = await client.SendAsync(Accounts.Authorized(HttpMethod.Put, "/api/users/me/password", user.AccessToken,
            new { currentPassword = user.Password, newPassword = "another correct horse battery" })))
        {
            Assert.Equal(HttpStatusCode.NoContent, changed.StatusCode);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, await StatusWithinBoundAsync("user-api", "/api/users/me", otherSession.AccessToken, HttpStatusCode.Unauthorized));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusWithinBoundAsync("order-api", "/api/orders", otherSession.AccessToken, HttpStatusCode.Unauthorized));

        // The session that changed the password goes on.
        Assert.Equal(HttpStatusCode.OK, await StatusAsync("order-api", "/api/orders", user.AccessToken));
    }

    /// <summary>An endpoint per service that an admin's token passes (404 for an unknown id still means it was accepted).</summary>
    private static (string Service, string Path)[] EveryServiceWithAnAdminEndpoint() =>
    [
        ("user-api", "/api/users?limit=1"),
        ("catalog-api", $"/api/products/{Guid.NewGuid()}/stock"),
        ("order-api", "/api/orders"),
        ("payment-api", $"/api/payments?orderId={Guid.NewGuid()}"),
    ];

    private async Task<HttpStatusCode> StatusAsync(string service, string path, string accessToken)
    {
        using var client = fixture.CreateClient(service);
        using var response = await client.SendAsync(Accounts.Authorized(HttpMethod.Get, path, accessToken));
        return response.StatusCode;
    }

    /// <summary>
    /// The status once the service accepts the token. Tests rotate user-api's key with a 2-second
    /// activation delay, so a service may meet a token signed with a key it has not fetched yet; it
    /// fetches it then (at most every 5 s) and accepts the token from the next request on.
    /// </summary>
    private async Task<HttpStatusCode> StatusOnceAcceptedAsync(string service, string path, string accessToken)
    {
        var deadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(7);
        while (true)
        {
            var status = await StatusAsync(service, path, accessToken);
            if (status != HttpStatusCode.Unauthorized || DateTimeOffset.UtcNow > deadline)
            {
                return status;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250));
        }
    }

    /// <summary>The status once it is <paramref name="expected"/>, or the last one seen when the bound has passed.</summary>
    private async Task<HttpStatusCode> StatusWithinBoundAsync(string service, string path, string accessToken, HttpStatusCode expected)
    {
        var deadline = DateTimeOffset.UtcNow + RevocationBound + TimeSpan.FromSeconds(1);
        while (true)
        {
            var status = await StatusAsync(service, path, accessToken);
            if (status == expected || DateTimeOffset.UtcNow > deadline)
            {
                return status;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200));
        }
    }

    private static async Task<Tokens> RefreshAsync(HttpClient client, string refreshToken)
    {
        using var response = await client.PostAsJsonAsync("/api/auth/refresh", new { refreshToken });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<TokenPairView>();
        return new Tokens(body!.AccessToken, body.RefreshToken);
    }
}
