using Microsoft.Extensions.Options;

namespace Shop.PaymentApi.Services;

/// <summary>
/// A processor for development and tests, deterministic by test card number (the numbers Stripe's test
/// mode uses). Any other valid number is approved.
/// </summary>
public sealed class SimulatedPaymentProcessor(IOptions<PaymentOptions> options, TimeProvider timeProvider) : IPaymentProcessor
{
    public const string Succeeds = "4242424242424242";
    public const string Declined = "4000000000000002";
    public const string InsufficientFunds = "4000000000009995";
    /// <summary>The first attempt of a payment fails with a processor error; the retry succeeds.</summary>
    public const string ProcessorErrorOnce = "4000000000000119";
    /// <summary>Approved after <see cref="PaymentOptions.SlowCardDelay"/>, longer than callers wait for one attempt.</summary>
    public const string Slow = "4000000000006975";

    public async Task<ProcessorOutcome> ChargeAsync(ProcessorCharge charge)
    {
        switch (charge.CardNumber)
        {
            case Declined:
                return new ProcessorOutcome(ProcessorResult.Declined, "card_declined");
            case InsufficientFunds:
                return new ProcessorOutcome(ProcessorResult.Declined, "insufficient_funds");
            case ProcessorErrorOnce when charge.Attempt == 1:
                return new ProcessorOutcome(ProcessorResult.Error);
            case Slow:
                await Task.Delay(options.Value.SlowCardDelay, timeProvider);
                return new ProcessorOutcome(ProcessorResult.Approved);
            default:
                return new ProcessorOutcome(ProcessorResult.Approved);
        }
    }

    /// <summary>Refunds always go through in the simulation.</summary>
    public Task<ProcessorOutcome> RefundAsync(Guid paymentId, Guid refundId, decimal amount, string currency) =>
        Task.FromResult(new ProcessorOutcome(ProcessorResult.Approved));
}
