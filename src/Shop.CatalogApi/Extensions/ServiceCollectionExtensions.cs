using Shop.CatalogApi.Infrastructure;
using Shop.ServiceDefaults;

namespace Shop.CatalogApi.Extensions;

public static class ServiceCollectionExtensions
{
    public static IHostApplicationBuilder AddCatalogServices(this IHostApplicationBuilder builder)
    {
        builder.AddServiceDatabase<CatalogDbContext>("catalogdb");
        builder.AddRedisClient("cache");

        return builder;
    }
}
