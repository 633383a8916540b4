using System.ComponentModel.DataAnnotations;

namespace Shop.OrderApi;

/// <summary>Section <c>Orders</c>.</summary>
public sealed class OrderOptions
{
    public const string SectionName = "Orders";

    /// <summary>How long the stock of a checkout is held at most before it must be paid.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00")]
    public TimeSpan ReservationTtl { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// How long a checkout request owns its order's saga. Longer than a request can take; if its process
    /// dies, the recovery worker takes the order over when this runs out.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:10", "01:00:00")]
    public TimeSpan SagaLease { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How often the recovery worker looks for unsettled orders.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan RecoveryInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The longest wait between two attempts on an order whose services are unavailable.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>A cart nobody touches for this long is gone.</summary>
    [Range(typeof(TimeSpan), "01:00:00", "365.00:00:00")]
    public TimeSpan CartLifetime { get; set; } = TimeSpan.FromDays(30);

    [Range(1, 100)]
    public int MaxCartItems { get; set; } = 50;
}
