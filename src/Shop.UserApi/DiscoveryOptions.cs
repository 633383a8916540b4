using System.ComponentModel.DataAnnotations;

namespace Shop.UserApi;

/// <summary>
/// How user-api is reached from outside (section <c>Auth</c>): the base of the absolute URLs in its
/// discovery document. The AppHost sets it from user-api's endpoint; it is never taken from a request.
/// </summary>
public sealed class DiscoveryOptions
{
    public const string SectionName = "Auth";

    [Required]
    [Url]
    public string? PublicBaseUrl { get; set; }
}
