using Newtonsoft.Json.Linq;
using TeenMode.Harness.Drivers;
using TeenMode.Harness.Profiling;
using TeenMode.Harness.Suites;
using TeenMode.Harness.Templating;

namespace TeenMode.Harness.Running;

/// <summary>One action tried by <see cref="ProfileProbe"/>.</summary>
/// <param name="Action">The action.</param>
/// <param name="Args">The arguments it was given.</param>
/// <param name="Result">What the driver did.</param>
public sealed record ProbeStep(string Action, JObject Args, DriverResult Result);

/// <summary>
/// A dry run of a profile: every mapped action once, on fresh synthetic subjects, in the order the suite first uses
/// them, with the arguments of its first use (values such as the subject id carried over from earlier answers), so an
/// auditor sees each request, answer and extracted field before a full run.
/// </summary>
public static class ProfileProbe
{
    /// <summary>Tries every action <paramref name="profile"/> maps; calls <paramref name="onStep"/> after each.</summary>
    public static async Task<IReadOnlyList<ProbeStep>> RunAsync(Suite suite, AppProfile profile, IDriver driver, string runId, Action<ProbeStep>? onStep = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(suite);
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(driver);
        ArgumentNullException.ThrowIfNull(runId);
        var firstUse = new Dictionary<string, (SuiteStep Step, Check Check)>(StringComparer.Ordinal);
        foreach (var check in suite.Checks)
        {
            foreach (var step in check.Steps)
            {
                firstUse.TryAdd(step.Action, (step, check));
            }
        }

        var order = new List<string> { "info" };
        order.AddRange(firstUse.Keys);
        order.AddRange(profile.Actions.Keys.Order(StringComparer.Ordinal));
        var state = new Dictionary<string, JToken>(StringComparer.Ordinal)
        {
            ["runId"] = runId,
            ["caseId"] = "probe",
            ["checkId"] = "probe",
            [SuiteLoader.IterationVariable] = 1,
        };
        var steps = new List<ProbeStep>();
        var pending = order.Distinct(StringComparer.Ordinal).Where(driver.Supports).ToList();
        while (pending.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();

            // An action whose arguments need a value no earlier answer gave yet (an item id) waits for one that does.
            var action = pending.FirstOrDefault(a => !firstUse.TryGetValue(a, out var u) || Ready(u, state)) ?? pending[0];
            pending.Remove(action);
            var args = new JObject();
            if (firstUse.TryGetValue(action, out var use))
            {
                args = ExpandKnown(use.Step.Args, Vars(use.Check, state));
            }

            foreach (var name in ActionVocabulary.Args[action].Where(n => args[n] is null && state.ContainsKey(n)))
            {
                args[name] = state[name].DeepClone();
            }

            var result = await driver.ExecuteAsync(action, args, cancellationToken).ConfigureAwait(false);
            var step = new ProbeStep(action, args, result);
            steps.Add(step);
            onStep?.Invoke(step);
            if (result.Error is null && result.Status is >= 200 and < 300)
            {
                // Ids and codes from this answer feed the later actions (a binding code, a report id, …).
                foreach (var field in result.Fields.Properties().Where(f => f.Name != "status" && f.Value.Type is JTokenType.String or JTokenType.Integer))
                {
                    state[field.Name] = field.Value;
                }

                foreach (var arg in args.Properties().Where(a => a.Value.Type is JTokenType.String or JTokenType.Integer))
                {
                    state.TryAdd(arg.Name, arg.Value);
                }
            }
        }

        return steps;
    }

    private static Dictionary<string, JToken> Vars(Check check, Dictionary<string, JToken> state)
    {
        var vars = new Dictionary<string, JToken>(state, StringComparer.Ordinal);
        foreach (var p in check.Parameters.Count > 0 ? check.Parameters[0].Vars.Properties() : [])
        {
            vars.TryAdd(p.Name, p.Value);
        }

        return vars;
    }

    private static bool Ready((SuiteStep Step, Check Check) use, Dictionary<string, JToken> state)
    {
        var vars = Vars(use.Check, state);
        return Template.References(use.Step.Args).All(r => r.Optional || vars.ContainsKey(r.Name));
    }

    // The step's arguments with every property whose variables are unknown here left out.
    private static JObject ExpandKnown(JObject args, Dictionary<string, JToken> vars)
    {
        var result = new JObject();
        foreach (var property in args.Properties())
        {
            if (Template.References(property.Value).All(r => vars.ContainsKey(r.Name) || r.Optional)
                && Template.Expand(property.Value, vars) is { } value)
            {
                result[property.Name] = value;
            }
        }

        return result;
    }
}
