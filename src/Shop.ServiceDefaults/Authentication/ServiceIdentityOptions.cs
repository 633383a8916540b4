using System.ComponentModel.DataAnnotations;

namespace Shop.ServiceDefaults.Authentication;

/// <summary>
/// A service's own identity for calling internal endpoints of other services (section
/// <c>Auth:ServiceIdentity</c>). The AppHost wires the client id, its secret parameter and the token endpoint.
/// </summary>
public sealed class ServiceIdentityOptions
{
    public const string SectionName = "Auth:ServiceIdentity";

    [Required]
    public string ClientId { get; set; } = "";

    [Required]
    [MinLength(16)]
    public string ClientSecret { get; set; } = "";

    /// <summary>
    /// user-api's client-credentials token endpoint, e.g. <c>https+http://user-api/api/auth/token</c>
    /// (resolved through service discovery). The AppHost passes it.
    /// </summary>
    [Required(ErrorMessage = "Auth:ServiceIdentity:TokenEndpoint is required: the address of user-api's token endpoint, which the AppHost passes as Auth__ServiceIdentity__TokenEndpoint.")]
    public string TokenEndpoint { get; set; } = "";
}
