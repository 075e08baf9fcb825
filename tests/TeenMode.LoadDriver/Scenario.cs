namespace TeenMode.LoadDriver;

/// <summary>What one cell of the load sends.</summary>
internal enum Scenario
{
    /// <summary>POST heartbeats, each (subject, device, sequence) new, so every acknowledged one must be counted once.</summary>
    Heartbeats,

    /// <summary>GET usage at an allowed local time: every minor is allowed.</summary>
    Usage,

    /// <summary>GET usage at 23:00 local (22:00–06:00 curfew): every minor is refused, and each refusal is recorded as a blocked attempt.</summary>
    UsageCurfew,
}

internal static class Scenarios
{
    public static readonly Scenario[] All = [Scenario.Heartbeats, Scenario.Usage, Scenario.UsageCurfew];

    public static string Wire(this Scenario scenario) => scenario switch
    {
        Scenario.Heartbeats => "heartbeats",
        Scenario.Usage => "usage",
        Scenario.UsageCurfew => "usage-curfew",
        _ => throw new ArgumentOutOfRangeException(nameof(scenario)),
    };

    public static Scenario Parse(string text)
    {
        foreach (var scenario in All)
        {
            if (string.Equals(scenario.Wire(), text.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                return scenario;
            }
        }

        throw new UsageException($"未知场景 / unknown scenario '{text}': use {string.Join(", ", All.Select(x => x.Wire()))}");
    }
}

/// <summary>Where the sample app keeps its state, and how many instances share it.</summary>
internal sealed record StoreConfig(string Store, int Instances)
{
    public const string Sqlite = "sqlite";
    public const string Postgres = "postgres";

    public static readonly StoreConfig[] Matrix = [new(Sqlite, 1), new(Postgres, 1), new(Postgres, 2)];

    public string Label => Store == Sqlite ? "SQLite" : "PostgreSQL";

    /// <summary><c>sqlite</c>, <c>postgres</c> or <c>postgres:2</c> (instances after the colon).</summary>
    public static StoreConfig Parse(string text)
    {
        var parts = text.Trim().ToLowerInvariant().Split(':');
        var instances = 1;
        if (parts.Length > 2 || (parts.Length == 2 && (!int.TryParse(parts[1], System.Globalization.CultureInfo.InvariantCulture, out instances) || instances is < 1 or > 8)))
        {
            throw new UsageException($"存储配置无效 / bad store configuration '{text}': use sqlite, postgres or postgres:N (N 1 to 8)");
        }

        return parts[0] switch
        {
            Sqlite or Postgres => new(parts[0], instances),
            _ => throw new UsageException($"未知存储 / unknown store '{parts[0]}': use sqlite or postgres"),
        };
    }

    public override string ToString() => Instances == 1 ? Store : $"{Store}:{Instances}";
}
