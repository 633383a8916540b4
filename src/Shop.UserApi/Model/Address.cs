namespace Shop.UserApi.Model;

/// <summary>A postal address kept by its owner for shipping. Only the owner ever sees or changes it.</summary>
public sealed class Address
{
    // For EF Core materialization.
    private Address()
    {
    }

    public Address(Guid userId, AddressDetails details, DateTimeOffset now)
    {
        Id = Guid.CreateVersion7(now);
        UserId = userId;
        CreatedAt = now;
        Update(details, now);
    }

    public Guid Id { get; private set; }

    public Guid UserId { get; private set; }

    public string? Label { get; private set; }

    public string RecipientName { get; private set; } = null!;

    public string Line1 { get; private set; } = null!;

    public string? Line2 { get; private set; }

    public string City { get; private set; } = null!;

    public string? Region { get; private set; }

    public string PostalCode { get; private set; } = null!;

    /// <summary>ISO 3166-1 alpha-2, upper case.</summary>
    public string Country { get; private set; } = null!;

    public string? Phone { get; private set; }

    /// <summary>The address checkout offers first. At most one per user (a unique partial index); set through the API's default endpoint.</summary>
    public bool IsDefault { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    /// <summary>Makes a new address the default, when its user has none.</summary>
    public void MarkDefault() => IsDefault = true;

    public void Update(AddressDetails details, DateTimeOffset now)
    {
        Label = Clean(details.Label);
        RecipientName = details.RecipientName.Trim();
        Line1 = details.Line1.Trim();
        Line2 = Clean(details.Line2);
        City = details.City.Trim();
        Region = Clean(details.Region);
        PostalCode = details.PostalCode.Trim();
        Country = details.Country.Trim().ToUpperInvariant();
        Phone = Clean(details.Phone);
        UpdatedAt = now;
    }

    private static string? Clean(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}

/// <summary>The fields of an address as a customer enters them.</summary>
public sealed record AddressDetails(
    string? Label, string RecipientName, string Line1, string? Line2, string City, string? Region, string PostalCode, string Country, string? Phone);
