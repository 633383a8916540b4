using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Shop.PaymentApi.Infrastructure;
using Shop.ServiceDefaults;

namespace Shop.PaymentApi.Services;

/// <summary>
/// A processor for development and tests, deterministic by test card number (mostly the numbers Stripe's
/// test mode uses). Any other valid number is approved. Like a real processor it keeps its own books
/// (<see cref="SimulatedProcessorOperation"/>, in its own table, written on its own connection so that
/// payment-api's transactions cannot undo them) and is idempotent per operation id: a charge, refund or
/// reversal asked twice happens once. Tests read those books to prove what was paid.
/// </summary>
public sealed class SimulatedPaymentProcessor(IServiceScopeFactory scopes, IOptions<PaymentOptions> options, TimeProvider timeProvider) : IPaymentProcessor
{
    public const string Succeeds = "4242424242424242";
    public const string Declined = "4000000000000002";
    public const string InsufficientFunds = "4000000000009995";
    /// <summary>The first attempt of a payment fails with a processor error; the retry succeeds.</summary>
    public const string ProcessorErrorOnce = "4000000000000119";
    /// <summary>Approved after <see cref="PaymentOptions.SlowCardDelay"/>, longer than callers wait for one attempt.</summary>
    public const string Slow = "4000000000006975";
    /// <summary>
    /// The charge reaches the processor only after <see cref="PaymentOptions.LateApprovalDelay"/>, when the
    /// payment has been given up (asked meanwhile, the processor knows no such charge), and is then
    /// approved. The answer to the first request to reverse it is lost (the reversal itself happens).
    /// </summary>
    public const string LateApproval = "4000000000000341";
    /// <summary>Approved; the answer to the first request for each refund of it is lost (the refund itself is paid).</summary>
    public const string RefundAnswerLostOnce = "4000000000000077";

    public async Task<ProcessorOutcome> ChargeAsync(ProcessorCharge charge)
    {
        if (await FindAsync(OperationKind.Charge, charge.PaymentId) is { } earlier)
        {
            return earlier.ToOutcome();
        }

        switch (charge.CardNumber)
        {
            case Declined:
                return (await RecordAsync(Operation(OperationKind.Charge, charge.PaymentId, charge, ProcessorResult.Declined, "card_declined"))).Entry.ToOutcome();
            case InsufficientFunds:
                return (await RecordAsync(Operation(OperationKind.Charge, charge.PaymentId, charge, ProcessorResult.Declined, "insufficient_funds"))).Entry.ToOutcome();
            case ProcessorErrorOnce when charge.Attempt == 1:
                return new ProcessorOutcome.NoAnswer();
            case Slow:
                await Task.Delay(options.Value.SlowCardDelay, timeProvider);
                break;
            case LateApproval:
                await Task.Delay(options.Value.LateApprovalDelay, timeProvider);
                break;
        }

        var quirk = charge.CardNumber switch
        {
            LateApproval => ProcessorQuirk.ReversalAnswerLostOnce,
            RefundAnswerLostOnce => ProcessorQuirk.RefundAnswerLostOnce,
            _ => (ProcessorQuirk?)null,
        };
        return (await RecordAsync(Operation(OperationKind.Charge, charge.PaymentId, charge, ProcessorResult.Approved, null, quirk))).Entry.ToOutcome();
    }

    public async Task<ProcessorOutcome> FindChargeAsync(Guid paymentId) =>
        await FindAsync(OperationKind.Charge, paymentId) is { } charge ? charge.ToOutcome() : new ProcessorOutcome.NotFound();

    /// <summary>Pays back at most what the charge took, and nothing of a reversed charge.</summary>
    public async Task<ProcessorOutcome> RefundAsync(Guid paymentId, Guid refundId, decimal amount, string currency)
    {
        if (await FindAsync(OperationKind.Refund, refundId) is { } earlier)
        {
            return earlier.ToOutcome();
        }

        var charge = await FindAsync(OperationKind.Charge, paymentId);
        if (charge is not { Result: ProcessorResult.Approved })
        {
            return new ProcessorOutcome.Declined("no_such_charge");
        }

        var (refunded, reversed) = await PaidBackAsync(paymentId);
        if (reversed || refunded + amount > charge.Amount)
        {
            return new ProcessorOutcome.Declined("exceeds_charge");
        }

        var (entry, first) = await RecordAsync(new SimulatedProcessorOperation(OperationKind.Refund, refundId, paymentId, amount, currency, ProcessorResult.Approved, null, null, timeProvider.GetUtcNow()));
        return first && charge.Quirk == ProcessorQuirk.RefundAnswerLostOnce ? new ProcessorOutcome.NoAnswer() : entry.ToOutcome();
    }

