using System.Text.Json;
using Shop.Tests.Infrastructure;

namespace Shop.Tests.CatalogApi;

[Collection(ShopCollections.Catalog)]
public sealed class ReservationTests(ShopAppFixture fixture) : SharedSystemTest
{
    [Fact]
    public async Task Fifty_concurrent_reservations_for_ten_units_reserve_exactly_ten()
    {
        var category = await fixture.CreateCategoryAsync();
        var product = await fixture.CreateProductAsync(category, stock: 10);
        var token = await fixture.ServiceTokenAsync();
        using var client = fixture.CreateClient("catalog-api");

        var attempts = await Task.WhenAll(Enumerable.Range(0, 50).Select(async _ =>
        {
            using var response = await client.SendAsync(Accounts.Authorized(HttpMethod.Post, "/api/reservations", token,
                new { orderId = Guid.NewGuid(), lines = new[] { new { productId = product.Id, quantity = 1 } } }));
            return response.StatusCode;
        }));

        Assert.Equal(10, attempts.Count(s => s == HttpStatusCode.Created));
        Assert.Equal(40, attempts.Count(s => s == HttpStatusCode.Conflict));
        Assert.Equal(new StockView(product.Id, OnHand: 10, Reserved: 10, Available: 0), await fixture.StockAsync(product.Id));
    }

    [Fact]
    public async Task Concurrent_multi_line_reservations_never_oversell_any_product()
    {
        var category = await fixture.CreateCategoryAsync();
        var a = await fixture.CreateProductAsync(category, stock: 7);
        var b = await fixture.CreateProductAsync(category, stock: 5);
        var token = await fixture.ServiceTokenAsync();
        using var client = fixture.CreateClient("catalog-api");

        // Lines in both orders, so that a naive implementation would deadlock or oversell.
        var attempts = await Task.WhenAll(Enumerable.Range(0, 30).Select(async i =>
        {
            object[] lines = i % 2 == 0
                ? [new { productId = a.Id, quantity = 1 }, new { productId = b.Id, quantity = 1 }]
                : [new { productId = b.Id, quantity = 1 }, new { productId = a.Id, quantity = 2 }];
            using var response = await client.SendAsync(Accounts.Authorized(HttpMethod.Post, "/api/reservations", token, new { orderId = Guid.NewGuid(), lines }));
            return (i, response.StatusCode);
        }));

        var created = attempts.Where(x => x.StatusCode == HttpStatusCode.Created).ToList();
        Assert.All(attempts, x => Assert.Contains(x.StatusCode, new[] { HttpStatusCode.Created, HttpStatusCode.Conflict }));
        var reservedA = created.Sum(x => x.i % 2 == 0 ? 1 : 2);
        var reservedB = created.Count;
        var stockA = await fixture.StockAsync(a.Id);
        var stockB = await fixture.StockAsync(b.Id);
        Assert.Equal(new StockView(a.Id, OnHand: 7, Reserved: reservedA, Available: 7 - reservedA), stockA);
        Assert.Equal(new StockView(b.Id, OnHand: 5, Reserved: reservedB, Available: 5 - reservedB), stockB);
        Assert.InRange(stockA.Available, 0, 7);
        Assert.InRange(stockB.Available, 0, 5);
        Assert.True(stockB.Available == 0 || stockA.Available < 2, $"a further reservation would still have fitted: {stockA}, {stockB}");
    }

    [Fact]
    public async Task Replaying_a_reservation_returns_it_without_reserving_twice()
    {
        var category = await fixture.CreateCategoryAsync();
        var product = await fixture.CreateProductAsync(category, stock: 10);
        var orderId = Guid.NewGuid();

        using var first = await ReserveAsync(fixture, orderId, (product.Id, 3));
        using var replay = await ReserveAsync(fixture, orderId, (product.Id, 3));
        using var different = await ReserveAsync(fixture, orderId, (product.Id, 4));

        var reserved = await first.ReadAsAsync<ReservationView>(HttpStatusCode.Created);
        var replayed = await replay.ReadAsAsync<ReservationView>(HttpStatusCode.OK);
        await different.ReadProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal((orderId, "Active", reserved.ExpiresAt), (replayed.OrderId, replayed.Status, replayed.ExpiresAt));
        Assert.Equal([new ReservationLineView(product.Id, 3)], replayed.Lines);
        Assert.Equal(3, (await fixture.StockAsync(product.Id)).Reserved);
    }

