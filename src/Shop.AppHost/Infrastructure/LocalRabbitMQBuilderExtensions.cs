using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using RabbitMQ.Client;

namespace Shop.AppHost.Infrastructure;

public static class LocalRabbitMQBuilderExtensions
{
    private const string UserName = "shop";
    private const string NodeName = "shop-messaging@localhost";

    /// <summary>
    /// Adds a RabbitMQ broker that runs as a local process, its AMQP listener on a loopback port chosen by the
    /// orchestrator. Its node database (queues and the messages in them) lives under the data root, so in a
    /// developer's persistent data folder nothing handed to the broker is lost across restarts of the AppHost.
    /// </summary>
    public static IResourceBuilder<LocalRabbitMQResource> AddLocalRabbitMQ(
        this IDistributedApplicationBuilder builder, [ResourceName] string name, string rabbitMQServerPath, string dataRoot)
    {
        var workingDirectory = Path.Combine(dataRoot, "rabbitmq");
        var mnesiaDirectory = Path.Combine(workingDirectory, "mnesia");
        var logDirectory = Path.Combine(workingDirectory, "log");
        Directory.CreateDirectory(mnesiaDirectory);
        Directory.CreateDirectory(logDirectory);

        var passwordValue = GetOrCreatePassword(workingDirectory, mnesiaDirectory);
        var (epmdPort, distributionPort) = GetOrCreateNodePorts(workingDirectory);
        var userName = builder.AddParameter($"{name}-username", UserName);
        var password = builder.AddParameter($"{name}-password", passwordValue, secret: true);

        // The user is created from these settings when the node's database is first made; the password lives
        // in a private file rather than in the environment or on a command line.
        var configFile = Path.Combine(workingDirectory, "rabbitmq.conf");
        PrivateFile.Write(configFile, $"""
            default_user = {UserName}
            default_pass = {passwordValue}
            default_vhost = /
            """);
        var pluginsFile = Path.Combine(workingDirectory, "enabled_plugins");
        File.WriteAllText(pluginsFile, string.Empty);
        var script = Path.Combine(workingDirectory, "run-broker.sh");
        File.WriteAllText(script, RunBrokerScript);

        var broker = new LocalRabbitMQResource(name, "/bin/sh", workingDirectory, userName.Resource, password.Resource);

        string? connectionString = null;
        builder.Eventing.Subscribe<ConnectionStringAvailableEvent>(broker, async (_, ct) =>
            connectionString = await broker.ConnectionStringExpression.GetValueAsync(ct));

        var healthCheckKey = $"{name}_check";
        // One instance for every run of the check, so that it keeps its connection open between runs.
        var healthCheck = new AmqpConnectionHealthCheck(() => connectionString
            ?? throw new InvalidOperationException($"The connection string of '{name}' is not available yet."));
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(healthCheckKey, healthCheck, failureStatus: null, tags: null));

