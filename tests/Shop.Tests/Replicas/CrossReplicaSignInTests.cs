using Shop.Tests.Infrastructure;

namespace Shop.Tests.Replicas;

/// <summary>The sign-in lockout counts in Postgres, so guesses spread over user-api's replicas add up.</summary>
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
}
