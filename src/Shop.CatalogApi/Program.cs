using Shop.CatalogApi.Apis;
using Shop.CatalogApi.Extensions;
using Shop.ServiceDefaults;
using Shop.ServiceDefaults.Messaging;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddCatalogServices();

var app = builder.Build();

app.UseServiceDefaults();
app.MapDefaultEndpoints();

app.MapCategoriesApi();
app.MapProductsApi();
app.MapStockApi();
app.MapReservationsApi();
app.MapDeadLettersApi();

app.Run();
