using System.ComponentModel.DataAnnotations;
using Shop.UserApi.Model;

namespace Shop.UserApi.Contracts;

public sealed record AddressRequest(
    [property: MaxLength(50)] string? Label,
    [property: Required, MaxLength(100)] string RecipientName,
    [property: Required, MaxLength(200)] string Line1,
    [property: MaxLength(200)] string? Line2,
    [property: Required, MaxLength(100)] string City,
    [property: MaxLength(100)] string? Region,
    [property: Required, MaxLength(20)] string PostalCode,
    [property: Required, RegularExpression("^[A-Za-z]{2}$", ErrorMessage = "Use the two-letter ISO 3166 country code, such as DE or US.")] string Country,
    [property: MaxLength(30), RegularExpression(@"^\+?[0-9 ()\-]{4,30}$", ErrorMessage = "Use digits, spaces, ( ) - and an optional leading +.")] string? Phone)
{
    public AddressDetails ToDetails() => new(Label, RecipientName, Line1, Line2, City, Region, PostalCode, Country, Phone);
}

public sealed record AddressResponse(
    Guid Id, string? Label, string RecipientName, string Line1, string? Line2, string City, string? Region,
    string PostalCode, string Country, string? Phone, bool IsDefault, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

public static class AddressMappings
{
    public static AddressResponse ToResponse(this Address address) => new(
        address.Id, address.Label, address.RecipientName, address.Line1, address.Line2, address.City, address.Region,
        address.PostalCode, address.Country, address.Phone, address.IsDefault, address.CreatedAt, address.UpdatedAt);
}
