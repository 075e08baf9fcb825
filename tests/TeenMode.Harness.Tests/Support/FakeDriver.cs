using Newtonsoft.Json.Linq;
using TeenMode.Harness.Drivers;

namespace TeenMode.Harness.Tests.Support;

/// <summary>An in-memory driver: each action answers from a script; fields are the body's top-level properties.</summary>
internal sealed class FakeDriver(params string[] capabilities) : IDriver
{
    private readonly Dictionary<string, Func<JObject, (int Status, JObject Body)>> _actions = new(StringComparer.Ordinal);

    private readonly Lock _lock = new();
    private readonly List<(string Action, JObject Args)> _calls = [];
    private int _inFlight;

    /// <summary>Every call so far, in arrival order (cases may run in parallel).</summary>
    public IReadOnlyList<(string Action, JObject Args)> Calls
    {
        get
        {
            lock (_lock)
            {
                return [.. _calls];
            }
        }
    }

    /// <summary>How long each call takes (to make overlap observable).</summary>
    public TimeSpan Delay { get; set; }

    /// <summary>The most calls ever in flight at once, per action.</summary>
    public Dictionary<string, int> MaxInFlight { get; } = new(StringComparer.Ordinal);

    public IReadOnlyCollection<string> Capabilities { get; } = capabilities;

    /// <summary>When set, every action fails with this transport error.</summary>
    public DriverError? TransportError { get; set; }

    public FakeDriver On(string action, Func<JObject, (int Status, JObject Body)> answer)
    {
        _actions[action] = answer;
        return this;
    }

    public bool Supports(string action) => _actions.ContainsKey(action);

    public async Task<DriverResult> ExecuteAsync(string action, JObject args, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            _calls.Add((action, args));
            _inFlight++;
            MaxInFlight[action] = Math.Max(MaxInFlight.GetValueOrDefault(action), _inFlight);
        }

        try
        {
            if (Delay > TimeSpan.Zero)
            {
                await Task.Delay(Delay, cancellationToken);
            }

            return Answer(action, args);
        }
        finally
        {
            lock (_lock)
            {
                _inFlight--;
            }
        }
    }

    private DriverResult Answer(string action, JObject args)
    {
        if (TransportError is { } error)
        {
            return new DriverResult(new JObject { ["status"] = null },
                new Exchange("POST", "/" + action, new Dictionary<string, string>(), args, null, new Dictionary<string, string>(), null, 0, 3), error);
        }

        var (status, body) = _actions[action](args);
        var fields = new JObject { ["status"] = status };
        foreach (var property in body.Properties())
        {
            fields[property.Name] = property.Value.DeepClone();
        }

        var exchange = new Exchange("POST", "/" + action, new Dictionary<string, string>(), args, status, new Dictionary<string, string>(), body, 1, 1);
        return new DriverResult(fields, exchange, null);
    }
}
