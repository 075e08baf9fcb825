using System.Globalization;
using System.Text.Json;
using TeenMode.Rules;

namespace TeenMode.Benchmarks.Peers;

/// <summary>
/// The usage decision written as a Cedar policy set and as a Casbin model and policy, with every number taken from the
/// rule pack. Written from the rules' meaning (curfew is the half-open window [start, end), the budget is used up at
/// budget seconds), not from the SDK's code, so an SDK that drifts from that meaning disagrees with both.
/// </summary>
internal sealed class PeerPolicies
{
    // Cedar names, shared with peers.mjs through the policies file.
    private const string Namespace = "TeenMode";
    private const string SubjectType = Namespace + "::Subject";
    private const string BandType = Namespace + "::Band";
    private const string ActionType = Namespace + "::Action";
    private const string ResourceType = Namespace + "::App";
    private const string UseAction = "use";

    private const string CasbinModel = """
        [request_definition]
        r = sub, act, env

        [policy_definition]
        p = sub_rule, act, eft, reason

        [policy_effect]
        e = priority(p.eft) || deny

        [matchers]
        m = r.act == p.act && eval(p.sub_rule)
        """;

    private PeerPolicies(IReadOnlyList<(string Id, string Reason, string Text)> cedar, IReadOnlyList<string[]> casbin)
    {
        Cedar = cedar;
        Casbin = casbin;
    }

    /// <summary>Cedar policies by id, each with the reason code it stands for.</summary>
    public IReadOnlyList<(string Id, string Reason, string Text)> Cedar { get; }

    /// <summary>Casbin policy rows (sub_rule, act, eft, reason), first match wins.</summary>
    public IReadOnlyList<string[]> Casbin { get; }

    /// <summary>The Casbin model text.</summary>
    public static string CasbinModelText => CasbinModel;

    /// <summary>Denial reasons in the SDK's documented order (curfew, then budget): the one reported when both hold.</summary>
    public static IReadOnlyList<string> Precedence { get; } =
        [ReasonCode.Curfew.Value, ReasonCode.DailyLimitReached.Value, ReasonCode.TeenModeOff.Value, ReasonCode.Allowed.Value];

    /// <summary>Writes both engines' policies for <paramref name="pack"/>.</summary>
    public static PeerPolicies From(RulePack pack)
    {
        ArgumentNullException.ThrowIfNull(pack);
        var action = $"action == {ActionType}::\"{UseAction}\"";
        var cedar = new List<(string, string, string)>
        {
            (ReasonCode.TeenModeOff.Value, ReasonCode.TeenModeOff.Value, $"permit (principal, {action}, resource)\nwhen {{ !context.teenMode }};"),
            (ReasonCode.Allowed.Value, ReasonCode.Allowed.Value, $"permit (principal, {action}, resource)\nwhen {{ context.teenMode }};"),
        };
        var casbin = new List<string[]> { new[] { "r.sub.teenMode == false", UseAction, "allow", ReasonCode.TeenModeOff.Value } };

        // One curfew rule per distinct window; a window every band shares needs no band condition.
        foreach (var window in pack.Bands.GroupBy(b => (b.Curfew.Start, b.Curfew.End)))
        {
            var all = window.Count() == pack.Bands.Count;
            var cedarTime = Inside("context.localSecond", window.Key.Start, window.Key.End);
            var casbinTime = Inside("r.env.localSecond", window.Key.Start, window.Key.End);
            if (all)
            {
                cedar.Add((ReasonCode.Curfew.Value, ReasonCode.Curfew.Value, $"forbid (principal, {action}, resource)\nwhen {{ context.teenMode && ({cedarTime}) }};"));
                casbin.Add([casbinTime, UseAction, "deny", ReasonCode.Curfew.Value]);
                continue;
            }

            foreach (var band in window)
            {
                cedar.Add(($"{ReasonCode.Curfew.Value}:{band.Band.Id}", ReasonCode.Curfew.Value,
                    $"forbid (principal in {BandType}::\"{band.Band.Id}\", {action}, resource)\nwhen {{ context.teenMode && ({cedarTime}) }};"));
                casbin.Add([$"r.sub.band == '{band.Band.Id}' && ({casbinTime})", UseAction, "deny", ReasonCode.Curfew.Value]);
            }
        }

        // The budget is used up once the seconds counted reach it.
        foreach (var band in pack.Bands)
        {
            var budget = ((long)band.DailyMinutes.Value * 60).ToString(CultureInfo.InvariantCulture);
            cedar.Add(($"{ReasonCode.DailyLimitReached.Value}:{band.Band.Id}", ReasonCode.DailyLimitReached.Value,
                $"forbid (principal in {BandType}::\"{band.Band.Id}\", {action}, resource)\nwhen {{ context.teenMode && context.usedSeconds >= {budget} }};"));
            casbin.Add([$"r.sub.band == '{band.Band.Id}' && r.sub.usedSeconds >= {budget}", UseAction, "deny", ReasonCode.DailyLimitReached.Value]);
        }

        casbin.Add(["true", UseAction, "allow", ReasonCode.Allowed.Value]);
        return new PeerPolicies(cedar, casbin);
    }

    /// <summary>The Cedar policy set as text, each policy under a comment with its id.</summary>
    public string CedarText() => string.Join("\n\n", Cedar.Select(p => $"// {p.Id}\n{p.Text}"));

    /// <summary>The Casbin policy as CSV lines (quoted, since rules contain commas).</summary>
    public string CasbinCsv() => string.Join("\n", Casbin.Select(row => "p, " + string.Join(", ", row.Select(Quote))));

    /// <summary>The file peers.mjs loads.</summary>
    public string ToJson()
    {
        var document = new Dictionary<string, object>
        {
            ["cedar"] = new Dictionary<string, object>
            {
                ["subjectType"] = SubjectType,
                ["bandType"] = BandType,
                ["action"] = new Dictionary<string, string> { ["type"] = ActionType, ["id"] = UseAction },
                ["resource"] = new Dictionary<string, string> { ["type"] = ResourceType, ["id"] = "app" },
                ["policies"] = Cedar.ToDictionary(p => p.Id, p => p.Text, StringComparer.Ordinal),
                ["reasons"] = Cedar.ToDictionary(p => p.Id, p => p.Reason, StringComparer.Ordinal),
                ["precedence"] = Precedence,
            },
            ["casbin"] = new Dictionary<string, object>
            {
                ["model"] = CasbinModel,
                ["policies"] = Casbin,
                ["action"] = UseAction,
                ["reasonField"] = 3,
            },
        };
        return JsonSerializer.Serialize(document);
    }

    private static string Inside(string variable, TimeOnly start, TimeOnly end)
    {
        var from = PeerMix.SecondOf(start).ToString(CultureInfo.InvariantCulture);
        var to = PeerMix.SecondOf(end).ToString(CultureInfo.InvariantCulture);
        return start <= end
            ? $"{variable} >= {from} && {variable} < {to}"
            : $"{variable} >= {from} || {variable} < {to}";
    }

    private static string Quote(string field) => field.Contains(',', StringComparison.Ordinal) ? $"\"{field}\"" : field;
}
