using Microsoft.Extensions.Diagnostics.HealthChecks;
using System.Net.Http.Headers;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;

namespace Shop.Tests.Infrastructure;

/// <summary>What every service gets from the skeleton: health, OpenAPI, ProblemDetails.</summary>
[Collection(ShopCollections.Platform)]
public sealed class PlatformTests(ShopAppFixture fixture) : SharedSystemTest
{
    public static TheoryData<string> Apis => [.. ShopAppFixture.ApiNames];

    [Fact]
    public void Every_resource_is_healthy()
    {
        foreach (var name in ShopAppFixture.AllResourceNames)
        {
            Assert.True(fixture.App.ResourceNotifications.TryGetCurrentState(name, out var state), $"{name} has no state");
            Assert.Equal(HealthStatus.Healthy, state.Snapshot.HealthStatus);
        }
    }

    [Theory]
    [MemberData(nameof(Apis))]
    public async Task Health_and_liveness_answer_200(string api)
    {
        using var client = fixture.CreateClient(api);

        foreach (var path in new[] { "/health", "/alive" })
        {
            using var response = await client.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
        }
    }

    [Theory]
    [MemberData(nameof(Apis))]
    public async Task Serves_a_valid_OpenAPI_document(string api)
    {
        using var client = fixture.CreateClient(api);

        using var response = await client.GetAsync("/openapi/v1.json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        var result = OpenApiDocument.Parse(text, "json", new OpenApiReaderSettings());
        Assert.Empty(result.Diagnostic?.Errors ?? []);
        Assert.NotNull(result.Document);
        Assert.StartsWith("Shop.", result.Document.Info.Title);
    }

    [Theory]
    [MemberData(nameof(Apis))]
    public async Task An_unknown_route_is_a_ProblemDetails_404(string api)
    {
        using var client = fixture.CreateClient(api);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/no-such-thing");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));

        using var response = await client.SendAsync(request);

        var problem = await response.ReadProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(404, problem.Status);
        Assert.False(string.IsNullOrEmpty(problem.TraceId), "the problem carries no traceId");
    }
}
