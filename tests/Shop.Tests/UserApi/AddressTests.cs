using System.Text.Json;
using Shop.Tests.Infrastructure;

namespace Shop.Tests.UserApi;

[Collection(ShopCollection.Name)]
public sealed class AddressTests(ShopAppFixture fixture)
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
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var address = await created.Content.ReadFromJsonAsync<JsonElement>();
        var id = address.GetProperty("id").GetGuid();
        Assert.Equal("GB", address.GetProperty("country").GetString());
        Assert.Equal($"/api/users/me/addresses/{id}", created.Headers.Location?.OriginalString);

        using var updated = await client.SendAsync(Accounts.Authorized(HttpMethod.Put, $"/api/users/me/addresses/{id}", user.AccessToken, Home("Office")));
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);

        using var read = await client.SendAsync(Accounts.Authorized(HttpMethod.Get, $"/api/users/me/addresses/{id}", user.AccessToken));
        Assert.Equal("Office", (await read.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("label").GetString());

        using var list = await client.SendAsync(Accounts.Authorized(HttpMethod.Get, "/api/users/me/addresses", user.AccessToken));
        Assert.Single((await list.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray());

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
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        using var get = await client.SendAsync(Accounts.Authorized(HttpMethod.Get, $"/api/users/me/addresses/{id}", other.AccessToken));
        using var put = await client.SendAsync(Accounts.Authorized(HttpMethod.Put, $"/api/users/me/addresses/{id}", other.AccessToken, Home("Stolen")));
        using var delete = await client.SendAsync(Accounts.Authorized(HttpMethod.Delete, $"/api/users/me/addresses/{id}", other.AccessToken));
        using var list = await client.SendAsync(Accounts.Authorized(HttpMethod.Get, "/api/users/me/addresses", other.AccessToken));

        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, put.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, delete.StatusCode);
        Assert.Empty((await list.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray());

        using var stillThere = await client.SendAsync(Accounts.Authorized(HttpMethod.Get, $"/api/users/me/addresses/{id}", owner.AccessToken));
        Assert.Equal("Home", (await stillThere.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("label").GetString());
    }

    [Fact]
    public async Task Invalid_addresses_are_400_with_the_fields()
    {
        var user = await fixture.SignUpAsync();
        using var client = fixture.CreateClient("user-api");

        using var response = await client.SendAsync(Accounts.Authorized(HttpMethod.Post, "/api/users/me/addresses", user.AccessToken,
            new { recipientName = "", line1 = "x", city = "y", postalCode = "z", country = "Germany", phone = "call me" }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateObject().Select(e => e.Name.ToLowerInvariant()).ToList();
        Assert.Contains("recipientname", errors);
        Assert.Contains("country", errors);
        Assert.Contains("phone", errors);
        using var list = await client.SendAsync(Accounts.Authorized(HttpMethod.Get, "/api/users/me/addresses", user.AccessToken));
        Assert.Empty((await list.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray());
    }
}
