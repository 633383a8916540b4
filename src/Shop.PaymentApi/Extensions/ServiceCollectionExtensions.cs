using Shop.PaymentApi.Infrastructure;
using Shop.ServiceDefaults;

namespace Shop.PaymentApi.Extensions;

public static class ServiceCollectionExtensions
{
    public static IHostApplicationBuilder AddPaymentServices(this IHostApplicationBuilder builder)
    {
        builder.AddServiceDatabase<PaymentDbContext>("paymentdb");

        return builder;
    }
}
