using System.Text;
using Npgsql;
using Shop.Tests.Infrastructure;
using static Shop.Tests.Infrastructure.Shopping;

namespace Shop.Tests.Events;

/// <summary>
/// A customer deletes their account: user-api deletes it and ends its sessions, and order-api, told by the
/// UserDeleted event, deletes the cart and takes the person's name and address out of their orders, also out of one
/// written afterwards. What stays (orders, totals, payments) names no one: no table of any service's database holds
/// anything the person typed.
/// </summary>
[Collection(ShopCollections.Accounts)]
public sealed class AccountDeletionTests(ShopAppFixture fixture) : SharedSystemTest
{
    private static readonly string[] Databases = ["userdb", "catalogdb", "orderdb", "paymentdb"];

    [Fact]
    public async Task A_deleted_account_leaves_nothing_of_the_person_in_any_service_and_its_orders_stay_for_the_books()
    {
        // Everything the person types carries this marker (lower case), so that any copy of it can be found.
        var marker = Guid.NewGuid().ToString("N")[..16];
        var email = $"forget-{marker}@example.com";
        using var users = fixture.CreateClient("user-api");
        using (var registered = await users.PostAsJsonAsync("/api/users/register", new { email, password = Accounts.StrongPassword, displayName = $"Forget {marker}" }))
        {
            Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        }

        var tokens = await Accounts.SignInAsync(users, email, Accounts.StrongPassword);
        using var saved = await users.SendAsync(Accounts.Authorized(HttpMethod.Post, "/api/users/me/addresses", tokens.AccessToken, new
        {
            recipientName = $"Recipient {marker}", line1 = $"{marker} Erasure Lane", city = "Oxford", postalCode = "OX1 1AA", country = "GB", phone = "+44 1865 000000",
        }));
        var addressId = (await saved.ReadAsAsync<AddressView>(HttpStatusCode.Created)).Id;
        var customer = new SignedInUser(Guid.Empty, email, Accounts.StrongPassword, tokens.AccessToken, tokens.RefreshToken);
        var category = await fixture.CreateCategoryAsync();
        var bought = await fixture.CreateProductAsync(category, stock: 5);
        var wanted = await fixture.CreateProductAsync(category, stock: 5);
        await fixture.SetCartQuantityAsync(customer, bought.Id, 2);
        using var checkout = await fixture.CheckoutAsync(customer, body: new { addressId, payment = Card(holderName: $"Holder {marker}") });
        var order = await checkout.ReadAsAsync<OrderView>(HttpStatusCode.Created);
        await fixture.SetCartQuantityAsync(customer, wanted.Id, 1);
        Assert.Equal("Paid", order.Status);
        Assert.NotEmpty(await RowsNamingAsync("orderdb", marker));

        using (var wrongPassword = await users.SendAsync(Accounts.Authorized(HttpMethod.Delete, "/api/users/me", tokens.AccessToken, new { currentPassword = "not the password" })))
        {
            Assert.Equal(HttpStatusCode.BadRequest, wrongPassword.StatusCode);
        }

        using (var stillThere = await users.SendAsync(Accounts.Authorized(HttpMethod.Get, "/api/users/me", tokens.AccessToken)))
        {
            Assert.Equal(HttpStatusCode.OK, stillThere.StatusCode);
        }

        using (var deleted = await users.SendAsync(Accounts.Authorized(HttpMethod.Delete, "/api/users/me", tokens.AccessToken, new { currentPassword = Accounts.StrongPassword })))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }

