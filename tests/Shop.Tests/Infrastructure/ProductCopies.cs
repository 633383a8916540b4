using Npgsql;

namespace Shop.Tests.Infrastructure;

/// <summary>order-api's copies of the catalog's products, read and removed in its database as an operator would.</summary>
public static class ProductCopies
{
    /// <summary>order-api's copy of a product (revision and price), read from its database; null when it has none.</summary>
    public static async Task<(long Revision, decimal Price)?> ProductCopyAsync(this ShopAppFixture fixture, Guid productId)
    {
        await using var connection = new NpgsqlConnection(await fixture.ConnectionStringAsync("orderdb"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT revision, price FROM product_copies WHERE id = $1", connection) { Parameters = { new() { Value = productId } } };
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync() ? (reader.GetInt64(0), reader.GetDecimal(1)) : null;
    }

    public static async Task ForgetProductCopyAsync(this ShopAppFixture fixture, Guid productId)
    {
        await using var connection = new NpgsqlConnection(await fixture.ConnectionStringAsync("orderdb"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("DELETE FROM product_copies WHERE id = $1", connection) { Parameters = { new() { Value = productId } } };
        Assert.Equal(1, await command.ExecuteNonQueryAsync());
    }

    /// <summary>Waits until order-api's copy of the product is at <paramref name="revision"/>.</summary>
    public static Task UntilCopiedAsync(this ShopAppFixture fixture, Guid productId, long revision) =>
        Eventually.UntilAsync(() => fixture.ProductCopyAsync(productId), copy => copy?.Revision == revision, $"order-api copied revision {revision} of product {productId}");
}
