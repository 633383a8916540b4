using Shop.Tests.Infrastructure;

namespace Shop.Tests.UserApi;

/// <summary>The address book's cap and its updates hold when requests race.</summary>
[Collection(ShopCollections.Accounts)]
public sealed class AddressConcurrencyTests(ShopAppFixture fixture) : SharedSystemTest
{
    private const int Cap = 20;

    private static object Home(string label = "Home") => AddressTests.Home(label);

    [Fact]
    public async Task Concurrent_additions_fill_the_address_book_exactly_to_the_cap()
    {
        var user = await fixture.SignUpAsync();
        using var client = fixture.CreateClient("user-api");

        var responses = await Task.WhenAll(Enumerable.Range(0, Cap + 10).Select(i =>
            client.SendAsync(Accounts.Authorized(HttpMethod.Post, "/api/users/me/addresses", user.AccessToken, Home($"Address {i}")))));
        var statuses = responses.Select(r => r.StatusCode).ToList();
        foreach (var response in responses)
        {
            response.Dispose();
        }

        using var list = await client.SendAsync(Accounts.Authorized(HttpMethod.Get, "/api/users/me/addresses", user.AccessToken));
        var addresses = await list.Content.ReadFromJsonAsync<List<AddressView>>();

        Assert.Equal(Cap, statuses.Count(s => s == HttpStatusCode.Created));
        Assert.Equal(10, statuses.Count(s => s == HttpStatusCode.Conflict));
        Assert.Equal(Cap, addresses!.Count);
    }

    [Fact]
    public async Task An_update_racing_a_delete_of_the_same_address_is_a_404_never_a_500()
    {
        var user = await fixture.SignUpAsync();
        using var client = fixture.CreateClient("user-api");
        var updateStatuses = new List<HttpStatusCode>();

        for (var round = 0; round < 15; round++)
        {
            using var created = await client.SendAsync(Accounts.Authorized(HttpMethod.Post, "/api/users/me/addresses", user.AccessToken, Home()));
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            var id = (await created.Content.ReadFromJsonAsync<AddressView>())!.Id;

            var updates = Enumerable.Range(0, 4).Select(i =>
                client.SendAsync(Accounts.Authorized(HttpMethod.Put, $"/api/users/me/addresses/{id}", user.AccessToken, Home($"Edit {i}")))).ToList();
            var delete = client.SendAsync(Accounts.Authorized(HttpMethod.Delete, $"/api/users/me/addresses/{id}", user.AccessToken));
            var responses = await Task.WhenAll(updates.Append(delete));
            updateStatuses.AddRange(responses.Take(updates.Count).Select(r => r.StatusCode));
            Assert.Equal(HttpStatusCode.NoContent, responses[^1].StatusCode);
            foreach (var response in responses)
            {
                response.Dispose();
            }
        }

        Assert.All(updateStatuses, status => Assert.Contains(status, new[] { HttpStatusCode.OK, HttpStatusCode.NotFound }));
    }
}
