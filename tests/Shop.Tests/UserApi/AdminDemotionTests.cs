using Shop.Tests.Infrastructure;

namespace Shop.Tests.UserApi;

/// <summary>The shop is never left without an administrator, even when administrators demote each other at once.</summary>
[Collection(ShopCollections.Accounts)]
public sealed class AdminDemotionTests(ShopAppFixture fixture) : SharedSystemTest
{
    [Fact]
    public async Task Two_administrators_demoting_each_other_at_once_leave_one_of_them_an_administrator()
    {
        var seeded = await fixture.AdminTokenAsync();
        for (var round = 0; round < 3; round++)
        {
            // A client (hence a client address) per round keeps the sign-ins within the per-address limit.
            using var client = fixture.CreateClient("user-api");
            var first = await NewAdminAsync(client, seeded);
            var second = await NewAdminAsync(client, seeded);

            var answers = await Task.WhenAll(
                client.SendAsync(Accounts.Authorized(HttpMethod.Put, $"/api/users/{second.Id}/roles", first.AccessToken, new { roles = Array.Empty<string>() })),
                client.SendAsync(Accounts.Authorized(HttpMethod.Put, $"/api/users/{first.Id}/roles", second.AccessToken, new { roles = Array.Empty<string>() })));

            // One demotion wins; the other finds its caller demoted (403), or its token already refused (401).
            Assert.Single(answers, a => a.StatusCode == HttpStatusCode.OK);
            Assert.Single(answers, a => a.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized);
            var stillAdmin = 0;
            foreach (var user in new[] { first, second })
            {
                stillAdmin += (await ProfileAsync(user)).Roles.Contains("admin") ? 1 : 0;
            }

            Assert.Equal(1, stillAdmin);
            foreach (var answer in answers)
            {
                answer.Dispose();
            }
        }
    }

    [Fact]
    public async Task The_configured_administrator_cannot_be_demoted_while_the_parameter_names_it()
    {
        using var client = fixture.CreateClient("user-api");
        var seeded = await fixture.SignInAsAdminAsync();
        var other = await NewAdminAsync(client, seeded.AccessToken);

        using var demote = await client.SendAsync(Accounts.Authorized(HttpMethod.Put, $"/api/users/{seeded.Id}/roles", other.AccessToken, new { roles = Array.Empty<string>() }));

        Assert.Equal(HttpStatusCode.Conflict, demote.StatusCode);
        Assert.Contains("admin", (await ProfileAsync(seeded)).Roles);
    }

    /// <summary>The account as it stands, read with a fresh sign-in.</summary>
    private async Task<UserProfileView> ProfileAsync(SignedInUser user)
    {
        using var client = fixture.CreateClient("user-api");
        var tokens = await Accounts.SignInAsync(client, user.Email, user.Password);
        using var read = await client.SendAsync(Accounts.Authorized(HttpMethod.Get, "/api/users/me", tokens.AccessToken));
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        return (await read.Content.ReadFromJsonAsync<UserProfileView>())!;
    }

    /// <summary>A new account made administrator, signed in again so its token carries the role.</summary>
    private async Task<SignedInUser> NewAdminAsync(HttpClient client, string adminToken)
    {
        var user = await fixture.SignUpAsync();
        using var granted = await client.SendAsync(Accounts.Authorized(HttpMethod.Put, $"/api/users/{user.Id}/roles", adminToken, new { roles = new[] { "admin" } }));
        Assert.Equal(HttpStatusCode.OK, granted.StatusCode);
        var tokens = await Accounts.SignInAsync(client, user.Email, user.Password);
        return user with { AccessToken = tokens.AccessToken, RefreshToken = tokens.RefreshToken };
    }
}
