using Newtonsoft.Json.Linq;
using TeenMode.Harness.Drivers;

namespace TeenMode.Harness.Tests.Support;

/// <summary>An in-memory driver: each action answers from a script; fields are the body's top-level properties.</summary>
internal sealed class FakeDriver(params string[] capabilities) : IDriver
{
    private readonly Dictionary<string, Func<JObject, (int Status, JObject Body)>> _actions = new(StringComparer.Ordinal);

    public List<(string Action, JObject Args)> Calls { get; } = [];

    public IReadOnlyCollection<string> Capabilities { get; } = capabilities;

    /// <summary>When set, every action fails with this transport error.</summary>
    public DriverError? TransportError { get; set; }

    public FakeDriver On(string action, Func<JObject, (int Status, JObject Body)> answer)
    {
        _actions[action] = answer;
        return this;
    }

    public bool Supports(string action) => _actions.ContainsKey(action);

    public Task<DriverResult> ExecuteAsync(string action, JObject args, CancellationToken cancellationToken = default)
    {
        Calls.Add((action, args));
        if (TransportError is { } error)
        {
            return Task.FromResult(new DriverResult(new JObject { ["status"] = null },
                new Exchange("POST", "/" + action, new Dictionary<string, string>(), args, null, new Dictionary<string, string>(), null, 0, 3), error));
        }

        var (status, body) = _actions[action](args);
        var fields = new JObject { ["status"] = status };
        foreach (var property in body.Properties())
        {
            fields[property.Name] = property.Value.DeepClone();
        }

        var exchange = new Exchange("POST", "/" + action, new Dictionary<string, string>(), args, status, new Dictionary<string, string>(), body, 1, 1);
        return Task.FromResult(new DriverResult(fields, exchange, null));
    }
}
