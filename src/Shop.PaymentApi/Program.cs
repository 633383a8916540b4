using Shop.PaymentApi.Apis;
using Shop.PaymentApi.Extensions;
using Shop.ServiceDefaults;
using Shop.ServiceDefaults.Idempotency;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddPaymentServices();

var app = builder.Build();

app.UseServiceDefaults();
app.UseIdempotency();
app.MapDefaultEndpoints();

app.MapPaymentsApi();

app.Run();
