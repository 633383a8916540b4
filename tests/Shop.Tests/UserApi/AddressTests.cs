using Shop.Tests.Infrastructure;

namespace Shop.Tests.UserApi;

[Collection(ShopCollections.Accounts)]
public sealed class AddressTests(ShopAppFixture fixture) : SharedSystemTest
{
    public static object Home(string label = "Home") => new
    {
        label,
        recipientName = "Ada Lovelace",
        line1 = "12 St James's Square",
        city = "London",
        postalCode = "SW1Y 4JH",
        country = "gb",
        phone = "+44 20 7946 0000",
    };

    [Fact]
    public async Task An_owner_creates_reads_updates_lists_and_deletes_an_address()
    {
        var user = await fixture.SignUpAsync();
        using var client = fixture.CreateClient("user-api");

        using var created = await client.SendAsync(Accounts.Authorized(HttpMethod.Post, "/api/users/me/addresses", user.AccessToken, Home()));
        var address = await created.ReadAsAsync<AddressView>(HttpStatusCode.Created);
        var id = address.Id;
        Assert.Equal(("Home", "Ada Lovelace", "GB", "+44 20 7946 0000"), (address.Label, address.RecipientName, address.Country, address.Phone));
        Assert.Equal($"/api/users/me/addresses/{id}", created.Headers.Location?.OriginalString);

        using var updated = await client.SendAsync(Accounts.Authorized(HttpMethod.Put, $"/api/users/me/addresses/{id}", user.AccessToken, Home("Office")));
        var edited = await updated.ReadAsAsync<AddressView>();
        Assert.Equal((id, "Office"), (edited.Id, edited.Label));

        using var read = await client.SendAsync(Accounts.Authorized(HttpMethod.Get, $"/api/users/me/addresses/{id}", user.AccessToken));
        Assert.Equal("Office", (await read.ReadAsAsync<AddressView>()).Label);

        using var list = await client.SendAsync(Accounts.Authorized(HttpMethod.Get, "/api/users/me/addresses", user.AccessToken));
        Assert.Equal(id, Assert.Single(await list.ReadAsAsync<List<AddressView>>()).Id);

        using var deleted = await client.SendAsync(Accounts.Authorized(HttpMethod.Delete, $"/api/users/me/addresses/{id}", user.AccessToken));
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        using var gone = await client.SendAsync(Accounts.Authorized(HttpMethod.Get, $"/api/users/me/addresses/{id}", user.AccessToken));
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Fact]
    public async Task Another_customers_address_is_not_found_for_any_verb()
    {
        var owner = await fixture.SignUpAsync();
        var other = await fixture.SignUpAsync();
        using var client = fixture.CreateClient("user-api");
        using var created = await client.SendAsync(Accounts.Authorized(HttpMethod.Post, "/api/users/me/addresses", owner.AccessToken, Home()));
        var id = (await created.ReadAsAsync<AddressView>(HttpStatusCode.Created)).Id;

        using var get = await client.SendAsync(Accounts.Authorized(HttpMethod.Get, $"/api/users/me/addresses/{id}", other.AccessToken));
        using var put = await client.SendAsync(Accounts.Authorized(HttpMethod.Put, $"/api/users/me/addresses/{id}", other.AccessToken, Home("Stolen")));
        using var delete = await client.SendAsync(Accounts.Authorized(HttpMethod.Delete, $"/api/users/me/addresses/{id}", other.AccessToken));
        using var list = await client.SendAsync(Accounts.Authorized(HttpMethod.Get, "/api/users/me/addresses", other.AccessToken));

        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, put.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, delete.StatusCode);
        Assert.Empty(await list.ReadAsAsync<List<AddressView>>());

        using var stillThere = await client.SendAsync(Accounts.Authorized(HttpMethod.Get, $"/api/users/me/addresses/{id}", owner.AccessToken));
        Assert.Equal("Home", (await stillThere.ReadAsAsync<AddressView>()).Label);
    }

    [Fact]
    public async Task Invalid_addresses_are_400_with_the_fields()
    {
        var user = await fixture.SignUpAsync();
        using var client = fixture.CreateClient("user-api");

        using var response = await client.SendAsync(Accounts.Authorized(HttpMethod.Post, "/api/users/me/addresses", user.AccessToken,
            new { recipientName = "", line1 = "x", city = "y", postalCode = "z", country = "Germany", phone = "call me" }));

        var errors = (await response.ReadProblemAsync(HttpStatusCode.BadRequest)).ErrorFields.Select(name => name.ToLowerInvariant()).ToList();
        Assert.Contains("recipientname", errors);
        Assert.Contains("country", errors);
        Assert.Contains("phone", errors);
        using var list = await client.SendAsync(Accounts.Authorized(HttpMethod.Get, "/api/users/me/addresses", user.AccessToken));
        Assert.Empty(await list.ReadAsAsync<List<AddressView>>());
    }
}
