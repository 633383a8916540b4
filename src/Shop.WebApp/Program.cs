using Shop.ServiceDefaults;
using Shop.WebApp;
using Shop.WebApp.Authentication;
using Shop.WebApp.Components;
using Shop.WebApp.Extensions;

var builder = WebApplication.CreateBuilder(args);

builder.AddHostDefaults();
builder.AddWebAppServices();

var app = builder.Build();

app.UseHostDefaults();
app.UseMiddleware<SecurityHeadersMiddleware>();
// An API that cannot answer shows the "try again" page with its status; a session user-api ended signs the browser out.
app.UseExceptionHandler("/error", createScopeForErrors: true);
app.UseMiddleware<SessionExpiredMiddleware>();
app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
if (!app.Environment.IsDevelopment())
{
    app.UseHsts();
}

app.UseRequestLocalization();
app.UseAuthentication();
app.UseAuthorization();
app.UseAntiforgery();
app.UseMiddleware<ExpiredFormMiddleware>();

app.MapHealthEndpoints();
app.MapStaticAssets();
app.MapAccountEndpoints();
// No page may be framed (its one-click forms could be clicked through a decoy): Blazor's own policy for the circuit says
// the same as the header every response gets.
app.MapRazorComponents<App>().AddInteractiveServerRenderMode(options => options.ContentSecurityFrameAncestorsPolicy = "'none'");

app.Run();
