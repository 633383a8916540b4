using Shop.Tests.Infrastructure;

namespace Shop.Tests.UserApi;

/// <summary>Signing keys live in userdb: a restarted (or another) user-api keeps honouring issued tokens.</summary>
[Collection(ShopCollections.Disruptive)]
public sealed class UserApiRestartTests(ShopAppFixture fixture) : DisruptiveTest
{
    [Fact]
    public async Task Tokens_issued_before_a_restart_still_validate_and_refresh()
    {
        var user = await fixture.SignUpAsync();

        var restarted = await fixture.App.ResourceCommands.ExecuteCommandAsync(fixture.Resource("user-api"), KnownResourceCommands.RestartCommand);
        Assert.True(restarted.Success, restarted.Message);
        using (var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2)))
        {
            await fixture.WaitUntilHealthyAsync(["user-api"], timeout.Token);
        }

        using var client = fixture.CreateClient("user-api");
        using var me = await client.SendAsync(Accounts.Authorized(HttpMethod.Get, "/api/users/me", user.AccessToken));
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        using var refresh = await client.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = user.RefreshToken });
        Assert.Equal(HttpStatusCode.OK, refresh.StatusCode);
    }
}
