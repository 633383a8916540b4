using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;

namespace Shop.AppHost.Infrastructure;

public static class LocalRedisBuilderExtensions
{
    /// <summary>
    /// Adds a Redis server that runs as a local process on a loopback port chosen by the orchestrator.
    /// It is a cache: nothing is saved to disk, and a fresh password is made for every run.
    /// </summary>
    public static IResourceBuilder<LocalRedisResource> AddLocalRedis(
        this IDistributedApplicationBuilder builder, [ResourceName] string name, string redisServerPath, string dataRoot)
    {
        var passwordValue = RandomNumberGenerator.GetHexString(32, lowercase: true);
        var password = builder.AddParameter($"{name}-password", passwordValue, secret: true);

        var workingDirectory = Path.Combine(dataRoot, "redis");
        Directory.CreateDirectory(workingDirectory);
        var configFile = Path.Combine(workingDirectory, "redis.conf");
        // The password lives in a private file rather than on the command line, where any local user could read it.
        PrivateFile.Write(configFile, $"""
            bind 127.0.0.1 -::1
            protected-mode yes
            requirepass {passwordValue}
            save ""
            appendonly no
            dir {workingDirectory}
            """);

        var redis = new LocalRedisResource(name, "/bin/sh", workingDirectory, password.Resource);

        string? connectionString = null;
        builder.Eventing.Subscribe<ConnectionStringAvailableEvent>(redis, async (_, ct) =>
            connectionString = await redis.ConnectionStringExpression.GetValueAsync(ct));

        var healthCheckKey = $"{name}_check";
        builder.Services.AddHealthChecks().AddRedis(
            _ => connectionString ?? throw new InvalidOperationException($"The connection string of '{name}' is not available yet."),
            name: healthCheckKey);

        // redis-server takes its port only as an argument; the orchestrator hands it over as REDIS_PORT.
        return builder.AddResource(redis)
            .WithEndpoint(name: LocalRedisResource.PrimaryEndpointName, scheme: "tcp", env: "REDIS_PORT")
            .WithArgs("-c", "exec \"$0\" \"$1\" --port \"$REDIS_PORT\"", redisServerPath, configFile)
            .WithIconName("Memory")
            .WithHealthCheck(healthCheckKey)
            .ExcludeFromManifest();
    }

    /// <summary>Path of redis-server, or a failure that says what to install or configure.</summary>
    public static string FindRedisServer(string? configuredPath)
    {
        if (configuredPath is not null)
        {
            return ExecutableLocator.IsExecutableFile(configuredPath)
                ? configuredPath
                : throw new DistributedApplicationException(
                    $"Infrastructure:RedisServerPath is '{configuredPath}', which is not an executable file.");
        }

        return ExecutableLocator.FindOnPath("redis-server") ?? throw new DistributedApplicationException(
            "Local infrastructure mode needs redis-server, which is not on PATH. Install Redis " +
            "(Debian/Ubuntu: `sudo apt-get install redis-server`; macOS: `brew install redis`), " +
            "or set Infrastructure:RedisServerPath to its path, " +
            "or use a container runtime with Infrastructure:Mode=containers.");
    }
}
