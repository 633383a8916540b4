using Shop.Tests.Infrastructure;

namespace Shop.Tests.UserApi;

[Collection(ShopCollections.Accounts)]
public sealed class ProfileTests(ShopAppFixture fixture) : SharedSystemTest
{
    [Fact]
    public async Task The_display_name_changes_freely()
    {
        var user = await fixture.SignUpAsync();
        using var client = fixture.CreateClient("user-api");

        using var response = await client.SendAsync(Accounts.Authorized(HttpMethod.Put, "/api/users/me", user.AccessToken, new { displayName = "Grace Hopper" }));

        var profile = await response.ReadAsAsync<UserProfileView>();
        Assert.Equal((user.Id, user.Email, "Grace Hopper"), (profile.Id, profile.Email, profile.DisplayName));
    }

    [Fact]
    public async Task Changing_the_email_needs_the_current_password()
    {
        var user = await fixture.SignUpAsync();
        using var client = fixture.CreateClient("user-api");
        var newEmail = Accounts.NewEmail("moved");

        using var without = await client.SendAsync(Accounts.Authorized(HttpMethod.Put, "/api/users/me", user.AccessToken, new { displayName = "Same", email = newEmail }));
        using var wrong = await client.SendAsync(Accounts.Authorized(HttpMethod.Put, "/api/users/me", user.AccessToken, new { displayName = "Same", email = newEmail, currentPassword = "not my password" }));
        Assert.Equal(HttpStatusCode.BadRequest, without.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        await Accounts.SignInAsync(client, user.Email, user.Password);

        using var right = await client.SendAsync(Accounts.Authorized(HttpMethod.Put, "/api/users/me", user.AccessToken, new { displayName = "Same", email = newEmail, currentPassword = user.Password }));
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        await Accounts.SignInAsync(client, newEmail, user.Password);
        using var oldEmail = await client.PostAsJsonAsync("/api/auth/login", new { email = user.Email, password = user.Password });
        Assert.Equal(HttpStatusCode.Unauthorized, oldEmail.StatusCode);
    }

    [Fact]
    public async Task An_email_taken_by_another_account_is_409()
    {
        var taken = await fixture.SignUpAsync();
        var user = await fixture.SignUpAsync();
        using var client = fixture.CreateClient("user-api");

        using var response = await client.SendAsync(Accounts.Authorized(HttpMethod.Put, "/api/users/me", user.AccessToken,
            new { displayName = "Me", email = taken.Email.ToUpperInvariant(), currentPassword = user.Password }));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
    }

    [Fact]
    public async Task A_password_change_ends_the_other_sessions_but_not_this_one()
    {
        var user = await fixture.SignUpAsync();
        using var client = fixture.CreateClient("user-api");
        var otherDevice = await Accounts.SignInAsync(client, user.Email, user.Password);
        const string newPassword = "a whole new passphrase";

        using var changed = await client.SendAsync(Accounts.Authorized(HttpMethod.Put, "/api/users/me/password", user.AccessToken,
            new { currentPassword = user.Password, newPassword }));

        Assert.Equal(HttpStatusCode.NoContent, changed.StatusCode);
        using var otherRefresh = await client.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = otherDevice.RefreshToken });
        Assert.Equal(HttpStatusCode.Unauthorized, otherRefresh.StatusCode);
        using var thisRefresh = await client.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = user.RefreshToken });
        Assert.Equal(HttpStatusCode.OK, thisRefresh.StatusCode);
        await Accounts.SignInAsync(client, user.Email, newPassword);
    }

    [Fact]
    public async Task Profiles_need_a_signed_in_caller()
    {
        using var client = fixture.CreateClient("user-api");

        using var response = await client.GetAsync("/api/users/me");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
