using Shop.OrderApi.Infrastructure;
using Shop.ServiceDefaults;

namespace Shop.OrderApi.Extensions;

public static class ServiceCollectionExtensions
{
    public static IHostApplicationBuilder AddOrderServices(this IHostApplicationBuilder builder)
    {
        builder.AddServiceDatabase<OrderDbContext>("orderdb");
        builder.AddRedisClient("cache");

        return builder;
    }
}
