using System.Net.Http.Headers;

namespace Shop.Tests.Infrastructure;

/// <summary>Creates accounts and signs in through user-api, as a client would.</summary>
public static class Accounts
{
    public const string StrongPassword = "correct horse battery staple";

    public static string NewEmail(string prefix = "user") => $"{prefix}-{Guid.NewGuid():N}@example.com";

    public static async Task<SignedInUser> SignUpAsync(this ShopAppFixture fixture, string? email = null, string password = StrongPassword)
    {
        using var client = fixture.CreateClient("user-api");
        email ??= NewEmail();
        using var registered = await client.PostAsJsonAsync("/api/users/register", new { email, password, displayName = "Test Customer" });
        var profile = await registered.ReadAsAsync<UserProfileView>(HttpStatusCode.Created);
        var tokens = await SignInAsync(client, email, password);
        return new SignedInUser(profile.Id, email, password, tokens.AccessToken, tokens.RefreshToken);
    }

    public static async Task<SignedInUser> SignInAsAdminAsync(this ShopAppFixture fixture)
    {
        var email = await fixture.ParameterValueAsync("admin-email");
        var password = await fixture.ParameterValueAsync("admin-password");
        using var client = fixture.CreateClient("user-api");
        var tokens = await SignInAsync(client, email, password);
        using var me = await client.SendAsync(Authorized(HttpMethod.Get, "/api/users/me", tokens.AccessToken));
        var profile = await me.ReadAsAsync<UserProfileView>();
        return new SignedInUser(profile.Id, email, password, tokens.AccessToken, tokens.RefreshToken);
    }

    public static async Task<Tokens> SignInAsync(HttpClient userApi, string email, string password)
    {
        using var response = await userApi.PostAsJsonAsync("/api/auth/login", new { email, password });
        var pair = await response.ReadAsAsync<TokenPairView>();
        return new Tokens(pair.AccessToken, pair.RefreshToken);
    }

    public static HttpRequestMessage Authorized(HttpMethod method, string path, string accessToken, object? body = null)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        return request;
    }

    /// <summary>
    /// Waits until every API accepts <paramref name="accessToken"/> (an answer the token got past
    /// authentication to: 200, 403 or 404), and fails if one has not after 15 s. A test that rotates the signing key ends with this for a token signed
    /// with the new key: an API may meet that key before its next key-set refresh (at most every 5 s), and
    /// the tests after it must not.
    /// </summary>
    public static async Task UntilEveryApiAcceptsAsync(this ShopAppFixture fixture, string accessToken)
    {
        (string Api, string Path)[] authenticated =
        [
            ("user-api", "/api/users/me"),
            ("catalog-api", $"/api/products/{Guid.NewGuid()}/stock"),
            ("order-api", "/api/cart"),
            ("payment-api", $"/api/payments?orderId={Guid.NewGuid()}"),
        ];
        foreach (var (api, path) in authenticated)
        {
            using var client = fixture.CreateClient(api);
            var deadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(15);
            HttpStatusCode status;
            while (true)
            {
                using var response = await client.SendAsync(Authorized(HttpMethod.Get, path, accessToken));
                status = response.StatusCode;
                if (status is HttpStatusCode.OK or HttpStatusCode.Forbidden or HttpStatusCode.NotFound || DateTimeOffset.UtcNow > deadline)
                {
                    break;
                }

                await Task.Delay(TimeSpan.FromMilliseconds(250));
            }

            Assert.True(status is HttpStatusCode.OK or HttpStatusCode.Forbidden or HttpStatusCode.NotFound, $"{api} answered {status} to a token signed with the current key.");
        }
    }
}

public sealed record Tokens(string AccessToken, string RefreshToken);

public sealed record SignedInUser(Guid Id, string Email, string Password, string AccessToken, string RefreshToken);
