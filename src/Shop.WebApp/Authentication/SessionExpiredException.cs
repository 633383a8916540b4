namespace Shop.WebApp.Authentication;

/// <summary>
/// The user's session ended (signed out elsewhere, refresh token refused, password changed, account deleted): the web
/// app signs the browser out and sends it to the sign-in page, which says why.
/// </summary>
public sealed class SessionExpiredException() : Exception("The session has ended; sign in again.");
