namespace Shop.PaymentApi.Services;

public static class CardBrands
{
    /// <summary>The brand by the number's issuer prefix.</summary>
    public static string Of(string digits) => digits switch
    {
        ['4', ..] => "visa",
        ['3', '4' or '7', ..] => "amex",
        ['5', >= '1' and <= '5', ..] => "mastercard",
        ['2', >= '2' and <= '7', ..] => "mastercard",
        ['6', '0', '1', '1', ..] or ['6', '5', ..] => "discover",
        _ => "unknown",
    };
}
