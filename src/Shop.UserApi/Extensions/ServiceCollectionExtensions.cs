using Shop.ServiceDefaults;
using Shop.UserApi.Infrastructure;

namespace Shop.UserApi.Extensions;

public static class ServiceCollectionExtensions
{
    public static IHostApplicationBuilder AddUserServices(this IHostApplicationBuilder builder)
    {
        builder.AddServiceDatabase<UserDbContext>("userdb");

        return builder;
    }
}