        // Its sessions are over, in every service.
        using (var me = await users.SendAsync(Accounts.Authorized(HttpMethod.Get, "/api/users/me", tokens.AccessToken)))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, me.StatusCode);
        }

        using (var orders = fixture.CreateClient("order-api"))
        using (var cart = await orders.SendAsync(Accounts.Authorized(HttpMethod.Get, "/api/cart", tokens.AccessToken)))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, cart.StatusCode);
        }

        using (var refresh = await users.PostAsJsonAsync("/api/auth/refresh", new { tokens.RefreshToken }))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, refresh.StatusCode);
        }

        // order-api forgets the person once the event arrives; the order stays, naming no one.
        var admin = await fixture.AdminTokenAsync();
        var kept = await Eventually.UntilAsync(() => OrderAsAdminAsync(order.Id, admin), o => o.ShippingAddress.RecipientName == "Deleted customer", "the order forgot its address");
        Assert.Equal(("Paid", order.Total, 1), (kept.Status, kept.Total, kept.Lines.Count));
        Assert.Equal(new ShippingAddressView("Deleted customer", "-", null, "-", null, "-", "GB", null), kept.ShippingAddress);
        Assert.Equal("0", (await fixture.RedisAsync("EXISTS", $"cart:{{{order.CustomerId:N}}}"))[1..]);

        // An order written for the customer afterwards (a checkout that was already running) is forgotten too.
        await using (var orderDb = new NpgsqlConnection(await fixture.ConnectionStringAsync("orderdb")))
        {
            await orderDb.OpenAsync();
            await using var late = new NpgsqlCommand("UPDATE orders SET ship_to_name = $1, ship_to_line1 = $2 WHERE id = $3", orderDb)
            {
                Parameters = { new() { Value = $"Recipient {marker}" }, new() { Value = $"{marker} Erasure Lane" }, new() { Value = order.Id } },
            };
            Assert.Equal(1, await late.ExecuteNonQueryAsync());
        }

        await Eventually.UntilAsync(() => OrderAsAdminAsync(order.Id, admin), o => o.ShippingAddress == kept.ShippingAddress, "the late order forgot its address");
        foreach (var database in Databases)
        {
            Assert.Empty(await RowsNamingAsync(database, marker));
        }

        // And the account cannot be signed in to. (A failed sign-in is counted under the address typed, as for any
        // address, registered or not, so that lockout tells nothing; housekeeping deletes it a day later.)
        using var signIn = await users.PostAsJsonAsync("/api/auth/login", new { email, password = Accounts.StrongPassword });
        Assert.Equal(HttpStatusCode.Unauthorized, signIn.StatusCode);
    }

    [Fact]
    public async Task Deleting_an_account_needs_its_password_and_an_administrator_cannot_delete_their_own()
    {
        var admin = await fixture.SignInAsAdminAsync();
        using var users = fixture.CreateClient("user-api");

        using var adminDeletes = await users.SendAsync(Accounts.Authorized(HttpMethod.Delete, "/api/users/me", admin.AccessToken, new { currentPassword = admin.Password }));
        using var noPassword = await users.SendAsync(Accounts.Authorized(HttpMethod.Delete, "/api/users/me", admin.AccessToken, new { }));
        using var anonymous = await users.DeleteAsync("/api/users/me");

        Assert.Equal(HttpStatusCode.Conflict, adminDeletes.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, noPassword.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        using var stillAdmin = await users.SendAsync(Accounts.Authorized(HttpMethod.Get, "/api/users/me", admin.AccessToken));
        Assert.Equal(HttpStatusCode.OK, stillAdmin.StatusCode);
    }

    /// <summary>
    /// Every row of every table (the messaging tables included) of <paramref name="database"/> whose text holds
    /// <paramref name="marker"/>, as text or inside a binary column (JSON message bodies, stored responses).
    /// </summary>
    private async Task<IReadOnlyList<string>> RowsNamingAsync(string database, string marker)
    {
        await using var connection = new NpgsqlConnection(await fixture.ConnectionStringAsync(database));
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = new NpgsqlCommand(
            "SELECT quote_ident(table_schema) || '.' || quote_ident(table_name) FROM information_schema.tables " +
            "WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')", connection))
        await using (var reader = await list.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                tables.Add(reader.GetString(0));
            }
        }

        var hex = Convert.ToHexStringLower(Encoding.UTF8.GetBytes(marker));
        var found = new List<string>();
        foreach (var table in tables)
        {
            // Case-insensitive: some columns keep an upper-cased copy (the normalized email).
            await using var search = new NpgsqlCommand(
                $"SELECT row_to_json(t)::text FROM {table} t WHERE strpos(lower(row_to_json(t)::text), $1) > 0 OR strpos(lower(row_to_json(t)::text), $2) > 0", connection)
            {
                Parameters = { new() { Value = marker }, new() { Value = hex } },
            };
            await using var reader = await search.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                found.Add($"{database} {table}: {reader.GetString(0)}");
            }
        }

        return found;
    }

    private async Task<OrderView> OrderAsAdminAsync(Guid orderId, string admin)
    {
        using var orders = fixture.CreateClient("order-api");
        using var response = await orders.SendAsync(Accounts.Authorized(HttpMethod.Get, $"/api/orders/{orderId}", admin));
        return await response.ReadAsAsync<OrderView>();
    }
}
