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
    /// A payment still Processing after this was interrupted (its process stopped mid-call): nothing was
    /// taken, and it is marked Failed so that the order can be retried or given up.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:05", "01:00:00")]
    public TimeSpan StaleProcessingAfter { get; set; } = TimeSpan.FromMinutes(2);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        // Otherwise a slow charge still running could be declared interrupted, and then be approved.
        if (StaleProcessingAfter < SlowCardDelay + TimeSpan.FromSeconds(5))
        {
            yield return new ValidationResult("StaleProcessingAfter must exceed SlowCardDelay by at least 5 seconds.", [nameof(StaleProcessingAfter)]);
        }
    }
}
