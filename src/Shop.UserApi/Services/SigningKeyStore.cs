using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using Shop.UserApi.Infrastructure;
using Shop.UserApi.Model;

namespace Shop.UserApi.Services;

/// <summary>
/// The token signing keys, kept in userdb so that restarts and replicas sign and validate with the same
/// keys. See <see cref="SigningKey"/> for their life cycle. Loaded keys are cached briefly; a validation
/// that meets an unknown key id asks for a reload.
/// </summary>
public sealed class SigningKeyStore(IServiceScopeFactory scopes, IOptions<TokenIssuingOptions> tokenOptions, TimeProvider timeProvider, ILogger<SigningKeyStore> logger)
{
    private const long KeyCreationLock = 0x5161_1A67_6E65;
    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan MinimumReloadInterval = TimeSpan.FromSeconds(1);
    // Published beyond supersession: the longest token lifetime plus room for clock skew.
    private static readonly TimeSpan PublishedAfterSupersededMargin = TimeSpan.FromMinutes(5);

    private readonly SemaphoreSlim _loadLock = new(1, 1);
    private volatile Snapshot? _snapshot;
    private volatile bool _reloadRequested;

    /// <summary>The key new tokens are signed with: the latest one whose activation time has come.</summary>
    public async Task<LoadedKey> GetSigningKeyAsync(CancellationToken cancellationToken)
    {
        var snapshot = await GetSnapshotAsync(cancellationToken);
        var now = timeProvider.GetUtcNow();
        return snapshot.Keys.Where(k => k.ActivatesAt <= now).MaxBy(k => k.ActivatesAt)
            ?? throw new InvalidOperationException("No signing key is active; start-up creates one.");
    }

    /// <summary>The public keys tokens may be validated with (the JWKS), including keys not active yet.</summary>
    public async Task<IReadOnlyList<LoadedKey>> GetPublishedKeysAsync(CancellationToken cancellationToken) =>
        (await GetSnapshotAsync(cancellationToken)).Published;

    /// <summary>The next read goes to the database (throttled to once a second).</summary>
    public void RequestReload() => _reloadRequested = true;

    /// <summary>
    /// Creates an immediately active key when none is active, and schedules the next key when the active
    /// one is due for rotation and no successor is waiting. Replicas starting or rotating at the same
    /// moment take turns on a transaction-scoped advisory lock, so one of them creates the key and the
    /// others find it (each attempt of the execution strategy gets a fresh context).
    /// </summary>
    public async Task EnsureCurrentKeyAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var strategy = scope.ServiceProvider.GetRequiredService<UserDbContext>().Database.CreateExecutionStrategy();
        await strategy.ExecuteAsync(async ct =>
        {
            await using var attempt = scopes.CreateAsyncScope();
            var db = attempt.ServiceProvider.GetRequiredService<UserDbContext>();
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({KeyCreationLock})", ct);

            var now = timeProvider.GetUtcNow();
            var latest = await db.SigningKeys.AsNoTracking().OrderByDescending(k => k.ActivatesAt).FirstOrDefaultAsync(ct);
            DateTimeOffset? activatesAt = latest is null ? now
                : latest.ActivatesAt <= now && now - latest.ActivatesAt >= tokenOptions.Value.SigningKeyRotationInterval ? now + tokenOptions.Value.SigningKeyActivationDelay
                : null;
            if (activatesAt is { } at)
            {
                await AddKeyAsync(db, at, ct);
            }

            await transaction.CommitAsync(ct);
        }, cancellationToken);
    }

    /// <summary>Publishes a new key now; it signs once <see cref="TokenIssuingOptions.SigningKeyActivationDelay"/> has passed.</summary>
    public Task<SigningKey> RotateAsync(UserDbContext db, CancellationToken cancellationToken) =>
        AddKeyAsync(db, timeProvider.GetUtcNow() + tokenOptions.Value.SigningKeyActivationDelay, cancellationToken);

    private async Task<SigningKey> AddKeyAsync(UserDbContext db, DateTimeOffset activatesAt, CancellationToken cancellationToken)
    {
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var key = new SigningKey(Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(12)), ecdsa.ExportPkcs8PrivateKey(), timeProvider.GetUtcNow(), activatesAt);
        db.SigningKeys.Add(key);
        await db.SaveChangesAsync(cancellationToken);
        _snapshot = null;
        Log.SigningKeyCreated(logger, key.Id, activatesAt);
        return key;
    }

    private async Task<Snapshot> GetSnapshotAsync(CancellationToken cancellationToken)
    {
        var snapshot = _snapshot;
        if (snapshot is not null && !IsStale(snapshot))
        {
            return snapshot;
        }

        await _loadLock.WaitAsync(cancellationToken);
        try
        {
            snapshot = _snapshot;
            if (snapshot is not null && !IsStale(snapshot))
            {
                return snapshot;
            }

            _reloadRequested = false;
            _snapshot = snapshot = await LoadAsync(cancellationToken);
            return snapshot;
        }
        finally
        {
            _loadLock.Release();
        }
    }

    private bool IsStale(Snapshot snapshot)
    {
        var age = timeProvider.GetUtcNow() - snapshot.LoadedAt;
        return age >= CacheFor || (_reloadRequested && age >= MinimumReloadInterval);
    }

    private async Task<Snapshot> LoadAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<UserDbContext>();
        var rows = await db.SigningKeys.AsNoTracking().OrderByDescending(k => k.ActivatesAt).ToListAsync(cancellationToken);

        var now = timeProvider.GetUtcNow();
        var options = tokenOptions.Value;
        var tokensLiveFor = (options.AccessTokenLifetime > options.ServiceTokenLifetime ? options.AccessTokenLifetime : options.ServiceTokenLifetime)
            + PublishedAfterSupersededMargin;

        // rows[i - 1] is the successor of rows[i]; a key stays published until its successor has been
        // signing for longer than any token lives.
        var keys = rows.Select(LoadedKey.From).ToList();
        var published = keys.Where((_, i) => i == 0 || rows[i - 1].ActivatesAt > now - tokensLiveFor).ToList();
        return new Snapshot(keys, published, now);
    }

    private sealed record Snapshot(IReadOnlyList<LoadedKey> Keys, IReadOnlyList<LoadedKey> Published, DateTimeOffset LoadedAt);
}

/// <summary>A signing key ready for use: the private key for signing, the public one for validating and publishing.</summary>
public sealed class LoadedKey
{
    private LoadedKey(string id, DateTimeOffset activatesAt, ECDsaSecurityKey privateKey, ECDsaSecurityKey publicKey, ECParameters publicParameters)
    {
        Id = id;
        ActivatesAt = activatesAt;
        PrivateKey = privateKey;
        PublicKey = publicKey;
        PublicParameters = publicParameters;
    }

    public string Id { get; }

    public DateTimeOffset ActivatesAt { get; }

    public ECDsaSecurityKey PrivateKey { get; }

    public ECDsaSecurityKey PublicKey { get; }

    public ECParameters PublicParameters { get; }

    public static LoadedKey From(SigningKey row)
    {
        var ecdsa = ECDsa.Create();
        ecdsa.ImportPkcs8PrivateKey(row.PrivateKey, out _);
        var publicParameters = ecdsa.ExportParameters(includePrivateParameters: false);
        return new LoadedKey(
            row.Id,
            row.ActivatesAt,
            new ECDsaSecurityKey(ecdsa) { KeyId = row.Id },
            new ECDsaSecurityKey(ECDsa.Create(publicParameters)) { KeyId = row.Id },
            publicParameters);
    }
}
