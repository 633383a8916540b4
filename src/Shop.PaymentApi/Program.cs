using Shop.PaymentApi.Apis;
using Shop.PaymentApi.Extensions;
using Shop.PaymentApi.Infrastructure;
using Shop.ServiceDefaults;
using Shop.ServiceDefaults.Idempotency;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddPaymentServices();

var app = builder.Build();

app.UseServiceDefaults();
app.UseIdempotency<PaymentDbContext>();
app.MapDefaultEndpoints();

app.MapPaymentsApi();

app.Run();
