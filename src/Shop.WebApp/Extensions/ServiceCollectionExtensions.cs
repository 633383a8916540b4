using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.StackExchangeRedis;
using Microsoft.Extensions.Http.Resilience;
using OpenTelemetry.Metrics;
using Shop.WebApp.Authentication;
using Shop.WebApp.Clients;
using StackExchange.Redis;

namespace Shop.WebApp.Extensions;

public static class ServiceCollectionExtensions
{
    public static IHostApplicationBuilder AddWebAppServices(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddRazorComponents().AddInteractiveServerComponents();
        // Blazor's lifecycle meter times every component's parameters and every render batch: some 60 measurements per
        // catalog page, and in .NET 10 a TaskCanceledException thrown and caught for every statically rendered batch.
        // Microsoft's templates leave it off; so does the shop (the request and navigation metrics stay).
        services.ConfigureOpenTelemetryMeterProvider(metrics => metrics.AddView(instrument =>
            instrument.Meter.Name == "Microsoft.AspNetCore.Components.Lifecycle" ? MetricStreamConfiguration.Drop : null));
        services.AddHttpContextAccessor();
        services.AddMemoryCache();
        services.AddCascadingAuthenticationState();
        // Money and dates in the browser's culture (Accept-Language); the words stay English.
        services.AddRequestLocalization(options => options
            .SetDefaultCulture("en-US")
            .AddSupportedCultures("en-US", "en-GB", "en-IE", "de-DE", "de-AT", "fr-FR", "nl-NL", "es-ES", "it-IT", "pl-PL", "sv-SE", "da-DK", "fi-FI", "pt-PT", "ja-JP")
            .AddSupportedUICultures("en-US"));

        // Redis holds what every replica must share: the data protection keys (cookies and anti-forgery tokens made by
        // one replica are read by another) and the sessions' tokens.
        builder.AddRedisClient("cache");
        services.AddDataProtection().SetApplicationName("shop-webapp");
        services.AddOptions<KeyManagementOptions>().Configure<IConnectionMultiplexer>((options, redis) =>
            options.XmlRepository = new RedisXmlRepository(() => redis.GetDatabase(), "webapp:data-protection-keys"));
        services.AddSingleton<SessionTokenStore>();
        services.AddScoped<UserSession>();

        services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(options =>
            {
                options.Cookie.Name = "shop.session";
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = SameSiteMode.Lax;
                // Behind Container Apps' ingress requests arrive as http with X-Forwarded-Proto https (ServiceDefaults trusts
                // it), so SameAsRequest marks the cookie Secure there; Always would lose it on a plain-http dev machine.
                options.Cookie.SecurePolicy = builder.Environment.IsDevelopment() ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
                options.ExpireTimeSpan = SessionTokenStore.Lifetime;
                options.SlidingExpiration = true;
                options.LoginPath = "/account/login";
                options.AccessDeniedPath = "/account/denied";
                options.Events.OnValidatePrincipal = ValidateSessionAsync;
            });
        services.AddAuthorization();

        // The APIs through service discovery, each with the standard resilience handler tuned for a person waiting on a
        // page (ForPages).
#pragma warning disable EXTEXP0001 // RemoveAllResilienceHandlers: how a client replaces ServiceDefaults' handler.
        services.AddTransient<ForwardClientAddressHandler>();
        services.AddHttpClient<IdentityClient>(http => http.BaseAddress = new Uri("https+http://user-api"))
            .AddHttpMessageHandler<ForwardClientAddressHandler>()
            .RemoveAllResilienceHandlers().AddStandardResilienceHandler(ForPages);
        // A refresh is waited for rather than given up after 3 s: user-api may have rotated the token by then, and the
        // next refresh, presenting the old one again, would end the session. One attempt (a POST is never repeated).
        services.AddHttpClient(IdentityClient.RefreshClientName, http => http.BaseAddress = new Uri("https+http://user-api"))
            .AddHttpMessageHandler<ForwardClientAddressHandler>()
            .RemoveAllResilienceHandlers().AddStandardResilienceHandler(options =>
            {
                ForPages(options);
                options.AttemptTimeout.Timeout = TimeSpan.FromSeconds(10);
                options.TotalRequestTimeout.Timeout = TimeSpan.FromSeconds(10);
                options.CircuitBreaker.SamplingDuration = TimeSpan.FromSeconds(20);
            });
        services.AddHttpClient<AccountClient>(http => http.BaseAddress = new Uri("https+http://user-api"))
            .AddHttpMessageHandler<ForwardClientAddressHandler>()
            .RemoveAllResilienceHandlers().AddStandardResilienceHandler(ForPages);
        services.AddHttpClient<CatalogClient>(http => http.BaseAddress = new Uri("https+http://catalog-api"))
            .RemoveAllResilienceHandlers().AddStandardResilienceHandler(ForPages);
        services.AddHttpClient<OrderClient>(http => http.BaseAddress = new Uri("https+http://order-api"))
            .RemoveAllResilienceHandlers().AddStandardResilienceHandler(ForPages);
        // Placing an order may wait on the card processor (the slow test card takes seconds, order-api retries its calls to
        // payment-api for up to 20 s): one attempt may take that long, and it is never repeated (POST).
        services.AddHttpClient(OrderClient.CheckoutClientName, http => http.BaseAddress = new Uri("https+http://order-api"))
            .RemoveAllResilienceHandlers().AddStandardResilienceHandler(options =>
            {
                ForPages(options);
                options.AttemptTimeout.Timeout = TimeSpan.FromSeconds(30);
                options.TotalRequestTimeout.Timeout = TimeSpan.FromSeconds(40);
                options.CircuitBreaker.SamplingDuration = TimeSpan.FromSeconds(60);
            });
#pragma warning restore EXTEXP0001
        services.AddScoped<CartSummary>();

        return builder;
    }

