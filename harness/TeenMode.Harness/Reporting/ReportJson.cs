using System.Globalization;
using System.Runtime.InteropServices;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using TeenMode.Harness.Drivers;
using TeenMode.Harness.Running;

namespace TeenMode.Harness.Reporting;

/// <summary>The canonical report (<c>report.json</c>): the source of truth that other formats are derived from.</summary>
public static class ReportJson
{
    /// <summary>Builds the JSON document.</summary>
    public static JObject Build(RunReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var summary = new JObject { ["total"] = report.Cases.Count };
        foreach (var (verdict, count) in report.Summary)
        {
            summary[verdict.Wire()] = count;
        }

        return new JObject
        {
            ["schemaVersion"] = RunReport.CurrentSchemaVersion,
            ["verdict"] = report.Verdict.Wire(),
            ["runId"] = report.RunId,
            ["harness"] = new JObject { ["version"] = HarnessInfo.Version },
            ["environment"] = new JObject
            {
                ["os"] = RuntimeInformation.OSDescription,
                ["runtime"] = RuntimeInformation.FrameworkDescription,
            },
            ["suite"] = new JObject
            {
                ["id"] = report.Suite.Id,
                ["formatVersion"] = Suites.SuiteLoader.FormatVersion,
                ["version"] = report.Suite.Version,
                ["title"] = Localized(report.Suite.Title),
                ["sha256"] = report.Suite.Sha256,
            },
            ["profile"] = new JObject
            {
                ["id"] = report.ProfileId,
                ["version"] = report.ProfileVersion,
                ["sha256"] = report.ProfileSha256,
            },
            ["target"] = report.Target,
            ["targetInfo"] = report.TargetInfo?.DeepClone(),
            ["capabilities"] = new JArray(report.Capabilities),
            ["notOffered"] = new JObject(report.NotOffered.Select(d => new JProperty(d.Key, Localized(d.Value)))),
            ["scope"] = new JArray(DeclaredScope.Of(report).Select(e => new JObject
            {
                ["capability"] = e.Capability,
                ["mandatory"] = e.Mandatory,
                ["state"] = e.State switch { ScopeState.Offered => "offered", ScopeState.NotOffered => "not-offered", _ => "undeclared" },
                ["statement"] = e.Statement is { } st ? Localized(st) : null,
            })),
            ["startedAt"] = Timestamp(report.StartedAt),
            ["finishedAt"] = Timestamp(report.FinishedAt),
            ["summary"] = summary,
            ["interrupted"] = report.Interrupted,
            ["rerunOf"] = report.RerunOf,
            ["carriedOver"] = new JArray(report.CarriedOver.Select(c => new JObject { ["id"] = c.Id, ["verdict"] = c.Verdict.Wire() })),
            ["gate"] = report.Gate is { } gate ? Gate(gate) : null,
            ["checks"] = new JArray(report.Cases.Select(Case)),
        };
    }

    /// <summary>The JSON text, indented, with a final newline.</summary>
    public static string Serialize(RunReport report) => Build(report).ToString(Formatting.Indented) + "\n";

    internal static string Timestamp(DateTimeOffset value) =>
        value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static JObject Gate(Gating.GateResult gate) => new()
    {
        ["failOn"] = gate.FailOn,
        ["exitCode"] = gate.ExitCode,
        ["failures"] = new JArray(gate.Failures.Select(f => new JObject
        {
            ["id"] = f.CaseId,
            ["treatment"] = f.Treatment switch
            {
                Gating.GateTreatment.Blocking => "blocking",
                Gating.GateTreatment.BelowThreshold => "below-threshold",
                _ => "waived",
            },
        })),
        ["staleWaivers"] = new JArray(gate.StaleWaivers.Select(Waiver)),
        ["expiredWaivers"] = new JArray(gate.ExpiredWaivers.Select(Waiver)),
    };

    private static JObject Waiver(Gating.Waiver w) => new()
    {
        ["checkId"] = w.CheckId,
        ["owner"] = w.Owner,
        ["reason"] = w.Reason,
        ["expires"] = w.Expires.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
    };

    private static JObject Localized(LocalizedText text) => new() { ["zh-CN"] = text.ZhCn, ["en"] = text.En };

    private static JObject Case(CaseResult c) => new()
    {
        ["id"] = c.Id,
        ["checkId"] = c.Check.Id,
        ["parameterSet"] = c.ParameterSet,
        ["title"] = Localized(c.Check.Title),
        ["function"] = c.Check.Function,
        ["severity"] = c.Check.Severity,
        ["requirementIds"] = new JArray(c.Check.RequirementIds),
        ["verdict"] = c.Verdict.Wire(),
        ["message"] = c.Message,
        ["durationMs"] = c.DurationMs,
        ["steps"] = new JArray(c.Steps.Select(Step)),
    };

    private static JObject Step(StepEvidence s)
    {
        var step = new JObject
        {
            ["step"] = s.Step,
            ["iteration"] = s.Iteration,
            ["action"] = s.Action,
        };
        step.Merge(Exchange(s.Exchange), new JsonMergeSettings { MergeNullValueHandling = MergeNullValueHandling.Merge });
        step["attempts"] = s.Exchange.Attempts;
        step["error"] = s.Error;
        step["note"] = s.Note;

        // A format-2 action may need several requests; the fields above are the last one's.
        step["requests"] = s.Exchanges.Count > 1 ? new JArray(s.Exchanges.Select(Exchange)) : null;
        return step;
    }

    private static JObject Exchange(Exchange e) => new()
    {
        ["method"] = e.Method,
        ["path"] = e.Path,
        ["requestHeaders"] = JObject.FromObject(e.RequestHeaders),
        ["requestBody"] = e.RequestBody?.DeepClone(),
        ["status"] = e.Status,
        ["responseHeaders"] = JObject.FromObject(e.ResponseHeaders),
        ["responseBody"] = e.ResponseBody?.DeepClone(),
        ["durationMs"] = e.DurationMs,
    };
}
