using System.Text.Json;
using Shop.Tests.Infrastructure;

namespace Shop.Tests.UserApi;

[Collection(ShopCollection.Name)]
public sealed class AdminTests(ShopAppFixture fixture)
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
        Assert.Equal(HttpStatusCode.Forbidden, roles.StatusCode);
        Assert.Equal("application/problem+json", roles.Content.Headers.ContentType?.MediaType);
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
        var created = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            created.Add((await fixture.SignUpAsync()).Id);
        }

        using var client = fixture.CreateClient("user-api");
        var seen = new List<Guid>();
        string? cursor = null;
        do
        {
            var path = cursor is null ? "/api/users?limit=2" : $"/api/users?limit=2&cursor={cursor}";
            using var response = await client.SendAsync(Accounts.Authorized(HttpMethod.Get, path, admin.AccessToken));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var page = await response.Content.ReadFromJsonAsync<JsonElement>();
            var items = page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetGuid()).ToList();
            Assert.InRange(items.Count, 0, 2);
            seen.AddRange(items);
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);

        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.All(created, id => Assert.Contains(id, seen));
    }

    [Theory]
    [InlineData("limit=0")]
    [InlineData("limit=1000")]
    [InlineData("cursor=forged!")]
    [InlineData("cursor=AAAA")]
    public async Task Bad_paging_parameters_are_400(string query)
    {
        var admin = await fixture.SignInAsAdminAsync();
        using var client = fixture.CreateClient("user-api");

        using var response = await client.SendAsync(Accounts.Authorized(HttpMethod.Get, $"/api/users?{query}", admin.AccessToken));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task An_admin_grants_a_role_which_the_next_refresh_carries()
    {
        var admin = await fixture.SignInAsAdminAsync();
        var user = await fixture.SignUpAsync();
        using var client = fixture.CreateClient("user-api");

        using var granted = await client.SendAsync(Accounts.Authorized(HttpMethod.Put, $"/api/users/{user.Id}/roles", admin.AccessToken, new { roles = new[] { "admin" } }));
        Assert.Equal(HttpStatusCode.OK, granted.StatusCode);
        var roles = (await granted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("roles").EnumerateArray().Select(r => r.GetString()).ToList();
        Assert.Equal(["admin", "customer"], roles);

        using var refresh = await client.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = user.RefreshToken });
        var accessToken = (await refresh.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString()!;
        using var list = await client.SendAsync(Accounts.Authorized(HttpMethod.Get, "/api/users?limit=1", accessToken));
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
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
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        }
    }

    [Fact]
    public async Task An_admin_cannot_remove_their_own_admin_role_and_unknown_accounts_are_404()
    {
        var admin = await fixture.SignInAsAdminAsync();
        using var client = fixture.CreateClient("user-api");

        using var self = await client.SendAsync(Accounts.Authorized(HttpMethod.Put, $"/api/users/{admin.Id}/roles", admin.AccessToken, new { roles = Array.Empty<string>() }));
        using var missing = await client.SendAsync(Accounts.Authorized(HttpMethod.Put, $"/api/users/{Guid.NewGuid()}/roles", admin.AccessToken, new { roles = new[] { "admin" } }));

        Assert.Equal(HttpStatusCode.Conflict, self.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }
}
