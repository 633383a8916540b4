using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Shop.PaymentApi.Contracts;
using Shop.PaymentApi.Infrastructure;
using Shop.PaymentApi.Services;
using Shop.ServiceDefaults.Authentication;
using Shop.ServiceDefaults.Idempotency;

namespace Shop.PaymentApi.Apis;

/// <summary>Payments of orders. Internal: services charge, void and refund; admins may read.</summary>
public static class PaymentsApi
{
    public static IEndpointRouteBuilder MapPaymentsApi(this IEndpointRouteBuilder app)
    {
        var payments = app.MapGroup("/api/payments").WithTags("Payments");
        payments.MapPost("/", Charge).RequireAuthorization(ShopPolicies.Service).RequireIdempotencyKey();
        payments.MapGet("/{id:guid}", GetPayment).RequireAuthorization(ShopPolicies.AdminOrService);
        payments.MapGet("/", FindPayments).RequireAuthorization(ShopPolicies.AdminOrService);
        payments.MapPost("/void", VoidPayment).RequireAuthorization(ShopPolicies.Service);
        // order-api refunds cancelled orders; an administrator refunds (part of) a payment for any other reason.
        payments.MapPost("/{id:guid}/refunds", RefundPayment).RequireAuthorization(ShopPolicies.AdminOrService).RequireIdempotencyKey();
        payments.MapGet("/{id:guid}/refunds", ListRefunds).RequireAuthorization(ShopPolicies.AdminOrService);
        return app;
    }

    /// <summary>
    /// Charges the card for an order: 201 with the payment, Succeeded or Declined (with the reason). An
    /// order is charged at most once: asking again returns its payment (200). A processor failure (the
    /// processor, asked, knows no such charge) is a 502 and the payment is kept Failed: the caller's retry
    /// with the same key charges that same payment again, and a void turns it Voided.
    /// </summary>
    public static async Task<Results<Created<PaymentResponse>, Ok<PaymentResponse>, ProblemHttpResult>> Charge(ChargeRequest request, PaymentService payments, HttpContext httpContext)
    {
        var result = await payments.ChargeAsync(request);
        switch (result)
        {
            case ChargeResult.Charged charged:
                return TypedResults.Created($"/api/payments/{charged.Payment.Id}", charged.Payment.ToResponse());
            case ChargeResult.AlreadyDecided decided:
                return TypedResults.Ok(decided.Payment.ToResponse());
            case ChargeResult.ProcessorFailed failed:
                httpContext.Response.Headers.RetryAfter = "1";
                return TypedResults.Problem(
                    title: "The card processor failed",
                    detail: "Nothing was charged. Retry with the same Idempotency-Key.",
                    statusCode: StatusCodes.Status502BadGateway,
                    extensions: new Dictionary<string, object?> { ["paymentId"] = failed.Payment.Id });
            case ChargeResult.InProgress inProgress:
                httpContext.Response.Headers.RetryAfter = "1";
                return TypedResults.Problem(
                    title: "A charge for this order is in progress",
                    detail: "Ask again shortly.",
                    statusCode: StatusCodes.Status409Conflict,
                    extensions: new Dictionary<string, object?> { ["paymentId"] = inProgress.Payment.Id });
            case ChargeResult.DifferentRequest different:
                return TypedResults.Problem(
                    title: "This order already has a different payment",
                    detail: "An order is paid once, for one amount with one card.",
                    statusCode: StatusCodes.Status409Conflict,
                    extensions: new Dictionary<string, object?> { ["paymentId"] = different.Payment.Id });
            default:
                throw new InvalidOperationException($"Unknown charge result {result}.");
        }
    }

    public static async Task<Results<Ok<PaymentResponse>, NotFound>> GetPayment(Guid id, PaymentDbContext db, CancellationToken cancellationToken) =>
        await db.Payments.AsNoTracking().SingleOrDefaultAsync(p => p.Id == id, cancellationToken) is { } payment
            ? TypedResults.Ok(payment.ToResponse())
            : TypedResults.NotFound();

