using System.Net;
using Shop.OrderApi.Contracts;
using Shop.ServiceDefaults.Resilience;

namespace Shop.OrderApi.Clients;

/// <summary>
/// payment-api, with this service's token. Charges and refunds carry idempotency keys derived from the
/// order, so every retry of this saga, by any driver, reaches the same payment.
/// </summary>
public sealed class PaymentClient(HttpClient http)
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
        using var response = await HttpCalls.SendAsync(Service, () =>
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/api/payments") { Content = JsonContent.Create(body) };
            request.Headers.Add("Idempotency-Key", $"charge-{orderId}");
            return http.SendAsync(request, cancellationToken);
        }, cancellationToken);

        return response.StatusCode switch
        {
            // "In progress" says when to ask again; the other 409 is "this order already has a different payment".
            HttpStatusCode.Conflict when response.Headers.RetryAfter is not null => new ChargeAnswer(ChargeAnswerKind.InProgress, null),
            HttpStatusCode.Conflict => new ChargeAnswer(ChargeAnswerKind.DifferentPayment, null),
            HttpStatusCode.BadRequest or HttpStatusCode.UnprocessableEntity => new ChargeAnswer(ChargeAnswerKind.Refused, null),
            _ => new ChargeAnswer(ChargeAnswerKind.Payment, await ReadPaymentAsync(response, cancellationToken)),
        };
    }

    public async Task<RemotePayment?> FindByOrderAsync(Guid orderId, CancellationToken cancellationToken)
    {
        using var response = await HttpCalls.SendAsync(Service, () => http.GetAsync($"/api/payments?orderId={orderId}", cancellationToken), cancellationToken);
        var payments = await HttpCalls.ReadSuccessAsync<List<RemotePayment>>(Service, response, cancellationToken);
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
        using var response = await HttpCalls.SendAsync(Service, () => http.PostAsJsonAsync("/api/payments/void", new { orderId, amount, currency }, cancellationToken), cancellationToken);
        return await ReadPaymentAsync(response, cancellationToken);
    }

    /// <summary>Refunds the whole payment of an order, once, however often it is asked.</summary>
    public async Task<HttpStatusCode> RefundAsync(Guid orderId, Guid paymentId, decimal amount, CancellationToken cancellationToken)
    {
        using var response = await HttpCalls.SendAsync(Service, () =>
        {
            var request = new HttpRequestMessage(HttpMethod.Post, $"/api/payments/{paymentId}/refunds") { Content = JsonContent.Create(new { amount }) };
            request.Headers.Add("Idempotency-Key", $"refund-{orderId}");
            return http.SendAsync(request, cancellationToken);
        }, cancellationToken);
        return response.StatusCode;
    }

    /// <summary>Not an answer about the payment (whatever it was), or one that cannot be read: ask again later rather than guess.</summary>
    private static Task<RemotePayment> ReadPaymentAsync(HttpResponseMessage response, CancellationToken cancellationToken) =>
        HttpCalls.ReadSuccessAsync<RemotePayment>(Service, response, cancellationToken);
}

public enum ChargeAnswerKind
{
    Payment,
    InProgress,
    DifferentPayment,
    Refused,
}

public sealed record ChargeAnswer(ChargeAnswerKind Kind, RemotePayment? Payment);

public sealed record RemotePayment(Guid Id, Guid OrderId, string Status, decimal Amount, string Currency, string? CardBrand, string? CardLast4, string? DeclineReason, decimal RefundedAmount);