    public async Task<ProcessorOutcome> ReverseAsync(Guid paymentId, decimal amount, string currency)
    {
        if (await FindAsync(OperationKind.Reversal, paymentId) is { } earlier)
        {
            return earlier.ToOutcome();
        }

        var charge = await FindAsync(OperationKind.Charge, paymentId);
        if (charge is not { Result: ProcessorResult.Approved })
        {
            return new ProcessorOutcome.NotFound();
        }

        // What refunds already paid back is not taken twice.
        var (refunded, _) = await PaidBackAsync(paymentId);
        var (entry, first) = await RecordAsync(new SimulatedProcessorOperation(OperationKind.Reversal, paymentId, paymentId, charge.Amount - refunded, currency, ProcessorResult.Approved, null, null, timeProvider.GetUtcNow()));
        return first && charge.Quirk == ProcessorQuirk.ReversalAnswerLostOnce ? new ProcessorOutcome.NoAnswer() : entry.ToOutcome();
    }

    private SimulatedProcessorOperation Operation(OperationKind kind, Guid reference, ProcessorCharge charge, ProcessorResult result, string? declineReason, ProcessorQuirk? quirk = null) =>
        new(kind, reference, charge.PaymentId, charge.Amount, charge.Currency, result, declineReason, quirk, timeProvider.GetUtcNow());

    private async Task<SimulatedProcessorOperation?> FindAsync(OperationKind kind, Guid reference)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PaymentDbContext>();
        return await db.SimulatedProcessorOperations.AsNoTracking().SingleOrDefaultAsync(o => o.Kind == kind && o.Reference == reference);
    }

    private async Task<(decimal Refunded, bool Reversed)> PaidBackAsync(Guid paymentId)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PaymentDbContext>();
        var paidBack = await db.SimulatedProcessorOperations.AsNoTracking()
            .Where(o => o.PaymentId == paymentId && o.Kind != OperationKind.Charge && o.Result == ProcessorResult.Approved)
            .Select(o => new { o.Kind, o.Amount })
            .ToListAsync();
        return (paidBack.Where(o => o.Kind == OperationKind.Refund).Sum(o => o.Amount), paidBack.Any(o => o.Kind == OperationKind.Reversal));
    }

    /// <summary>Writes an operation once: of two concurrent requests with the same id, the second gets the first's entry.</summary>
    private async Task<(SimulatedProcessorOperation Entry, bool First)> RecordAsync(SimulatedProcessorOperation operation)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PaymentDbContext>();
        db.SimulatedProcessorOperations.Add(operation);
        try
        {
            await db.SaveChangesAsync();
            return (operation, true);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            db.ChangeTracker.Clear();
            return (await db.SimulatedProcessorOperations.AsNoTracking().SingleAsync(o => o.Kind == operation.Kind && o.Reference == operation.Reference), false);
        }
    }
}

/// <summary>One operation in the simulated processor's books: a charge (keyed by payment id), a refund (by refund id) or a reversal (by payment id).</summary>
public sealed class SimulatedProcessorOperation(
    OperationKind kind, Guid reference, Guid paymentId, decimal amount, string currency, ProcessorResult result, string? declineReason, ProcessorQuirk? quirk, DateTimeOffset createdAt)
{
    public OperationKind Kind { get; private set; } = kind;

    public Guid Reference { get; private set; } = reference;

    public Guid PaymentId { get; private set; } = paymentId;

    /// <summary>What moved: charged, or paid back.</summary>
    public decimal Amount { get; private set; } = amount;

    public string Currency { get; private set; } = currency;

    public ProcessorResult Result { get; private set; } = result;

    public string? DeclineReason { get; private set; } = declineReason;

    /// <summary>How a test card makes later operations on this charge behave (never the card number).</summary>
    public ProcessorQuirk? Quirk { get; private set; } = quirk;

    public DateTimeOffset CreatedAt { get; private set; } = createdAt;

    /// <summary>What the processor answers when asked about this operation again.</summary>
    public ProcessorOutcome ToOutcome() => Result switch
    {
        ProcessorResult.Approved => new ProcessorOutcome.Approved(),
        ProcessorResult.Declined => new ProcessorOutcome.Declined(DeclineReason),
        _ => throw new InvalidOperationException($"The books hold only approvals and declines, not {Result}."),
    };
}

/// <summary>What the simulated processor's books record for an operation.</summary>
public enum ProcessorResult
{
    Approved,
    Declined,
}

public enum OperationKind
{
    Charge,
    Refund,
    Reversal,
}

public enum ProcessorQuirk
{
    RefundAnswerLostOnce,
    ReversalAnswerLostOnce,
}
