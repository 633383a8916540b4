using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Shop.ServiceDefaults.Authentication;

public static class ServiceIdentityExtensions
{
    /// <summary>
    /// Calls made by this client carry the service's own access token (role <c>service</c>), obtained
    /// with the client id and secret in <c>Auth:ServiceIdentity</c>.
    /// </summary>
    public static IHttpClientBuilder AddServiceToken(this IHttpClientBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<ServiceIdentityOptions>()
            .BindConfiguration(ServiceIdentityOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ServiceTokenProvider>();
        services.TryAddTransient<ServiceTokenHandler>();
        services.AddHttpClient(ServiceTokenProvider.HttpClientName);

        return builder.AddHttpMessageHandler<ServiceTokenHandler>();
    }
}