    [Fact]
    public async Task Insufficient_stock_is_409_naming_what_is_short_and_reserves_nothing()
    {
        var category = await fixture.CreateCategoryAsync();
        var plenty = await fixture.CreateProductAsync(category, stock: 10);
        var scarce = await fixture.CreateProductAsync(category, name: "Scarce widget", stock: 1);
        var unknown = Guid.NewGuid();

        using var response = await ReserveAsync(fixture, Guid.NewGuid(), (plenty.Id, 2), (scarce.Id, 2), (unknown, 1));

        var problem = await response.ReadProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("Insufficient stock", problem.Title);
        Assert.Equal(new[] { scarce.Id, unknown }.Order(), Assert.IsAssignableFrom<IReadOnlyList<ShortageView>>(problem.Shortages).Select(s => s.ProductId).Order());
        Assert.Contains("Scarce widget", problem.Detail);
        Assert.Equal(0, (await fixture.StockAsync(plenty.Id)).Reserved);
        Assert.Equal(0, (await fixture.StockAsync(scarce.Id)).Reserved);
    }

    [Fact]
    public async Task A_short_line_gives_back_the_lines_taken_before_it_whichever_comes_first()
    {
        var category = await fixture.CreateCategoryAsync();
        var a = await fixture.CreateProductAsync(category, stock: 3);
        var b = await fixture.CreateProductAsync(category, stock: 3);

        // Lines are taken in product-id order: in one of the two requests the short line comes after a line
        // that fitted, and that line's units must come back with the refusal.
        using var aShort = await ReserveAsync(fixture, Guid.NewGuid(), (a.Id, 4), (b.Id, 3));
        using var bShort = await ReserveAsync(fixture, Guid.NewGuid(), (a.Id, 3), (b.Id, 4));

        Assert.Equal(new[] { new ShortageView(a.Id, a.Sku, a.Name, 4, 3) }, (await aShort.ReadProblemAsync(HttpStatusCode.Conflict)).Shortages);
        Assert.Equal(new[] { new ShortageView(b.Id, b.Sku, b.Name, 4, 3) }, (await bShort.ReadProblemAsync(HttpStatusCode.Conflict)).Shortages);
        Assert.Equal(new StockView(a.Id, OnHand: 3, Reserved: 0, Available: 3), await fixture.StockAsync(a.Id));
        Assert.Equal(new StockView(b.Id, OnHand: 3, Reserved: 0, Available: 3), await fixture.StockAsync(b.Id));
    }

    [Fact]
    public async Task An_inactive_product_cannot_be_reserved_and_nothing_else_is_taken()
    {
        var category = await fixture.CreateCategoryAsync();
        var active = await fixture.CreateProductAsync(category, stock: 5);
        var inactive = await fixture.CreateProductAsync(category, stock: 5, isActive: false);

        using var response = await ReserveAsync(fixture, Guid.NewGuid(), (active.Id, 1), (inactive.Id, 1));

        var problem = await response.ReadProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("Insufficient stock", problem.Title);
        Assert.Equal(new[] { new ShortageView(inactive.Id, inactive.Sku, inactive.Name, 1, 0) }, problem.Shortages);
        Assert.Equal(new StockView(active.Id, OnHand: 5, Reserved: 0, Available: 5), await fixture.StockAsync(active.Id));
        Assert.Equal(new StockView(inactive.Id, OnHand: 5, Reserved: 0, Available: 5), await fixture.StockAsync(inactive.Id));
    }

