using Shop.Tests.Infrastructure;

namespace Shop.Tests.CatalogApi;

[Collection(ShopCollections.Catalog)]
public sealed class PagingTests(ShopAppFixture fixture) : SharedSystemTest
{
    [Fact]
    public async Task Walking_newest_first_returns_each_product_once_even_while_products_are_added()
    {
        var ids = (await WalkWhileAddingAsync(brand => $"brand={brand}&sort=newest")).Select(p => p.Id).ToList();

        Assert.Equal(ids.OrderDescending(GuidByteOrder.Instance), ids);
    }

    [Fact]
    public async Task Walking_by_price_returns_each_product_once_cheapest_first_even_while_products_are_added()
    {
        var prices = (await WalkWhileAddingAsync(brand => $"brand={brand}&sort=price")).Select(p => p.Price).ToList();

        Assert.Equal(prices.Order(), prices);
    }

    [Fact]
    public async Task Walking_by_descending_price_returns_each_product_once_dearest_first_even_while_products_are_added()
    {
        var prices = (await WalkWhileAddingAsync(brand => $"brand={brand}&sort=-price")).Select(p => p.Price).ToList();

        Assert.Equal(prices.OrderDescending(), prices);
    }

    [Fact]
    public async Task Walking_by_relevance_returns_each_product_once_even_while_products_are_added()
    {
        var seen = await WalkWhileAddingAsync(brand => $"q={brand}&sort=relevance");

        Assert.True(seen.Count >= 13, $"{seen.Count} products seen");
    }

    /// <summary>
    /// Walks every page of a search, four at a time, adding products between the first pages, and asserts what
    /// holds for any order: no product twice, and every product that existed before the walk seen.
    /// </summary>
    private async Task<List<ProductSummaryView>> WalkWhileAddingAsync(Func<string, string> queryForBrand)
    {
        var brand = $"Pagingbrand{Guid.NewGuid():N}";
        var category = await fixture.CreateCategoryAsync();
        var originals = new List<TestProduct>();
        for (var i = 0; i < 13; i++)
        {
            // Repeated prices exercise the id tie-break of the keyset; varied descriptions give varied ranks.
            originals.Add(await fixture.CreateProductAsync(category, brand: brand, price: 10m + (i % 4), description: string.Join(' ', Enumerable.Repeat(brand, 1 + (i % 3)))));
        }

        using var client = fixture.CreateClient("catalog-api");
        var seen = new List<ProductSummaryView>();
        string? cursor = null;
        var page = 0;
        do
        {
            var body = await client.GetAsAsync<ProductPageView>($"/api/products?{queryForBrand(brand)}&limit=4{(cursor is null ? "" : "&cursor=" + cursor)}");
            Assert.InRange(body.Items.Count, 0, 4);
            seen.AddRange(body.Items);
            cursor = body.NextCursor;

            // Products added between page requests, at prices across the whole range.
            if (page++ < 2)
            {
                await fixture.CreateProductAsync(category, brand: brand, price: 9.5m + page, description: brand);
            }
        }
        while (cursor is not null);

        var seenIds = seen.Select(p => p.Id).ToList();
        Assert.Equal(seenIds.Count, seenIds.Distinct().Count());
        Assert.All(originals, product => Assert.Contains(product.Id, seenIds));
        return seen;
    }

    /// <summary>Postgres compares uuids byte by byte, which .NET's Guid comparison does not.</summary>
    private sealed class GuidByteOrder : IComparer<Guid>
    {
        public static readonly GuidByteOrder Instance = new();

        public int Compare(Guid x, Guid y) => x.ToString("N").CompareTo(y.ToString("N"));
    }
}
