using Shop.PaymentApi.Infrastructure;
using Shop.PaymentApi.Services;
using Shop.ServiceDefaults;
using Shop.ServiceDefaults.Idempotency;
using Shop.ServiceDefaults.Messaging;

namespace Shop.PaymentApi.Extensions;

public static class ServiceCollectionExtensions
{
    public static IHostApplicationBuilder AddPaymentServices(this IHostApplicationBuilder builder)
    {
        builder.AddServiceDatabase<PaymentDbContext>("paymentdb");
        // Publishes PaymentRefunded when a refund completes; consumes nothing.
        builder.AddServiceMessaging<PaymentDbContext>("paymentdb", "payment-api");
        // Where user-api shares ended sessions (ServiceDefaults' token validation consults them).
        // Redis carries only the ended-session announcements here, which fail open (README): its outage must
        // not make this service unready, so it is not part of /health.
        builder.AddRedisClient("cache", settings => settings.DisableHealthChecks = true);
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
