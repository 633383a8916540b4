using System.Globalization;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Shop.ServiceDefaults.Authentication;
using Shop.UserApi.Contracts;
using Shop.UserApi.Extensions;
using Shop.UserApi.Infrastructure;
using Shop.UserApi.Services;

namespace Shop.UserApi.Apis;

public static class AuthApi
{
    /// <summary>
    /// Names the logs of these endpoints ("Shop.UserApi.Apis.AuthApi.Endpoints"), since a static class cannot be
    /// <see cref="ILogger{TCategoryName}"/>'s type argument.
    /// </summary>
    public sealed class Endpoints;

    /// <summary>The only grant the token endpoint accepts (and so the only one the discovery document lists).</summary>
    public const string ClientCredentialsGrant = "client_credentials";

    public static IEndpointRouteBuilder MapAuthApi(this IEndpointRouteBuilder app)
    {
        var auth = app.MapGroup("/api/auth").WithTags("Authentication");

        auth.MapPost("/login", Login).AllowAnonymous().RequireSignInRateLimit();
        auth.MapPost("/refresh", Refresh).AllowAnonymous().RequireSignInRateLimit();
        auth.MapPost("/logout", Logout).RequireAuthorization(ShopPolicies.Customer);
        // OAuth 2.0 client credentials (RFC 6749 section 4.4): a form post, not a browser form, so no antiforgery.
        auth.MapPost("/token", IssueServiceToken).AllowAnonymous().DisableAntiforgery().RequireSignInRateLimit();
        auth.MapPost("/keys/rotate", RotateSigningKey).RequireAuthorization(ShopPolicies.Admin);

        return app;
    }

    public static async Task<Results<Ok<TokenPair>, ProblemHttpResult>> Login(
        LoginRequest request, SignInService signIn, HttpContext httpContext, CancellationToken cancellationToken)
    {
        var result = await signIn.SignInAsync(request.Email, request.Password, cancellationToken);
        if (result is SignInAttempt.SignedIn { Tokens: var tokens })
        {
            return TypedResults.Ok(tokens);
        }

        if (result is SignInAttempt.LockedOut { LockedFor: var lockedFor })
        {
            httpContext.Response.Headers.RetryAfter = ((int)Math.Ceiling(lockedFor.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            return TypedResults.Problem(
                title: "Sign-in temporarily locked",
                detail: "Too many failed attempts for this email address. Try again later.",
                statusCode: StatusCodes.Status423Locked);
        }

        return InvalidCredentials();
    }

    public static async Task<Results<Ok<TokenPair>, ProblemHttpResult>> Refresh(
        RefreshRequest request, SignInService signIn, CancellationToken cancellationToken)
    {
        var tokens = await signIn.RefreshAsync(request.RefreshToken, cancellationToken);
        return tokens is null
            ? TypedResults.Problem(title: "Refresh token not accepted", detail: "Sign in again.", statusCode: StatusCodes.Status401Unauthorized)
            : TypedResults.Ok(tokens);
    }

    /// <summary>Ends the caller's session: its refresh tokens stop working, and its access tokens are refused by every service.</summary>
    public static async Task<NoContent> Logout(ClaimsPrincipal principal, RefreshTokenService refreshTokens, CancellationToken cancellationToken)
    {
        if (principal.SessionId() is { } sessionId)
        {
            await refreshTokens.RevokeFamilyAsync(sessionId, cancellationToken);
        }

        return TypedResults.NoContent();
    }

    public static async Task<Results<Ok<ServiceTokenResponse>, ProblemHttpResult>> IssueServiceToken(
        [FromForm(Name = "grant_type")] string? grantType,
        [FromForm(Name = "client_id")] string? clientId,
        [FromForm(Name = "client_secret")] string? clientSecret,
        IOptions<ServiceClientOptions> clients,
        TokenIssuer tokenIssuer,
        UserMetrics metrics,
        ILogger<Endpoints> logger,
        CancellationToken cancellationToken)
    {
        if (grantType != ClientCredentialsGrant)
        {
            return OAuthError(StatusCodes.Status400BadRequest, "unsupported_grant_type", "Only the client_credentials grant is supported.");
        }

        if (string.IsNullOrEmpty(clientId) || string.IsNullOrEmpty(clientSecret)
            || !clients.Value.Clients.TryGetValue(clientId, out var client) || !SecretsMatch(clientSecret, client.Secret))
        {
            metrics.ServiceToken("refused");
            Log.ClientRefused(logger, clientId ?? "");
            return OAuthError(StatusCodes.Status401Unauthorized, "invalid_client", "Unknown client or wrong secret.");
        }

        var token = await tokenIssuer.IssueForServiceAsync(clientId, cancellationToken);
        metrics.ServiceToken("issued");
        return TypedResults.Ok(new ServiceTokenResponse(token.Value, token.ExpiresInSeconds));
    }

    /// <summary>Publishes a new signing key at once; it takes over signing after the activation delay.</summary>
    public static async Task<Ok<SigningKeyRotated>> RotateSigningKey(SigningKeyStore keys, UserDbContext db, CancellationToken cancellationToken)
    {
        var key = await keys.RotateAsync(db, cancellationToken);
        return TypedResults.Ok(new SigningKeyRotated(key.Id, key.ActivatesAt));
    }

    private static ProblemHttpResult InvalidCredentials() => TypedResults.Problem(
        title: "Invalid email or password",
        statusCode: StatusCodes.Status401Unauthorized);

    private static ProblemHttpResult OAuthError(int statusCode, string error, string description) => TypedResults.Problem(
        title: description,
        statusCode: statusCode,
        extensions: new Dictionary<string, object?> { ["error"] = error });

    /// <summary>Compares in constant time, whatever the lengths.</summary>
    private static bool SecretsMatch(string presented, string expected) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));
}
