using System.Globalization;

namespace Shop.AppHost;

internal static class ProjectResourceExtensions
{
    /// <summary>How many instances of every API run: <c>dotnet run --project src/Shop.AppHost -- --Shop:Replicas=3</c>.</summary>
    public const string ReplicasSetting = "Shop:Replicas";

    /// <summary>
    /// The services' setting that makes every response name the replica that produced it (ServiceDefaults'
    /// instance header). On in run mode, to see and test load balancing; never published, as it discloses internals.
    /// </summary>
    public const string InstanceHeaderVariable = "Diagnostics__InstanceHeader";

    /// <summary>
    /// The address ranges Container Apps' ingress reaches the apps from when published. An app is only
    /// reachable through its environment's network, so a private-range peer is the ingress (or a peer
    /// service), and with ForwardLimit 1 only the X-Forwarded-For entry it appended is believed.
    /// </summary>
    public const string ContainerAppsIngressNetworks = "10.0.0.0/8,172.16.0.0/12,192.168.0.0/16,100.64.0.0/10";

    /// <summary>
    /// The number of replicas <see cref="ReplicasSetting"/> asks for (1 when unset). Anything but a whole
    /// number of at least 1 stops the AppHost before it starts anything.
    /// </summary>
    public static int ReplicaCount(this IDistributedApplicationBuilder builder)
    {
        var text = builder.Configuration[ReplicasSetting];
        if (string.IsNullOrWhiteSpace(text))
        {
            return 1;
        }

        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var replicas) || replicas < 1)
        {
            throw new DistributedApplicationException(
                $"{ReplicasSetting} is '{text}'. Use a whole number of 1 or more: how many instances of every API to run.");
        }

        return replicas;
    }

    /// <summary>
    /// What every Shop API gets from the AppHost: its number of replicas, its readiness endpoint as the
    /// resource's health check, and, when published to Container Apps, trust in the ingress proxy's
    /// X-Forwarded-* headers so the services see real client addresses (per-client rate limits depend on them). ServiceDefaults makes
    /// the one pass over those headers. ASPNETCORE_FORWARDEDHEADERS_ENABLED, which Aspire sets for
    /// published projects, would add a second pass that trusts any sender, so it is turned off.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithShopServiceDefaults(this IResourceBuilder<ProjectResource> project, int replicas)
    {
        // Run: that many processes behind the endpoint's proxy, which spreads connections over them.
        // Published: Aspire's Container Apps publisher would make it minReplicas; azd's manifest path
        // does not carry it (azd deploys minReplicas 1 and Container Apps scales by its HTTP rule).
        project.WithReplicas(replicas);
        project.WithHttpHealthCheck("/health");
        project.WithEnvironment("ASPNETCORE_FORWARDEDHEADERS_ENABLED", "false");
        if (project.ApplicationBuilder.ExecutionContext.IsPublishMode)
        {
            project.WithEnvironment("ForwardedHeaders__KnownNetworks", ContainerAppsIngressNetworks);
        }
        else
        {
            project.WithEnvironment(InstanceHeaderVariable, "true");
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
