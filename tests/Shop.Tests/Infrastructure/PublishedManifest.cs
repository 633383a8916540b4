using System.Text.Json;

namespace Shop.Tests.Infrastructure;

/// <summary>The AppHost's published manifest (what azd deploys), produced once per test run.</summary>
public static class PublishedManifest
{
    private static readonly Lazy<Task<JsonElement>> Resources = new(PublishAsync);

    /// <summary>The manifest's <c>resources</c> object.</summary>
    public static Task<JsonElement> ResourcesAsync() => Resources.Value;

    /// <summary>
    /// The environment a published project is given, as configuration keys and values (ASPNETCORE_ prefix
    /// dropped, __ read as :, as ASP.NET Core reads them), keeping only literal values, not the
    /// expressions azd resolves at deployment.
    /// </summary>
    public static async Task<Dictionary<string, string>> LiteralEnvironmentAsync(string projectName)
    {
        var environment = (await ResourcesAsync()).GetProperty(projectName).GetProperty("env");
        return environment.EnumerateObject()
            .Where(variable => !variable.Value.GetString()!.Contains('{'))
            .ToDictionary(
                variable => (variable.Name.StartsWith("ASPNETCORE_", StringComparison.Ordinal) ? variable.Name["ASPNETCORE_".Length..] : variable.Name).Replace("__", ":"),
                variable => variable.Value.GetString()!);
    }

    private static async Task<JsonElement> PublishAsync()
    {
        var outputDirectory = Directory.CreateTempSubdirectory("shop-manifest-");
        try
        {
            var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Shop_AppHost>(
                ["--publisher", "manifest", "--output-path", outputDirectory.FullName]);
            await using (var app = await builder.BuildAsync())
            {
                await app.RunAsync().WaitAsync(TimeSpan.FromMinutes(2));
            }

            var manifestPath = Directory.GetFiles(outputDirectory.FullName, "*.json").Single();
            using var manifest = JsonDocument.Parse(await File.ReadAllTextAsync(manifestPath));
            return manifest.RootElement.GetProperty("resources").Clone();
        }
        finally
        {
            outputDirectory.Delete(recursive: true);
        }
    }
}
