using System.Text.Json;
using Shop.Tests.Infrastructure;

namespace Shop.Tests.CatalogApi;

[Collection(ShopCollection.Name)]
public sealed class BrowsingTests(ShopAppFixture fixture)
{
    [Fact]
    public async Task The_demo_catalog_has_at_least_100_products_in_8_categories_with_stock()
    {
        using var client = fixture.CreateClient("catalog-api");

        var categories = await client.GetFromJsonAsync<JsonElement>("/api/categories");
        var demo = new List<JsonElement>();
        string? cursor = null;
        do
        {
            var page = await client.GetFromJsonAsync<JsonElement>($"/api/products?limit=100&sort=newest{(cursor is null ? "" : "&cursor=" + cursor)}");
            demo.AddRange(page.GetProperty("items").EnumerateArray().Where(p => p.GetProperty("sku").GetString()!.StartsWith("DEMO-")));
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);

        Assert.True(categories.GetArrayLength() >= 8);
        Assert.True(demo.Count >= 100, $"{demo.Count} demo products");
        Assert.True(demo.Select(p => p.GetProperty("categoryId").GetGuid()).Distinct().Count() >= 8);
        Assert.Contains(demo, p => p.GetProperty("available").GetInt32() > 0);
        Assert.All(demo, p => Assert.Equal("EUR", p.GetProperty("currency").GetString()));
    }

    [Fact]
    public async Task A_product_is_readable_by_id_and_by_slug_without_signing_in()
    {
        var category = await fixture.CreateCategoryAsync();
        var product = await fixture.CreateProductAsync(category, price: 12.34m, stock: 7);
        using var client = fixture.CreateClient("catalog-api");

        var byId = await client.GetFromJsonAsync<JsonElement>($"/api/products/{product.Id}");
        var bySlug = await client.GetFromJsonAsync<JsonElement>($"/api/products/by-slug/{product.Slug}");

        Assert.Equal(product.Id, bySlug.GetProperty("id").GetGuid());
        Assert.Equal(12.34m, byId.GetProperty("price").GetDecimal());
        Assert.Equal(7, byId.GetProperty("available").GetInt32());
        Assert.Equal(category, byId.GetProperty("category").GetProperty("id").GetGuid());
    }

    [Fact]
    public async Task Inactive_products_are_hidden_from_customers_but_not_from_admins()
    {
        var category = await fixture.CreateCategoryAsync();
        var product = await fixture.CreateProductAsync(category, isActive: false);
        using var client = fixture.CreateClient("catalog-api");
        var customer = await fixture.SignUpAsync();

        using var anonymous = await client.GetAsync($"/api/products/{product.Id}");
        using var asCustomer = await client.SendAsync(Accounts.Authorized(HttpMethod.Get, $"/api/products/{product.Id}", customer.AccessToken));
        using var asAdmin = await client.SendAsync(Accounts.Authorized(HttpMethod.Get, $"/api/products/{product.Id}", await fixture.AdminTokenAsync()));
        var listed = await client.GetFromJsonAsync<JsonElement>($"/api/products?category={await SlugOfAsync(client, category)}");

        Assert.Equal(HttpStatusCode.NotFound, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, asCustomer.StatusCode);
        Assert.Equal(HttpStatusCode.OK, asAdmin.StatusCode);
        Assert.Empty(listed.GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task Unknown_products_are_404_problems()
    {
        using var client = fixture.CreateClient("catalog-api");

        using var byId = await client.GetAsync($"/api/products/{Guid.NewGuid()}");
        using var bySlug = await client.GetAsync("/api/products/by-slug/no-such-product");
        using var notAGuid = await client.GetAsync("/api/products/not-a-guid");

        Assert.Equal(HttpStatusCode.NotFound, byId.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, bySlug.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, notAGuid.StatusCode);
        Assert.Equal("application/problem+json", byId.Content.Headers.ContentType?.MediaType);
    }

    internal static async Task<string> SlugOfAsync(HttpClient client, Guid categoryId) =>
        (await client.GetFromJsonAsync<JsonElement>("/api/categories")).EnumerateArray()
            .Single(c => c.GetProperty("id").GetGuid() == categoryId).GetProperty("slug").GetString()!;
}
