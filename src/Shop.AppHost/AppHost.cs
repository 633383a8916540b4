using Shop.AppHost;
using Shop.AppHost.Infrastructure;

var builder = DistributedApplication.CreateBuilder(args);

// Every API runs as this many replicas (default 1) behind the orchestrator's load-balancing proxy:
// dotnet run --project src/Shop.AppHost -- --Shop:Replicas=3
var replicas = builder.ReplicaCount();

// Postgres (one database per service), Redis and the RabbitMQ broker of the integration events: containers or
// local processes, see Infrastructure:Mode.
var infrastructure = builder.AddShopInfrastructure();

// Identity secrets. The administrator account is ensured by user-api at every start; each service that
// calls another has its own client secret for the client-credentials grant.
var adminEmail = builder.AddParameter("admin-email", "admin@shop.example", publishValueAsDefault: true);
var adminPassword = builder.AddParameter("admin-password", new GenerateParameterDefault { MinLength = 24, Special = false }, secret: true, persist: true);
var orderApiClientSecret = builder.AddParameter("order-api-client-secret", new GenerateParameterDefault { MinLength = 32, Special = false }, secret: true, persist: true);

// Keys of the request fingerprints that idempotency records keep (requests carry card numbers).
var catalogIdempotencySecret = builder.AddParameter("catalog-idempotency-secret", new GenerateParameterDefault { MinLength = 32, Special = false }, secret: true, persist: true);
var orderIdempotencySecret = builder.AddParameter("order-idempotency-secret", new GenerateParameterDefault { MinLength = 32, Special = false }, secret: true, persist: true);
var paymentIdempotencySecret = builder.AddParameter("payment-idempotency-secret", new GenerateParameterDefault { MinLength = 32, Special = false }, secret: true, persist: true);

// Services wait for their own data stores, not for each other (every API uses Redis at least for the
// revoked sessions that user-api shares): a peer that is down is what the
// resilience handlers and the checkout saga's recovery are for, in Azure as on a laptop.
var userApi = builder.AddProject<Projects.Shop_UserApi>("user-api")
    .WithReference(infrastructure.UserDb).WaitFor(infrastructure.UserDb)
    .WithReference(infrastructure.Cache).WaitFor(infrastructure.Cache)
    .WithReference(infrastructure.Messaging).WaitFor(infrastructure.Messaging)
    .WithEnvironment("Auth__Admin__Email", adminEmail)
    .WithEnvironment("Auth__Admin__Password", adminPassword)
    .WithEnvironment("Auth__Clients__order-api__Secret", orderApiClientSecret)
    .WithShopServiceDefaults(replicas)
    .WithExternalHttpEndpoints();

// The base of the absolute URLs in user-api's discovery document: its own endpoint as clients reach it
// (the ingress's HTTPS address when published), never the Host header of a request.
userApi.WithEnvironment("Auth__PublicBaseUrl", userApi.GetEndpoint(builder.ExecutionContext.IsPublishMode ? "https" : "http"));

// The other APIs validate user-api's tokens with the keys it publishes (WithAccessTokensFrom); user-api
// checks its own against its key store and needs no address for them.

var catalogApi = builder.AddProject<Projects.Shop_CatalogApi>("catalog-api")
    .WithReference(infrastructure.CatalogDb).WaitFor(infrastructure.CatalogDb)
    .WithReference(infrastructure.Cache).WaitFor(infrastructure.Cache)
    .WithReference(infrastructure.Messaging).WaitFor(infrastructure.Messaging)
    .WithReference(userApi).WithAccessTokensFrom(userApi)
    .WithEnvironment("Idempotency__FingerprintSecret", catalogIdempotencySecret)
    .WithShopServiceDefaults(replicas)
    .WithExternalHttpEndpoints();

// Benchmarks load a large demo catalog: dotnet run --project src/Shop.AppHost -- --Catalog:SeedProductCount=100000
if (builder.Configuration["Catalog:SeedProductCount"] is { Length: > 0 } seedProductCount)
{
    catalogApi.WithEnvironment("Catalog__SeedProductCount", seedProductCount);
}

var paymentApi = builder.AddProject<Projects.Shop_PaymentApi>("payment-api")
    .WithReference(infrastructure.PaymentDb).WaitFor(infrastructure.PaymentDb)
    .WithReference(infrastructure.Cache).WaitFor(infrastructure.Cache)
    .WithReference(infrastructure.Messaging).WaitFor(infrastructure.Messaging)
    .WithReference(userApi).WithAccessTokensFrom(userApi)
    .WithEnvironment("Idempotency__FingerprintSecret", paymentIdempotencySecret)
    .WithShopServiceDefaults(replicas);

var orderApi = builder.AddProject<Projects.Shop_OrderApi>("order-api")
    .WithReference(infrastructure.OrderDb).WaitFor(infrastructure.OrderDb)
    .WithReference(infrastructure.Cache).WaitFor(infrastructure.Cache)
    .WithReference(infrastructure.Messaging).WaitFor(infrastructure.Messaging)
    .WithReference(catalogApi)
    .WithReference(paymentApi)
    .WithReference(userApi).WithAccessTokensFrom(userApi)
    .WithServiceIdentity(userApi, "order-api", orderApiClientSecret)
    .WithEnvironment("Idempotency__FingerprintSecret", orderIdempotencySecret)
    .WithShopServiceDefaults(replicas)
    .WithExternalHttpEndpoints();

// The storefront: server-rendered pages over the APIs (never a database). Redis holds its sessions' tokens and the
// data protection keys its replicas share.
builder.AddProject<Projects.Shop_WebApp>("webapp")
    .WithReference(infrastructure.Cache).WaitFor(infrastructure.Cache)
    .WithReference(userApi)
    .WithReference(catalogApi)
    .WithReference(orderApi)
    .WithShopServiceDefaults(replicas)
    .WithExternalHttpEndpoints();

builder.Build().Run();
