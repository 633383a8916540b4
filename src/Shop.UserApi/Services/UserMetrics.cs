using System.Diagnostics.Metrics;

namespace Shop.UserApi.Services;

/// <summary>Business metrics of user-api, on the meter named after the service.</summary>
public sealed class UserMetrics
{
    public const string MeterName = "Shop.UserApi";

    private readonly Counter<long> _signIns;
    private readonly Counter<long> _registrations;
    private readonly Counter<long> _serviceTokens;

    public UserMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _signIns = meter.CreateCounter<long>("shop.user.sign_ins", description: "Password sign-in attempts by result.");
        _registrations = meter.CreateCounter<long>("shop.user.registrations", description: "Accounts created.");
        _serviceTokens = meter.CreateCounter<long>("shop.user.service_tokens", description: "Client-credentials requests by result.");
    }

    public void SignIn(string result) => _signIns.Add(1, new KeyValuePair<string, object?>("result", result));

    public void Registered() => _registrations.Add(1);

    public void ServiceToken(string result) => _serviceTokens.Add(1, new KeyValuePair<string, object?>("result", result));
}
