using Microsoft.IdentityModel.Tokens;

namespace Shop.Bench.Micro;

/// <summary>Tokens shaped like user-api's access tokens (issuer, audience, 15 minutes, sub, sid, role, email, jti), for every token bench.</summary>
internal static class AccessTokens
{
    /// <summary>A new customer session's token description, signed with <paramref name="key"/> (ES256).</summary>
    public static SecurityTokenDescriptor Descriptor(SecurityKey key) => new()
    {
        Issuer = "shop-user-api",
        Audience = "shop",
        Expires = DateTime.UtcNow.AddMinutes(15),
        Claims = new Dictionary<string, object>
        {
            ["sub"] = Guid.NewGuid().ToString(),
            ["sid"] = Guid.NewGuid().ToString(),
            ["role"] = new[] { "customer" },
            ["email"] = "ada@example.com",
            ["jti"] = Guid.NewGuid().ToString("N"),
        },
        SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.EcdsaSha256),
    };
}
