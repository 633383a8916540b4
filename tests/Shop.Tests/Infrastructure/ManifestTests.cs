using System.Text.Json;

namespace Shop.Tests.Infrastructure;

/// <summary>
/// What azd deploys is the AppHost's manifest. Whatever this machine runs locally, publishing must
/// describe the container resources with every reference wired.
/// </summary>
public sealed class ManifestTests
{
    [Fact]
    public async Task Publishing_yields_the_services_the_databases_redis_and_the_broker_wired_together()
    {
        var resources = await PublishedManifest.ResourcesAsync();

        Assert.StartsWith("container.", resources.GetProperty("postgres").GetProperty("type").GetString());
        Assert.StartsWith("container.", resources.GetProperty("cache").GetProperty("type").GetString());
        Assert.StartsWith("container.", resources.GetProperty("messaging").GetProperty("type").GetString());
        foreach (var database in new[] { "userdb", "catalogdb", "orderdb", "paymentdb" })
        {
            var connectionString = resources.GetProperty(database).GetProperty("connectionString").GetString();
            Assert.Contains("{postgres.connectionString}", connectionString);
            Assert.Contains($"Database={database}", connectionString);
        }

        AssertProject(resources, "user-api", references: ["userdb", "cache", "messaging"], services: []);
        AssertProject(resources, "catalog-api", references: ["catalogdb", "cache", "messaging"], services: ["user-api"]);
        AssertProject(resources, "payment-api", references: ["paymentdb", "cache", "messaging"], services: ["user-api"]);
        AssertProject(resources, "order-api", references: ["orderdb", "cache", "messaging"], services: ["catalog-api", "payment-api", "user-api"]);
        AssertProject(resources, "webapp", references: ["cache"], services: ["user-api", "catalog-api", "order-api"]);
        // The storefront reaches data only through the APIs.
        Assert.DoesNotContain(resources.GetProperty("webapp").GetProperty("env").EnumerateObject(),
            variable => variable.Name.StartsWith("ConnectionStrings__", StringComparison.Ordinal) && variable.Name != "ConnectionStrings__cache");

        // ServiceDefaults knows no address: the services that validate tokens or obtain their own are told where.
        foreach (var name in new[] { "catalog-api", "payment-api", "order-api" })
        {
            Assert.Equal("https+http://user-api/.well-known/jwks.json", resources.GetProperty(name).GetProperty("env").GetProperty("Auth__JwksUri").GetString());
        }

        Assert.Equal("https+http://user-api/api/auth/token", resources.GetProperty("order-api").GetProperty("env").GetProperty("Auth__ServiceIdentity__TokenEndpoint").GetString());
    }

    private static void AssertProject(JsonElement resources, string name, string[] references, string[] services)
    {
        var project = resources.GetProperty(name);
        Assert.StartsWith("project.", project.GetProperty("type").GetString());
        var environment = project.GetProperty("env");
        foreach (var reference in references)
        {
            Assert.Equal($"{{{reference}.connectionString}}", environment.GetProperty($"ConnectionStrings__{reference}").GetString());
        }

        foreach (var service in services)
        {
            Assert.Contains(environment.EnumerateObject(), variable => variable.Name.StartsWith($"services__{service}__", StringComparison.Ordinal));
        }
    }
}
