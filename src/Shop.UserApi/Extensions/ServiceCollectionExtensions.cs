using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Shop.ServiceDefaults;
using Shop.ServiceDefaults.Messaging;
using Shop.UserApi.Infrastructure;
using Shop.UserApi.Model;
using Shop.UserApi.Services;

namespace Shop.UserApi.Extensions;

public static class ServiceCollectionExtensions
{
    public static IHostApplicationBuilder AddUserServices(this IHostApplicationBuilder builder)
    {
        builder.AddServiceDatabase<UserDbContext>("userdb", UserSeeder.SeedAsync);
        // Publishes UserDeleted when an account is deleted; consumes nothing.
        builder.AddServiceMessaging<UserDbContext>("userdb", "user-api");
        // Where ended sessions are shared with the other services (ServiceDefaults' SessionRevocations).
        // Redis carries only the ended-session announcements here, which fail open (README): its outage must
        // not make this service unready, so it is not part of /health.
        builder.AddRedisClient("cache", settings => settings.DisableHealthChecks = true);

        var services = builder.Services;
        // Here, not in ServiceDefaults: the validation source generator works on the calling assembly.
        services.AddValidation();
        services.AddOptions<TokenIssuingOptions>().BindConfiguration(TokenIssuingOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<LockoutOptions>().BindConfiguration(LockoutOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<DiscoveryOptions>().BindConfiguration(DiscoveryOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<AdminAccountOptions>().BindConfiguration(AdminAccountOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ServiceClientOptions>().BindConfiguration(ServiceClientOptions.SectionName)
            .Validate(o => o.Clients.Values.All(c => c.Secret.Length >= 16), "Every Auth:Clients:{id}:Secret must be at least 16 characters.")
            .ValidateOnStart();

        // ASP.NET Core Identity's hasher (PBKDF2, versioned format) without the rest of Identity.
        services.AddSingleton<IPasswordHasher<User>, PasswordHasher<User>>();
        services.AddSingleton<SigningKeyStore>();
        services.AddSingleton<UserMetrics>();
        services.AddScoped<TokenIssuer>();
        services.AddScoped<RefreshTokenService>();
        services.AddScoped<SignInThrottler>();
        services.AddScoped<SignInService>();
        services.AddHostedService<ExpiredDataCleanup>();

        // user-api checks its own tokens against the key store, not by fetching its own JWKS over HTTP.
        services.Replace(ServiceDescriptor.Singleton<IConfigurationManager<OpenIdConnectConfiguration>>(provider =>
            new SigningKeyConfigurationManager(provider.GetRequiredService<SigningKeyStore>())));

        services.AddSignInRateLimits();

        return builder;
    }
}
