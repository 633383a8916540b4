using System.ComponentModel.DataAnnotations;

namespace Shop.ServiceDefaults.Authentication;

/// <summary>
/// A service's own identity for calling internal endpoints of other services (section
/// <c>Auth:ServiceIdentity</c>). The AppHost wires the client id and its secret parameter.
/// </summary>
public sealed class ServiceIdentityOptions
{
    public const string SectionName = "Auth:ServiceIdentity";

    [Required]
    public string ClientId { get; set; } = "";

    [Required]
    [MinLength(16)]
    public string ClientSecret { get; set; } = "";

    /// <summary>user-api's client-credentials token endpoint; resolved through service discovery.</summary>
    [Required]
    public string TokenEndpoint { get; set; } = "https+http://user-api/api/auth/token";
}
