using Shop.Tests.Infrastructure;

namespace Shop.Tests.Faults;

/// <summary>
/// The sign-in limit is counted in Redis so that replicas share it; with Redis gone, sign-in must keep
/// answering (never a 500) and stay limited, each replica counting on its own until Redis is back.
/// </summary>
[Collection(ShopCollections.Disruptive)]
public sealed class RateLimitOutageTests(ShopAppFixture fixture) : DisruptiveTest
{
    [Fact]
    public async Task Sign_in_stays_limited_and_answers_while_redis_is_down()
    {
        using var client = fixture.CreateClient("user-api");
        HttpStatusCode[] statuses;
        await fixture.StopAsync("cache");
        try
        {
            // At once: each attempt waits for Redis to fail before the replica's own window decides.
            statuses = await Task.WhenAll(Enumerable.Range(0, 21).Select(async _ =>
            {
                using var response = await client.PostAsJsonAsync("/api/auth/login", new { email = Accounts.NewEmail("no-redis"), password = "wrong password" });
                return response.StatusCode;
            }));
        }
        finally
        {
            await fixture.StartAsync("cache");
        }

        Assert.All(statuses, status => Assert.Contains(status, new[] { HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests }));
        Assert.Equal(20, statuses.Count(status => status == HttpStatusCode.Unauthorized));
        Assert.Equal(1, statuses.Count(status => status == HttpStatusCode.TooManyRequests));
    }
}