    /// <summary>The payments of an order (zero or one).</summary>
    public static async Task<Results<Ok<List<PaymentResponse>>, ValidationProblem>> FindPayments(PaymentDbContext db, CancellationToken cancellationToken, Guid? orderId = null)
    {
        if (orderId is not { } order)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["orderId"] = ["Give the order whose payments you want."] });
        }

        var payments = await db.Payments.AsNoTracking().Where(p => p.OrderId == order).ToListAsync(cancellationToken);
        return TypedResults.Ok(payments.Select(p => p.ToResponse()).ToList());
    }

    /// <summary>Gives up charging an order; idempotent. Returns the order's payment as it now stands.</summary>
    public static async Task<Ok<PaymentResponse>> VoidPayment(VoidRequest request, PaymentService payments, CancellationToken cancellationToken) =>
        TypedResults.Ok((await payments.VoidAsync(request.OrderId!.Value, request.Amount!.Value, request.Currency, cancellationToken)).ToResponse());

    public static async Task<Results<Created<RefundResponse>, NotFound, ProblemHttpResult>> RefundPayment(
        Guid id, RefundRequest request, [FromHeader(Name = IdempotencyHeaders.Key)] string idempotencyKey, ClaimsPrincipal caller,
        PaymentService payments, CancellationToken cancellationToken)
    {
        return await payments.RefundAsync(id, RefundIdFor(id, caller, idempotencyKey), request.Amount!.Value, cancellationToken) switch
        {
            // Pending too: the refund is recorded and will be paid exactly once (asking again would not help).
            RefundResult.Refunded refunded => TypedResults.Created($"/api/payments/{id}/refunds/{refunded.Refund.Id}", refunded.Refund.ToResponse(refunded.Payment)),
            RefundResult.NotFound => TypedResults.NotFound(),
            RefundResult.ProcessorRefused refused => TypedResults.Problem(
                title: "The card processor refused the refund",
                detail: "Nothing was refunded.",
                statusCode: StatusCodes.Status422UnprocessableEntity,
                extensions: new Dictionary<string, object?> { ["refundId"] = refused.Refund.Id }),
            RefundResult.DifferentRequest => TypedResults.Problem(
                title: "Idempotency-Key reused",
                detail: "This Idempotency-Key was used for a refund of another amount. Use a new key for a new refund.",
                statusCode: StatusCodes.Status422UnprocessableEntity),
            RefundResult.NotRefundable notRefundable => TypedResults.Problem(
                title: "Only a captured payment can be refunded",
                detail: $"The payment is {notRefundable.Payment.Status}.",
                statusCode: StatusCodes.Status409Conflict),
            RefundResult.ExceedsRefundable exceeds => TypedResults.Problem(
                title: "The refund exceeds what is left to refund",
                detail: $"{exceeds.Refundable} {exceeds.Payment.Currency} of {exceeds.Payment.Amount} can still be refunded.",
                statusCode: StatusCodes.Status409Conflict,
                extensions: new Dictionary<string, object?> { ["refundable"] = exceeds.Refundable }),
            var other => throw new InvalidOperationException($"Unknown refund result {other}."),
        };
    }

    /// <summary>
    /// A refund's id follows from who asked, for which payment, with which Idempotency-Key: the same refund
    /// asked for again (after a failure released the key, or after its record expired) can only ever be
    /// that one refund, never a second payout.
    /// </summary>
    private static Guid RefundIdFor(Guid paymentId, ClaimsPrincipal caller, string idempotencyKey)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{paymentId:N}\n{caller.FindFirstValue(ShopClaims.Subject)}\n{idempotencyKey}"));
        hash[6] = (byte)((hash[6] & 0x0F) | 0x80); // version 8: a name-based id of our own making
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80); // RFC 9562 variant
        return new Guid(hash.AsSpan(0, 16), bigEndian: true);
    }

    public static async Task<Ok<List<RefundResponse>>> ListRefunds(Guid id, PaymentDbContext db, CancellationToken cancellationToken) =>
        TypedResults.Ok(await db.Refunds.AsNoTracking().Where(r => r.PaymentId == id).OrderBy(r => r.CreatedAt)
            .Join(db.Payments, r => r.PaymentId, p => p.Id, (r, p) => new { r.Id, r.PaymentId, r.Amount, r.Status, p.RefundedAmount, r.CreatedAt })
            .Select(r => new RefundResponse(r.Id, r.PaymentId, r.Amount, r.Status.ToString(), r.RefundedAmount, r.CreatedAt))
            .ToListAsync(cancellationToken));
}
