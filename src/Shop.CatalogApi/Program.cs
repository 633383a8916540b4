using JasperFx;
using Shop.CatalogApi.Apis;
using Shop.CatalogApi.Extensions;
using Shop.ServiceDefaults;
using Shop.ServiceDefaults.Idempotency;
using Shop.ServiceDefaults.Messaging;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddCatalogServices();

var app = builder.Build();

app.UseServiceDefaults();
app.UseIdempotency();
app.MapDefaultEndpoints();

app.MapCategoriesApi();
app.MapProductsApi();
app.MapStockApi();
app.MapReservationsApi();
app.MapDeadLettersApi();

// Runs the service, or a Wolverine command (`dotnet run -- codegen write` regenerates Internal/Generated).
return await app.RunJasperFxCommands(args);
