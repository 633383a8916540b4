using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using Shop.CatalogApi.Model;

namespace Shop.CatalogApi.Infrastructure;

/// <summary>
/// Ensures the demo catalog at start-up: in Development 120 products by default, or any number set in
/// Catalog:SeedProductCount (benchmarks load 100,000+). Missing categories and products are added,
/// nothing is changed or removed, and replicas starting together take turns through an advisory lock.
/// Products go in with binary COPY, so a hundred thousand take seconds.
/// </summary>
internal static class CatalogSeeder
{
    private const int DevelopmentProductCount = 120;
    private const long SeedLockKey = 0x5EED_CA7A_1060;

    public static async Task SeedAsync(CatalogDbContext db, IServiceProvider services, CancellationToken cancellationToken)
    {
        var configured = services.GetRequiredService<IOptions<CatalogOptions>>().Value.SeedProductCount;
        var count = configured ?? (services.GetRequiredService<IHostEnvironment>().IsDevelopment() ? DevelopmentProductCount : 0);
        if (count == 0)
        {
            return;
        }

        var started = Stopwatch.GetTimestamp();
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({SeedLockKey})", cancellationToken);

        var categoryIds = await EnsureCategoriesAsync(db, cancellationToken);
        var existingSkus = (await db.Products.Where(p => p.Sku.StartsWith(DemoCatalog.SkuPrefix)).Select(p => p.Sku).ToListAsync(cancellationToken)).ToHashSet();
        var missing = Enumerable.Range(0, count).Select(DemoCatalog.Product).Where(p => !existingSkus.Contains(p.Sku)).ToList();

        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        var stock = await CopyProductsAsync(connection, missing, categoryIds, now, cancellationToken);
        await CopyStockAsync(connection, stock, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        if (missing.Count > 0)
        {
            await db.Database.ExecuteSqlRawAsync("ANALYZE products; ANALYZE stock;", cancellationToken);
        }

        Log.CatalogSeeded(services.GetRequiredService<ILogger<CatalogDbContext>>(), missing.Count, count, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    /// <summary>Writes the products with binary COPY; answers each new product's id with the stock it starts with.</summary>
    private static async Task<List<(Guid Id, int OnHand)>> CopyProductsAsync(
        NpgsqlConnection connection, List<DemoProduct> missing, Dictionary<string, Guid> categoryIds, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var stock = new List<(Guid Id, int OnHand)>(missing.Count);
        await using var products = await connection.BeginBinaryImportAsync(
            "COPY products (id, sku, name, slug, description, brand, category_id, price, image_urls, is_active, created_at, updated_at) FROM STDIN (FORMAT BINARY)",
            cancellationToken);
        foreach (var product in missing)
        {
            var id = Guid.CreateVersion7(now);
            stock.Add((id, product.Stock));
            await products.StartRowAsync(cancellationToken);
            await products.WriteAsync(id, NpgsqlDbType.Uuid, cancellationToken);
            await products.WriteAsync(product.Sku, NpgsqlDbType.Varchar, cancellationToken);
            await products.WriteAsync(product.Name, NpgsqlDbType.Varchar, cancellationToken);
            await products.WriteAsync(product.Slug, NpgsqlDbType.Varchar, cancellationToken);
            await products.WriteAsync(product.Description, NpgsqlDbType.Varchar, cancellationToken);
            await products.WriteAsync(product.Brand, NpgsqlDbType.Varchar, cancellationToken);
            await products.WriteAsync(categoryIds[product.CategorySlug], NpgsqlDbType.Uuid, cancellationToken);
            await products.WriteAsync(product.Price, NpgsqlDbType.Numeric, cancellationToken);
            await products.WriteAsync(new[] { product.ImageUrl }, NpgsqlDbType.Array | NpgsqlDbType.Text, cancellationToken);
            await products.WriteAsync(true, NpgsqlDbType.Boolean, cancellationToken);
            await products.WriteAsync(now, NpgsqlDbType.TimestampTz, cancellationToken);
            await products.WriteAsync(now, NpgsqlDbType.TimestampTz, cancellationToken);
        }

        await products.CompleteAsync(cancellationToken);
        return stock;
    }

    private static async Task CopyStockAsync(NpgsqlConnection connection, List<(Guid Id, int OnHand)> rows, CancellationToken cancellationToken)
    {
        await using var stock = await connection.BeginBinaryImportAsync("COPY stock (product_id, on_hand, reserved) FROM STDIN (FORMAT BINARY)", cancellationToken);
        foreach (var (id, onHand) in rows)
        {
            await stock.StartRowAsync(cancellationToken);
            await stock.WriteAsync(id, NpgsqlDbType.Uuid, cancellationToken);
            await stock.WriteAsync(onHand, NpgsqlDbType.Integer, cancellationToken);
            await stock.WriteAsync(0, NpgsqlDbType.Integer, cancellationToken);
        }

        await stock.CompleteAsync(cancellationToken);
    }

    private static async Task<Dictionary<string, Guid>> EnsureCategoriesAsync(CatalogDbContext db, CancellationToken cancellationToken)
    {
        var existing = await db.Categories.ToDictionaryAsync(c => c.Slug, cancellationToken);
        foreach (var category in DemoCatalog.Categories.Where(c => !existing.ContainsKey(c.Slug)))
        {
            var created = new Category(category.Name, category.Slug, category.ParentSlug is null ? null : existing[category.ParentSlug].Id);
            db.Categories.Add(created);
            existing[category.Slug] = created;
        }

        await db.SaveChangesAsync(cancellationToken);
        return existing.ToDictionary(pair => pair.Key, pair => pair.Value.Id);
    }
}