    [Fact]
    public async Task Concurrent_commits_and_releases_of_one_reservation_move_its_stock_once()
    {
        var category = await fixture.CreateCategoryAsync();
        var a = await fixture.CreateProductAsync(category, stock: 10);
        var b = await fixture.CreateProductAsync(category, stock: 10);
        var orderId = Guid.NewGuid();
        using var reserved = await ReserveAsync(fixture, orderId, (b.Id, 2), (a.Id, 4));
        Assert.Equal("Active", (await reserved.ReadAsAsync<ReservationView>(HttpStatusCode.Created)).Status);

        var calls = await Task.WhenAll(Enumerable.Range(0, 20).Select(async i =>
        {
            var action = i % 2 == 0 ? "commit" : "release";
            using var response = await CallAsync(fixture, $"/api/reservations/{orderId}/{action}");
            return (action, response.StatusCode);
        }));

        // Whichever came first won; every later call of the same kind is a replay (200), of the other kind a 409.
        using var read = await CallAsync(fixture, $"/api/reservations/{orderId}", HttpMethod.Get);
        var status = (await read.ReadAsAsync<ReservationView>()).Status;
        var winner = status == "Committed" ? "commit" : "release";
        Assert.Contains(status, new[] { "Committed", "Released" });
        Assert.All(calls, c => Assert.Equal(c.action == winner ? HttpStatusCode.OK : HttpStatusCode.Conflict, c.StatusCode));
        var (onHandA, onHandB) = status == "Committed" ? (6, 8) : (10, 10);
        Assert.Equal(new StockView(a.Id, OnHand: onHandA, Reserved: 0, Available: onHandA), await fixture.StockAsync(a.Id));
        Assert.Equal(new StockView(b.Id, OnHand: onHandB, Reserved: 0, Available: onHandB), await fixture.StockAsync(b.Id));
    }

    [Fact]
    public async Task Commit_deducts_on_hand_once_and_return_puts_it_back()
    {
        var category = await fixture.CreateCategoryAsync();
        var product = await fixture.CreateProductAsync(category, stock: 10);
        var orderId = Guid.NewGuid();
        using var reserved = await ReserveAsync(fixture, orderId, (product.Id, 4));

        using var commit = await CallAsync(fixture, $"/api/reservations/{orderId}/commit");
        using var commitAgain = await CallAsync(fixture, $"/api/reservations/{orderId}/commit");
        using var releaseCommitted = await CallAsync(fixture, $"/api/reservations/{orderId}/release");
        Assert.Equal("Committed", (await commit.ReadAsAsync<ReservationView>()).Status);
        Assert.Equal("Committed", (await commitAgain.ReadAsAsync<ReservationView>()).Status);
        Assert.Equal("Committed", (await releaseCommitted.ReadProblemAsync(HttpStatusCode.Conflict)).ReservationStatus);
        Assert.Equal(new StockView(product.Id, OnHand: 6, Reserved: 0, Available: 6), await fixture.StockAsync(product.Id));

        using var returned = await CallAsync(fixture, $"/api/reservations/{orderId}/return");
        using var returnedAgain = await CallAsync(fixture, $"/api/reservations/{orderId}/return");
        Assert.Equal("Returned", (await returned.ReadAsAsync<ReservationView>()).Status);
        Assert.Equal("Returned", (await returnedAgain.ReadAsAsync<ReservationView>()).Status);
        Assert.Equal(10, (await fixture.StockAsync(product.Id)).OnHand);
    }

    [Fact]
    public async Task Commit_after_release_is_409_and_release_is_idempotent()
    {
        var category = await fixture.CreateCategoryAsync();
        var product = await fixture.CreateProductAsync(category, stock: 10);
        var orderId = Guid.NewGuid();
        using var reserved = await ReserveAsync(fixture, orderId, (product.Id, 4));

        using var release = await CallAsync(fixture, $"/api/reservations/{orderId}/release");
        using var releaseAgain = await CallAsync(fixture, $"/api/reservations/{orderId}/release");
        using var commit = await CallAsync(fixture, $"/api/reservations/{orderId}/commit");
        using var unknown = await CallAsync(fixture, $"/api/reservations/{Guid.NewGuid()}/commit");

        Assert.Equal("Released", (await release.ReadAsAsync<ReservationView>()).Status);
        Assert.Equal("Released", (await releaseAgain.ReadAsAsync<ReservationView>()).Status);
        Assert.Equal("Released", (await commit.ReadProblemAsync(HttpStatusCode.Conflict)).ReservationStatus);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(new StockView(product.Id, OnHand: 10, Reserved: 0, Available: 10), await fixture.StockAsync(product.Id));
    }

