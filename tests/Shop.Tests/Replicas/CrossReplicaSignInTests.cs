using Shop.Tests.Infrastructure;

namespace Shop.Tests.Replicas;

/// <summary>
/// Lockout counts in Postgres and the per-address limits in Redis, so requests spread over user-api's
/// replicas add up to the documented limits, not to three times them.
/// </summary>
[Collection(ReplicaCollection.Name)]
public sealed class CrossReplicaSignInTests(ReplicaAppFixture fixture)
{
    [Fact]
    public async Task Concurrent_guesses_on_different_replicas_get_no_more_than_five_password_checks()
    {
        var user = await fixture.SignUpAsync();

        var guesses = await Task.WhenAll(Enumerable.Range(0, 20).Select(async i =>
        {
            using var client = fixture.CreateClient("user-api");
            using var response = await client.PostAsJsonAsync("/api/auth/login", new { email = user.Email, password = $"guess number {i}" });
            return (response.StatusCode, AnsweredBy: ReplicaAppFixture.InstanceOf(response));
        }));

        fixture.AssertSpreadOverReplicas("user-api", guesses.Select(g => g.AnsweredBy));
        Assert.Equal(5, guesses.Count(g => g.StatusCode == HttpStatusCode.Unauthorized));
        Assert.Equal(15, guesses.Count(g => g.StatusCode == (HttpStatusCode)423));
    }

    [Fact]
    public async Task One_address_gets_twenty_sign_in_attempts_a_minute_across_all_replicas()
    {
        var answers = await FromOneAddressAsync(30, () => new { email = Accounts.NewEmail("spread"), password = "wrong password" }, "/api/auth/login");

        fixture.AssertSpreadOverReplicas("user-api", answers.Select(a => a.AnsweredBy));
        Assert.Equal(20, answers.Count(a => a.Status == HttpStatusCode.Unauthorized));
        Assert.Equal(10, answers.Count(a => a.Status == HttpStatusCode.TooManyRequests));
    }

    [Fact]
    public async Task One_address_gets_ten_registrations_a_minute_across_all_replicas()
    {
        var answers = await FromOneAddressAsync(30, () => new { email = Accounts.NewEmail("spread"), password = Accounts.StrongPassword, displayName = "Spread" }, "/api/users/register");

        fixture.AssertSpreadOverReplicas("user-api", answers.Select(a => a.AnsweredBy));
        Assert.Equal(10, answers.Count(a => a.Status == HttpStatusCode.Created));
        Assert.Equal(20, answers.Count(a => a.Status == HttpStatusCode.TooManyRequests));
    }

    /// <summary>Requests from one client address, one after the other (the replica fixture's clients open a connection per request, which the proxy spreads).</summary>
    private async Task<(HttpStatusCode Status, string AnsweredBy)[]> FromOneAddressAsync(int count, Func<object> body, string path)
    {
        var address = ShopAppFixture.RandomClientAddress();
        var answers = new List<(HttpStatusCode, string)>();
        for (var i = 0; i < count; i++)
        {
            using var client = fixture.CreateClient("user-api", address);
            using var response = await client.PostAsJsonAsync(path, body());
            answers.Add((response.StatusCode, ReplicaAppFixture.InstanceOf(response)));
        }

        return [.. answers];
    }
}
