using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using TeenMode.Harness.Running;

namespace TeenMode.Harness.Reporting;

/// <summary>
/// Common Test Report Format (CTRF) JSON. CTRF has no <c>error</c> status, so an error verdict is
/// <c>other</c> with <c>rawStatus: "error"</c> — never passed or failed.
/// </summary>
public static class CtrfReport
{
    /// <summary>The CTRF specification version written.</summary>
    public const string SpecVersion = "1.0.0";

    /// <summary>Renders the report as indented JSON.</summary>
    public static string Render(RunReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var start = report.StartedAt.ToUnixTimeMilliseconds();
        var stop = report.FinishedAt.ToUnixTimeMilliseconds();
        var root = new JObject
        {
            ["reportFormat"] = "CTRF",
            ["specVersion"] = SpecVersion,
            ["reportId"] = DeterministicGuid(report.RunId).ToString(),
            ["timestamp"] = report.FinishedAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture),
            ["generatedBy"] = "teenmode " + HarnessInfo.Version,
            ["results"] = new JObject
            {
                ["tool"] = new JObject { ["name"] = "teenmode", ["version"] = HarnessInfo.Version },
                ["summary"] = new JObject
                {
                    ["tests"] = report.Cases.Count,
                    ["passed"] = report.Summary[CaseVerdict.Passed],
                    ["failed"] = report.Summary[CaseVerdict.Failed],
                    ["skipped"] = report.Summary[CaseVerdict.Skipped] + report.Summary[CaseVerdict.NotApplicable],
                    ["pending"] = 0,
                    ["other"] = report.Summary[CaseVerdict.Error],
                    ["suites"] = report.Cases.Select(c => c.Check.Function).Distinct(StringComparer.Ordinal).Count(),
                    ["start"] = start,
                    ["stop"] = stop,
                    ["duration"] = Math.Max(0, stop - start),
                },
                ["tests"] = new JArray(report.Cases.Select(Test)),
                ["environment"] = new JObject
                {
                    ["reportName"] = $"TeenMode {report.Suite.Id} {report.Suite.Version}",
                    ["appName"] = report.Target,
                    ["extra"] = new JObject { ["profile"] = $"{report.ProfileId} {report.ProfileVersion}" },
                },
                ["extra"] = new JObject { ["verdict"] = report.Verdict.Wire(), ["runId"] = report.RunId },
            },
        };
        return root.ToString(Formatting.Indented);
    }

    private static JObject Test(CaseResult c)
    {
        var test = new JObject
        {
            ["testId"] = c.Id,
            ["name"] = $"{c.Id} — {c.Check.Title.En}",
            ["status"] = c.Verdict switch
            {
                CaseVerdict.Passed => "passed",
                CaseVerdict.Failed => "failed",
                CaseVerdict.Skipped or CaseVerdict.NotApplicable => "skipped",
                _ => "other",
            },
            ["rawStatus"] = c.Verdict.Wire(),
            ["duration"] = c.DurationMs,
            ["suite"] = new JArray(c.Check.Function),
            ["tags"] = new JArray(c.Check.RequirementIds),
            ["labels"] = new JObject { ["checkId"] = c.Check.Id, ["function"] = c.Check.Function, ["severity"] = c.Check.Severity },
        };
        if (c.Verdict != CaseVerdict.Passed)
        {
            test["message"] = c.Message;
        }

        if (c.ParameterSet is not null)
        {
            test["parameters"] = new JObject { ["set"] = c.ParameterSet };
        }

        return test;
    }

    // The same run always gets the same report id, so re-rendering a report changes no byte.
    private static Guid DeterministicGuid(string runId)
    {
        var bytes = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes("ctrf:" + runId))[..16];
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x50);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true);
    }
}