    [Fact]
    public async Task An_expired_reservation_gives_its_units_back_and_cannot_be_committed()
    {
        var category = await fixture.CreateCategoryAsync();
        var product = await fixture.CreateProductAsync(category, stock: 5);
        var orderId = Guid.NewGuid();
        using var reserved = await ReserveAsync(fixture, orderId, ttlSeconds: 1, (product.Id, 5));
        Assert.Equal("Active", (await reserved.ReadAsAsync<ReservationView>(HttpStatusCode.Created)).Status);
        Assert.Equal(0, (await fixture.StockAsync(product.Id)).Available);

        var status = "";
        for (var attempt = 0; attempt < 50 && status != "Expired"; attempt++)
        {
            await Task.Delay(200);
            using var read = await CallAsync(fixture, $"/api/reservations/{orderId}", HttpMethod.Get);
            status = (await read.ReadAsAsync<ReservationView>()).Status;
        }

        Assert.Equal("Expired", status);
        Assert.Equal(5, (await fixture.StockAsync(product.Id)).Available);
        using var commit = await CallAsync(fixture, $"/api/reservations/{orderId}/commit");
        Assert.Equal("Expired", (await commit.ReadProblemAsync(HttpStatusCode.Conflict)).ReservationStatus);
    }

    [Fact]
    public async Task Customers_and_anonymous_callers_cannot_touch_reservations()
    {
        var category = await fixture.CreateCategoryAsync();
        var product = await fixture.CreateProductAsync(category, stock: 5);
        var customer = await fixture.SignUpAsync();
        using var client = fixture.CreateClient("catalog-api");
        var body = new { orderId = Guid.NewGuid(), lines = new[] { new { productId = product.Id, quantity = 1 } } };

        using var asCustomer = await client.SendAsync(Accounts.Authorized(HttpMethod.Post, "/api/reservations", customer.AccessToken, body));
        using var asAdmin = await client.SendAsync(Accounts.Authorized(HttpMethod.Post, "/api/reservations", await fixture.AdminTokenAsync(), body));
        using var anonymous = await client.PostAsJsonAsync("/api/reservations", body);

        Assert.Equal(HttpStatusCode.Forbidden, asCustomer.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, asAdmin.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(0, (await fixture.StockAsync(product.Id)).Reserved);
    }

    [Fact]
    public async Task Invalid_reservations_are_400()
    {
        var category = await fixture.CreateCategoryAsync();
        var product = await fixture.CreateProductAsync(category, stock: 5);
        var token = await fixture.ServiceTokenAsync();
        using var client = fixture.CreateClient("catalog-api");
        var bodies = new object[]
        {
            new { orderId = Guid.NewGuid(), lines = Array.Empty<object>() },
            new { orderId = Guid.NewGuid(), lines = new[] { new { productId = product.Id, quantity = 0 } } },
            new { orderId = Guid.NewGuid(), lines = new[] { new { productId = product.Id, quantity = -3 } } },
            new { lines = new[] { new { productId = product.Id, quantity = 1 } } },
            new { orderId = Guid.NewGuid(), lines = new[] { new { productId = product.Id, quantity = 1 }, new { productId = product.Id, quantity = 1 } } },
            new { orderId = Guid.NewGuid(), lines = new[] { new { productId = product.Id, quantity = 1 } }, ttlSeconds = 0 },
            new { orderId = Guid.NewGuid(), lines = new object?[] { null } },
        };

        foreach (var body in bodies)
        {
            using var response = await client.SendAsync(Accounts.Authorized(HttpMethod.Post, "/api/reservations", token, body));
            Assert.True(HttpStatusCode.BadRequest == response.StatusCode, $"{JsonSerializer.Serialize(body)}: {response.StatusCode}");
        }

        Assert.Equal(0, (await fixture.StockAsync(product.Id)).Reserved);
    }

    internal static Task<HttpResponseMessage> ReserveAsync(ShopAppFixture fixture, Guid orderId, params (Guid ProductId, int Quantity)[] lines) =>
        ReserveAsync(fixture, orderId, null, lines);

    internal static async Task<HttpResponseMessage> ReserveAsync(ShopAppFixture fixture, Guid orderId, int? ttlSeconds, params (Guid ProductId, int Quantity)[] lines)
    {
        using var client = fixture.CreateClient("catalog-api");
        return await client.SendAsync(Accounts.Authorized(HttpMethod.Post, "/api/reservations", await fixture.ServiceTokenAsync(),
            new { orderId, lines = lines.Select(l => new { productId = l.ProductId, quantity = l.Quantity }), ttlSeconds }));
    }

    private static async Task<HttpResponseMessage> CallAsync(ShopAppFixture fixture, string path, HttpMethod? method = null)
    {
        using var client = fixture.CreateClient("catalog-api");
        return await client.SendAsync(Accounts.Authorized(method ?? HttpMethod.Post, path, await fixture.ServiceTokenAsync()));
    }
}
