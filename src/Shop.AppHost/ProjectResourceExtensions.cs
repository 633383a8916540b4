namespace Shop.AppHost;

internal static class ProjectResourceExtensions
{
    /// <summary>
    /// What every Shop API gets from the AppHost: its readiness endpoint as the resource's health check,
    /// and, when published to Container Apps, trust in the ingress proxy's X-Forwarded-* headers so the
    /// services see real client addresses (per-client rate limits depend on them).
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithShopServiceDefaults(this IResourceBuilder<ProjectResource> project)
    {
        project.WithHttpHealthCheck("/health");
        if (project.ApplicationBuilder.ExecutionContext.IsPublishMode)
        {
            project.WithEnvironment("ASPNETCORE_FORWARDEDHEADERS_ENABLED", "true");
        }

        return project;
    }
}
