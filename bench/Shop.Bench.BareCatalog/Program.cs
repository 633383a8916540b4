using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Npgsql;

// The baseline of bench/product-read.sh: GET /products/{id} read with EF Core from catalog-api's own
// database, with nothing else: no authentication, no telemetry, no cache, no ProblemDetails. It answers
// what catalog-api's GET /api/products/{id} answers to an anonymous caller: the same JSON fields (the
// units available now included), the same ETag header, 404 for an unknown or inactive product.
//   CATALOG_DB="Host=...;Database=catalogdb;..." dotnet bench/Shop.Bench.BareCatalog/bin/Release/net10.0/Shop.Bench.BareCatalog.dll --urls http://127.0.0.1:5399
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
// The same pooled-connection settings as the services (ServiceDefaults' WithStatementReuse), so that the
// comparison is of the request path, not of how often Postgres plans the query.
var connectionString = new NpgsqlConnectionStringBuilder(builder.Configuration["CATALOG_DB"]
    ?? throw new InvalidOperationException("Set CATALOG_DB to catalog-api's connection string (ConnectionStrings__catalogdb in its environment)."))
{
    NoResetOnClose = true,
    MaxAutoPrepare = 100,
    AutoPrepareMinUsages = 2,
}.ConnectionString;
builder.Services.AddDbContextPool<BareCatalogDb>(options => options.UseNpgsql(connectionString));
builder.Services.ConfigureHttpJsonOptions(options => options.SerializerOptions.TypeInfoResolverChain.Insert(0, BareJson.Default));

var app = builder.Build();
app.MapGet("/products/{id:guid}", async (Guid id, BareCatalogDb db, HttpContext http, CancellationToken cancellationToken) =>
{
    var row = await db.Products.AsNoTracking()
        .Where(p => p.Id == id && p.IsActive)
        .Join(db.Stock, p => p.Id, s => s.ProductId, (p, s) => new { p, s })
        .Join(db.Categories, x => x.p.CategoryId, c => c.Id, (x, c) => new
        {
            Product = new ProductResponse(
                x.p.Id, x.p.Sku, x.p.Name, x.p.Slug, x.p.Description, x.p.Brand, new CategoryResponse(c.Id, c.Name, c.Slug, c.ParentId),
                x.p.Price, "EUR", x.p.ImageUrls, x.p.IsActive, x.s.OnHand - x.s.Reserved, x.s.UnitsSold, x.p.CreatedAt, x.p.UpdatedAt),
            ProductVersion = x.p.Version,
            CategoryVersion = c.Version,
            StockVersion = x.s.Version,
        })
        .SingleOrDefaultAsync(cancellationToken);
    if (row is null)
    {
        return Results.NotFound();
    }

    http.Response.Headers.ETag = string.Create(CultureInfo.InvariantCulture, $"\"{row.ProductVersion}-{row.CategoryVersion}-{row.StockVersion}\"");
    return Results.Ok(row.Product);
});
app.Run();

internal sealed record CategoryResponse(Guid Id, string Name, string Slug, Guid? ParentId);

internal sealed record ProductResponse(
    Guid Id, string Sku, string Name, string Slug, string Description, string Brand, CategoryResponse Category,
    decimal Price, string Currency, List<string> ImageUrls, bool IsActive, int Available, int UnitsSold,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

[System.Text.Json.Serialization.JsonSourceGenerationOptions(System.Text.Json.JsonSerializerDefaults.Web)]
[System.Text.Json.Serialization.JsonSerializable(typeof(ProductResponse))]
internal sealed partial class BareJson : System.Text.Json.Serialization.JsonSerializerContext;

internal sealed class BareProduct
{
    public Guid Id { get; set; }
    public string Sku { get; set; } = "";
    public string Name { get; set; } = "";
    public string Slug { get; set; } = "";
    public string Description { get; set; } = "";
    public string Brand { get; set; } = "";
    public Guid CategoryId { get; set; }
    public decimal Price { get; set; }
    public List<string> ImageUrls { get; set; } = [];
    public bool IsActive { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public uint Version { get; set; }
}

internal sealed class BareCategory
{
    public Guid Id { get; set; }
    public string Name { get; set; } = "";
    public string Slug { get; set; } = "";
    public Guid? ParentId { get; set; }
    public uint Version { get; set; }
}

internal sealed class BareStock
{
    public Guid ProductId { get; set; }
    public int OnHand { get; set; }
    public int Reserved { get; set; }
    public int UnitsSold { get; set; }
    public uint Version { get; set; }
}

/// <summary>The three tables a product page reads, mapped onto catalog-api's schema (snake_case columns, xmin versions).</summary>
internal sealed class BareCatalogDb(DbContextOptions<BareCatalogDb> options) : DbContext(options)
{
    public DbSet<BareProduct> Products => Set<BareProduct>();

    public DbSet<BareCategory> Categories => Set<BareCategory>();

    public DbSet<BareStock> Stock => Set<BareStock>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<BareProduct>(p =>
        {
            p.ToTable("products");
            p.Property(x => x.Id).HasColumnName("id");
            p.Property(x => x.Sku).HasColumnName("sku");
            p.Property(x => x.Name).HasColumnName("name");
            p.Property(x => x.Slug).HasColumnName("slug");
            p.Property(x => x.Description).HasColumnName("description");
            p.Property(x => x.Brand).HasColumnName("brand");
            p.Property(x => x.CategoryId).HasColumnName("category_id");
            p.Property(x => x.Price).HasColumnName("price");
            p.Property(x => x.ImageUrls).HasColumnName("image_urls").HasColumnType("text[]");
            p.Property(x => x.IsActive).HasColumnName("is_active");
            p.Property(x => x.CreatedAt).HasColumnName("created_at");
            p.Property(x => x.UpdatedAt).HasColumnName("updated_at");
            p.Property(x => x.Version).HasColumnName("xmin").IsRowVersion();
        });
        modelBuilder.Entity<BareCategory>(c =>
        {
            c.ToTable("categories");
            c.Property(x => x.Id).HasColumnName("id");
            c.Property(x => x.Name).HasColumnName("name");
            c.Property(x => x.Slug).HasColumnName("slug");
            c.Property(x => x.ParentId).HasColumnName("parent_id");
            c.Property(x => x.Version).HasColumnName("xmin").IsRowVersion();
        });
        modelBuilder.Entity<BareStock>(s =>
        {
            s.ToTable("stock");
            s.HasKey(x => x.ProductId);
            s.Property(x => x.ProductId).HasColumnName("product_id");
            s.Property(x => x.OnHand).HasColumnName("on_hand");
            s.Property(x => x.Reserved).HasColumnName("reserved");
            s.Property(x => x.UnitsSold).HasColumnName("units_sold");
            s.Property(x => x.Version).HasColumnName("xmin").IsRowVersion();
        });
    }
}
