using Microsoft.AspNetCore.Http.HttpResults;

namespace Shop.WebApp;

/// <summary>Where to go after signing in: only a path of this site, so a crafted link cannot send the user elsewhere.</summary>
public static class LocalUrl
{
    public static string OrHome(string? url) => RedirectHttpResult.IsLocalUrl(url) ? url! : "/";
}
