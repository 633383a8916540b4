using System.Security.Claims;
using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Shop.ServiceDefaults.Authentication;

namespace Shop.Bench.Micro;

/// <summary>
/// What validating an access token costs each API per request, with the key set already fetched and
/// cached (as JwtBearer holds it): the ES256 signature check plus issuer, audience and lifetime,
/// exactly as ServiceDefaults configures them, and the revocation check every API adds after it (an
/// in-memory lookup of the token's session and account among 10,000 ended sessions and 1,000 changed
/// accounts). Creating a token is shown beside it.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class TokenValidationBenchmarks
{
    private readonly JsonWebTokenHandler _handler = new();
    private TokenValidationParameters _parameters = null!;
    private SecurityTokenDescriptor _descriptor = null!;
    private string _token = null!;
    private readonly RevokedSessions _revoked = new(TimeProvider.System);
    private ClaimsPrincipal _principal = null!;

    [GlobalSetup]
    public void Setup()
    {
        var key = new ECDsaSecurityKey(ECDsa.Create(ECCurve.NamedCurves.nistP256)) { KeyId = "bench" };
        _descriptor = AccessTokens.Descriptor(key);
        _token = _handler.CreateToken(_descriptor);
        _parameters = new TokenValidationParameters
        {
            ValidIssuer = "shop-user-api",
            ValidAudience = "shop",
            IssuerSigningKey = new ECDsaSecurityKey(ECDsa.Create(key.ECDsa.ExportParameters(false))) { KeyId = "bench" },
            ValidAlgorithms = [SecurityAlgorithms.EcdsaSha256],
            ClockSkew = TimeSpan.FromSeconds(30),
            RequireExpirationTime = true,
            RequireSignedTokens = true,
        };

        var forgetAt = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds();
        for (var i = 0; i < 10_000; i++)
        {
            _revoked.AddSession(Guid.NewGuid(), forgetAt);
        }

        for (var i = 0; i < 1_000; i++)
        {
            _revoked.AddAccount(Guid.NewGuid(), DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        }

        _principal = new ClaimsPrincipal(_handler.ValidateTokenAsync(_token, _parameters).GetAwaiter().GetResult().ClaimsIdentity);
    }

    [Benchmark(Baseline = true, Description = "validate ES256 access token")]
    public async Task<bool> Validate() => (await _handler.ValidateTokenAsync(_token, _parameters)).IsValid;

    [Benchmark(Description = "validate ES256 access token, then the revocation check")]
    public async Task<bool> ValidateAndCheckRevocation()
    {
        var result = await _handler.ValidateTokenAsync(_token, _parameters);
        return result.IsValid && !_revoked.Refuses(new ClaimsPrincipal(result.ClaimsIdentity));
    }

    [Benchmark(Description = "the revocation check alone (the principal JwtBearer built)")]
    public bool CheckRevocation() => _revoked.Refuses(_principal);

    [Benchmark(Description = "issue ES256 access token")]
    public string Issue() => _handler.CreateToken(_descriptor);
}
