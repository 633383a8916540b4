using System.Text.Json;
using Npgsql;
using Shop.Tests.Infrastructure;

namespace Shop.Tests.CatalogApi;

[Collection(ShopCollections.Catalog)]
public sealed class AdminTests(ShopAppFixture fixture) : SharedSystemTest
{
    [Fact]
    public async Task Customers_get_403_and_anonymous_callers_401_on_every_write()
    {
        var category = await fixture.CreateCategoryAsync();
        var product = await fixture.CreateProductAsync(category);
        var customer = await fixture.SignUpAsync();
        using var client = fixture.CreateClient("catalog-api");
        var writes = new (HttpMethod Method, string Path, object Body)[]
        {
            (HttpMethod.Post, "/api/categories", new { name = "Nope" }),
            (HttpMethod.Put, $"/api/categories/{category}", new { name = "Nope" }),
            (HttpMethod.Delete, $"/api/categories/{category}", new { }),
            (HttpMethod.Post, "/api/products", new { product = new { sku = "X-1", name = "Nope", brand = "B", categoryId = category, price = 1m } }),
            (HttpMethod.Put, $"/api/products/{product.Id}", new { sku = "X-1", name = "Nope", brand = "B", categoryId = category, price = 1m }),
            (HttpMethod.Post, $"/api/products/{product.Id}/deactivate", new { }),
            (HttpMethod.Put, $"/api/products/{product.Id}/stock", new { onHand = 0, reason = "theft" }),
            (HttpMethod.Post, $"/api/products/{product.Id}/stock/adjustments", new { delta = -10, reason = "theft" }),
            (HttpMethod.Get, $"/api/products/{product.Id}/stock", new { }),
        };

        foreach (var (method, path, body) in writes)
        {
            using var asCustomer = await client.SendAsync(Accounts.Authorized(method, path, customer.AccessToken, body));
            Assert.True(HttpStatusCode.Forbidden == asCustomer.StatusCode, $"{method} {path} as customer: {asCustomer.StatusCode}");
            using var anonymous = new HttpRequestMessage(method, path) { Content = JsonContent.Create(body) };
            using var asAnonymous = await client.SendAsync(anonymous);
            Assert.True(HttpStatusCode.Unauthorized == asAnonymous.StatusCode, $"{method} {path} anonymous: {asAnonymous.StatusCode}");
        }

        Assert.Equal(new StockView(product.Id, OnHand: 10, Reserved: 0, Available: 10), await fixture.StockAsync(product.Id));
    }

    [Fact]
    public async Task A_SKU_is_unique_and_invalid_products_are_400_and_not_stored()
    {
        var category = await fixture.CreateCategoryAsync();
        var product = await fixture.CreateProductAsync(category);
        using var client = fixture.CreateClient("catalog-api");
        var admin = await fixture.AdminTokenAsync();

        using var duplicate = await client.SendAsync(Accounts.Authorized(HttpMethod.Post, "/api/products", admin,
            new { product = new { sku = product.Sku, name = "Another", brand = "B", categoryId = category, price = 5m } }));
        await duplicate.ReadProblemAsync(HttpStatusCode.Conflict);

        var invalid = new object[]
        {
            new { sku = "ok-1", name = "", brand = "B", categoryId = category, price = 5m },
            new { sku = "has spaces", name = "N", brand = "B", categoryId = category, price = 5m },
            new { sku = "ok-2", name = "N", brand = "B", categoryId = category, price = 0m },
            new { sku = "ok-3", name = "N", brand = "B", categoryId = category, price = 1.234m },
            new { sku = "ok-4", name = "N", brand = "B", categoryId = category, price = 5m, imageUrls = new[] { "javascript:alert(1)" } },
            new { sku = "ok-5", name = "N", brand = "B", categoryId = Guid.NewGuid(), price = 5m },
            new { sku = "ok-6", name = "N", brand = "B", categoryId = category, price = 5m, slug = "Not A Slug" },
        };
        foreach (var body in invalid)
        {
            using var response = await client.SendAsync(Accounts.Authorized(HttpMethod.Post, "/api/products", admin, new { product = body, initialStock = 3 }));
            Assert.True(HttpStatusCode.BadRequest == response.StatusCode, $"{JsonSerializer.Serialize(body)}: {response.StatusCode}");
        }

        var page = await client.GetAsAsync<ProductPageView>($"/api/products?category={await BrowsingTests.SlugOfAsync(client, category)}");
        Assert.Equal(product.Id, Assert.Single(page.Items).Id);
    }

