using JasperFx;
using Shop.OrderApi.Apis;
using Shop.OrderApi.Extensions;
using Shop.ServiceDefaults;
using Shop.ServiceDefaults.Idempotency;
using Shop.ServiceDefaults.Messaging;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddOrderServices();

var app = builder.Build();

app.UseServiceDefaults();
app.UseIdempotency();
app.MapDefaultEndpoints();

app.MapCartApi();
app.MapOrdersApi();
app.MapDeadLettersApi();

// Runs the service, or a Wolverine command (`dotnet run -- codegen write` regenerates Internal/Generated).
return await app.RunJasperFxCommands(args);
