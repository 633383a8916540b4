using Microsoft.IdentityModel.Tokens;

namespace Shop.UserApi.Apis;

/// <summary>An opaque keyset cursor: the last id of the page, base64url-encoded.</summary>
internal static class PageCursor
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
