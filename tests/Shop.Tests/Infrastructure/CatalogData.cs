using System.Net.Http.Headers;

namespace Shop.Tests.Infrastructure;

/// <summary>Creates categories and products through catalog-api's admin endpoints, as staff would.</summary>
public static class CatalogData
{
    private static readonly SemaphoreSlim AdminLock = new(1, 1);
    private static (DistributedApplication App, string Token, DateTimeOffset Until)? s_admin;

    /// <summary>An admin access token, reused while it has a few minutes left (and only with the running system that issued it, whichever collection asks).</summary>
    public static async Task<string> AdminTokenAsync(this ShopAppFixture fixture)
    {
        await AdminLock.WaitAsync();
        try
        {
            if (s_admin is not { } admin || admin.App != fixture.App || admin.Until < DateTimeOffset.UtcNow)
            {
                s_admin = admin = (fixture.App, (await fixture.SignInAsAdminAsync()).AccessToken, DateTimeOffset.UtcNow.AddMinutes(10));
            }

            return admin.Token;
        }
        finally
        {
            AdminLock.Release();
        }
    }

    public static async Task<Guid> CreateCategoryAsync(this ShopAppFixture fixture, string? name = null, Guid? parentId = null)
    {
        using var client = fixture.CreateClient("catalog-api");
        name ??= $"Category {Guid.NewGuid():N}";
        using var response = await client.SendAsync(Accounts.Authorized(HttpMethod.Post, "/api/categories", await fixture.AdminTokenAsync(), new { name, parentId }));
        return (await response.ReadAsAsync<CategoryView>(HttpStatusCode.Created)).Id;
    }

    public static async Task<TestProduct> CreateProductAsync(
        this ShopAppFixture fixture, Guid categoryId, string? name = null, string brand = "Testbrand", string description = "A product made for tests.",
        decimal price = 10m, int stock = 10, bool isActive = true)
    {
        using var client = fixture.CreateClient("catalog-api");
        var sku = $"T-{Guid.NewGuid():N}";
        name ??= $"Test product {sku}";
        using var response = await client.SendAsync(Accounts.Authorized(HttpMethod.Post, "/api/products", await fixture.AdminTokenAsync(), new
        {
            product = new { sku, name, description, brand, categoryId, price, imageUrls = new[] { "https://images.example.com/p.jpg" } },
            initialStock = stock,
            isActive,
        }));
        var created = await response.ReadAsAsync<ProductView>(HttpStatusCode.Created);
        return new TestProduct(created.Id, sku, created.Slug, name, price, response.Headers.ETag!.Tag);
    }

    /// <summary>An admin's edit of the product's price (the rest as it is), made on the version <paramref name="etag"/> names; returns the new ETag.</summary>
    public static async Task<string> EditPriceAsync(this ShopAppFixture fixture, TestProduct product, decimal price, string etag)
    {
        using var client = fixture.CreateClient("catalog-api");
        var current = await client.GetAsAsync<ProductView>($"/api/products/{product.Id}");
        var request = Accounts.Authorized(HttpMethod.Put, $"/api/products/{product.Id}", await fixture.AdminTokenAsync(), new
        {
            sku = product.Sku, name = current.Name, slug = product.Slug, description = current.Description, brand = current.Brand,
            categoryId = current.Category.Id, price,
        });
        request.Headers.IfMatch.Add(EntityTagHeaderValue.Parse(etag));
        using var response = await client.SendAsync(request);
        Assert.Equal(price, (await response.ReadAsAsync<ProductView>()).Price);
        return response.Headers.ETag!.Tag;
    }

    /// <summary>A stock adjustment as an administrator sends it, under <paramref name="key"/> (a new one when none is given).</summary>
    public static HttpRequestMessage StockAdjustment(Guid productId, string accessToken, int delta, string reason, string? key = null)
    {
        var request = Accounts.Authorized(HttpMethod.Post, $"/api/products/{productId}/stock/adjustments", accessToken, new { delta, reason });
        request.Headers.Add("Idempotency-Key", key ?? Guid.NewGuid().ToString());
        return request;
    }

    public static async Task<StockView> StockAsync(this ShopAppFixture fixture, Guid productId)
    {
        using var client = fixture.CreateClient("catalog-api");
        using var response = await client.SendAsync(Accounts.Authorized(HttpMethod.Get, $"/api/products/{productId}/stock", await fixture.AdminTokenAsync()));
        return await response.ReadAsAsync<StockView>();
    }
}

public sealed record TestProduct(Guid Id, string Sku, string Slug, string Name, decimal Price, string ETag);
