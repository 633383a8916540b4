using Shop.OrderApi.Apis;
using Shop.OrderApi.Extensions;
using Shop.ServiceDefaults;
using Shop.ServiceDefaults.Idempotency;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddOrderServices();

var app = builder.Build();

app.UseServiceDefaults();
app.UseIdempotency();
app.MapDefaultEndpoints();

app.MapCartApi();
app.MapOrdersApi();

app.Run();
