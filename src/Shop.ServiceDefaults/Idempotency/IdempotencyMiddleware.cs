using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
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
internal sealed class IdempotencyMiddleware(
    RequestDelegate next, IOptions<IdempotencyOptions> options, TimeProvider timeProvider, ILogger<IdempotencyMiddleware> logger)
{
    private const string HeaderName = IdempotencyHeaders.Key;
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    public async Task InvokeAsync(HttpContext context, IdempotencyStore store, IProblemDetailsService problems)
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<IdempotentEndpointMetadata>() is null)
        {
            await next(context);
            return;
        }

        var key = context.Request.Headers[HeaderName].ToString();
        if (!IdempotencyRecord.IsValidKey(key))
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
        var claim = await ClaimAsync(store, scope, key, fingerprint, settings, context.RequestAborted);
        await (claim switch
        {
            KeyClaim.Claimed claimed => ExecuteAndRecordAsync(context, store, claimed.Key, settings),
            KeyClaim.Replay replay => ReplayAsync(context, replay.Record),
            KeyClaim.Mismatch => WriteProblemAsync(context, problems, StatusCodes.Status422UnprocessableEntity, "Idempotency-Key reused",
                $"This {HeaderName} was used for a different request. Use a new key for a new request."),
            KeyClaim.Busy => WriteInProgressAsync(context, problems),
            var other => throw new InvalidOperationException($"Unknown idempotency key claim {other}."),
        });
    }

    /// <summary>
    /// Claims the key for this request, or finds out why it may not execute. While another request runs
    /// with the key, waits (up to <see cref="IdempotencyOptions.WaitForConcurrent"/>) for its answer.
    /// The database calls run to their end even if the caller gives up: the outcome of a request that
    /// started must still be recorded.
    /// </summary>
    private async Task<KeyClaim> ClaimAsync(IdempotencyStore store, string scope, string key, byte[] fingerprint, IdempotencyOptions settings, CancellationToken requestAborted)
    {
        var waitUntil = timeProvider.GetUtcNow() + settings.WaitForConcurrent;
        var mine = new OwnedKey(scope, key, Guid.NewGuid());
        while (true)
        {
            if (await store.TryInsertAsync(mine, fingerprint, settings.Lease))
            {
                return new KeyClaim.Claimed(mine);
            }

            var existing = await store.FindAsync(scope, key);
            if (existing is null)
            {
                // Deleted in between (the first request failed and released the key): claim it again.
                continue;
            }

            if (!CryptographicOperations.FixedTimeEquals(existing.RequestFingerprint, fingerprint))
            {
                return new KeyClaim.Mismatch();
            }

            if (existing.Completed)
            {
                return new KeyClaim.Replay(existing);
            }

            // If the request that owned the key died without finishing (its lease ran out), take over, once.
            if (await store.TryTakeOverAsync(mine, existing.Owner, settings.Lease))
            {
                IdempotencyLog.TakenOver(logger, key);
                return new KeyClaim.Claimed(mine);
            }

            if (timeProvider.GetUtcNow() >= waitUntil)
            {
                return new KeyClaim.Busy();
            }

            await Task.Delay(PollInterval, timeProvider, requestAborted).ConfigureAwait(false);
        }
    }

    private async Task ExecuteAndRecordAsync(HttpContext context, IdempotencyStore store, OwnedKey mine, IdempotencyOptions settings)
    {
        var originalBody = context.Response.Body;
        using var captured = new MemoryStream();
        context.Response.Body = captured;
        // The operation runs to its end even if the caller hangs up: its retry will want the outcome.
        var clientAborted = context.RequestAborted;
        context.RequestAborted = CancellationToken.None;
        try
        {
            await using (LeaseRenewal.Start(context.RequestServices.GetRequiredService<IServiceScopeFactory>(), mine, settings.Lease, timeProvider, logger))
            {
                await next(context);
            }
        }
        catch
        {
            await store.ReleaseAsync(mine);
            throw;
        }
        finally
        {
            context.Response.Body = originalBody;
            context.RequestAborted = clientAborted;
        }

        var response = context.Response;
        if (IsFinal(response.StatusCode) && !response.Headers.ContainsKey(Microsoft.Net.Http.Headers.HeaderNames.RetryAfter))
        {
            var location = response.Headers.Location.ToString();
            var answer = new StoredResponse(response.StatusCode, response.ContentType, location.Length > 0 ? location : null, captured.ToArray());
            if (!await store.TryCompleteAsync(mine, answer))
            {
                IdempotencyLog.LostKey(logger, mine.Key);
            }
        }
        else
        {
            await store.ReleaseAsync(mine);
        }

        if (!clientAborted.IsCancellationRequested)
        {
            captured.Position = 0;
            await captured.CopyToAsync(originalBody, clientAborted);
        }
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

    private static Task WriteInProgressAsync(HttpContext context, IProblemDetailsService problems)
    {
        context.Response.Headers.RetryAfter = "1";
        return WriteProblemAsync(context, problems, StatusCodes.Status409Conflict, "A request with this Idempotency-Key is in progress",
            "Retry shortly with the same key to get its result.");
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
}

/// <summary>Whether a request may execute under its key, and if not, why.</summary>
internal abstract record KeyClaim
{
    private KeyClaim()
    {
    }

    /// <summary>The key is this request's (new, or taken over from a request that died): execute it.</summary>
    public sealed record Claimed(OwnedKey Key) : KeyClaim;

    /// <summary>The key's request has finished: repeat its answer.</summary>
    public sealed record Replay(IdempotencyRecord Record) : KeyClaim;

    /// <summary>The key was used for a different request.</summary>
    public sealed record Mismatch : KeyClaim;

    /// <summary>The key's request is still running after the wait.</summary>
    public sealed record Busy : KeyClaim;
}

public static class IdempotencyHeaders
{
    /// <summary>The request header that names the operation.</summary>
    public const string Key = "Idempotency-Key";

    /// <summary>Set on a response that repeats the stored answer of an earlier request.</summary>
    public const string Replayed = "Idempotent-Replayed";
}
