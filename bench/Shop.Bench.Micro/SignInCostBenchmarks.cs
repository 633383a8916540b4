using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Identity;

namespace Shop.Bench.Micro;

/// <summary>
/// What a sign-in costs user-api's CPU: one PBKDF2 verification with ASP.NET Core Identity's current
/// format (the same work for an unknown email, by design), beside a hash in the old V2 format.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class SignInCostBenchmarks
{
    private const string Password = "correct horse battery staple";
    private readonly PasswordHasher<object> _hasher = new();
    private readonly object _user = new();
    private string _currentHash = null!;
    private string _v2Hash = null!;

    [GlobalSetup]
    public void Setup()
    {
        _currentHash = _hasher.HashPassword(_user, Password);
        _v2Hash = new PasswordHasher<object>(Microsoft.Extensions.Options.Options.Create(new PasswordHasherOptions
        {
            CompatibilityMode = PasswordHasherCompatibilityMode.IdentityV2,
        })).HashPassword(_user, Password);
    }

    [Benchmark(Baseline = true, Description = "verify current format (PBKDF2-SHA512, 100k iterations)")]
    public PasswordVerificationResult VerifyCurrent() => _hasher.VerifyHashedPassword(_user, _currentHash, Password);

    [Benchmark(Description = "verify old V2 format (PBKDF2-SHA1, 1k iterations)")]
    public PasswordVerificationResult VerifyV2() => _hasher.VerifyHashedPassword(_user, _v2Hash, Password);
}
