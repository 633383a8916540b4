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
        response.EnsureSuccessStatusCode();
        var payments = await response.Content.ReadFromJsonAsync<List<RemotePayment>>(cancellationToken) ?? [];
        return payments.SingleOrDefault();
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

    private static async Task<RemotePayment> ReadPaymentAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            // Not an answer about the payment: whatever it was, ask again later rather than guess.
            throw new DependencyUnavailableException(Service, $"it answered {(int)response.StatusCode}");
        }

        try
        {
            return await response.Content.ReadFromJsonAsync<RemotePayment>(cancellationToken)
                ?? throw new DependencyUnavailableException(Service, "it answered with an empty body");
        }
        catch (System.Text.Json.JsonException ex)
        {
            // An answer that cannot be read tells nothing about the payment: ask again later.
            throw new DependencyUnavailableException(Service, "its answer could not be read", ex);
        }
    }
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