        return builder.AddResource(broker)
            .WithEndpoint(name: LocalRabbitMQResource.PrimaryEndpointName, scheme: "tcp", env: "RABBITMQ_NODE_PORT")
            .WithArgs(script, rabbitMQServerPath)
            .WithEnvironment(context =>
            {
                var variables = context.EnvironmentVariables;
                variables["HOME"] = workingDirectory; // the Erlang cookie lives there
                variables["RABBITMQ_NODENAME"] = NodeName;
                variables["RABBITMQ_NODE_IP_ADDRESS"] = "127.0.0.1";
                variables["RABBITMQ_CONFIG_FILE"] = configFile;
                variables["RABBITMQ_ENABLED_PLUGINS_FILE"] = pluginsFile;
                variables["RABBITMQ_MNESIA_BASE"] = mnesiaDirectory;
                variables["RABBITMQ_LOG_BASE"] = logDirectory;
                variables["RABBITMQ_LOGS"] = "-"; // to standard output: the dashboard's console log
                // The Erlang distribution port and the port mapper (epmd) are the broker's own business: loopback ports
                // of this data folder, so two AppHosts (or a system broker) never share an epmd, and a broker left
                // running from an earlier run of this folder still holds the node name there: a second one is
                // refused instead of opening the same node database.
                variables["RABBITMQ_DIST_PORT"] = distributionPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
                variables["ERL_EPMD_PORT"] = epmdPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
                variables["RABBITMQ_ADVANCED_CONFIG_FILE"] = Path.Combine(workingDirectory, "advanced.config");
                variables["RABBITMQ_CONF_ENV_FILE"] = Path.Combine(workingDirectory, "rabbitmq-env.conf");
                variables["ERL_EPMD_ADDRESS"] = "127.0.0.1";
                variables["RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS"] = "-kernel inet_dist_use_interface {127,0,0,1}";
                // Makes rabbitmq-server exec the Erlang VM instead of keeping a shell that stops it with rabbitmqctl;
                // the VM itself shuts the broker down cleanly on SIGTERM, which run-broker.sh forwards.
                variables["RUNNING_UNDER_SYSTEMD"] = "true";
            })
            .WithIconName("Mail")
            .WithHealthCheck(healthCheckKey)
            .ExcludeFromManifest();
    }

    /// <summary>Path of rabbitmq-server, or a failure that says what to install or configure.</summary>
    public static string FindRabbitMQServer(string? configuredPath)
    {
        if (configuredPath is not null)
        {
            return ExecutableLocator.IsExecutableFile(configuredPath)
                ? configuredPath
                : throw new DistributedApplicationException(
                    $"Infrastructure:RabbitMQServerPath is '{configuredPath}', which is not an executable file.");
        }

        // Debian's /usr/sbin/rabbitmq-server switches to the rabbitmq account when started as root, which could not
        // write this broker's folders; the script it wraps runs the broker as whoever starts it.
        const string debianScript = "/usr/lib/rabbitmq/bin/rabbitmq-server";
        if (ExecutableLocator.IsExecutableFile(debianScript))
        {
            return debianScript;
        }

        return ExecutableLocator.FindOnPath("rabbitmq-server") ?? throw new DistributedApplicationException(
            "Local infrastructure mode needs rabbitmq-server, which is not installed. Install RabbitMQ " +
            "(Debian/Ubuntu: `sudo apt-get install rabbitmq-server`; macOS: `brew install rabbitmq`), " +
            "or set Infrastructure:RabbitMQServerPath to its path, " +
            "or use a container runtime with Infrastructure:Mode=containers.");
    }

    // The broker runs as a child so that this shell can stop what the broker starts but does not stop: the Erlang
    // port mapper daemon (epmd), which would otherwise outlive every run. A stop request is forwarded to the broker.
    private const string RunBrokerScript = """
        #!/bin/sh
        # Started by the Shop AppHost: $1 is rabbitmq-server; ports and folders come from the environment.
        broker=""
        stopping=""
        trap 'stopping=yes; [ -n "$broker" ] && kill -TERM "$broker" 2>/dev/null' TERM INT
        "$1" &
        broker=$!
        [ -n "$stopping" ] && kill -TERM "$broker" 2>/dev/null
        status=0
        # wait returns early when a signal arrives; wait again until the broker has really exited.
        while kill -0 "$broker" 2>/dev/null; do
          wait "$broker"
          status=$?
        done
        epmd -kill >/dev/null 2>&1 || true
        exit "$status"
        """;

    private static string GetOrCreatePassword(string workingDirectory, string mnesiaDirectory)
    {
        var passwordFile = Path.Combine(workingDirectory, "password");
        if (File.Exists(passwordFile))
        {
            return File.ReadAllText(passwordFile).Trim();
        }

        // The broker keeps the user it made with its first password; without that password its node database
        // is unusable, so it starts over.
        if (Directory.Exists(mnesiaDirectory))
        {
            Directory.Delete(mnesiaDirectory, recursive: true);
            Directory.CreateDirectory(mnesiaDirectory);
        }

        var password = RandomNumberGenerator.GetHexString(32, lowercase: true);
        PrivateFile.Write(passwordFile, password);
        return password;
    }

    /// <summary>The epmd and distribution ports of this data folder: picked free once, then kept.</summary>
    private static (int Epmd, int Distribution) GetOrCreateNodePorts(string workingDirectory)
    {
        var portsFile = Path.Combine(workingDirectory, "node-ports");
        if (File.Exists(portsFile)
            && File.ReadAllText(portsFile).Split(' ', StringSplitOptions.RemoveEmptyEntries) is [var epmdText, var distributionText]
            && int.TryParse(epmdText, out var epmd) && int.TryParse(distributionText, out var distribution))
        {
            return (epmd, distribution);
        }

        // Both listeners stay open until both ports are known, so the two cannot be the same port.
        using var first = new TcpListener(IPAddress.Loopback, 0);
        using var second = new TcpListener(IPAddress.Loopback, 0);
        first.Start();
        second.Start();
        var ports = (((IPEndPoint)first.LocalEndpoint).Port, ((IPEndPoint)second.LocalEndpoint).Port);
        File.WriteAllText(portsFile, $"{ports.Item1} {ports.Item2}");
        return ports;
    }

    /// <summary>Healthy when an AMQP connection is open: the broker answers and accepts this user.</summary>
    private sealed class AmqpConnectionHealthCheck(Func<string> connectionString) : IHealthCheck, IAsyncDisposable
    {
        private IConnection? _connection;

        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                if (_connection is not { IsOpen: true })
                {
                    await DisposeAsync();
                    var factory = new ConnectionFactory { Uri = new Uri(connectionString()), AutomaticRecoveryEnabled = false };
                    _connection = await factory.CreateConnectionAsync("shop-apphost-health", cancellationToken);
                }

                return HealthCheckResult.Healthy();
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                return HealthCheckResult.Unhealthy("No AMQP connection to the broker.", ex);
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (_connection is { } connection)
            {
                _connection = null;
                await connection.DisposeAsync();
            }
        }
    }
}
