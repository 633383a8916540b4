using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace Shop.UserApi.Contracts;

public sealed record LoginRequest(
    [property: Required, MaxLength(254)] string Email,
    [property: Required, MaxLength(AcceptablePasswordAttribute.MaxLength)] string Password);

public sealed record RefreshRequest([property: Required, MaxLength(200)] string RefreshToken);

/// <summary>An access token (a JWT for the <c>Authorization: Bearer</c> header) and the refresh token that renews it.</summary>
public sealed record TokenPair(string AccessToken, string RefreshToken, int ExpiresIn, string TokenType = "Bearer");

/// <summary>The client-credentials answer, named as RFC 6749 section 5.1 names it.</summary>
public sealed record ServiceTokenResponse(
    [property: JsonPropertyName("access_token")] string AccessToken,
    [property: JsonPropertyName("expires_in")] int ExpiresIn,
    [property: JsonPropertyName("token_type")] string TokenType = "Bearer");

public sealed record SigningKeyRotated(string KeyId, DateTimeOffset ActivatesAt);
