using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Shop.ServiceDefaults.Authentication;

/// <summary>
/// Keeps this replica's <see cref="RevokedSessions"/> current: each revocation is applied as soon as its
/// announcement arrives, and everything is re-read every
/// <see cref="ShopAuthenticationOptions.RevocationResyncInterval"/>, so a missed announcement (a dropped
/// connection, a replica that just started) is made good within that interval once Redis answers.
/// </summary>
internal sealed class SessionRevocationListener(
    IConnectionMultiplexer redis,
    SessionRevocations revocations,
    IOptions<ShopAuthenticationOptions> options,
    TimeProvider timeProvider,
    ILogger<SessionRevocationListener> logger) : PeriodicBackgroundService(timeProvider, logger)
{
    private bool _subscribed;

    protected override TimeSpan Interval => options.Value.RevocationResyncInterval;

    protected override bool RunAtStart => true;

    protected override async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        if (!_subscribed)
        {
            // The multiplexer renews the subscription by itself after a reconnect.
            await redis.GetSubscriber().SubscribeAsync(SessionRevocations.Channel, (_, message) => revocations.Apply(message));
            _subscribed = true;
        }

        await revocations.LoadAllAsync().WaitAsync(cancellationToken);
    }
}
