using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;
using Shop.OrderApi.Contracts;
using Shop.ServiceDefaults.Resilience;

namespace Shop.OrderApi.Clients;

/// <summary>
/// payment-api, with this service's token. Charges and refunds carry idempotency keys derived from the
/// order, so every retry of this saga, by any driver, reaches the same payment. HTTP stays in here:
/// callers get domain answers, and anything unexpected is <see cref="DependencyUnavailableException"/>.
/// </summary>
public sealed class PaymentClient(HttpClient http, ILogger<PaymentClient> logger)
{
    private const string Service = "payment-api";

    public async Task<ChargeAnswer> ChargeAsync(Guid orderId, decimal amount, string currency, PaymentCard card, CancellationToken cancellationToken)
    {
        var body = new
        {
            orderId,
            amount,
            currency,
            card = new { number = card.Number, expMonth = card.ExpMonth, expYear = card.ExpYear, cvc = card.Cvc, holderName = card.HolderName },
        };
        using var response = await UnavailableOnFailure.SendAsync(Service, () =>
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/api/payments") { Content = JsonContent.Create(body) };
            request.Headers.Add("Idempotency-Key", $"charge-{orderId}");
            return http.SendAsync(request, cancellationToken);
        }, cancellationToken);

        return response.StatusCode switch
        {
            // "In progress" says when to ask again; the other 409 is "this order already has a different payment".
            HttpStatusCode.Conflict when response.Headers.RetryAfter is not null => new ChargeAnswer.InProgress(),
            HttpStatusCode.Conflict => new ChargeAnswer.DifferentPayment(),
            HttpStatusCode.BadRequest or HttpStatusCode.UnprocessableEntity => new ChargeAnswer.Refused(),
            _ => new ChargeAnswer.Answered(await ReadPaymentAsync(response, cancellationToken)),
        };
    }

    public async Task<RemotePayment?> FindByOrderAsync(Guid orderId, CancellationToken cancellationToken)
    {
        using var response = await UnavailableOnFailure.SendAsync(Service, () => http.GetAsync($"/api/payments?orderId={orderId}", cancellationToken), cancellationToken);
        var payments = await UnavailableOnFailure.ReadSuccessAsync<List<RemotePayment>>(Service, response, cancellationToken);
        return payments.Count switch
        {
            0 => null,
            1 => payments[0],
            _ => throw new DependencyUnavailableException(Service, $"it holds {payments.Count} payments for order {orderId}"),
        };
    }

    /// <summary>Fences the order: afterwards no charge for it can take money. Returns its payment as it stands.</summary>
    public async Task<RemotePayment> VoidAsync(Guid orderId, decimal amount, string currency, CancellationToken cancellationToken)
    {
        using var response = await UnavailableOnFailure.SendAsync(Service, () => http.PostAsJsonAsync("/api/payments/void", new { orderId, amount, currency }, cancellationToken), cancellationToken);
        return await ReadPaymentAsync(response, cancellationToken);
    }

    /// <summary>
    /// Refunds the whole payment of an order, once, however often it is asked. Part of it refunded before (an
    /// administrator at payment-api): what is left is refunded, under a key of its own.
    /// </summary>
    public async Task<RefundAnswer> RefundAsync(Guid orderId, Guid paymentId, decimal amount, CancellationToken cancellationToken)
    {
        using (var response = await SendRefundAsync(orderId, paymentId, amount, $"refund-{orderId}", cancellationToken))
        {
            if (response.StatusCode != HttpStatusCode.Conflict || response.Headers.RetryAfter is not null)
            {
                return Refunded(response);
            }

            // Refused as more than is left to refund: payment-api says how much is left.
            var problem = await UnavailableOnFailure.ReadAsync<JsonElement>(Service, response, cancellationToken);
            if (!(problem.ValueKind == JsonValueKind.Object && problem.TryGetProperty("refundable", out var left)
                && left.TryGetDecimal(out amount) && amount > 0))
            {
                return RefundAnswer.NothingToRefund;
            }
        }

        using var rest = await SendRefundAsync(orderId, paymentId, amount, $"refund-{orderId}-rest", cancellationToken);
        return rest.StatusCode == HttpStatusCode.Conflict && rest.Headers.RetryAfter is null ? RefundAnswer.NothingToRefund : Refunded(rest);
    }

    private Task<HttpResponseMessage> SendRefundAsync(Guid orderId, Guid paymentId, decimal amount, string idempotencyKey, CancellationToken cancellationToken) =>
        UnavailableOnFailure.SendAsync(Service, () =>
        {
            var request = new HttpRequestMessage(HttpMethod.Post, $"/api/payments/{paymentId}/refunds") { Content = JsonContent.Create(new { amount }) };
            request.Headers.Add("Idempotency-Key", idempotencyKey);
            return http.SendAsync(request, cancellationToken);
        }, cancellationToken);

    private RefundAnswer Refunded(HttpResponseMessage response) => response.StatusCode switch
    {
        // Pending included: payment-api has recorded the refund and pays it out once.
        HttpStatusCode.Created or HttpStatusCode.OK => RefundAnswer.Refunded,
        // "In progress" (the same key still executing) says when to ask again; it is no answer yet.
        HttpStatusCode.Conflict when response.Headers.RetryAfter is not null =>
            throw new DependencyUnavailableException(Service, "a refund of this order is still in progress"),
        HttpStatusCode.Conflict => RefundAnswer.NothingToRefund,
        var status => throw Unexpected("refund", status),
    };

    /// <summary>Not an answer about the payment (whatever it was), or one that cannot be read: ask again later rather than guess.</summary>
    private static Task<RemotePayment> ReadPaymentAsync(HttpResponseMessage response, CancellationToken cancellationToken) =>
        UnavailableOnFailure.ReadSuccessAsync<RemotePayment>(Service, response, cancellationToken);

    private DependencyUnavailableException Unexpected(string action, HttpStatusCode status)
    {
        Log.UnexpectedAnswer(logger, Service, action, (int)status);
        return new DependencyUnavailableException(Service, $"{action} answered {(int)status}");
    }
}

/// <summary>What payment-api did with a charge request.</summary>
public abstract record ChargeAnswer
{
    private ChargeAnswer()
    {
    }

    /// <summary>It holds a payment for the order (succeeded, declined, or still settling), as it stands.</summary>
    public sealed record Answered(RemotePayment Payment) : ChargeAnswer;

    /// <summary>Another request with the same key is still charging: ask again shortly.</summary>
    public sealed record InProgress : ChargeAnswer;

    /// <summary>The order already has a payment made by a different request.</summary>
    public sealed record DifferentPayment : ChargeAnswer;

    /// <summary>The request itself was refused: nothing was charged, and the same request will be refused again.</summary>
    public sealed record Refused : ChargeAnswer;
}

public enum RefundAnswer
{
    /// <summary>Refunded now, or by an earlier request with the same key.</summary>
    Refunded,

    /// <summary>Nothing (more) can be refunded on the payment.</summary>
    NothingToRefund,
}

[JsonConverter(typeof(JsonStringEnumConverter<RemotePaymentStatus>))]
public enum RemotePaymentStatus
{
    Processing,
    Succeeded,
    Declined,
    Failed,
    Voided,
}

public sealed record RemotePayment(
    Guid Id, Guid OrderId, RemotePaymentStatus Status, decimal Amount, string Currency, string? CardBrand, string? CardLast4, string? DeclineReason, decimal RefundedAmount);
