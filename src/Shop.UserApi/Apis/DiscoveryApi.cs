using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using Shop.ServiceDefaults.Authentication;
using Shop.UserApi.Services;

namespace Shop.UserApi.Apis;

/// <summary>The public keys and metadata any service (or anyone) needs to validate Shop's tokens.</summary>
public static class DiscoveryApi
{
    public static IEndpointRouteBuilder MapDiscoveryApi(this IEndpointRouteBuilder app)
    {
        var wellKnown = app.MapGroup("/.well-known").WithTags("Discovery").AllowAnonymous();
        wellKnown.MapGet("/openid-configuration", GetConfiguration);
        wellKnown.MapGet("/jwks.json", GetKeySet);
        return app;
    }

    /// <summary>
    /// The URLs come from configuration (<c>Auth:PublicBaseUrl</c>, set by the AppHost), never from the
    /// request's Host or X-Forwarded-* headers, which a client chooses. The grants are exactly those the
    /// token endpoint accepts; password sign-in and refresh are Shop's own JSON endpoints, not OAuth grants.
    /// </summary>
    public static Ok<OpenIdConfiguration> GetConfiguration(IOptions<ShopAuthenticationOptions> options, IOptions<DiscoveryOptions> discovery)
    {
        var baseUrl = discovery.Value.PublicBaseUrl!.TrimEnd('/');
        return TypedResults.Ok(new OpenIdConfiguration(
            options.Value.Issuer,
            $"{baseUrl}/.well-known/jwks.json",
            $"{baseUrl}/api/auth/token",
            [AuthApi.ClientCredentialsGrant],
            [SecurityAlgorithms.EcdsaSha256]));
    }

    public static async Task<Ok<JsonWebKeySetDocument>> GetKeySet(SigningKeyStore keys, HttpResponse response, CancellationToken cancellationToken)
    {
        var published = await keys.GetPublishedKeysAsync(cancellationToken);
        // Short enough that a rotated key reaches every cache well before tokens signed with it are common.
        response.Headers.CacheControl = "public, max-age=60";
        return TypedResults.Ok(new JsonWebKeySetDocument([.. published.Select(key => new PublicJsonWebKey(
            Kty: "EC",
            Use: "sig",
            Alg: SecurityAlgorithms.EcdsaSha256,
            Kid: key.Id,
            Crv: "P-256",
            X: Base64UrlEncoder.Encode(key.PublicParameters.Q.X),
            Y: Base64UrlEncoder.Encode(key.PublicParameters.Q.Y)))]));
    }
}

public sealed record OpenIdConfiguration(
    [property: System.Text.Json.Serialization.JsonPropertyName("issuer")] string Issuer,
    [property: System.Text.Json.Serialization.JsonPropertyName("jwks_uri")] string JwksUri,
    [property: System.Text.Json.Serialization.JsonPropertyName("token_endpoint")] string TokenEndpoint,
    [property: System.Text.Json.Serialization.JsonPropertyName("grant_types_supported")] IReadOnlyList<string> GrantTypesSupported,
    [property: System.Text.Json.Serialization.JsonPropertyName("id_token_signing_alg_values_supported")] IReadOnlyList<string> SigningAlgorithms);

public sealed record JsonWebKeySetDocument([property: System.Text.Json.Serialization.JsonPropertyName("keys")] IReadOnlyList<PublicJsonWebKey> Keys);

/// <summary>Only public members of an EC key: there is no field a private part could leak through.</summary>
public sealed record PublicJsonWebKey(
    [property: System.Text.Json.Serialization.JsonPropertyName("kty")] string Kty,
    [property: System.Text.Json.Serialization.JsonPropertyName("use")] string Use,
    [property: System.Text.Json.Serialization.JsonPropertyName("alg")] string Alg,
    [property: System.Text.Json.Serialization.JsonPropertyName("kid")] string Kid,
    [property: System.Text.Json.Serialization.JsonPropertyName("crv")] string Crv,
    [property: System.Text.Json.Serialization.JsonPropertyName("x")] string X,
    [property: System.Text.Json.Serialization.JsonPropertyName("y")] string Y);
