using Shop.Tests.Infrastructure;

namespace Shop.Tests.Replicas;

/// <summary>
/// Each catalog-api replica answers product pages from its own memory. A change committed through one
/// replica must be what every replica answers from the next read on, for the product's own fields and
/// for the units available, with no replica serving what it cached before.
/// </summary>
[Collection(ReplicaCollection.Name)]
public sealed class CrossReplicaProductCacheTests(ReplicaAppFixture fixture)
{
    [Fact]
    public async Task A_change_made_through_one_replica_is_read_at_once_from_every_replica()
    {
        var category = await fixture.CreateCategoryAsync();
        var product = await fixture.CreateProductAsync(category, name: "Cached everywhere", price: 40m, stock: 20);
        var etag = product.ETag;

        // Every replica holds the product in its cache before the changes.
        var warmedBy = new HashSet<string>();
        for (var i = 0; i < 60 && warmedBy.Count < ReplicaAppFixture.Replicas; i++)
        {
            var (read, instance) = await ReadAsync(product.Id);
            Assert.Equal((40m, 20), (read.Price, read.Available));
            warmedBy.Add(instance);
        }

        Assert.Equal(ReplicaAppFixture.Replicas, warmedBy.Count);

        var answeredBy = new List<string>();
        for (var change = 1; change <= 4; change++)
        {
            // Alternately a product edit and a stock change, each through whichever replica takes it.
            var price = 40m + change - (change % 2 == 0 ? 1 : 0);
            var available = 20 - (change / 2);
            if (change % 2 == 1)
            {
                etag = await fixture.EditPriceAsync(product, price, etag);
            }
            else
            {
                await AdjustStockAsync(product.Id, -1);
            }

            var reads = await Task.WhenAll(Enumerable.Range(0, 9).Select(_ => ReadAsync(product.Id)));
            answeredBy.AddRange(reads.Select(r => r.Instance));
            Assert.All(reads, r => Assert.Equal((price, available), (r.Product.Price, r.Product.Available)));
        }

        fixture.AssertSpreadOverReplicas("catalog-api", answeredBy);
    }

    private async Task<(ProductView Product, string Instance)> ReadAsync(Guid productId)
    {
        using var client = fixture.CreateClient("catalog-api");
        using var response = await client.GetAsync($"/api/products/{productId}");
        return (await response.ReadAsAsync<ProductView>(), ReplicaAppFixture.InstanceOf(response));
    }

    private async Task AdjustStockAsync(Guid productId, int delta)
    {
        using var client = fixture.CreateClient("catalog-api");
        using var response = await client.SendAsync(CatalogData.StockAdjustment(productId, await fixture.AdminTokenAsync(), delta, "replica cache test"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
