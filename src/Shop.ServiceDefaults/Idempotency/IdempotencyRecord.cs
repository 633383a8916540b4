using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Shop.ServiceDefaults.Idempotency;

/// <summary>
/// One idempotency key of one caller: the fingerprint of the request that first used it, and once that
/// request has finished, its response. Kept in the service's own database, so a key survives restarts
/// and is shared by replicas.
/// </summary>
public sealed class IdempotencyRecord
{
    public const int KeyMaxLength = 255;
    public const int ScopeMaxLength = 200;

    /// <summary>What an Idempotency-Key may be: 1 to <see cref="KeyMaxLength"/> visible ASCII characters.</summary>
    public static bool IsValidKey(string key) => key.Length is > 0 and <= KeyMaxLength && !key.Any(c => c is < '!' or > '~');

    /// <summary>Whose key it is (the token subject): keys of different callers never meet.</summary>
    public string Scope { get; set; } = null!;

    public string Key { get; set; } = null!;

    /// <summary>HMAC of method, path, query and body: request bodies may hold card numbers.</summary>
    public byte[] RequestFingerprint { get; set; } = null!;

    public bool Completed { get; set; }

    /// <summary>Which execution owns the key: only it may complete, release or extend it.</summary>
    public Guid Owner { get; set; }

    /// <summary>While executing: until when the executing request owns the key (a crashed owner's lease runs out).</summary>
    public DateTimeOffset LockedUntil { get; set; }

    public int? ResponseStatus { get; set; }

    public string? ResponseContentType { get; set; }

    public string? ResponseLocation { get; set; }

    public byte[]? ResponseBody { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>
/// The idempotency_records table. Added to the service's model by <see cref="IdempotencyModelCustomizer"/>,
/// which <see cref="IdempotencyEndpointExtensions.AddIdempotency{TContext}"/> installs.
/// </summary>
internal sealed class IdempotencyRecordConfiguration : IEntityTypeConfiguration<IdempotencyRecord>
{
    public void Configure(EntityTypeBuilder<IdempotencyRecord> record)
    {
        record.ToTable("idempotency_records");
        record.HasKey(r => new { r.Scope, r.Key });
        record.Property(r => r.Scope).HasMaxLength(IdempotencyRecord.ScopeMaxLength);
        record.Property(r => r.Key).HasMaxLength(IdempotencyRecord.KeyMaxLength);
        record.Property(r => r.ResponseContentType).HasMaxLength(200);
        record.Property(r => r.ResponseLocation).HasMaxLength(2000);
        record.HasIndex(r => r.CreatedAt);
    }
}
