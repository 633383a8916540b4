using System.ComponentModel.DataAnnotations;

namespace Shop.UserApi;

/// <summary>Services allowed to obtain service tokens: <c>Auth:Clients:{clientId}:Secret</c>.</summary>
public sealed class ServiceClientOptions
{
    public const string SectionName = "Auth";

    public Dictionary<string, ServiceClient> Clients { get; set; } = new(StringComparer.Ordinal);
}

public sealed class ServiceClient
{
    [Required]
    [MinLength(16)]
    public string Secret { get; set; } = "";
}
