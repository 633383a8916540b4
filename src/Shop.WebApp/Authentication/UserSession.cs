using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Shop.ServiceDefaults.Authentication;
using Shop.WebApp.Clients;

namespace Shop.WebApp.Authentication;

/// <summary>
/// The signed-in user's session as the pages use it: signing in and out, and the access token for an API call,
/// refreshed shortly before it expires. One refresh per rotation: user-api treats a refresh token presented twice as
/// stolen and ends the session, so concurrent requests of one browser (on any replica) wait for the one that holds the
/// session's refresh lock instead of refreshing themselves.
/// </summary>
public sealed class UserSession(
    IHttpContextAccessor httpContextAccessor,
    AuthenticationStateProvider authenticationState,
    SessionTokenStore store,
    IdentityClient identity,
    TimeProvider timeProvider,
    ILogger<UserSession> logger)
{
    /// <summary>The claim that names the session whose tokens <see cref="SessionTokenStore"/> keeps.</summary>
    public const string SessionClaim = "shop:session";

    /// <summary>Access tokens are refreshed when they have less than this left, so that none expires on its way to an API.</summary>
    public static readonly TimeSpan RefreshMargin = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Longer than its holder can take (a Redis read and write, 5 s each at most, around user-api's refresh, 10 s at most):
    /// a lock that expired under its holder would let another request present the same refresh token.
    /// </summary>
    private static readonly TimeSpan RefreshLockExpiry = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan RefreshWait = TimeSpan.FromSeconds(10);

    private SessionTokens? _current;

    /// <summary>Signs the browser in with tokens user-api has just issued; the cookie names the session, Redis keeps the tokens.</summary>
    public static async Task SignInAsync(
        HttpContext httpContext, SessionTokenStore store, IdentityClient identity, TokenPair tokens, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        var profile = await identity.GetProfileAsync(tokens.AccessToken, cancellationToken);
        var sessionId = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));
        await store.SetAsync(sessionId, ToSessionTokens(tokens, timeProvider));

        List<Claim> claims =
        [
            new(SessionClaim, sessionId),
            new(ClaimTypes.NameIdentifier, profile.Id.ToString()),
            new(ClaimTypes.Name, profile.DisplayName),
            new(ClaimTypes.Email, profile.Email),
            .. profile.Roles.Select(role => new Claim(ClaimTypes.Role, role)),
        ];
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, CookieAuthenticationDefaults.AuthenticationScheme));
        await httpContext.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, principal);
    }

    /// <summary>The access token to call an API as the user, refreshed when it is about to expire.</summary>
    /// <exception cref="SessionExpiredException">There is no session, or user-api ended it.</exception>
    public async Task<string> GetAccessTokenAsync(CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        if (_current is { } current && current.AccessTokenExpiresAt - now > RefreshMargin)
        {
            return current.AccessToken;
        }

        var sessionId = await SessionIdAsync() ?? throw new SessionExpiredException();
        var tokens = await store.GetAsync(sessionId) ?? throw new SessionExpiredException();
        if (tokens.AccessTokenExpiresAt - now <= RefreshMargin)
        {
            // Never cut short by the caller (a navigation away, a closed circuit): a refresh user-api has made but whose
            // answer this app dropped would leave a used refresh token here, and the next one would end the session.
            tokens = await RefreshAsync(sessionId, tokens, CancellationToken.None);
            await EndIfRolesChangedAsync(sessionId, tokens);
        }

        _current = tokens;
        return tokens.AccessToken;
    }

    /// <summary>Ends the session here (the cookie stops working on its next request); user-api already ended it.</summary>
    public async Task EndAsync()
    {
        _current = null;
        if (await SessionIdAsync() is { } sessionId)
        {
            await store.RemoveAsync(sessionId);
        }
    }

    /// <summary>Signs out: the session at user-api (with a fresh access token if need be), its tokens here, and the browser's cookie.</summary>
    public async Task SignOutAsync(HttpContext httpContext, CancellationToken cancellationToken)
    {
        if (SessionId(httpContext.User) is { } sessionId)
        {
            try
            {
                if (await store.GetAsync(sessionId) is { } tokens)
                {
                    if (tokens.AccessTokenExpiresAt - timeProvider.GetUtcNow() <= RefreshMargin)
                    {
                        tokens = await RefreshAsync(sessionId, tokens, CancellationToken.None);
                    }

                    await identity.SignOutAsync(tokens.AccessToken, cancellationToken);
                }
            }
            catch (SessionExpiredException)
            {
                // user-api had ended it already.
            }
            catch (ServiceUnavailableException e)
            {
                // The browser is signed out either way; the refresh token, which this app forgets now, expires by itself.
                Log.SignOutNotReported(logger, e.Status, e);
            }

            await store.RemoveAsync(sessionId);
        }

        _current = null;
        await httpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
    }

    public static string? SessionId(ClaimsPrincipal principal) => principal.FindFirstValue(SessionClaim);

    /// <summary>
    /// The cookie carries the roles the account had at sign-in; a refreshed token carries its roles now. When an
    /// administrator changed them, the session ends (at user-api too), and the person signs in again: the pages never
    /// offer what the APIs refuse, nor hide what they allow. (A token older than the change is refused by the APIs with
    /// a 401, which ends the session as well; this covers a session that was idle past its token's expiry.)
    /// </summary>
    private async Task EndIfRolesChangedAsync(string sessionId, SessionTokens tokens)
    {
        var signedInWith = (await UserAsync()).FindAll(ClaimTypes.Role).Select(claim => claim.Value).ToHashSet(StringComparer.Ordinal);
        if (signedInWith.SetEquals(new JsonWebToken(tokens.AccessToken).Claims.Where(c => c.Type == ShopClaims.Role).Select(c => c.Value)))
        {
            return;
        }

        Log.RolesChanged(logger);
        _current = null;
        try
        {
            await identity.SignOutAsync(tokens.AccessToken, CancellationToken.None);
        }
        catch (ServiceUnavailableException e)
        {
            Log.SignOutNotReported(logger, e.Status, e);
        }

        await store.RemoveAsync(sessionId);
        throw new SessionExpiredException();
    }

    private async Task<SessionTokens> RefreshAsync(string sessionId, SessionTokens stale, CancellationToken cancellationToken)
    {
        var owner = Guid.NewGuid().ToString("N");
        var deadline = timeProvider.GetUtcNow() + RefreshWait;
        while (true)
        {
            if (await store.TryLockRefreshAsync(sessionId, owner, RefreshLockExpiry))
            {
                try
                {
                    return await RefreshHoldingLockAsync(sessionId, cancellationToken);
                }
                finally
                {
                    await ReleaseRefreshLockAsync(sessionId, owner);
                }
            }

            // Another request of this session is refreshing: use what it stores.
            await Task.Delay(TimeSpan.FromMilliseconds(100), timeProvider, cancellationToken);
            var latest = await store.GetAsync(sessionId) ?? throw new SessionExpiredException();
            if (latest.AccessTokenExpiresAt > stale.AccessTokenExpiresAt)
            {
                return latest;
            }

            if (timeProvider.GetUtcNow() > deadline)
            {
                throw new ServiceUnavailableException("user-api", null, new TimeoutException("The session's token refresh did not finish."));
            }
        }
    }

    /// <summary>A lock that cannot be released now expires by itself; failing here would hide the refresh's outcome.</summary>
    private async Task ReleaseRefreshLockAsync(string sessionId, string owner)
    {
        try
        {
            await store.ReleaseRefreshLockAsync(sessionId, owner);
        }
        catch (ServiceUnavailableException e)
        {
            Log.RefreshLockNotReleased(logger, e);
        }
    }

    private async Task<SessionTokens> RefreshHoldingLockAsync(string sessionId, CancellationToken cancellationToken)
    {
        // Read again under the lock: the request that held it before may have refreshed already.
        var tokens = await store.GetAsync(sessionId) ?? throw new SessionExpiredException();
        var now = timeProvider.GetUtcNow();
        if (tokens.AccessTokenExpiresAt - now > RefreshMargin)
        {
            return tokens;
        }

        ApiResult<TokenPair> answer;
        try
        {
            answer = await identity.RefreshAsync(tokens.RefreshToken, cancellationToken);
        }
        catch (ServiceUnavailableException) when (tokens.AccessTokenExpiresAt > now)
        {
            // user-api is away for a moment: the current token still works for a little while.
            return tokens;
        }

        switch (answer)
        {
            case ApiResult<TokenPair>.Ok ok:
                var refreshed = ToSessionTokens(ok.Value, timeProvider);
                if (!await store.ReplaceAsync(sessionId, refreshed))
                {
                    // Signed out (in another tab) while this refresh ran: storing the new pair would bring the session back.
                    throw new SessionExpiredException();
                }

                return refreshed;
            case ApiResult<TokenPair>.Refused { Problem.Status: StatusCodes.Status401Unauthorized } refused:
                // Reused, revoked (signed out everywhere, password changed) or expired: the session is over.
                Log.RefreshRefused(logger, refused.Problem.Status);
                await store.RemoveAsync(sessionId);
                throw new SessionExpiredException();
            case ApiResult<TokenPair>.Refused refused when tokens.AccessTokenExpiresAt > now:
                // Not a verdict on the session (429: the sign-in limit of this address is used up): keep it, and the token
                // that still works.
                Log.RefreshPostponed(logger, refused.Problem.Status);
                return tokens;
            case ApiResult<TokenPair>.Refused refused:
                Log.RefreshPostponed(logger, refused.Problem.Status);
                throw new ServiceUnavailableException("user-api", refused.Problem.Status);
            default:
                throw new InvalidOperationException("Unknown result.");
        }
    }

    private async Task<string?> SessionIdAsync() => SessionId(await UserAsync());

    /// <summary>The browser's cookie: a page request has its HttpContext; an interactive component's circuit has the state it started with.</summary>
    private async Task<ClaimsPrincipal> UserAsync() =>
        httpContextAccessor.HttpContext is { } httpContext ? httpContext.User : (await authenticationState.GetAuthenticationStateAsync()).User;

    private static SessionTokens ToSessionTokens(TokenPair tokens, TimeProvider timeProvider) =>
        new(tokens.AccessToken, tokens.RefreshToken, timeProvider.GetUtcNow().AddSeconds(tokens.ExpiresIn));
}
