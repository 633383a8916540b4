using Microsoft.IdentityModel.Tokens;

namespace Shop.ServiceDefaults.Paging;

/// <summary>
/// An opaque keyset cursor for lists ordered by a (time-ordered, UUIDv7) id: the last id of the page,
/// base64url-encoded. Anything that does not decode to an id is refused, never a 500.
/// </summary>
public static class IdCursor
{
    public static string Encode(Guid lastId) => Base64UrlEncoder.Encode(lastId.ToByteArray());

    public static bool TryDecode(string cursor, out Guid lastId)
    {
        lastId = Guid.Empty;
        try
        {
            var bytes = Base64UrlEncoder.DecodeBytes(cursor);
            if (bytes.Length != 16)
            {
                return false;
            }

            lastId = new Guid(bytes);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
