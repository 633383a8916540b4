using System.Net.Http.Headers;
using Shop.Tests.Infrastructure;

namespace Shop.Tests.CatalogApi;

[Collection(ShopCollections.Catalog)]
public sealed class CachingTests(ShopAppFixture fixture) : SharedSystemTest
{
    [Fact]
    public async Task A_product_has_an_ETag_and_If_None_Match_gives_304_until_it_changes()
    {
        var category = await fixture.CreateCategoryAsync();
        var product = await fixture.CreateProductAsync(category, stock: 5);
        using var client = fixture.CreateClient("catalog-api");

        using var first = await client.GetAsync($"/api/products/{product.Id}");
        var etag = first.Headers.ETag;
        Assert.NotNull(etag);

        using var conditional = new HttpRequestMessage(HttpMethod.Get, $"/api/products/{product.Id}");
        conditional.Headers.IfNoneMatch.Add(etag);
        using var notModified = await client.SendAsync(conditional);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);

        // Stock is part of what the page shows: a change of it must not be hidden behind a 304.
        await AdjustStockAsync(product.Id, -1);
        using var again = new HttpRequestMessage(HttpMethod.Get, $"/api/products/{product.Id}");
        again.Headers.IfNoneMatch.Add(etag);
        using var changed = await client.SendAsync(again);
        Assert.Equal(4, (await changed.ReadAsAsync<ProductView>()).Available);
        Assert.NotEqual(etag, changed.Headers.ETag);
    }

    [Fact]
    public async Task An_admin_update_is_visible_at_once_on_the_next_read()
    {
        var category = await fixture.CreateCategoryAsync();
        var product = await fixture.CreateProductAsync(category, name: "Before the edit", price: 20m);
        using var client = fixture.CreateClient("catalog-api");

        // Warm every cache level with the old version, by id and by slug.
        for (var i = 0; i < 3; i++)
        {
            await client.GetAsAsync<ProductView>($"/api/products/{product.Id}");
            await client.GetAsAsync<ProductView>($"/api/products/by-slug/{product.Slug}");
        }

        using var update = await UpdateAsync(client, product, name: "After the edit", price: 25.5m, etag: product.ETag);
        var updated = await update.ReadAsAsync<ProductView>();
        Assert.Equal(("After the edit", 25.5m), (updated.Name, updated.Price));

        var byId = await client.GetAsAsync<ProductView>($"/api/products/{product.Id}");
        var bySlug = await client.GetAsAsync<ProductView>($"/api/products/by-slug/{product.Slug}");
        Assert.Equal(("After the edit", 25.5m), (byId.Name, byId.Price));
        Assert.Equal(("After the edit", 25.5m), (bySlug.Name, bySlug.Price));
    }

    [Fact]
    public async Task A_stale_If_Match_is_412_and_changes_nothing()
    {
        var category = await fixture.CreateCategoryAsync();
        var product = await fixture.CreateProductAsync(category, name: "Original", price: 30m);
        using var client = fixture.CreateClient("catalog-api");
        using (var firstEdit = await UpdateAsync(client, product, name: "First edit", price: 31m, etag: product.ETag))
        {
            Assert.Equal(HttpStatusCode.OK, firstEdit.StatusCode);
        }

        using var staleEdit = await UpdateAsync(client, product, name: "Lost update", price: 1m, etag: product.ETag);

        await staleEdit.ReadProblemAsync(HttpStatusCode.PreconditionFailed);
        var current = await client.GetAsAsync<ProductView>($"/api/products/{product.Id}");
        Assert.Equal(("First edit", 31m), (current.Name, current.Price));
    }

    [Fact]
    public async Task An_update_without_If_Match_is_428_and_a_stock_change_in_between_is_no_conflict()
    {
        var category = await fixture.CreateCategoryAsync();
        var product = await fixture.CreateProductAsync(category, stock: 5);
        using var client = fixture.CreateClient("catalog-api");

        using var missing = await UpdateAsync(client, product, name: "No precondition", price: 10m, etag: null);
        await missing.ReadProblemAsync(HttpStatusCode.PreconditionRequired);

        await AdjustStockAsync(product.Id, +3);
        using var afterStockChange = await UpdateAsync(client, product, name: "Edited after a delivery", price: 10m, etag: product.ETag);
        Assert.Equal("Edited after a delivery", (await afterStockChange.ReadAsAsync<ProductView>()).Name);
    }

    private async Task<HttpResponseMessage> UpdateAsync(HttpClient client, TestProduct product, string name, decimal price, string? etag)
    {
        var request = Accounts.Authorized(HttpMethod.Put, $"/api/products/{product.Id}", await fixture.AdminTokenAsync(), new
        {
            sku = product.Sku, name, slug = product.Slug, description = "Edited", brand = "Testbrand",
            categoryId = (await client.GetAsAsync<ProductView>($"/api/products/{product.Id}")).Category.Id,
            price,
        });
        if (etag is not null)
        {
            request.Headers.IfMatch.Add(EntityTagHeaderValue.Parse(etag));
        }

        return await client.SendAsync(request);
    }

    private async Task AdjustStockAsync(Guid productId, int delta)
    {
        using var client = fixture.CreateClient("catalog-api");
        using var response = await client.SendAsync(CatalogData.StockAdjustment(productId, await fixture.AdminTokenAsync(), delta, "test"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
