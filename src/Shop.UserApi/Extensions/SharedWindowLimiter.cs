using System.Threading.RateLimiting;
using StackExchange.Redis;

namespace Shop.UserApi.Extensions;

/// <summary>
/// A fixed window of <c>permitLimit</c> requests per <c>window</c> for one key, counted in Redis so that
/// every replica of user-api draws on the same count: N replicas do not give a client N times the limit.
/// The window opens with the key's first request and ends when the Redis key expires (Redis's clock,
/// not the replicas'). When Redis does not answer, the replica falls back to a window of its own so that
/// sign-in keeps working and stays limited (per replica until Redis is back), rather than failing or
/// letting every attempt through.
/// </summary>
/// <remarks>
/// RedisRateLimiting was considered: it reads the replicas' clocks, reports Retry-After in a form the
/// ASP.NET Core metadata does not read, and turns a Redis outage into a failed request; this is one
/// script and a fallback.
/// </remarks>
internal sealed class SharedWindowLimiter(IConnectionMultiplexer redis, RedisKey key, int permitLimit, TimeSpan window, ILogger logger) : RateLimiter
{
    // Counts the request and starts the window on the first; answers the count and the window's remaining milliseconds.
    private const string CountScript = """
        local count = redis.call('INCR', KEYS[1])
        local ttl = redis.call('PTTL', KEYS[1])
        if ttl < 0 then
            redis.call('PEXPIRE', KEYS[1], ARGV[1])
            ttl = tonumber(ARGV[1])
        end
        return { count, ttl }
        """;

    private readonly FixedWindowRateLimiter _fallback = new(new FixedWindowRateLimiterOptions
    {
        PermitLimit = permitLimit,
        Window = window,
        QueueLimit = 0,
    });

    // Idle when this replica's own window is full again: the shared count lives in Redis, so dropping
    // this instance loses nothing.
    public override TimeSpan? IdleDuration => _fallback.IdleDuration;

    public override RateLimiterStatistics? GetStatistics() => _fallback.GetStatistics();

    // The rate limiting middleware tries this first and then waits on AcquireAsync: a shared count needs a round trip.
    protected override RateLimitLease AttemptAcquireCore(int permitCount) => Lease.NotYet;

    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
    {
        RedisResult[] answer;
        try
        {
            answer = (RedisResult[])(await redis.GetDatabase().ScriptEvaluateAsync(CountScript, [key], [(long)window.TotalMilliseconds]))!;
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            Log.SharedRateLimitUnavailable(logger, ex, key.ToString());
            return await _fallback.AcquireAsync(permitCount, cancellationToken);
        }

        var count = (long)answer[0];
        return count <= permitLimit ? Lease.Granted : Lease.Refused(TimeSpan.FromMilliseconds((long)answer[1]));
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _fallback.Dispose();
        }

        base.Dispose(disposing);
    }

    private sealed class Lease(bool acquired, TimeSpan? retryAfter) : RateLimitLease
    {
        public static readonly Lease Granted = new(true, null);
        public static readonly Lease NotYet = new(false, null);

        public static Lease Refused(TimeSpan retryAfter) => new(false, retryAfter);

        public override bool IsAcquired => acquired;

        public override IEnumerable<string> MetadataNames => retryAfter is null ? [] : [MetadataName.RetryAfter.Name];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = metadataName == MetadataName.RetryAfter.Name ? retryAfter : null;
            return metadata is not null;
        }
    }
}
