using System.Buffers.Binary;
using Microsoft.IdentityModel.Tokens;

namespace Shop.CatalogApi.Services;

/// <summary>
/// Where the next page starts: the sort key and id of the last item of this page. Opaque to clients:
/// a fixed binary layout, base64url-encoded, that names its sort order and search, so it cannot be
/// replayed against another search. Altering the position inside only moves where a page starts.
/// </summary>
public sealed record ProductCursor(ProductSort Sort, long QueryFingerprint, decimal Price, float Rank, Guid LastId)
{
    private const byte Version = 1;
    private const int Length = 1 + 1 + 8 + 16 + 4 + 16;

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

        if (bytes.Length != Length || bytes[0] != Version || !Enum.IsDefined((ProductSort)bytes[1]))
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

        cursor = new ProductCursor((ProductSort)bytes[1], BinaryPrimitives.ReadInt64BigEndian(span[2..]), price, rank, new Guid(span[30..], bigEndian: true));
        return true;
    }
}
