using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace Shop.ServiceDefaults.Idempotency;

/// <summary>A key as held by one execution: only that execution may complete, release or extend it.</summary>
internal readonly record struct OwnedKey(string Scope, string Key, Guid Owner);

/// <summary>What the endpoint answered, as a replay will repeat it.</summary>
internal sealed record StoredResponse(int Status, string? ContentType, string? Location, byte[] Body);

/// <summary>
/// The idempotency records in the service's own database, through the DbContext that
/// <see cref="IdempotencyEndpointExtensions.AddIdempotency{TContext}"/> named. Every change is one
/// statement guarded in its WHERE clause, so requests racing on different connections (or replicas)
/// cannot both own a key.
/// </summary>
internal sealed class IdempotencyStore(DbContext db)
{
    /// <summary>The claim INSERT of a context's model, built once per model: it is on every idempotent request.</summary>
    private static readonly ConditionalWeakTable<IModel, string> InsertStatements = new();

    private DbSet<IdempotencyRecord> Records => db.Set<IdempotencyRecord>();

    /// <summary>
    /// Inserts the key's record, owned by <paramref name="key"/>'s owner, unless the key has one: true when
    /// this call inserted it. A concurrent insert of the same key on another connection waits for this one
    /// and then inserts nothing, so exactly one request claims a key.
    /// </summary>
    /// <remarks>
    /// SQL rather than <c>SaveChanges</c>: EF has no <c>ON CONFLICT DO NOTHING</c> (a duplicate would be an
    /// exception, logged as an error, on every replay) and no way to stamp the lease with the database's
    /// clock on insert. The table and column names come from the EF model.
    /// </remarks>
    public async Task<bool> TryInsertAsync(OwnedKey key, byte[] fingerprint, TimeSpan lease)
    {
        var statement = InsertStatements.GetValue(db.Model, _ => InsertStatement(db));
        return await db.Database.ExecuteSqlRawAsync(statement, [key.Scope, key.Key, fingerprint, key.Owner, lease], CancellationToken.None) == 1;
    }

    private static string InsertStatement(DbContext db)
    {
        var entity = db.Model.FindEntityType(typeof(IdempotencyRecord))!;
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        var sql = db.GetService<ISqlGenerationHelper>();
        string Columns(IEnumerable<string> properties) =>
            string.Join(", ", properties.Select(property => sql.DelimitIdentifier(entity.FindProperty(property)!.GetColumnName(table)!)));

        var columns = Columns([
            nameof(IdempotencyRecord.Scope), nameof(IdempotencyRecord.Key), nameof(IdempotencyRecord.RequestFingerprint), nameof(IdempotencyRecord.Completed),
            nameof(IdempotencyRecord.Owner), nameof(IdempotencyRecord.LockedUntil), nameof(IdempotencyRecord.CreatedAt)]);
        // Only names from the model are spliced in; the values are parameters.
        return $$"""
            INSERT INTO {{sql.DelimitIdentifier(table.Name, table.Schema)}} ({{columns}})
            VALUES ({0}, {1}, {2}, FALSE, {3}, clock_timestamp() + {4}, clock_timestamp())
            ON CONFLICT ({{Columns(entity.FindPrimaryKey()!.Properties.Select(p => p.Name))}}) DO NOTHING
            """;
    }

    public Task<IdempotencyRecord?> FindAsync(string scope, string key) =>
        Records.AsNoTracking().SingleOrDefaultAsync(r => r.Scope == scope && r.Key == key, CancellationToken.None);

    /// <summary>
    /// Takes the key over from <paramref name="previousOwner"/> if its lease has run out (it died without
    /// finishing) and nobody took it over first: true when this call did.
    /// </summary>
    public async Task<bool> TryTakeOverAsync(OwnedKey key, Guid previousOwner, TimeSpan lease) =>
        await Records
            .Where(r => r.Scope == key.Scope && r.Key == key.Key && !r.Completed && r.Owner == previousOwner && r.LockedUntil <= DatabaseClock.Now())
            .ExecuteUpdateAsync(s => s
                .SetProperty(r => r.Owner, key.Owner)
                .SetProperty(r => r.LockedUntil, r => DatabaseClock.Now() + lease), CancellationToken.None) == 1;

    /// <summary>Extends the lease while the request runs: false when the key is no longer this execution's.</summary>
    public async Task<bool> TryRenewAsync(OwnedKey key, TimeSpan lease, CancellationToken cancellationToken) =>
        await Owned(key).Where(r => !r.Completed)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.LockedUntil, r => DatabaseClock.Now() + lease), cancellationToken) == 1;

    /// <summary>Stores the answer for replays: false when the key is no longer this execution's.</summary>
    public async Task<bool> TryCompleteAsync(OwnedKey key, StoredResponse response) =>
        await Owned(key).ExecuteUpdateAsync(s => s
            .SetProperty(r => r.Completed, true)
            .SetProperty(r => r.ResponseStatus, response.Status)
            .SetProperty(r => r.ResponseContentType, response.ContentType)
            .SetProperty(r => r.ResponseLocation, response.Location)
            .SetProperty(r => r.ResponseBody, response.Body), CancellationToken.None) == 1;

    /// <summary>Frees the key for a retry (the request failed, or its answer is not final).</summary>
    public Task ReleaseAsync(OwnedKey key) => Owned(key).ExecuteDeleteAsync(CancellationToken.None);

    public Task DeleteCreatedBeforeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken) =>
        Records.Where(r => r.CreatedAt < cutoff).ExecuteDeleteAsync(cancellationToken);

    private IQueryable<IdempotencyRecord> Owned(OwnedKey key) =>
        Records.Where(r => r.Scope == key.Scope && r.Key == key.Key && r.Owner == key.Owner);
}
