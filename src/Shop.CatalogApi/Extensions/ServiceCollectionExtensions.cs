using Shop.CatalogApi.Infrastructure;
using Shop.CatalogApi.Services;
using Shop.ServiceDefaults;
using StackExchange.Redis;

namespace Shop.CatalogApi.Extensions;

public static class ServiceCollectionExtensions
{
    public static IHostApplicationBuilder AddCatalogServices(this IHostApplicationBuilder builder)
    {
        builder.AddServiceDatabase<CatalogDbContext>("catalogdb", CatalogSeeder.SeedAsync);
        builder.AddRedisClient("cache");

        var services = builder.Services;
        // Here, not in ServiceDefaults: the validation source generator works on the calling assembly.
        services.AddValidation();
        services.AddOptions<CatalogOptions>().BindConfiguration(CatalogOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();

        // HybridCache: memory first, Redis second (through the multiplexer Aspire's client integration made).
        services.AddStackExchangeRedisCache(options =>
        {
            options.InstanceName = "catalog:";
        });
        services.AddOptions<Microsoft.Extensions.Caching.StackExchangeRedis.RedisCacheOptions>()
            .Configure<IConnectionMultiplexer>((options, multiplexer) => options.ConnectionMultiplexerFactory = () => Task.FromResult(multiplexer));
        services.AddHybridCache();

        services.AddSingleton<CatalogMetrics>();
        services.AddScoped<ProductSearch>();
        services.AddScoped<ProductCatalog>();
        services.AddScoped<StockService>();
        services.AddScoped<ReservationService>();
        services.AddHostedService<ReservationSweeper>();

        return builder;
    }
}