    /// <summary>
    /// Resilience for calls a page waits on: two quick retries of what is safe to send twice (a write that reached the API
    /// before its answer was lost is not repeated blindly; the writes that must count once carry the Idempotency-Key
    /// their form was rendered with, so the customer's own retry is safe), at most 8 s in all, and a circuit breaker that opens after a few failures (the
    /// default waits for 100 calls in its window, which a shop's page views may never reach) so that an API that is down
    /// fails the pages that need it at once, for 5 s at a time, rather than after a wait on every page view.
    /// </summary>
    private static void ForPages(HttpStandardResilienceOptions options)
    {
        options.Retry.DisableForUnsafeHttpMethods();
        options.Retry.MaxRetryAttempts = 2;
        options.Retry.Delay = TimeSpan.FromMilliseconds(200);
        options.AttemptTimeout.Timeout = TimeSpan.FromSeconds(3);
        options.TotalRequestTimeout.Timeout = TimeSpan.FromSeconds(8);
        options.CircuitBreaker.SamplingDuration = TimeSpan.FromSeconds(10);
        options.CircuitBreaker.MinimumThroughput = 3;
        options.CircuitBreaker.FailureRatio = 0.5;
        options.CircuitBreaker.BreakDuration = TimeSpan.FromSeconds(5);
    }

    /// <summary>
    /// A cookie whose session is gone from Redis (signed out on another tab, refresh refused) signs the browser out on
    /// its next request, so the header never shows a user the APIs no longer accept.
    /// </summary>
    private static async Task ValidateSessionAsync(CookieValidatePrincipalContext context)
    {
        var store = context.HttpContext.RequestServices.GetRequiredService<SessionTokenStore>();
        bool exists;
        try
        {
            exists = UserSession.SessionId(context.Principal!) is { } sessionId && await store.ExistsAsync(sessionId);
        }
        catch (ServiceUnavailableException)
        {
            // Redis is away: no verdict. The cookie stands (pages that need no API work); a page that needs the tokens
            // shows "try again".
            return;
        }

        if (!exists)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        }
    }
}
