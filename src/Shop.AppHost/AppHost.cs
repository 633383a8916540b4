using Shop.AppHost.Infrastructure;

var builder = DistributedApplication.CreateBuilder(args);

// Postgres (one database per service) and Redis: containers or local processes, see Infrastructure:Mode.
var infrastructure = builder.AddShopInfrastructure();

// Services wait for their own data stores, not for each other: a peer that is down is what the
// resilience handlers and the checkout saga's recovery are for, in Azure as on a laptop.
var userApi = builder.AddProject<Projects.Shop_UserApi>("user-api")
    .WithReference(infrastructure.UserDb).WaitFor(infrastructure.UserDb)
    .WithHttpHealthCheck("/health")
    .WithExternalHttpEndpoints();

var catalogApi = builder.AddProject<Projects.Shop_CatalogApi>("catalog-api")
    .WithReference(infrastructure.CatalogDb).WaitFor(infrastructure.CatalogDb)
    .WithReference(infrastructure.Cache).WaitFor(infrastructure.Cache)
    .WithReference(userApi)
    .WithHttpHealthCheck("/health")
    .WithExternalHttpEndpoints();

var paymentApi = builder.AddProject<Projects.Shop_PaymentApi>("payment-api")
    .WithReference(infrastructure.PaymentDb).WaitFor(infrastructure.PaymentDb)
    .WithReference(userApi)
    .WithHttpHealthCheck("/health");

builder.AddProject<Projects.Shop_OrderApi>("order-api")
    .WithReference(infrastructure.OrderDb).WaitFor(infrastructure.OrderDb)
    .WithReference(infrastructure.Cache).WaitFor(infrastructure.Cache)
    .WithReference(catalogApi)
    .WithReference(paymentApi)
    .WithReference(userApi)
    .WithHttpHealthCheck("/health")
    .WithExternalHttpEndpoints();

builder.Build().Run();
