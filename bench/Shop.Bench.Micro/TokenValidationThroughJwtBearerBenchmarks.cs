using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;
using Shop.ServiceDefaults.Authentication;

namespace Shop.Bench.Micro;

/// <summary>
/// What authenticating a request costs an API, through the real path: ServiceDefaults'
/// <c>AddShopAuthentication</c> (JwtBearer, its token handler, the revocation check in OnTokenValidated
/// against 10,000 ended sessions and 1,000 changed accounts), with the key set already fetched (a
/// static configuration manager stands in for the JWKS fetch) and a new request scope per request.
/// Side by side: the plain JsonWebTokenHandler JwtBearer uses by default (before the cache), and the
/// caching handler meeting a token for the first time (signature checked, token remembered) or again.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
// Each "first sight" iteration validates this many tokens never seen by a fresh cache (minted, unmeasured, before it).
[InvocationCount(TokensPerIteration)]
public class TokenValidationThroughJwtBearerBenchmarks
{
    private const int TokensPerIteration = 2048;

    private ECDsaSecurityKey _signingKey = null!;
    private ServiceProvider _withoutCache = null!;
    private ServiceProvider _withCache = null!;
    private string _seen = null!;
    private string[] _fresh = [];
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        _signingKey = new ECDsaSecurityKey(ECDsa.Create(ECCurve.NamedCurves.nistP256)) { KeyId = "bench" };
        _withoutCache = BuildServices(cached: false);
        _withCache = BuildServices(cached: true);
        _seen = Bearer(Mint());
        foreach (var services in new[] { _withoutCache, _withCache })
        {
            // The first request builds the options and the handler; from the second the token is seen before.
            for (var i = 0; i < 2; i++)
            {
                if (!AuthenticateAsync(services, _seen).GetAwaiter().GetResult())
                {
                    throw new InvalidOperationException("The benchmark's token was refused.");
                }
            }
        }
    }

    [IterationSetup(Target = nameof(FirstSight))]
    public void FreshCacheAndTokens()
    {
        _withCache.Dispose();
        _withCache = BuildServices(cached: true);
        AuthenticateAsync(_withCache, Bearer(Mint())).GetAwaiter().GetResult();
        _fresh = [.. Enumerable.Range(0, TokensPerIteration).Select(_ => Bearer(Mint()))];
        _next = 0;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _withoutCache.Dispose();
        _withCache.Dispose();
    }

    [Benchmark(Baseline = true, Description = "JwtBearer, no cache (before): signature checked on every request")]
    public Task<bool> WithoutCache() => AuthenticateAsync(_withoutCache, _seen);

    [Benchmark(Description = "JwtBearer + cache, first sight: signature checked, token remembered")]
    public Task<bool> FirstSight() => AuthenticateAsync(_withCache, _fresh[_next++]);

    [Benchmark(Description = "JwtBearer + cache, seen before: no signature check")]
    public Task<bool> SeenBefore() => AuthenticateAsync(_withCache, _seen);

    private static async Task<bool> AuthenticateAsync(IServiceProvider services, string authorization)
    {
        await using var scope = services.CreateAsyncScope();
        var context = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        context.Request.Headers.Authorization = authorization;
        var result = await context.AuthenticateAsync(JwtBearerDefaults.AuthenticationScheme);
        return result.Succeeded;
    }

    private ServiceProvider BuildServices(bool cached)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Auth:JwksUri"] = "http://127.0.0.1:9/.well-known/jwks.json" });
        builder.AddShopAuthentication();

        var keySet = new OpenIdConnectConfiguration();
        keySet.SigningKeys.Add(JsonWebKeyConverter.ConvertFromECDsaSecurityKey(
            new ECDsaSecurityKey(ECDsa.Create(_signingKey.ECDsa.ExportParameters(false))) { KeyId = _signingKey.KeyId }));
        builder.Services.Replace(ServiceDescriptor.Singleton<IConfigurationManager<OpenIdConnectConfiguration>>(
            new StaticConfigurationManager<OpenIdConnectConfiguration>(keySet)));
        if (!cached)
        {
            builder.Services.PostConfigure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, bearer =>
            {
                bearer.TokenHandlers.Clear();
                bearer.TokenHandlers.Add(new JsonWebTokenHandler { MapInboundClaims = false });
            });
        }

        var services = builder.Services.BuildServiceProvider();
        var revoked = services.GetRequiredService<RevokedSessions>();
        var forgetAt = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds();
        for (var i = 0; i < 10_000; i++)
        {
            revoked.AddSession(Guid.NewGuid(), forgetAt);
        }

        for (var i = 0; i < 1_000; i++)
        {
            revoked.AddAccount(Guid.NewGuid(), DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        }

        return services;
    }

    private string Mint() => new JsonWebTokenHandler().CreateToken(AccessTokens.Descriptor(_signingKey));

    private static string Bearer(string token) => $"Bearer {token}";
}