    [Fact]
    public async Task Stock_changes_are_recorded_with_who_when_and_why_and_never_go_below_reserved()
    {
        var category = await fixture.CreateCategoryAsync();
        var product = await fixture.CreateProductAsync(category, stock: 10);
        var admin = await fixture.SignInAsAdminAsync();
        using var client = fixture.CreateClient("catalog-api");

        using var set = await client.SendAsync(Accounts.Authorized(HttpMethod.Put, $"/api/products/{product.Id}/stock", admin.AccessToken, new { onHand = 25, reason = "Stock-take" }));
        using var adjust = await client.SendAsync(CatalogData.StockAdjustment(product.Id, admin.AccessToken, -5, "Water damage"));
        Assert.Equal(new StockView(product.Id, OnHand: 25, Reserved: 0, Available: 25), await set.ReadAsAsync<StockView>());
        Assert.Equal(new StockView(product.Id, OnHand: 20, Reserved: 0, Available: 20), await adjust.ReadAsAsync<StockView>());

        using var reservation = await ReservationTests.ReserveAsync(fixture, Guid.NewGuid(), (product.Id, 15));
        await reservation.ReadAsAsync<ReservationView>(HttpStatusCode.Created);
        using var belowReserved = await client.SendAsync(Accounts.Authorized(HttpMethod.Put, $"/api/products/{product.Id}/stock", admin.AccessToken, new { onHand = 10, reason = "Miscount" }));
        using var negative = await client.SendAsync(CatalogData.StockAdjustment(product.Id, admin.AccessToken, -21, "Miscount"));
        await belowReserved.ReadProblemAsync(HttpStatusCode.Conflict);
        await negative.ReadProblemAsync(HttpStatusCode.Conflict);

        using var history = await client.SendAsync(Accounts.Authorized(HttpMethod.Get, $"/api/products/{product.Id}/stock/adjustments", admin.AccessToken));
        var entries = await history.ReadAsAsync<List<StockAdjustmentView>>();
        Assert.Equal(
            [("Water damage", 25, 20), ("Stock-take", 10, 25), ("Initial stock", 0, 10)],
            entries.Select(e => (e.Reason, e.OnHandBefore, e.OnHandAfter)));
        Assert.Equal(admin.Id, entries[0].AdjustedBy);
        Assert.Equal(new StockView(product.Id, OnHand: 20, Reserved: 15, Available: 5), await fixture.StockAsync(product.Id));
    }

    [Fact]
    public async Task Deactivating_hides_a_product_and_activating_shows_it_again()
    {
        var category = await fixture.CreateCategoryAsync();
        var product = await fixture.CreateProductAsync(category);
        using var client = fixture.CreateClient("catalog-api");
        var admin = await fixture.AdminTokenAsync();

        using var off = await client.SendAsync(Accounts.Authorized(HttpMethod.Post, $"/api/products/{product.Id}/deactivate", admin));
        Assert.Equal(HttpStatusCode.OK, off.StatusCode);
        using var hidden = await client.GetAsync($"/api/products/{product.Id}");
        Assert.Equal(HttpStatusCode.NotFound, hidden.StatusCode);

        using var on = await client.SendAsync(Accounts.Authorized(HttpMethod.Post, $"/api/products/{product.Id}/activate", admin));
        Assert.Equal(HttpStatusCode.OK, on.StatusCode);
        using var shown = await client.GetAsync($"/api/products/{product.Id}");
        Assert.Equal(HttpStatusCode.OK, shown.StatusCode);
    }

