namespace Shop.AppHost.Infrastructure;

/// <summary>
/// A RabbitMQ broker run as a local process (local infrastructure mode), with the connection string shape of
/// Aspire's RabbitMQ container resource: <c>amqp://user:password@host:port</c>.
/// </summary>
public sealed class LocalRabbitMQResource(string name, string command, string workingDirectory, ParameterResource userName, ParameterResource password)
    : ExecutableResource(name, command, workingDirectory), IResourceWithConnectionString
{
    internal const string PrimaryEndpointName = "tcp";

    public ParameterResource UserNameParameter { get; } = userName;

    public ParameterResource PasswordParameter { get; } = password;

    public EndpointReference PrimaryEndpoint => new(this, PrimaryEndpointName);

    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create(
        $"amqp://{UserNameParameter}:{PasswordParameter}@{PrimaryEndpoint.Property(EndpointProperty.HostAndPort)}");
}
