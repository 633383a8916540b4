using Microsoft.IdentityModel.Tokens;
using Shop.Tests.Infrastructure;

namespace Shop.Tests.UserApi;

[Collection(ShopCollections.Accounts)]
public sealed class AdminTests(ShopAppFixture fixture) : SharedSystemTest
{
    [Fact]
    public async Task The_admin_account_from_the_AppHost_parameters_exists_and_is_an_admin()
    {
        var admin = await fixture.SignInAsAdminAsync();

        var roles = TokenForge.PayloadOf(admin.AccessToken).GetProperty("role").EnumerateArray().Select(r => r.GetString());

        Assert.Contains("admin", roles);
    }

    [Fact]
    public async Task Customers_get_403_on_admin_endpoints()
    {
        var user = await fixture.SignUpAsync();
        using var client = fixture.CreateClient("user-api");

        using var list = await client.SendAsync(Accounts.Authorized(HttpMethod.Get, "/api/users", user.AccessToken));
        using var roles = await client.SendAsync(Accounts.Authorized(HttpMethod.Put, $"/api/users/{user.Id}/roles", user.AccessToken, new { roles = new[] { "admin" } }));

        Assert.Equal(HttpStatusCode.Forbidden, list.StatusCode);
        Assert.Equal(403, (await roles.ReadProblemAsync(HttpStatusCode.Forbidden)).Status);
    }

    [Fact]
    public async Task Anonymous_callers_get_401_on_admin_endpoints()
    {
        using var client = fixture.CreateClient("user-api");

        using var list = await client.GetAsync("/api/users");

        Assert.Equal(HttpStatusCode.Unauthorized, list.StatusCode);
    }

    [Fact]
    public async Task An_admin_pages_through_every_account_once()
    {
        var admin = await fixture.SignInAsAdminAsync();
        var marker = await fixture.SignUpAsync();
        var created = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            created.Add((await fixture.SignUpAsync()).Id);
        }

        // Accounts are listed in id order, and ids grow with time (UUIDv7). A cursor names the last id a page
        // held, so the walk starts right after the marker made for it and meets the accounts made since:
        // this test's, in the order they were made, and those other tests running meanwhile made.
        using var client = fixture.CreateClient("user-api");
        var seen = new List<Guid>();
        var pageSizes = new List<int>();
        string? cursor = Base64UrlEncoder.Encode(marker.Id.ToByteArray());
        while (cursor is not null)
        {
            using var response = await client.SendAsync(Accounts.Authorized(HttpMethod.Get, $"/api/users?limit=2&cursor={cursor}", admin.AccessToken));
            var page = await response.ReadAsAsync<UserPageView>();
            pageSizes.Add(page.Items.Count);
            seen.AddRange(page.Items.Select(u => u.Id));
            cursor = page.NextCursor;
        }

        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.Equal(created, seen.Where(created.Contains));
        Assert.All(pageSizes[..^1], size => Assert.Equal(2, size));
        Assert.InRange(pageSizes[^1], 0, 2);
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=1000", "limit")]
    [InlineData("cursor=forged!", "cursor")]
    [InlineData("cursor=AAAA", "cursor")]
    public async Task Bad_paging_parameters_are_400_naming_the_parameter(string query, string field)
    {
        var admin = await fixture.SignInAsAdminAsync();
        using var client = fixture.CreateClient("user-api");

        using var response = await client.SendAsync(Accounts.Authorized(HttpMethod.Get, $"/api/users?{query}", admin.AccessToken));

        Assert.Equal([field], (await response.ReadProblemAsync(HttpStatusCode.BadRequest)).ErrorFields);
    }

    [Fact]
    public async Task An_admin_grants_a_role_which_the_next_refresh_carries()
    {
        var admin = await fixture.SignInAsAdminAsync();
        var user = await fixture.SignUpAsync();
        using var client = fixture.CreateClient("user-api");

        using var granted = await client.SendAsync(Accounts.Authorized(HttpMethod.Put, $"/api/users/{user.Id}/roles", admin.AccessToken, new { roles = new[] { "admin" } }));
        var profile = await granted.ReadAsAsync<UserProfileView>();
        Assert.Equal((user.Id, user.Email), (profile.Id, profile.Email));
        Assert.Equal(["admin", "customer"], profile.Roles);

        using var refresh = await client.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = user.RefreshToken });
        var accessToken = (await refresh.ReadAsAsync<TokenPairView>()).AccessToken;
        using var list = await client.SendAsync(Accounts.Authorized(HttpMethod.Get, "/api/users?limit=1", accessToken));
        Assert.Single((await list.ReadAsAsync<UserPageView>()).Items);
    }

    [Fact]
    public async Task Unknown_roles_and_the_service_role_cannot_be_given_to_an_account()
    {
        var admin = await fixture.SignInAsAdminAsync();
        var user = await fixture.SignUpAsync();
        using var client = fixture.CreateClient("user-api");

        foreach (var role in new[] { "service", "superuser" })
        {
            using var response = await client.SendAsync(Accounts.Authorized(HttpMethod.Put, $"/api/users/{user.Id}/roles", admin.AccessToken, new { roles = new[] { role } }));
            await response.ReadProblemAsync(HttpStatusCode.BadRequest);
        }
    }

    [Fact]
    public async Task An_admin_cannot_remove_their_own_admin_role_and_unknown_accounts_are_404()
    {
        var admin = await fixture.SignInAsAdminAsync();
        using var client = fixture.CreateClient("user-api");

        using var self = await client.SendAsync(Accounts.Authorized(HttpMethod.Put, $"/api/users/{admin.Id}/roles", admin.AccessToken, new { roles = Array.Empty<string>() }));
        using var missing = await client.SendAsync(Accounts.Authorized(HttpMethod.Put, $"/api/users/{Guid.NewGuid()}/roles", admin.AccessToken, new { roles = new[] { "admin" } }));

        await self.ReadProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }
}
