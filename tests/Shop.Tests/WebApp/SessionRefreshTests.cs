using Microsoft.Playwright;
using Npgsql;
using Shop.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Shop.Tests.WebApp;

/// <summary>
/// The web app's session across access-token expiry. user-api is restarted to issue one-minute access tokens (the
/// shortest it allows), which is within the web app's one-minute refresh margin: every call the web app makes as the
/// customer exchanges the refresh token first. Tabs of one browser loading pages at once must share one rotation
/// chain, because user-api ends a session whose refresh token is presented twice: a tab that refreshed for itself
/// would sign the customer out. A role change reaches the browser through such a refresh: the cookie's roles are the
/// sign-in's, so the session ends and the person signs in again with the new ones. user-api is restarted with its usual
/// lifetimes afterwards.
/// </summary>
[Collection(ShopCollections.Disruptive)]
public sealed class SessionRefreshTests(ShopAppFixture fixture) : StorefrontTest(fixture, alone: true)
{
    private const int Rounds = 3;

    /// <summary>Pages that each call an API as the customer (user-api or order-api), besides the header's cart count.</summary>
    private static readonly string[] Pages = ["/account", "/orders", "/cart", "/account/addresses"];

    [Fact]
    public Task Tabs_refreshing_the_access_token_at_once_keep_the_customer_signed_in_until_the_roles_change() => ScenarioAsync(
        nameof(Tabs_refreshing_the_access_token_at_once_keep_the_customer_signed_in_until_the_roles_change), async () =>
    {
        try
        {
            Fixture.SetExtraEnvironment("user-api", new Dictionary<string, string> { ["Auth__Tokens__AccessTokenLifetime"] = "00:01:00" });
            await Fixture.RestartAsync("user-api");

            var first = await VisitorAsync();
            var email = await RegisterAsync(first);
            List<IPage> tabs = [first];
            for (var i = 1; i < Pages.Length; i++)
            {
                tabs.Add(await NewTabAsync(first, $"tab{i}"));
            }

            for (var round = 0; round < Rounds; round++)
            {
                await Task.WhenAll(tabs.Select((tab, i) => OpenSignedInAsync(tab, Pages[i])));
            }

            await first.GotoAsync("/account");
            await Expect(first.GetByText(email)).ToBeVisibleAsync();

            // user-api saw the refreshes: every token of the session used at most once (a second use would have revoked
            // them all), one chain with exactly one token left to use, nothing revoked.
            var session = await RefreshTokensOfAsync(email);
            Assert.Equal(0, session.Revoked);
            Assert.Equal(1, session.Families);
            Assert.Equal(1, session.Unused);
            Assert.True(session.Used >= Rounds, $"only {session.Used} refreshes for {Rounds} rounds of pages");

            // An administrator makes the customer an administrator. The next page's refresh carries the role the cookie
            // lacks: the session ends, at user-api too, and signing in again brings the administration.
            using (var users = Fixture.CreateClient("user-api"))
            using (var promoted = await users.SendAsync(Accounts.Authorized(HttpMethod.Put, $"/api/users/{session.AccountId}/roles",
                await Fixture.AdminTokenAsync(), new { roles = new[] { "admin" } })))
            {
                Assert.Equal(HttpStatusCode.OK, promoted.StatusCode);
            }

            await first.GotoAsync("/account");
            await Expect(first.GetByText("Your session has ended. Sign in again to continue.")).ToBeVisibleAsync();
            var ended = await RefreshTokensOfAsync(email);
            Assert.Equal(ended.Used + ended.Unused, ended.Revoked);
            Assert.True(ended.Revoked > session.Used + session.Unused, "no refresh after the role change");
            await SignInAsync(first, email, Accounts.StrongPassword);
            await Expect(first.GetByRole(AriaRole.Link, new() { Name = "Admin", Exact = true })).ToBeVisibleAsync();
        }
        finally
        {
            Fixture.SetExtraEnvironment("user-api", new Dictionary<string, string>());
            await Fixture.RestartAsync("user-api");
        }
    });

    /// <summary>Opens <paramref name="path"/> and checks that the customer got it, still signed in (not the sign-in page).</summary>
    private static async Task OpenSignedInAsync(IPage tab, string path)
    {
        var response = await tab.GotoAsync(path);
        Assert.Equal(200, response!.Status);
        Assert.Equal(path, new Uri(tab.Url).AbsolutePath);
        await Expect(tab.GetByRole(AriaRole.Button, new() { Name = "Sign out" })).ToBeVisibleAsync();
    }

    private async Task<(Guid AccountId, int Families, int Used, int Unused, int Revoked)> RefreshTokensOfAsync(string email)
    {
        await using var connection = new NpgsqlConnection(await Fixture.ConnectionStringAsync("userdb"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            """
            SELECT u.id,
                   count(DISTINCT t.family_id)::int,
                   count(*) FILTER (WHERE t.used_at IS NOT NULL)::int,
                   count(*) FILTER (WHERE t.used_at IS NULL)::int,
                   count(*) FILTER (WHERE t.revoked_at IS NOT NULL)::int
            FROM refresh_tokens t JOIN users u ON u.id = t.user_id
            WHERE lower(u.email) = lower(@email)
            GROUP BY u.id
            """,
            connection);
        command.Parameters.AddWithValue("email", email);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        return (reader.GetGuid(0), reader.GetInt32(1), reader.GetInt32(2), reader.GetInt32(3), reader.GetInt32(4));
    }
}
