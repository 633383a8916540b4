using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace Shop.ServiceDefaults.Authentication;

public static class AuthenticationExtensions
{
    internal const string JwksHttpClientName = "shop-jwks";

    /// <summary>
    /// JWT bearer authentication against the keys user-api publishes (fetched through service discovery,
    /// cached, and re-fetched when a token names a key not seen yet), with the policies every service
    /// uses. Issuer, audience, lifetime and an ES256 signature are all required (the signature is checked
    /// once per token, see <see cref="CachingJsonWebTokenHandler"/>), and the token's session must not have
    /// ended (see <see cref="SessionRevocations"/>), checked on every request.
    /// </summary>
    public static IHostApplicationBuilder AddShopAuthentication(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ShopAuthenticationOptions>()
            .BindConfiguration(ShopAuthenticationOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        builder.Services.AddHttpClient(JwksHttpClientName);
        builder.Services.AddSingleton(UserApiKeySource);

        // Ended sessions and stale tokens, shared through Redis: each service registers the Redis client
        // (IConnectionMultiplexer, Aspire's AddRedisClient) for the connection it is given.
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<RevokedSessions>();
        builder.Services.AddSingleton<SessionRevocations>();
        builder.Services.AddHostedService<SessionRevocationListener>();

        // One cache of validated tokens per service, shared by all requests (see CachingJsonWebTokenHandler).
        builder.Services.AddSingleton<CachingJsonWebTokenHandler>();
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        // Built at start rather than at the first request, with the key source it names: a service that
        // fetches the keys and was given no address for them does not start (user-api replaces the
        // source with its own key store and needs none).
        builder.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .ValidateOnStart()
            .Configure<IOptions<ShopAuthenticationOptions>, IConfigurationManager<OpenIdConnectConfiguration>, CachingJsonWebTokenHandler>(
                (bearer, shop, keys, handler) => ConfigureBearer(bearer, shop.Value, keys, handler));

        AddShopPolicies(builder.Services);

        return builder;
    }

    /// <summary>user-api's published keys, fetched through service discovery from the address the AppHost passes.</summary>
    private static IConfigurationManager<OpenIdConnectConfiguration> UserApiKeySource(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<ShopAuthenticationOptions>>().Value;
        if (!Uri.TryCreate(options.JwksUri, UriKind.Absolute, out _))
        {
            throw new OptionsValidationException(ShopAuthenticationOptions.SectionName, typeof(ShopAuthenticationOptions),
                ["Auth:JwksUri is required: the address of user-api's signing keys (/.well-known/jwks.json), which the AppHost passes as Auth__JwksUri."]);
        }

        var httpClient = services.GetRequiredService<IHttpClientFactory>().CreateClient(JwksHttpClientName);
        return new ConfigurationManager<OpenIdConnectConfiguration>(
            options.JwksUri,
            new JwksConfigurationRetriever(),
            // Inside the cluster user-api is reached over plain HTTP (Container Apps terminates TLS at ingress).
            new HttpDocumentRetriever(httpClient) { RequireHttps = false })
        {
            // The shortest interval the library allows, and shorter than the delay before a newly
            // published key starts signing: no token names a key this service has not fetched.
            AutomaticRefreshInterval = TimeSpan.FromMinutes(5),
            // How soon a token signed with an unknown key may trigger another fetch: short, so a rotated
            // key is picked up within seconds, while a flood of forged key ids costs one fetch per interval.
            RefreshInterval = TimeSpan.FromSeconds(5),
        };
    }

    /// <summary>What a token must be (issuer, audience, ES256, lifetime) and the revocation check after it.</summary>
    private static void ConfigureBearer(
        JwtBearerOptions bearer, ShopAuthenticationOptions shop, IConfigurationManager<OpenIdConnectConfiguration> keys, CachingJsonWebTokenHandler handler)
    {
        bearer.ConfigurationManager = keys;
        bearer.TokenHandlers.Clear();
        bearer.TokenHandlers.Add(handler);
        bearer.MapInboundClaims = false;
        bearer.RefreshOnIssuerKeyNotFound = true;
        var parameters = bearer.TokenValidationParameters;
        parameters.ValidIssuer = shop.Issuer;
        parameters.ValidAudience = shop.Audience;
        parameters.ValidAlgorithms = [Microsoft.IdentityModel.Tokens.SecurityAlgorithms.EcdsaSha256];
        parameters.ClockSkew = shop.ClockSkew;
        parameters.RequireExpirationTime = true;
        parameters.RequireSignedTokens = true;
        parameters.NameClaimType = ShopClaims.Subject;
        parameters.RoleClaimType = ShopClaims.Role;
        bearer.Events = new JwtBearerEvents
        {
            // Runs on every request, whether the token's signature was checked now or on an earlier
            // request; an in-memory lookup, no network round trip (see SessionRevocationListener).
            OnTokenValidated = context =>
            {
                if (context.HttpContext.RequestServices.GetRequiredService<RevokedSessions>().Refuses(context.Principal!))
                {
                    context.Fail("The token's session has ended or its account has changed; refresh or sign in again.");
                }

                return Task.CompletedTask;
            },
        };
    }

    /// <summary>Every endpoint needs a signed-in caller unless it says otherwise; the role policies the services name.</summary>
    private static void AddShopPolicies(IServiceCollection services)
    {
    services.AddSingleton<IAuthorizationHandler, AuthenticatedOrNoEndpointRequirement>();
    services.AddAuthorizationBuilder()
        .SetFallbackPolicy(new AuthorizationPolicyBuilder().AddRequirements(new AuthenticatedOrNoEndpointRequirement()).Build())
        .AddPolicy(ShopPolicies.Customer, policy => policy.RequireRole(ShopRoles.Customer))
        .AddPolicy(ShopPolicies.Admin, policy => policy.RequireRole(ShopRoles.Admin))
        .AddPolicy(ShopPolicies.Service, policy => policy.RequireRole(ShopRoles.Service))
        .AddPolicy(ShopPolicies.AdminOrService, policy => policy.RequireRole(ShopRoles.Admin, ShopRoles.Service));
    }
}
