using Shop.PaymentApi.Infrastructure;
using Shop.PaymentApi.Services;
using Shop.ServiceDefaults;
using Shop.ServiceDefaults.Idempotency;

namespace Shop.PaymentApi.Extensions;

public static class ServiceCollectionExtensions
{
    public static IHostApplicationBuilder AddPaymentServices(this IHostApplicationBuilder builder)
    {
        builder.AddServiceDatabase<PaymentDbContext>("paymentdb");
        // Where user-api shares ended sessions (ServiceDefaults' token validation consults them).
        builder.AddRedisClient("cache");
        builder.AddIdempotency<PaymentDbContext>();

        var services = builder.Services;
        // Here, not in ServiceDefaults: the validation source generator works on the calling assembly.
        services.AddValidation();
        services.AddOptions<PaymentOptions>().BindConfiguration(PaymentOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IPaymentProcessor, SimulatedPaymentProcessor>();
        services.AddSingleton<PaymentMetrics>();
        services.AddScoped<PaymentService>();
        services.AddHostedService<PaymentRecovery>();

        return builder;
    }
}
