namespace Shop.AppHost;

internal static class ProjectResourceExtensions
{
    /// <summary>
    /// The address ranges Container Apps' ingress reaches the apps from when published. An app is only
    /// reachable through its environment's network, so a private-range peer is the ingress (or a peer
    /// service), and with ForwardLimit 1 only the X-Forwarded-For entry it appended is believed.
    /// </summary>
    public const string ContainerAppsIngressNetworks = "10.0.0.0/8,172.16.0.0/12,192.168.0.0/16,100.64.0.0/10";

    /// <summary>
    /// What every Shop API gets from the AppHost: its readiness endpoint as the resource's health check,
    /// and, when published to Container Apps, trust in the ingress proxy's X-Forwarded-* headers so the
    /// services see real client addresses (per-client rate limits depend on them). ServiceDefaults makes
    /// the one pass over those headers. ASPNETCORE_FORWARDEDHEADERS_ENABLED, which Aspire sets for
    /// published projects, would add a second pass that trusts any sender, so it is turned off.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithShopServiceDefaults(this IResourceBuilder<ProjectResource> project)
    {
        project.WithHttpHealthCheck("/health");
        project.WithEnvironment("ASPNETCORE_FORWARDEDHEADERS_ENABLED", "false");
        if (project.ApplicationBuilder.ExecutionContext.IsPublishMode)
        {
            project.WithEnvironment("ForwardedHeaders__KnownNetworks", ContainerAppsIngressNetworks);
        }

        return project;
    }

    /// <summary>
    /// The project validates access tokens with the signing keys <paramref name="identityProvider"/>
    /// publishes, fetched through service discovery: the project must also reference it.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithAccessTokensFrom(this IResourceBuilder<ProjectResource> project, IResourceBuilder<ProjectResource> identityProvider) =>
        project.WithEnvironment("Auth__JwksUri", $"https+http://{identityProvider.Resource.Name}/.well-known/jwks.json");

    /// <summary>
    /// The project calls internal endpoints of other services as <paramref name="clientId"/>, with tokens it
    /// obtains from <paramref name="identityProvider"/>'s client-credentials endpoint through service
    /// discovery (the project must also reference it), which knows the client by the same secret.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithServiceIdentity(
        this IResourceBuilder<ProjectResource> project, IResourceBuilder<ProjectResource> identityProvider, string clientId, IResourceBuilder<ParameterResource> clientSecret) =>
        project
            .WithEnvironment("Auth__ServiceIdentity__ClientId", clientId)
            .WithEnvironment("Auth__ServiceIdentity__ClientSecret", clientSecret)
            .WithEnvironment("Auth__ServiceIdentity__TokenEndpoint", $"https+http://{identityProvider.Resource.Name}/api/auth/token");
}
