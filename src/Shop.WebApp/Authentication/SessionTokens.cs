using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using Shop.WebApp.Clients;
using StackExchange.Redis;

namespace Shop.WebApp.Authentication;

/// <summary>A signed-in browser's tokens from user-api, and when the access token stops being accepted.</summary>
public sealed record SessionTokens(string AccessToken, string RefreshToken, DateTimeOffset AccessTokenExpiresAt);

/// <summary>
/// The tokens of every session, server side in Redis (shared by the web app's replicas), encrypted with the app's data
/// protection keys: the browser's cookie carries only the session's id, so no script and no stolen cookie backup
/// reveals a token. Kept apart from the cookie's ticket so that nothing the cookie middleware writes can put an old
/// refresh token back. Redis being away or timing out is <see cref="ServiceUnavailableException"/> (the "try again" page), like any
/// other dependency.
/// </summary>
public sealed class SessionTokenStore(IConnectionMultiplexer redis, IDataProtectionProvider dataProtection)
{
    /// <summary>How long a session lives without a refresh: user-api's refresh tokens live 14 days.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(14);

    private readonly IDataProtector _protector = dataProtection.CreateProtector("Shop.WebApp.SessionTokens.v1");

    public async Task<SessionTokens?> GetAsync(string sessionId)
    {
        var value = await GuardAsync(() => redis.GetDatabase().StringGetAsync(Key(sessionId)));
        if (value.IsNullOrEmpty)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<SessionTokens>(_protector.Unprotect((byte[])value!));
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            // Written with a key this app no longer has: as good as signed out.
            return null;
        }
    }

    public Task<bool> ExistsAsync(string sessionId) => GuardAsync(() => redis.GetDatabase().KeyExistsAsync(Key(sessionId)));

    public Task SetAsync(string sessionId, SessionTokens tokens) =>
        GuardAsync(() => redis.GetDatabase().StringSetAsync(Key(sessionId), _protector.Protect(JsonSerializer.SerializeToUtf8Bytes(tokens)), Lifetime));

    /// <summary>Replaces the tokens of a session that still exists: false when it ended meanwhile (signed out in another tab).</summary>
    public Task<bool> ReplaceAsync(string sessionId, SessionTokens tokens) =>
        GuardAsync(() => redis.GetDatabase().StringSetAsync(
            Key(sessionId), _protector.Protect(JsonSerializer.SerializeToUtf8Bytes(tokens)), Lifetime, When.Exists));

    public Task RemoveAsync(string sessionId) => GuardAsync(() => redis.GetDatabase().KeyDeleteAsync(Key(sessionId)));

    /// <summary>Whoever holds this lock may exchange the session's refresh token; everyone else waits for the result.</summary>
    public Task<bool> TryLockRefreshAsync(string sessionId, string owner, TimeSpan expiry) =>
        GuardAsync(() => redis.GetDatabase().LockTakeAsync(RefreshLockKey(sessionId), owner, expiry));

    public Task ReleaseRefreshLockAsync(string sessionId, string owner) =>
        GuardAsync(() => redis.GetDatabase().LockReleaseAsync(RefreshLockKey(sessionId), owner));

    private static async Task<T> GuardAsync<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (Exception e) when (e is RedisException or RedisTimeoutException)
        {
            throw new ServiceUnavailableException("cache", null, e);
        }
    }

    private static RedisKey Key(string sessionId) => $"webapp:session:{sessionId}";

    private static RedisKey RefreshLockKey(string sessionId) => $"webapp:session:{sessionId}:refreshing";
}
