using Shop.Tests.Infrastructure;

namespace Shop.Tests.CatalogApi;

[Collection(ShopCollections.Catalog)]
public sealed class BrowsingTests(ShopAppFixture fixture) : SharedSystemTest
{
    [Fact]
    public async Task The_demo_catalog_has_at_least_100_products_in_8_categories_with_stock()
    {
        using var client = fixture.CreateClient("catalog-api");

        var categories = await client.GetAsAsync<List<CategoryView>>("/api/categories");
        var demo = new List<ProductSummaryView>();
        string? cursor = null;
        do
        {
            var page = await client.GetAsAsync<ProductPageView>($"/api/products?limit=100&sort=newest{(cursor is null ? "" : "&cursor=" + cursor)}");
            demo.AddRange(page.Items.Where(p => p.Sku.StartsWith("DEMO-")));
            cursor = page.NextCursor;
        }
        while (cursor is not null);

        Assert.True(categories.Count >= 8, $"{categories.Count} categories");
        Assert.True(demo.Count >= 100, $"{demo.Count} demo products");
        Assert.True(demo.Select(p => p.CategoryId).Distinct().Count() >= 8);
        Assert.Contains(demo, p => p.Available > 0);
        Assert.All(demo, p => Assert.Equal(("EUR", true), (p.Currency, p.IsActive)));
    }

    [Fact]
    public async Task A_product_is_readable_by_id_and_by_slug_without_signing_in()
    {
        var category = await fixture.CreateCategoryAsync();
        var product = await fixture.CreateProductAsync(category, price: 12.34m, stock: 7);
        using var client = fixture.CreateClient("catalog-api");

        var byId = await client.GetAsAsync<ProductView>($"/api/products/{product.Id}");
        var bySlug = await client.GetAsAsync<ProductView>($"/api/products/by-slug/{product.Slug}");

        Assert.Equal(product.Id, bySlug.Id);
        Assert.Equal((product.Id, product.Sku, product.Name, product.Slug), (byId.Id, byId.Sku, byId.Name, byId.Slug));
        Assert.Equal((12.34m, "EUR", 7, true), (byId.Price, byId.Currency, byId.Available, byId.IsActive));
        Assert.Equal(category, byId.Category.Id);
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
        var listed = await client.GetAsAsync<ProductPageView>($"/api/products?category={await SlugOfAsync(client, category)}");

        Assert.Equal(HttpStatusCode.NotFound, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, asCustomer.StatusCode);
        var seenByAdmin = await asAdmin.ReadAsAsync<ProductView>();
        Assert.Equal((product.Id, false), (seenByAdmin.Id, seenByAdmin.IsActive));
        Assert.Empty(listed.Items);
    }

    [Fact]
    public async Task Unknown_products_are_404_problems()
    {
        using var client = fixture.CreateClient("catalog-api");

        using var byId = await client.GetAsync($"/api/products/{Guid.NewGuid()}");
        using var bySlug = await client.GetAsync("/api/products/by-slug/no-such-product");
        using var notAGuid = await client.GetAsync("/api/products/not-a-guid");

        Assert.Equal(404, (await byId.ReadProblemAsync(HttpStatusCode.NotFound)).Status);
        Assert.Equal(HttpStatusCode.NotFound, bySlug.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, notAGuid.StatusCode);
    }

    internal static async Task<string> SlugOfAsync(HttpClient client, Guid categoryId) =>
        (await client.GetAsAsync<List<CategoryView>>("/api/categories")).Single(c => c.Id == categoryId).Slug;
}
