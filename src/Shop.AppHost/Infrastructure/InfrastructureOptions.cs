using Microsoft.Extensions.Configuration;

namespace Shop.AppHost.Infrastructure;

/// <summary>How Postgres, Redis and RabbitMQ are provided: as containers or as local processes.</summary>
public enum InfrastructureMode
{
    /// <summary>Containers when a container runtime answers as healthy, local processes otherwise.</summary>
    Auto,
    Containers,
    Local,
}

/// <summary>
/// The <c>Infrastructure</c> configuration section of the AppHost. Read once while the model is built,
/// so it is plain configuration binding, not the options pattern the services use.
/// </summary>
public sealed class InfrastructureOptions
{
    public const string SectionName = "Infrastructure";

    public InfrastructureMode Mode { get; init; } = InfrastructureMode.Auto;

    /// <summary>
    /// Where local mode keeps the Postgres cluster. Defaults to a per-user folder, so a developer's data
    /// survives restarts of the AppHost.
    /// </summary>
    public string? DataDirectory { get; init; }

    /// <summary>
    /// A throwaway data folder for this run, deleted when the AppHost stops, with durability switched off
    /// (tests and benchmarks). Ignored in containers mode.
    /// </summary>
    public bool Ephemeral { get; init; }

    /// <summary>Folder holding <c>initdb</c> and <c>postgres</c>; found automatically when empty.</summary>
    public string? PostgresBinDirectory { get; init; }

    /// <summary>Path of <c>redis-server</c>; found on PATH when empty.</summary>
    public string? RedisServerPath { get; init; }

    /// <summary>Path of <c>rabbitmq-server</c>; Debian's location or PATH when empty.</summary>
    public string? RabbitMQServerPath { get; init; }

    public static InfrastructureOptions From(IConfiguration configuration)
    {
        var section = configuration.GetSection(SectionName);
        var modeText = section["Mode"];
        var mode = InfrastructureMode.Auto;
        if (!string.IsNullOrWhiteSpace(modeText) && !Enum.TryParse(modeText, ignoreCase: true, out mode))
        {
            throw new DistributedApplicationException(
                $"Infrastructure:Mode is '{modeText}'. Use one of: auto, containers, local.");
        }

        return new InfrastructureOptions
        {
            Mode = mode,
            DataDirectory = NullIfBlank(section["DataDirectory"]),
            Ephemeral = section.GetValue<bool>("Ephemeral"),
            PostgresBinDirectory = NullIfBlank(section["PostgresBinDirectory"]),
            RedisServerPath = NullIfBlank(section["RedisServerPath"]),
            RabbitMQServerPath = NullIfBlank(section["RabbitMQServerPath"]),
        };
    }

    private static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
