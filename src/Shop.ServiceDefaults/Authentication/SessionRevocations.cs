using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Shop.ServiceDefaults.Authentication;

/// <summary>
/// Revocations of access tokens, shared through Redis: user-api records an ended session (logout, a
/// reused refresh token, a password change or reset) or an account whose older tokens are stale (its
/// roles changed), and every service refuses those tokens from then on. Each record lives in a sorted set
/// (read in full by every service every <see cref="ShopAuthenticationOptions.RevocationResyncInterval"/>)
/// and is announced on a pub/sub channel (heard within milliseconds).
/// </summary>
public sealed class SessionRevocations(
    IConnectionMultiplexer redis,
    RevokedSessions revoked,
    IOptions<ShopAuthenticationOptions> options,
    TimeProvider timeProvider,
    ILogger<SessionRevocations> logger)
{
    internal static readonly RedisChannel Channel = RedisChannel.Literal("shop:auth:revocations");
    private static readonly RedisKey SessionsKey = "shop:auth:revoked-sessions";
    private static readonly RedisKey AccountsKey = "shop:auth:stale-accounts";

    /// <summary>
    /// Ends the access tokens of these sessions everywhere. This replica refuses them at once; a failure
    /// to reach Redis is logged and leaves the other replicas accepting them until they expire.
    /// </summary>
    public async Task RevokeSessionsAsync(IReadOnlyCollection<Guid> sessionIds, CancellationToken cancellationToken)
    {
        if (sessionIds.Count == 0)
        {
            return;
        }

        var forgetAt = (timeProvider.GetUtcNow() + options.Value.RevocationRetention).ToUnixTimeSeconds();
        foreach (var sessionId in sessionIds)
        {
            revoked.AddSession(sessionId, forgetAt);
        }

        await ShareAsync(
            [.. sessionIds.Select(id => new SortedSetEntry(id.ToString("N"), forgetAt))],
            SessionsKey,
            [.. sessionIds.Select(id => Message(SessionPrefix, id, forgetAt))],
            cancellationToken);
    }

    /// <summary>
    /// Makes every token of the account issued until now stale (it is refused; a refresh gives one with
    /// the account's current roles). Tokens carry their issue time in whole seconds, so the mark is the
    /// next whole second: returns it, and tokens issued from then on are accepted.
    /// </summary>
    public async Task<DateTimeOffset> MarkTokensStaleAsync(Guid accountId, CancellationToken cancellationToken)
    {
        var staleBefore = timeProvider.GetUtcNow().ToUnixTimeSeconds() + 1;
        revoked.AddAccount(accountId, staleBefore);
        await ShareAsync([new SortedSetEntry(accountId.ToString("N"), staleBefore)], AccountsKey, [Message(AccountPrefix, accountId, staleBefore)], cancellationToken);
        return DateTimeOffset.FromUnixTimeSeconds(staleBefore);
    }

    /// <summary>Reads every live revocation into this replica's copy, and forgets the expired ones.</summary>
    internal async Task LoadAllAsync()
    {
        var retention = options.Value.RevocationRetention;
        var now = timeProvider.GetUtcNow();
        var database = redis.GetDatabase();
        var sessions = await database.SortedSetRangeByScoreWithScoresAsync(SessionsKey, start: now.ToUnixTimeSeconds());
        var accounts = await database.SortedSetRangeByScoreWithScoresAsync(AccountsKey, start: (now - retention).ToUnixTimeSeconds());
        foreach (var entry in sessions)
        {
            if (Guid.TryParseExact(entry.Element.ToString(), "N", out var sessionId))
            {
                revoked.AddSession(sessionId, (long)entry.Score);
            }
        }

        foreach (var entry in accounts)
        {
            if (Guid.TryParseExact(entry.Element.ToString(), "N", out var accountId))
            {
                revoked.AddAccount(accountId, (long)entry.Score);
            }
        }

        revoked.Prune(retention);
    }

    /// <summary>Applies one announcement from the channel.</summary>
    internal void Apply(RedisValue message)
    {
        var parts = message.ToString().Split(':');
        if (parts.Length != 3 || !Guid.TryParseExact(parts[1], "N", out var id)
            || !long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            return;
        }

        switch (parts[0])
        {
            case SessionPrefix:
                revoked.AddSession(id, value);
                break;
            case AccountPrefix:
                revoked.AddAccount(id, value);
                break;
        }
    }

    private const string SessionPrefix = "session";
    private const string AccountPrefix = "account";

    private static string Message(string prefix, Guid id, long value) =>
        string.Create(CultureInfo.InvariantCulture, $"{prefix}:{id:N}:{value}");

    private async Task ShareAsync(SortedSetEntry[] entries, RedisKey key, string[] messages, CancellationToken cancellationToken)
    {
        try
        {
            var database = redis.GetDatabase();
            // Keep the later value when an entry exists: a revocation is never shortened.
            await database.SortedSetAddAsync(key, entries, SortedSetWhen.GreaterThan).WaitAsync(cancellationToken);
            // Housekeeping: entries past their use go (sessions hold their expiry, accounts their mark).
            var oldestUseful = key == SessionsKey
                ? timeProvider.GetUtcNow().ToUnixTimeSeconds()
                : (timeProvider.GetUtcNow() - options.Value.RevocationRetention).ToUnixTimeSeconds();
            await database.SortedSetRemoveRangeByScoreAsync(key, double.NegativeInfinity, oldestUseful, Exclude.Stop).WaitAsync(cancellationToken);

            var subscriber = redis.GetSubscriber();
            foreach (var message in messages)
            {
                await subscriber.PublishAsync(Channel, message).WaitAsync(cancellationToken);
            }
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            // The change itself (in user-api's database) stands: refresh tokens are refused regardless.
            // Only other replicas' refusal of the access tokens waits for Redis (or their expiry).
            logger.LogWarning(ex, "Could not share {Count} token revocation(s) through Redis; other services accept those access tokens until they expire", entries.Length);
        }
    }
}
