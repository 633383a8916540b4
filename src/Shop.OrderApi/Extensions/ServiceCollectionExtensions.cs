using Microsoft.Extensions.Http.Resilience;
using Shop.OrderApi.Clients;
using Shop.OrderApi.Infrastructure;
using Shop.OrderApi.Services;
using Shop.ServiceDefaults;
using Shop.ServiceDefaults.Authentication;
using Shop.ServiceDefaults.Idempotency;
using Shop.ServiceDefaults.Messaging;

namespace Shop.OrderApi.Extensions;

public static class ServiceCollectionExtensions
{
    public static IHostApplicationBuilder AddOrderServices(this IHostApplicationBuilder builder)
    {
        builder.AddServiceDatabase<OrderDbContext>("orderdb");
        // Publishes the orders' events; keeps its copy of the catalog's products from ProductChanged (Events/).
        builder.AddServiceMessaging<OrderDbContext>("orderdb", "order-api");
        builder.AddIdempotency<OrderDbContext>();
        builder.AddRedisClient("cache");

        var services = builder.Services;
        // Here, not in ServiceDefaults: the validation source generator works on the calling assembly.
        services.AddValidation();
        services.AddOptions<OrderOptions>().BindConfiguration(OrderOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();

        // RemoveAllResilienceHandlers is marked experimental; it is how a client replaces the default
        // handler that ServiceDefaults gives every client.
#pragma warning disable EXTEXP0001
        // Peers through service discovery. Every call is idempotent on the callee's side, so the standard
        // handler's retries (POSTs included) are safe; attempts are short so that a retry comes quickly.
        // catalog-api answers in milliseconds: a customer waiting on a catalog that is down gets the 503
        // within about ten seconds rather than twenty.
        services.AddHttpClient<CatalogClient>(http => http.BaseAddress = new Uri("https+http://catalog-api"))
            .AddServiceToken()
            .RemoveAllResilienceHandlers()
            .AddStandardResilienceHandler(options => Tune(options, attemptTimeout: TimeSpan.FromSeconds(2), totalTimeout: TimeSpan.FromSeconds(10)));
        // The slow test card makes a first attempt time out: the retry, with the same Idempotency-Key,
        // waits at payment-api for the first request's answer instead of charging again.
        services.AddHttpClient<PaymentClient>(http => http.BaseAddress = new Uri("https+http://payment-api"))
            .AddServiceToken()
            .RemoveAllResilienceHandlers()
            .AddStandardResilienceHandler(options => Tune(options, attemptTimeout: TimeSpan.FromSeconds(3), totalTimeout: TimeSpan.FromSeconds(20)));
#pragma warning restore EXTEXP0001
        services.AddHttpContextAccessor();
        services.AddTransient<ForwardCallerTokenHandler>();
        services.AddHttpClient<UserClient>(http => http.BaseAddress = new Uri("https+http://user-api"))
            .AddHttpMessageHandler<ForwardCallerTokenHandler>();

        services.AddSingleton<ICartStore, RedisCartStore>();
        services.AddSingleton<OrderMetrics>();
        services.AddScoped<ProductCopies>();
        services.AddScoped<CartService>();
        services.AddScoped<CheckoutSaga>();
        services.AddScoped<CheckoutService>();
        services.AddHostedService<OrderRecoveryWorker>();
        services.AddHostedService<DeletedCustomerSweeper>();

        return builder;
    }

    private static void Tune(HttpStandardResilienceOptions options, TimeSpan attemptTimeout, TimeSpan totalTimeout)
    {
        options.AttemptTimeout.Timeout = attemptTimeout;
        options.TotalRequestTimeout.Timeout = totalTimeout;
        options.Retry.MaxRetryAttempts = 3;
        options.Retry.Delay = TimeSpan.FromMilliseconds(500);
        options.Retry.UseJitter = true;
        options.CircuitBreaker.SamplingDuration = attemptTimeout * 2 > TimeSpan.FromSeconds(30) ? attemptTimeout * 2 : TimeSpan.FromSeconds(30);
    }
}
