using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace Shop.UserApi.Services;

/// <summary>
/// user-api validates its own tokens against the key store directly (the other services fetch the same
/// keys from /.well-known/jwks.json). The configuration follows the store's cached snapshot.
/// </summary>
internal sealed class SigningKeyConfigurationManager(SigningKeyStore store) : IConfigurationManager<OpenIdConnectConfiguration>
{
    private (IReadOnlyList<LoadedKey> Keys, OpenIdConnectConfiguration Configuration)? _current;

    public async Task<OpenIdConnectConfiguration> GetConfigurationAsync(CancellationToken cancel)
    {
        var keys = await store.GetPublishedKeysAsync(cancel);
        if (_current is { } current && ReferenceEquals(current.Keys, keys))
        {
            return current.Configuration;
        }

        var configuration = new OpenIdConnectConfiguration();
        foreach (var key in keys)
        {
            configuration.SigningKeys.Add(key.PublicKey);
        }

        _current = (keys, configuration);
        return configuration;
    }

    public void RequestRefresh() => store.RequestReload();
}
