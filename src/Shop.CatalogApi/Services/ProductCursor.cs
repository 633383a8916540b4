using System.Buffers.Binary;
using Microsoft.IdentityModel.Tokens;

namespace Shop.CatalogApi.Services;

/// <summary>
/// Where the next page starts: the sort key and id of the last item of this page. Opaque to clients:
/// a fixed binary layout, base64url-encoded, that names its sort order and search, so it cannot be
/// replayed against another search. Altering the position inside only moves where a page starts.
/// </summary>
public sealed record ProductCursor(ProductSort Sort, long QueryFingerprint, decimal Price, float Rank, int UnitsSold, Guid LastId)
{
    // Version 1 had no units sold; its cursors (handed out before bestselling existed) still read, with 0.
    private const byte Version = 2;
    private const int Version1Length = 1 + 1 + 8 + 16 + 4 + 16;
    private const int Length = Version1Length + 4;

    public string Encode()
    {
        Span<byte> buffer = stackalloc byte[Length];
        buffer[0] = Version;
        buffer[1] = (byte)Sort;
        BinaryPrimitives.WriteInt64BigEndian(buffer[2..], QueryFingerprint);
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(Price, bits);
        for (var i = 0; i < 4; i++)
        {
            BinaryPrimitives.WriteInt32BigEndian(buffer[(10 + (4 * i))..], bits[i]);
        }

        BinaryPrimitives.WriteSingleBigEndian(buffer[26..], Rank);
        LastId.TryWriteBytes(buffer[30..], bigEndian: true, out _);
        BinaryPrimitives.WriteInt32BigEndian(buffer[46..], UnitsSold);
        return Base64UrlEncoder.Encode(buffer.ToArray());
    }

    public static bool TryDecode(string text, out ProductCursor cursor)
    {
        cursor = null!;
        byte[] bytes;
        try
        {
            bytes = Base64UrlEncoder.DecodeBytes(text);
        }
        catch (FormatException)
        {
            return false;
        }

        var known = (bytes.Length == Length && bytes[0] == Version) || (bytes.Length == Version1Length && bytes[0] == 1);
        if (!known || !Enum.IsDefined((ProductSort)bytes[1]))
        {
            return false;
        }

        var span = bytes.AsSpan();
        Span<int> bits = stackalloc int[4];
        for (var i = 0; i < 4; i++)
        {
            bits[i] = BinaryPrimitives.ReadInt32BigEndian(span[(10 + (4 * i))..]);
        }

        decimal price;
        try
        {
            price = new decimal(bits);
        }
        catch (ArgumentException)
        {
            return false;
        }

        var rank = BinaryPrimitives.ReadSingleBigEndian(span[26..]);
        if (!float.IsFinite(rank))
        {
            return false;
        }

        var unitsSold = bytes.Length == Length ? BinaryPrimitives.ReadInt32BigEndian(span[46..]) : 0;
        cursor = new ProductCursor(
            (ProductSort)bytes[1], BinaryPrimitives.ReadInt64BigEndian(span[2..]), price, rank, unitsSold, new Guid(span[30..46], bigEndian: true));
        return true;
    }
}
