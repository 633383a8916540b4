using Shop.Tests.Infrastructure;

namespace Shop.Tests.UserApi;

/// <summary>The address checkout offers first: one per user, the first saved until the user chooses another.</summary>
[Collection(ShopCollections.Accounts)]
public sealed class DefaultAddressTests(ShopAppFixture fixture) : SharedSystemTest
{
    [Fact]
    public async Task The_first_address_is_the_default_until_another_is_chosen_and_deleting_it_leaves_none()
    {
        var user = await fixture.SignUpAsync();
        using var client = fixture.CreateClient("user-api");
        var home = await CreateAsync(client, user, "Home");
        var office = await CreateAsync(client, user, "Office");
        Assert.True(home.IsDefault);
        Assert.False(office.IsDefault);

        using var chosen = await client.SendAsync(Accounts.Authorized(HttpMethod.Post, $"/api/users/me/addresses/{office.Id}/default", user.AccessToken));
        Assert.True((await chosen.ReadAsAsync<AddressView>()).IsDefault);
        Assert.Equal([office.Id], (await ListAsync(client, user)).Where(a => a.IsDefault).Select(a => a.Id));

        // Choosing it again changes nothing; an edit keeps it the default.
        using var again = await client.SendAsync(Accounts.Authorized(HttpMethod.Post, $"/api/users/me/addresses/{office.Id}/default", user.AccessToken));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        using var edited = await client.SendAsync(Accounts.Authorized(HttpMethod.Put, $"/api/users/me/addresses/{office.Id}", user.AccessToken, AddressTests.Home("Work")));
        Assert.True((await edited.ReadAsAsync<AddressView>()).IsDefault);

        using var deleted = await client.SendAsync(Accounts.Authorized(HttpMethod.Delete, $"/api/users/me/addresses/{office.Id}", user.AccessToken));
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.DoesNotContain(await ListAsync(client, user), a => a.IsDefault);
        // With no default left, the next address saved becomes it.
        Assert.True((await CreateAsync(client, user, "New")).IsDefault);
    }

    [Fact]
    public async Task Another_customers_address_cannot_be_made_ones_default()
    {
        var owner = await fixture.SignUpAsync();
        var other = await fixture.SignUpAsync();
        using var client = fixture.CreateClient("user-api");
        var address = await CreateAsync(client, owner, "Home");

        using var response = await client.SendAsync(Accounts.Authorized(HttpMethod.Post, $"/api/users/me/addresses/{address.Id}/default", other.AccessToken));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        using var missing = await client.SendAsync(Accounts.Authorized(HttpMethod.Post, $"/api/users/me/addresses/{Guid.NewGuid()}/default", owner.AccessToken));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.True(Assert.Single(await ListAsync(client, owner)).IsDefault);
    }

    [Fact]
    public async Task Concurrent_choices_leave_exactly_one_default_and_no_500()
    {
        var user = await fixture.SignUpAsync();
        using var client = fixture.CreateClient("user-api");
        var addresses = new List<AddressView>();
        for (var i = 0; i < 5; i++)
        {
            addresses.Add(await CreateAsync(client, user, $"Address {i}"));
        }

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => client.SendAsync(
            Accounts.Authorized(HttpMethod.Post, $"/api/users/me/addresses/{addresses[i % addresses.Count].Id}/default", user.AccessToken))));
        Assert.All(responses, response => Assert.Equal(HttpStatusCode.OK, response.StatusCode));
        foreach (var response in responses)
        {
            response.Dispose();
        }

        Assert.Single(await ListAsync(client, user), a => a.IsDefault);
    }

    private static async Task<AddressView> CreateAsync(HttpClient client, SignedInUser user, string label)
    {
        using var created = await client.SendAsync(Accounts.Authorized(HttpMethod.Post, "/api/users/me/addresses", user.AccessToken, AddressTests.Home(label)));
        return await created.ReadAsAsync<AddressView>(HttpStatusCode.Created);
    }

    private static async Task<List<AddressView>> ListAsync(HttpClient client, SignedInUser user)
    {
        using var list = await client.SendAsync(Accounts.Authorized(HttpMethod.Get, "/api/users/me/addresses", user.AccessToken));
        return await list.ReadAsAsync<List<AddressView>>();
    }
}
