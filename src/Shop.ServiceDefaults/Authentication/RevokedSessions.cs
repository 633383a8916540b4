using System.Collections.Concurrent;
using System.Security.Claims;

namespace Shop.ServiceDefaults.Authentication;

/// <summary>
/// This replica's copy of the ended sessions and of the accounts whose older tokens are stale, consulted
/// for every token that passes signature and lifetime checks. Lookups are in memory (no network round
/// trip per request); <see cref="SessionRevocationListener"/> keeps the copy current from Redis.
/// Entries only ever get added (a revocation is never undone) and are dropped once every token they
/// could refuse has expired.
/// </summary>
public sealed class RevokedSessions(TimeProvider timeProvider)
{
    // Session id → when the entry may be forgotten (Unix seconds).
    private readonly ConcurrentDictionary<Guid, long> _sessions = new();

    // Account id → tokens issued before this (Unix seconds) are stale.
    private readonly ConcurrentDictionary<Guid, long> _accounts = new();

    /// <summary>Whether a validated token must still be refused: its session ended, or it predates a change to its account.</summary>
    public bool Refuses(ClaimsPrincipal principal)
    {
        if (Guid.TryParse(principal.FindFirstValue(ShopClaims.SessionId), out var sessionId) && _sessions.ContainsKey(sessionId))
        {
            return true;
        }

        if (principal.AccountId() is { } accountId && _accounts.TryGetValue(accountId, out var staleBefore))
        {
            // A token without a readable issue time cannot prove it is newer than the change.
            return !long.TryParse(principal.FindFirstValue(ShopClaims.IssuedAt), out var issuedAt) || issuedAt < staleBefore;
        }

        return false;
    }

    public void AddSession(Guid sessionId, long forgetAt) => _sessions.AddOrUpdate(sessionId, forgetAt, (_, existing) => Math.Max(existing, forgetAt));

    public void AddAccount(Guid accountId, long staleBefore) => _accounts.AddOrUpdate(accountId, staleBefore, (_, existing) => Math.Max(existing, staleBefore));

    /// <summary>Forgets entries that can no longer refuse a live token.</summary>
    public void Prune(TimeSpan retention)
    {
        var now = timeProvider.GetUtcNow().ToUnixTimeSeconds();
        foreach (var (sessionId, forgetAt) in _sessions)
        {
            if (forgetAt < now)
            {
                // Only the entry as read: a later revocation of the same session (raised meanwhile) stays.
                _sessions.TryRemove(new KeyValuePair<Guid, long>(sessionId, forgetAt));
            }
        }

        var oldestUseful = now - (long)retention.TotalSeconds;
        foreach (var (accountId, staleBefore) in _accounts)
        {
            if (staleBefore < oldestUseful)
            {
                // Only the mark as read: a newer mark (a role change announced meanwhile) stays.
                _accounts.TryRemove(new KeyValuePair<Guid, long>(accountId, staleBefore));
            }
        }
    }
}
