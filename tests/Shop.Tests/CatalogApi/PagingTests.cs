using System.Text.Json;
using Shop.Tests.Infrastructure;

namespace Shop.Tests.CatalogApi;

[Collection(ShopCollection.Name)]
public sealed class PagingTests(ShopAppFixture fixture)
{
    [Theory]
    [InlineData("newest")]
    [InlineData("price")]
    [InlineData("-price")]
    [InlineData("relevance")]
    public async Task Walking_every_page_returns_each_product_once_in_order_even_while_products_are_added(string sort)
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
        var seen = new List<JsonElement>();
        string? cursor = null;
        var page = 0;
        do
        {
            var query = sort == "relevance" ? $"q={brand}&sort=relevance" : $"brand={brand}&sort={sort}";
            var body = await client.GetFromJsonAsync<JsonElement>($"/api/products?{query}&limit=4{(cursor is null ? "" : "&cursor=" + cursor)}");
            var items = body.GetProperty("items").EnumerateArray().ToList();
            Assert.InRange(items.Count, 0, 4);
            seen.AddRange(items);
            cursor = body.GetProperty("nextCursor").GetString();

            // Products added between page requests, at prices across the whole range.
            if (page++ < 2)
            {
                await fixture.CreateProductAsync(category, brand: brand, price: 9.5m + page, description: brand);
            }
        }
        while (cursor is not null);

        var seenIds = seen.Select(p => p.GetProperty("id").GetGuid()).ToList();
        Assert.Equal(seenIds.Count, seenIds.Distinct().Count());
        Assert.All(originals, product => Assert.Contains(product.Id, seenIds));

        var prices = seen.Select(p => p.GetProperty("price").GetDecimal()).ToList();
        switch (sort)
        {
            case "price":
                Assert.Equal(prices.Order(), prices);
                break;
            case "-price":
                Assert.Equal(prices.OrderDescending(), prices);
                break;
            case "newest":
                Assert.Equal(seenIds.OrderDescending(GuidByteOrder.Instance), seenIds);
                break;
        }
    }

    /// <summary>Postgres compares uuids byte by byte, which .NET's Guid comparison does not.</summary>
    private sealed class GuidByteOrder : IComparer<Guid>
    {
        public static readonly GuidByteOrder Instance = new();

        public int Compare(Guid x, Guid y) => x.ToString("N").CompareTo(y.ToString("N"));
    }
}
