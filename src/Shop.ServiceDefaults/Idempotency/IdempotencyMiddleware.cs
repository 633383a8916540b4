using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Shop.ServiceDefaults.Authentication;

namespace Shop.ServiceDefaults.Idempotency;

/// <summary>
/// Stripe-style idempotency for endpoints marked with <see cref="IdempotencyEndpointExtensions.RequireIdempotencyKey"/>:
/// the first request with a key executes and its response is stored; a replay gets that response; the
/// same key with a different request is a 422; a concurrent request with the key waits for the first
/// and then gets its response (or a 409 if it takes too long) and never executes itself. Requests that
/// failed validation (400) or on the server (5xx) store nothing, so they can be retried with the key.
/// </summary>
internal sealed partial class IdempotencyMiddleware<TContext>(
    RequestDelegate next, IOptions<IdempotencyOptions> options, TimeProvider timeProvider, ILogger<IdempotencyMiddleware<TContext>> logger)
    where TContext : DbContext
{
    private const string HeaderName = IdempotencyHeaders.Key;
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    public async Task InvokeAsync(HttpContext context, TContext db, IProblemDetailsService problems)
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<IdempotentEndpointMetadata>() is null)
        {
            await next(context);
            return;
        }

        var key = context.Request.Headers[HeaderName].ToString();
        if (key.Length is 0 or > IdempotencyRecord.KeyMaxLength || key.Any(c => c is < '!' or > '~'))
        {
            await WriteProblemAsync(context, problems, StatusCodes.Status400BadRequest, "Idempotency-Key required",
                $"Send a unique {HeaderName} header (1 to {IdempotencyRecord.KeyMaxLength} visible ASCII characters) with this request; retries use the same key.");
            return;
        }

        var settings = options.Value;
        var fingerprint = await FingerprintAsync(context.Request, settings);
        if (fingerprint is null)
        {
            await WriteProblemAsync(context, problems, StatusCodes.Status413PayloadTooLarge, "Request too large", null);
            return;
        }

        var scope = context.User.FindFirstValue(ShopClaims.Subject) ?? "anonymous";
        var waitUntil = timeProvider.GetUtcNow() + settings.WaitForConcurrent;
        // The caller may give up; the outcome of a request that started must still be recorded.
        var ct = CancellationToken.None;
        var owner = Guid.NewGuid();
        while (true)
        {
            // Leases are stamped and compared with the database's clock, never a replica's own: two
            // replicas whose clocks disagree still agree on whether a lease has run out.
            var claimed = await db.Database.ExecuteSqlAsync($"""
                INSERT INTO idempotency_records (scope, key, request_fingerprint, completed, owner, locked_until, created_at)
                VALUES ({scope}, {key}, {fingerprint}, FALSE, {owner}, clock_timestamp() + {settings.Lease}, clock_timestamp())
                ON CONFLICT (scope, key) DO NOTHING
                """, ct) == 1;
            if (claimed)
            {
                await ExecuteAndRecordAsync(context, db, scope, key, owner, settings);
                return;
            }

            var existing = await db.Set<IdempotencyRecord>().AsNoTracking().SingleOrDefaultAsync(r => r.Scope == scope && r.Key == key, ct);
            if (existing is null)
            {
                // Deleted in between (the first request failed and released the key): claim it again.
                continue;
            }

            if (!CryptographicOperations.FixedTimeEquals(existing.RequestFingerprint, fingerprint))
            {
                await WriteProblemAsync(context, problems, StatusCodes.Status422UnprocessableEntity, "Idempotency-Key reused",
                    $"This {HeaderName} was used for a different request. Use a new key for a new request.");
                return;
            }

            if (existing.Completed)
            {
                await ReplayAsync(context, existing);
                return;
            }

            // If the request that owned the key died without finishing (its lease ran out), take over, once.
            var takenOver = await db.Database.ExecuteSqlAsync($"""
                UPDATE idempotency_records SET owner = {owner}, locked_until = clock_timestamp() + {settings.Lease}
                WHERE scope = {scope} AND key = {key} AND NOT completed AND owner = {existing.Owner} AND locked_until <= clock_timestamp()
                """, ct) == 1;
            if (takenOver)
            {
                LogTakenOver(logger, key);
                await ExecuteAndRecordAsync(context, db, scope, key, owner, settings);
                return;
            }

            if (timeProvider.GetUtcNow() >= waitUntil)
            {
                context.Response.Headers.RetryAfter = "1";
                await WriteProblemAsync(context, problems, StatusCodes.Status409Conflict, "A request with this Idempotency-Key is in progress",
                    "Retry shortly with the same key to get its result.");
                return;
            }

            await Task.Delay(PollInterval, timeProvider, context.RequestAborted).ConfigureAwait(false);
        }
    }

    private async Task ExecuteAndRecordAsync(HttpContext context, TContext db, string scope, string key, Guid owner, IdempotencyOptions settings)
    {
        var originalBody = context.Response.Body;
        using var captured = new MemoryStream();
        context.Response.Body = captured;
        // The operation runs to its end even if the caller hangs up: its retry will want the outcome.
        var clientAborted = context.RequestAborted;
        context.RequestAborted = CancellationToken.None;
        var records = db.Set<IdempotencyRecord>();
        var mine = records.Where(r => r.Scope == scope && r.Key == key && r.Owner == owner);

        // While the operation runs, keep the lease alive, so that a long request is never mistaken for a
        // dead one and executed a second time. Renewal uses its own connection (a scoped DbContext is
        // not thread-safe); the owner check makes a renewal after losing the key do nothing.
        using var renewal = new CancellationTokenSource();
        var renewing = RenewLeaseAsync(context.RequestServices, scope, key, owner, settings, renewal.Token);
        try
        {
            await next(context);
        }
        catch
        {
            await StopRenewingAsync(renewal, renewing);
            await mine.ExecuteDeleteAsync(CancellationToken.None);
            throw;
        }
        finally
        {
            context.Response.Body = originalBody;
            context.RequestAborted = clientAborted;
        }

        await StopRenewingAsync(renewal, renewing);
        var status = context.Response.StatusCode;
        if (IsFinal(status) && !context.Response.Headers.ContainsKey(Microsoft.Net.Http.Headers.HeaderNames.RetryAfter))
        {
            var body = captured.ToArray();
            var contentType = context.Response.ContentType;
            var location = context.Response.Headers.Location.ToString();
            var completed = await mine.ExecuteUpdateAsync(s => s
                .SetProperty(r => r.Completed, true)
                .SetProperty(r => r.ResponseStatus, status)
                .SetProperty(r => r.ResponseContentType, contentType)
                .SetProperty(r => r.ResponseLocation, location.Length > 0 ? location : null)
                .SetProperty(r => r.ResponseBody, body), CancellationToken.None);
            if (completed == 0)
            {
                LogLostKey(logger, key);
            }
        }
        else
        {
            await mine.ExecuteDeleteAsync(CancellationToken.None);
        }

        if (!clientAborted.IsCancellationRequested)
        {
            captured.Position = 0;
            await captured.CopyToAsync(originalBody, clientAborted);
        }
    }

    /// <summary>
    /// Renews the lease every third of its length until the request ends. A renewal that fails (the
    /// database briefly unreachable) is retried sooner rather than given up: one lost renewal must not
    /// let a retry execute the request a second time while it still runs. Only a lease already taken
    /// over (possible only after it ran out) ends the renewals.
    /// </summary>
    private async Task RenewLeaseAsync(IServiceProvider services, string scope, string key, Guid owner, IdempotencyOptions settings, CancellationToken stop)
    {
        var delay = settings.Lease / 3;
        try
        {
            while (true)
            {
                await Task.Delay(delay, timeProvider, stop);
                try
                {
                    await using var scopeServices = services.GetRequiredService<IServiceScopeFactory>().CreateAsyncScope();
                    var renewed = await scopeServices.ServiceProvider.GetRequiredService<TContext>().Database.ExecuteSqlAsync($"""
                        UPDATE idempotency_records SET locked_until = clock_timestamp() + {settings.Lease}
                        WHERE scope = {scope} AND key = {key} AND owner = {owner} AND NOT completed
                        """, stop);
                    if (renewed == 0)
                    {
                        LogLostKey(logger, key);
                        return;
                    }

                    delay = settings.Lease / 3;
                }
                catch (Exception ex) when (!stop.IsCancellationRequested)
                {
                    LogRenewalFailed(logger, ex, key);
                    delay = settings.Lease / 10;
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    private static async Task StopRenewingAsync(CancellationTokenSource renewal, Task renewing)
    {
        await renewal.CancelAsync();
        await renewing;
    }

    /// <summary>
    /// Outcomes worth replaying: everything the endpoint decided (2xx, and 4xx such as a decline, a
    /// conflict or a not-found), but not a rejected request (400), a timeout or throttle, a server error,
    /// or any answer that says to retry (Retry-After), such as "in progress".
    /// </summary>
    private static bool IsFinal(int status) =>
        status is >= 200 and < 500 and not StatusCodes.Status400BadRequest and not StatusCodes.Status408RequestTimeout and not StatusCodes.Status429TooManyRequests;

    private static async Task ReplayAsync(HttpContext context, IdempotencyRecord record)
    {
        var response = context.Response;
        response.StatusCode = record.ResponseStatus ?? StatusCodes.Status200OK;
        response.Headers[IdempotencyHeaders.Replayed] = "true";
        if (record.ResponseContentType is { } contentType)
        {
            response.ContentType = contentType;
        }

        if (record.ResponseLocation is { } location)
        {
            response.Headers.Location = location;
        }

        if (record.ResponseBody is { Length: > 0 } body)
        {
            await response.Body.WriteAsync(body, context.RequestAborted);
        }
    }

    private static async Task<byte[]?> FingerprintAsync(HttpRequest request, IdempotencyOptions settings)
    {
        if (request.ContentLength > settings.MaxRequestBodyBytes)
        {
            return null;
        }

        // Buffered without a limit of its own (which would throw), bounded by the count below.
        request.EnableBuffering();
        using var hmac = new HMACSHA256(Encoding.UTF8.GetBytes(settings.FingerprintSecret));
        var head = Encoding.UTF8.GetBytes($"{request.Method}\n{request.Path}{request.QueryString}\n");
        hmac.TransformBlock(head, 0, head.Length, null, 0);

        var buffer = new byte[8192];
        long total = 0;
        int read;
        while ((read = await request.Body.ReadAsync(buffer, request.HttpContext.RequestAborted)) > 0)
        {
            total += read;
            if (total > settings.MaxRequestBodyBytes)
            {
                return null;
            }

            hmac.TransformBlock(buffer, 0, read, null, 0);
        }

        hmac.TransformFinalBlock([], 0, 0);
        request.Body.Position = 0;
        return hmac.Hash;
    }

    private static Task WriteProblemAsync(HttpContext context, IProblemDetailsService problems, int status, string title, string? detail)
    {
        context.Response.StatusCode = status;
        return problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        }).AsTask();
    }

    [LoggerMessage(1, LogLevel.Warning, "Idempotency key {Key} was held by a request that never finished; a retry takes it over")]
    private static partial void LogTakenOver(ILogger logger, string key);

    [LoggerMessage(2, LogLevel.Warning, "Idempotency key {Key} was taken over while its request ran; that request's answer is not recorded")]
    private static partial void LogLostKey(ILogger logger, string key);

    [LoggerMessage(3, LogLevel.Warning, "Could not extend the lease of idempotency key {Key}; trying again shortly")]
    private static partial void LogRenewalFailed(ILogger logger, Exception exception, string key);
}

public static class IdempotencyHeaders
{
    /// <summary>The request header that names the operation.</summary>
    public const string Key = "Idempotency-Key";

    /// <summary>Set on a response that repeats the stored answer of an earlier request.</summary>
    public const string Replayed = "Idempotent-Replayed";
}
