namespace Shop.ServiceDefaults.Authentication;

/// <summary>The roles an access token can carry, and the authorization policies built on them.</summary>
public static class ShopRoles
{
    /// <summary>Every registered account.</summary>
    public const string Customer = "customer";

    /// <summary>Staff who manage users, the catalog and orders.</summary>
    public const string Admin = "admin";

    /// <summary>A service calling another through client credentials; never held by a person.</summary>
    public const string Service = "service";

    /// <summary>The roles an account can be given; <see cref="Service"/> is not one of them.</summary>
    public static readonly IReadOnlyList<string> UserRoles = [Customer, Admin];
}

public static class ShopPolicies
{
    public const string Customer = "customer";
    public const string Admin = "admin";
    public const string Service = "service";
    /// <summary>An admin, or a service acting for the system (reads that both need).</summary>
    public const string AdminOrService = "admin-or-service";
}

/// <summary>The claim names in Shop's access tokens (JWT registered names; no Microsoft claim-type mapping).</summary>
public static class ShopClaims
{
    public const string Subject = "sub";
    public const string Email = "email";
    public const string Role = "role";
    public const string SessionId = "sid";
    public const string IssuedAt = "iat";
    public const string ClientId = "client_id";
}
