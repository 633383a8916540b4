using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Http;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Simmy;
using Polly.Telemetry;
using Shop.ServiceDefaults.Authentication;

namespace Shop.ServiceDefaults.Resilience;

public static class ChaosExtensions
{
    /// <summary>
    /// Opt-in fault injection (<see cref="ChaosOptions"/>) into every outgoing HttpClient except the one that
    /// fetches token signing keys: that one authenticates incoming requests, and its failures would test
    /// token validation rather than the calls between services.
    /// </summary>
    public static IHostApplicationBuilder AddHttpChaos(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ChaosOptions>()
            .BindConfiguration(ChaosOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<IHttpMessageHandlerBuilderFilter, ChaosHandlerFilter>();
        return builder;
    }

    /// <summary>
    /// A filter rather than a handler added in ConfigureHttpClientDefaults: it runs after each client's own
    /// configuration, so the chaos handler is the innermost one, below the resilience handler a client
    /// ends up with (even one that replaced the default). Its retries, attempt timeouts and circuit breaker
    /// meet the injected faults as they would meet real ones.
    /// </summary>
    private sealed class ChaosHandlerFilter(IOptions<ChaosOptions> options, ILoggerFactory loggerFactory) : IHttpMessageHandlerBuilderFilter
    {
        private readonly Lazy<ResiliencePipeline<HttpResponseMessage>> _pipeline = new(() => BuildPipeline(options.Value, loggerFactory));

        public Action<HttpMessageHandlerBuilder> Configure(Action<HttpMessageHandlerBuilder> next) => builder =>
        {
            next(builder);
            if (options.Value.Enabled && builder.Name != AuthenticationExtensions.JwksHttpClientName)
            {
                builder.AdditionalHandlers.Add(new ResilienceHandler(_pipeline.Value));
            }
        };

        private static ResiliencePipeline<HttpResponseMessage> BuildPipeline(ChaosOptions chaos, ILoggerFactory loggerFactory)
        {
            var pipeline = new ResiliencePipelineBuilder<HttpResponseMessage> { Name = "shop-chaos" };
            if (chaos.LatencyRate > 0)
            {
                pipeline.AddChaosLatency(chaos.LatencyRate, chaos.Latency);
            }

            if (chaos.FaultRate > 0)
            {
                pipeline.AddChaosFault(chaos.FaultRate, () => new HttpRequestException("Chaos: injected connection failure."));
            }

            if (chaos.OutcomeRate > 0)
            {
                pipeline.AddChaosOutcome(chaos.OutcomeRate, () => new HttpResponseMessage(System.Net.HttpStatusCode.ServiceUnavailable));
            }

            // Every injection is logged as a warning, so a chaos run's failures can be told from real ones (Polly
            // reports chaos events as information, and the services log Polly from warnings up: its per-call
            // information lines cost more than the calls they describe).
            return pipeline.ConfigureTelemetry(new TelemetryOptions
            {
                LoggerFactory = loggerFactory,
                SeverityProvider = args => args.Event.EventName.StartsWith("Chaos.", StringComparison.Ordinal) ? ResilienceEventSeverity.Warning : args.Event.Severity,
            }).Build();
        }
    }
}
