using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Shop.UserApi.Extensions;

/// <summary>
/// Per client address limits on the endpoints that take passwords (<see cref="AuthRateLimitOptions"/>):
/// a fixed window per policy and address, counted in Redis and so shared by every replica
/// (<see cref="SharedWindowLimiter"/>); a refused request gets a 429 problem with Retry-After.
/// Endpoints opt in with <see cref="RequireSignInRateLimit{TBuilder}"/> or
/// <see cref="RequireRegistrationRateLimit{TBuilder}"/>.
/// </summary>
public static class SignInRateLimits
{
    private const string SignInPolicy = "sign-in";
    private const string RegistrationPolicy = "registration";

    public static IServiceCollection AddSignInRateLimits(this IServiceCollection services)
    {
        services.AddOptions<AuthRateLimitOptions>().BindConfiguration(AuthRateLimitOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.AddPolicy(SignInPolicy, context => PerClientAddress(context, SignInPolicy, limits => limits.SignInPermitLimit));
            options.AddPolicy(RegistrationPolicy, context => PerClientAddress(context, RegistrationPolicy, limits => limits.RegistrationPermitLimit));
            options.OnRejected = async (context, cancellationToken) =>
            {
                if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
                {
                    context.HttpContext.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                }

                await context.HttpContext.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = context.HttpContext,
                    ProblemDetails = { Status = StatusCodes.Status429TooManyRequests, Title = "Too many requests", Detail = "Try again later." },
                });
            };
        });

        return services;
    }

    /// <summary>Sign-in, refresh, client credentials and password checks share one limit per address.</summary>
    public static TBuilder RequireSignInRateLimit<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireRateLimiting(SignInPolicy);

    public static TBuilder RequireRegistrationRateLimit<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireRateLimiting(RegistrationPolicy);

    /// <summary>The one place a limiter is built: each policy keeps a window per client address, shared by the replicas.</summary>
    private static RateLimitPartition<string> PerClientAddress(HttpContext context, string policy, Func<AuthRateLimitOptions, int> permits)
    {
        var limits = context.RequestServices.GetRequiredService<IOptions<AuthRateLimitOptions>>().Value;
        var clientAddress = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        return RateLimitPartition.Get($"{policy}:{clientAddress}", key => new SharedWindowLimiter(
            context.RequestServices.GetRequiredService<IConnectionMultiplexer>(),
            $"shop:rate-limit:{key}",
            permits(limits),
            limits.Window,
            context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(SignInRateLimits))));
    }
}
