using Shop.CatalogApi.Infrastructure;
using Shop.CatalogApi.Services;
using Shop.ServiceDefaults;
using Shop.ServiceDefaults.Idempotency;
using Shop.ServiceDefaults.Messaging;

namespace Shop.CatalogApi.Extensions;

public static class ServiceCollectionExtensions
{
    public static IHostApplicationBuilder AddCatalogServices(this IHostApplicationBuilder builder)
    {
        builder.AddServiceDatabase<CatalogDbContext>("catalogdb", CatalogSeeder.SeedAsync);
        // Publishes ProductChanged; the sales figures come from order-api's events (Events/OrderSalesHandler).
        builder.AddServiceMessaging<CatalogDbContext>("catalogdb", "catalog-api");
        builder.AddRedisClient("cache");
        // Stock adjustments carry an Idempotency-Key: a delivery of 10 sent twice (a retry, a double click) counts once.
        builder.AddIdempotency<CatalogDbContext>();

        var services = builder.Services;
        // Here, not in ServiceDefaults: the validation source generator works on the calling assembly.
        services.AddValidation();
        services.AddOptions<CatalogOptions>().BindConfiguration(CatalogOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();

        // Product pages in memory, kept exact by the change notifications Postgres sends each replica.
        services.AddSingleton<ProductCache>();
        services.AddSingleton<ProductChangeFeed>();
        services.AddHostedService(provider => provider.GetRequiredService<ProductChangeFeed>());

        services.AddSingleton<CatalogMetrics>();
        services.AddScoped<ProductSearch>();
        services.AddScoped<ProductCatalog>();
        services.AddScoped<StockService>();
        services.AddScoped<ReservationService>();
        services.AddHostedService<ReservationSweeper>();

        return builder;
    }
}
