using Shop.ServiceDefaults;
using Shop.UserApi.Apis;
using Shop.UserApi.Extensions;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddUserServices();

var app = builder.Build();

app.UseServiceDefaults();
app.UseRateLimiter();
app.MapDefaultEndpoints();

app.MapUsersApi();
app.MapAuthApi();
app.MapAddressesApi();
app.MapDiscoveryApi();

app.Run();
