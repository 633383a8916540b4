using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Shop.ServiceDefaults.Authentication;
using Shop.Tests.Infrastructure;
using Shop.UserApi.Infrastructure;
using Shop.UserApi.Model;
using Shop.UserApi.Services;
using StackExchange.Redis;

namespace Shop.Tests.UserApi;

/// <summary>
/// What user-api's start-up does with the admin-email and admin-password parameters. The shared AppHost's
/// parameters cannot change within a run, and a user-api that refuses to start would take the shared
/// system down, so these tests run the seeder's admin step itself (the code user-api runs at every start)
/// against the real userdb and Redis, and check the outcome through user-api as a client would.
/// </summary>
[Collection(ShopCollections.Accounts)]
public sealed class AdminSeedingTests(ShopAppFixture fixture) : SharedSystemTest
{
    private const string NewAdminPassword = "a brand new admin password";

    [Fact]
    public async Task An_admin_address_registered_by_a_customer_is_refused_and_the_customer_gains_nothing()
    {
        var customer = await fixture.SignUpAsync();

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => EnsureAdminAsync(customer.Email, NewAdminPassword));

        Assert.Contains("admin-email", refused.Message);
        Assert.Contains("not an administrator", refused.Message);
        using var client = fixture.CreateClient("user-api");
        var refreshed = await RefreshAsync(client, customer.RefreshToken);
        Assert.Equal(HttpStatusCode.OK, refreshed.Status);
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(client, "/api/users?limit=1", refreshed.Tokens!.AccessToken));
        using var withSeedPassword = await client.PostAsJsonAsync("/api/auth/login", new { email = customer.Email, password = NewAdminPassword });
        Assert.Equal(HttpStatusCode.Unauthorized, withSeedPassword.StatusCode);
        await Accounts.SignInAsync(client, customer.Email, customer.Password);
    }

    [Fact]
    public async Task A_changed_admin_password_ends_every_session_of_the_admin()
    {
        var admin = await fixture.SignInAsAdminAsync();
        var other = await fixture.SignUpAsync();
        using var client = fixture.CreateClient("user-api");
        using (var granted = await client.SendAsync(Accounts.Authorized(HttpMethod.Put, $"/api/users/{other.Id}/roles", admin.AccessToken, new { roles = new[] { "admin" } })))
        {
            Assert.Equal(HttpStatusCode.OK, granted.StatusCode);
        }

        var session = await Accounts.SignInAsync(client, other.Email, other.Password);
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(client, "/api/users?limit=1", session.AccessToken));

        await EnsureAdminAsync(other.Email, NewAdminPassword);

        Assert.Equal(HttpStatusCode.Unauthorized, (await RefreshAsync(client, session.RefreshToken)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusWithinBoundAsync(client, "/api/users?limit=1", session.AccessToken));
        var renewed = await Accounts.SignInAsync(client, other.Email, NewAdminPassword);
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(client, "/api/users?limit=1", renewed.AccessToken));

        // An unchanged password is no reset: the sessions opened with it live on.
        await EnsureAdminAsync(other.Email, NewAdminPassword);
        Assert.Equal(HttpStatusCode.OK, (await RefreshAsync(client, renewed.RefreshToken)).Status);
    }

    [Fact]
    public async Task An_unused_admin_address_gets_a_new_administrator()
    {
        var email = Accounts.NewEmail("admin");

        await EnsureAdminAsync(email, NewAdminPassword);

        using var client = fixture.CreateClient("user-api");
        var tokens = await Accounts.SignInAsync(client, email, NewAdminPassword);
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(client, "/api/users?limit=1", tokens.AccessToken));
    }

    /// <summary>Runs the admin step of user-api's start-up seeding, with what user-api gives it.</summary>
    private async Task EnsureAdminAsync(string email, string password)
    {
        var userDb = await fixture.ConnectionStringAsync("userdb");
        await using var redis = await ConnectionMultiplexer.ConnectAsync(await fixture.ConnectionStringAsync("cache"));
        var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton(TimeProvider.System)
            .AddSingleton<IConnectionMultiplexer>(redis)
            .AddSingleton<IPasswordHasher<User>, PasswordHasher<User>>()
            .AddSingleton<RevokedSessions>()
            .AddSingleton<SessionRevocations>()
            .AddScoped<RefreshTokenService>()
            .AddDbContext<UserDbContext>(options => options.UseNpgsql(userDb).UseSnakeCaseNamingConvention());
        services.AddOptions<ShopAuthenticationOptions>();
        services.AddOptions<Shop.UserApi.TokenIssuingOptions>();

        await using var provider = services.BuildServiceProvider();
        await using var scope = provider.CreateAsyncScope();
        await UserSeeder.EnsureAdminAsync(scope.ServiceProvider.GetRequiredService<UserDbContext>(), scope.ServiceProvider, email, password, CancellationToken.None);
    }

    private static async Task<HttpStatusCode> StatusAsync(HttpClient client, string path, string accessToken)
    {
        using var response = await client.SendAsync(Accounts.Authorized(HttpMethod.Get, path, accessToken));
        return response.StatusCode;
    }

    private static async Task<HttpStatusCode> StatusWithinBoundAsync(HttpClient client, string path, string accessToken)
    {
        var deadline = DateTimeOffset.UtcNow.AddSeconds(6);
        while (true)
        {
            var status = await StatusAsync(client, path, accessToken);
            if (status == HttpStatusCode.Unauthorized || DateTimeOffset.UtcNow > deadline)
            {
                return status;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200));
        }
    }

    private static async Task<(HttpStatusCode Status, Tokens? Tokens)> RefreshAsync(HttpClient client, string refreshToken)
    {
        using var response = await client.PostAsJsonAsync("/api/auth/refresh", new { refreshToken });
        if (response.StatusCode != HttpStatusCode.OK)
        {
            return (response.StatusCode, null);
        }

        var body = await response.Content.ReadFromJsonAsync<TokenPairView>();
        return (response.StatusCode, new Tokens(body!.AccessToken, body.RefreshToken));
    }
}
