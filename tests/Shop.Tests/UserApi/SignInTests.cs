using System.Text.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Npgsql;
using Shop.Tests.Infrastructure;

namespace Shop.Tests.UserApi;

[Collection(ShopCollections.Accounts)]
public sealed class SignInTests(ShopAppFixture fixture) : SharedSystemTest
{
    [Fact]
    public async Task A_wrong_password_and_an_unknown_email_get_the_same_answer()
    {
        var user = await fixture.SignUpAsync();
        using var client = fixture.CreateClient("user-api");

        using var wrongPassword = await client.PostAsJsonAsync("/api/auth/login", new { email = user.Email, password = "not the password at all" });
        using var unknownEmail = await client.PostAsJsonAsync("/api/auth/login", new { email = Accounts.NewEmail("nobody"), password = "not the password at all" });

        Assert.Equal(HttpStatusCode.Unauthorized, wrongPassword.StatusCode);
        Assert.Equal(wrongPassword.StatusCode, unknownEmail.StatusCode);
        Assert.Equal(wrongPassword.Content.Headers.ContentType, unknownEmail.Content.Headers.ContentType);
        var first = await wrongPassword.Content.ReadFromJsonAsync<JsonElement>();
        var second = await unknownEmail.Content.ReadFromJsonAsync<JsonElement>();
        foreach (var member in new[] { "type", "title", "status" })
        {
            Assert.Equal(first.GetProperty(member).ToString(), second.GetProperty(member).ToString());
        }

        Assert.Equal(
            first.EnumerateObject().Select(p => p.Name).Order(),
            second.EnumerateObject().Select(p => p.Name).Order());
    }

    [Fact]
    public async Task Five_failures_lock_the_address_even_against_the_right_password()
    {
        var user = await fixture.SignUpAsync();
        using var client = fixture.CreateClient("user-api");

        for (var attempt = 1; attempt <= 5; attempt++)
        {
            using var failed = await client.PostAsJsonAsync("/api/auth/login", new { email = user.Email, password = $"wrong password {attempt}" });
            Assert.Equal(HttpStatusCode.Unauthorized, failed.StatusCode);
        }

        using var locked = await client.PostAsJsonAsync("/api/auth/login", new { email = user.Email, password = user.Password });

        Assert.Equal((HttpStatusCode)423, locked.StatusCode);
        var retryAfter = locked.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value, TimeSpan.FromMinutes(14), TimeSpan.FromMinutes(15));
        Assert.Equal("application/problem+json", locked.Content.Headers.ContentType?.MediaType);

        // Tokens issued before the lock keep working; only new sign-ins wait.
        using var me = await client.SendAsync(Accounts.Authorized(HttpMethod.Get, "/api/users/me", user.AccessToken));
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
    }

    [Fact]
    public async Task Concurrent_guesses_get_no_more_than_five_password_checks()
    {
        var user = await fixture.SignUpAsync();

        var statuses = await Task.WhenAll(Enumerable.Range(0, 20).Select(async i =>
        {
            using var client = fixture.CreateClient("user-api");
            using var response = await client.PostAsJsonAsync("/api/auth/login", new { email = user.Email, password = $"guess number {i}" });
            return response.StatusCode;
        }));

        // Attempts are counted atomically before the check: exactly five reach it, the rest are refused.
        Assert.Equal(5, statuses.Count(s => s == HttpStatusCode.Unauthorized));
        Assert.Equal(15, statuses.Count(s => s == (HttpStatusCode)423));
    }

    [Fact]
    public async Task An_unknown_address_locks_the_same_way_so_lockout_reveals_nothing()
    {
        using var client = fixture.CreateClient("user-api");
        var email = Accounts.NewEmail("ghost");

        for (var attempt = 1; attempt <= 5; attempt++)
        {
            using var failed = await client.PostAsJsonAsync("/api/auth/login", new { email, password = $"wrong password {attempt}" });
            Assert.Equal(HttpStatusCode.Unauthorized, failed.StatusCode);
        }

        using var locked = await client.PostAsJsonAsync("/api/auth/login", new { email, password = "wrong password 6" });
        Assert.Equal((HttpStatusCode)423, locked.StatusCode);
    }

    [Fact]
    public async Task A_hash_in_an_older_format_is_upgraded_at_the_next_sign_in()
    {
        var user = await fixture.SignUpAsync();
        var v2Hasher = new PasswordHasher<object>(Options.Create(new PasswordHasherOptions { CompatibilityMode = PasswordHasherCompatibilityMode.IdentityV2 }));
        var oldHash = v2Hasher.HashPassword(new object(), user.Password);
        await using var connection = new NpgsqlConnection(await fixture.ConnectionStringAsync("userdb"));
        await connection.OpenAsync();
        await using (var downgrade = new NpgsqlCommand("UPDATE users SET password_hash = $1 WHERE id = $2", connection)
        {
            Parameters = { new() { Value = oldHash }, new() { Value = user.Id } },
        })
        {
            Assert.Equal(1, await downgrade.ExecuteNonQueryAsync());
        }

        using var client = fixture.CreateClient("user-api");
        await Accounts.SignInAsync(client, user.Email, user.Password);

        await using var read = new NpgsqlCommand("SELECT password_hash FROM users WHERE id = $1", connection) { Parameters = { new() { Value = user.Id } } };
        var newHash = (string)(await read.ExecuteScalarAsync())!;
        Assert.NotEqual(oldHash, newHash);
        Assert.Equal(0x00, Convert.FromBase64String(oldHash)[0]);
        Assert.Equal(0x01, Convert.FromBase64String(newHash)[0]);
        await Accounts.SignInAsync(client, user.Email, user.Password);
    }

    [Fact]
    public async Task One_client_address_is_limited_to_twenty_sign_in_attempts_a_minute()
    {
        using var client = fixture.CreateClient("user-api");
        var statuses = new List<HttpStatusCode>();
        for (var attempt = 1; attempt <= 21; attempt++)
        {
            using var response = await client.PostAsJsonAsync("/api/auth/login", new { email = Accounts.NewEmail("burst"), password = "wrong password" });
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                Assert.NotNull(response.Headers.RetryAfter);
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            }
        }

        Assert.All(statuses.Take(20), status => Assert.Equal(HttpStatusCode.Unauthorized, status));
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[20]);

        // Another client address is not affected.
        using var other = fixture.CreateClient("user-api");
        using var fine = await other.PostAsJsonAsync("/api/auth/login", new { email = Accounts.NewEmail("other"), password = "wrong password" });
        Assert.Equal(HttpStatusCode.Unauthorized, fine.StatusCode);
    }
}
