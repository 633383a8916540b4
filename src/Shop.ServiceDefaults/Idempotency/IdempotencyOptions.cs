using System.ComponentModel.DataAnnotations;

namespace Shop.ServiceDefaults.Idempotency;

/// <summary>Section <c>Idempotency</c>.</summary>
public sealed class IdempotencyOptions
{
    public const string SectionName = "Idempotency";

    /// <summary>
    /// Secret of the request fingerprints (HMAC-SHA256). Requests can carry card numbers, and an unkeyed
    /// hash of a card number is guessable; the AppHost generates one per service.
    /// </summary>
    [Required]
    [MinLength(32)]
    public string FingerprintSecret { get; set; } = "";

    /// <summary>How long keys are kept: replays within this time return the first response.</summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "30.00:00:00")]
    public TimeSpan Retention { get; set; } = TimeSpan.FromHours(48);

    /// <summary>
    /// How long an executing request owns its key without renewing it. The owner renews it every third
    /// of this while it runs; after a crash, a retry may take over once it has run out.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:03", "01:00:00")]
    public TimeSpan Lease { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a concurrent request with the same key waits for the first to finish before a 409.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan WaitForConcurrent { get; set; } = TimeSpan.FromSeconds(15);

    [Range(1, 10_000_000)]
    public int MaxRequestBodyBytes { get; set; } = 64 * 1024;
}
