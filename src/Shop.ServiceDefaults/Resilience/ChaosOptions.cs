using System.ComponentModel.DataAnnotations;

namespace Shop.ServiceDefaults.Resilience;

/// <summary>
/// Faults injected on purpose into this service's calls to other services (section
/// <c>Resilience:Chaos</c>), to watch the system cope with a flaky network. Every rate is a fraction of
/// attempts from 0 to 1; all are 0 by default, and nothing is injected unless one of them is set.
/// </summary>
public sealed class ChaosOptions : IValidatableObject
{
    public const string SectionName = "Resilience:Chaos";

    /// <summary>Attempts that fail before being sent, as a dropped connection does (HttpRequestException).</summary>
    [Range(0d, 1d)]
    public double FaultRate { get; set; }

    /// <summary>Attempts answered 503 without being sent, as by an overloaded proxy.</summary>
    [Range(0d, 1d)]
    public double OutcomeRate { get; set; }

    /// <summary>Attempts delayed by <see cref="Latency"/> before being sent.</summary>
    [Range(0d, 1d)]
    public double LatencyRate { get; set; }

    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan Latency { get; set; } = TimeSpan.FromMilliseconds(20);

    public bool Enabled => FaultRate > 0 || OutcomeRate > 0 || (LatencyRate > 0 && Latency > TimeSpan.Zero);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (LatencyRate > 0 && Latency <= TimeSpan.Zero)
        {
            yield return new ValidationResult("Give a positive Latency when LatencyRate is set.", [nameof(Latency)]);
        }
    }
}