    [Fact]
    public async Task Categories_form_a_tree_without_cycles_and_cannot_be_deleted_while_used()
    {
        var parent = await fixture.CreateCategoryAsync();
        var child = await fixture.CreateCategoryAsync(parentId: parent);
        await fixture.CreateProductAsync(child);
        using var client = fixture.CreateClient("catalog-api");
        var admin = await fixture.AdminTokenAsync();

        using var cycle = await client.SendAsync(Accounts.Authorized(HttpMethod.Put, $"/api/categories/{parent}", admin, new { name = "Parent", parentId = child }));
        using var deleteUsed = await client.SendAsync(Accounts.Authorized(HttpMethod.Delete, $"/api/categories/{child}", admin));
        using var deleteParent = await client.SendAsync(Accounts.Authorized(HttpMethod.Delete, $"/api/categories/{parent}", admin));
        var empty = await fixture.CreateCategoryAsync();
        using var deleteEmpty = await client.SendAsync(Accounts.Authorized(HttpMethod.Delete, $"/api/categories/{empty}", admin));

        await cycle.ReadProblemAsync(HttpStatusCode.Conflict);
        await deleteUsed.ReadProblemAsync(HttpStatusCode.Conflict);
        await deleteParent.ReadProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(HttpStatusCode.NoContent, deleteEmpty.StatusCode);
    }

    [Fact]
    public async Task A_stock_adjustment_sent_again_under_its_key_counts_once()
    {
        var product = await fixture.CreateProductAsync(await fixture.CreateCategoryAsync(), stock: 10);
        var admin = await fixture.SignInAsAdminAsync();
        using var client = fixture.CreateClient("catalog-api");

        // A retry after a lost answer: the same adjustment, the same key, three times in a row.
        var retried = Guid.NewGuid().ToString();
        var answers = new List<StockView>();
        for (var attempt = 0; attempt < 3; attempt++)
        {
            using var response = await client.SendAsync(CatalogData.StockAdjustment(product.Id, admin.AccessToken, -2, "Damaged", retried));
            answers.Add(await response.ReadAsAsync<StockView>());
        }

        // A double click: the same delivery four times at once.
        var doubled = Guid.NewGuid().ToString();
        var statuses = await Task.WhenAll(Enumerable.Range(0, 4).Select(async _ =>
        {
            using var response = await client.SendAsync(CatalogData.StockAdjustment(product.Id, admin.AccessToken, 5, "Delivery", doubled));
            return response.StatusCode;
        }));

        Assert.All(answers, answer => Assert.Equal(8, answer.OnHand));
        Assert.All(statuses, status => Assert.Equal(HttpStatusCode.OK, status));
        Assert.Equal(13, (await fixture.StockAsync(product.Id)).OnHand);
        using var history = await client.SendAsync(Accounts.Authorized(HttpMethod.Get, $"/api/products/{product.Id}/stock/adjustments", admin.AccessToken));
        Assert.Equal(["Delivery", "Damaged", "Initial stock"], (await history.ReadAsAsync<List<StockAdjustmentView>>()).Select(e => e.Reason));

        // The key's record gone (expired, or lost when the process died after the change): the adjustment still counts once.
        await using (var catalogDb = new NpgsqlConnection(await fixture.ConnectionStringAsync("catalogdb")))
        {
            await catalogDb.OpenAsync();
            await using var forget = new NpgsqlCommand("DELETE FROM idempotency_records WHERE key = @key", catalogDb);
            forget.Parameters.AddWithValue("key", retried);
            Assert.Equal(1, await forget.ExecuteNonQueryAsync());
        }

        using (var afterLoss = await client.SendAsync(CatalogData.StockAdjustment(product.Id, admin.AccessToken, -2, "Damaged", retried)))
        {
            Assert.Equal(13, (await afterLoss.ReadAsAsync<StockView>()).OnHand);
        }

        // The key of one adjustment cannot carry another, and an adjustment without a key is not accepted.
        using (var reused = await client.SendAsync(CatalogData.StockAdjustment(product.Id, admin.AccessToken, -7, "Damaged", doubled)))
        {
            await reused.ReadProblemAsync(HttpStatusCode.UnprocessableEntity);
        }

        using var withoutKey = await client.SendAsync(Accounts.Authorized(HttpMethod.Post, $"/api/products/{product.Id}/stock/adjustments", admin.AccessToken,
            new { delta = 1, reason = "No key" }));
        await withoutKey.ReadProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(13, (await fixture.StockAsync(product.Id)).OnHand);
    }
}
