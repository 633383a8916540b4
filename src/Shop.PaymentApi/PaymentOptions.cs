using System.ComponentModel.DataAnnotations;

namespace Shop.PaymentApi;

/// <summary>Section <c>Payments</c>.</summary>
public sealed class PaymentOptions : IValidatableObject
{
    public const string SectionName = "Payments";

    /// <summary>How long the simulated processor takes for the slow test card (4000 0000 0000 6975).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan SlowCardDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// A payment still Processing after this was interrupted (its process stopped mid-call): the processor
    /// is asked what became of the charge, and a charge it does not know is marked Failed so that the
    /// order can be retried or given up. A refund or reversal the processor has not confirmed after this
    /// is asked again, with the same id.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:05", "01:00:00")]
    public TimeSpan StaleProcessingAfter { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How often the recovery looks for interrupted charges, refunds and reversals.</summary>
    public TimeSpan RecoveryInterval => StaleProcessingAfter / 2;

    /// <summary>
    /// When the simulated processor approves the late-approval test card (4000 0000 0000 0341): after the
    /// recovery has given its payment up.
    /// </summary>
    public TimeSpan LateApprovalDelay => StaleProcessingAfter + RecoveryInterval + TimeSpan.FromSeconds(5);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        // Otherwise a slow charge still running could be declared interrupted, and then be approved.
        if (StaleProcessingAfter < SlowCardDelay + TimeSpan.FromSeconds(5))
        {
            yield return new ValidationResult("StaleProcessingAfter must exceed SlowCardDelay by at least 5 seconds.", [nameof(StaleProcessingAfter)]);
        }
    }
}
