using Newtonsoft.Json.Linq;

namespace TeenMode.Harness.Gating;

/// <summary>What changed between two <c>report.json</c> files, by case id.</summary>
/// <param name="NewFailures">Failed now, not failed in the baseline (or new and failed).</param>
/// <param name="Fixes">Failed in the baseline, passed now.</param>
/// <param name="OtherChanges">Other verdict changes, e.g. <c>passed → error</c>.</param>
/// <param name="ChangedEvidence">Same verdict, but the HTTP statuses or the response shape of the steps differ.</param>
/// <param name="Added">Cases only in the new report.</param>
/// <param name="Removed">Cases only in the baseline.</param>
public sealed record ReportDiffResult(
    IReadOnlyList<string> NewFailures,
    IReadOnlyList<string> Fixes,
    IReadOnlyList<string> OtherChanges,
    IReadOnlyList<string> ChangedEvidence,
    IReadOnlyList<string> Added,
    IReadOnlyList<string> Removed);

/// <summary>Compares two canonical JSON reports.</summary>
public static class ReportDiff
{
    /// <summary>Compares <paramref name="baseline"/> with <paramref name="current"/>.</summary>
    public static ReportDiffResult Compare(JObject baseline, JObject current)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(current);
        var before = Cases(baseline);
        var after = Cases(current);
        var newFailures = new List<string>();
        var fixes = new List<string>();
        var other = new List<string>();
        var evidence = new List<string>();
        foreach (var (id, now) in after)
        {
            var nowVerdict = (string?)now["verdict"];
            if (!before.TryGetValue(id, out var then))
            {
                if (nowVerdict == "failed")
                {
                    newFailures.Add(id);
                }

                continue;
            }

            var thenVerdict = (string?)then["verdict"];
            if (nowVerdict == "failed" && thenVerdict != "failed")
            {
                newFailures.Add(id);
            }
            else if (thenVerdict == "failed" && nowVerdict == "passed")
            {
                fixes.Add(id);
            }
            else if (thenVerdict != nowVerdict)
            {
                other.Add($"{id}: {thenVerdict} → {nowVerdict}");
            }
            else if (!JToken.DeepEquals(EvidenceShape(then), EvidenceShape(now)))
            {
                evidence.Add(id);
            }
        }

        return new ReportDiffResult(newFailures, fixes, other, evidence,
            after.Keys.Where(k => !before.ContainsKey(k)).ToList(),
            before.Keys.Where(k => !after.ContainsKey(k)).ToList());
    }

    private static Dictionary<string, JObject> Cases(JObject report) =>
        (report["checks"] as JArray ?? [])
            .OfType<JObject>()
            .Where(c => c["id"] is JValue)
            .GroupBy(c => (string)c["id"]!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);

    // Ids, receipts and timings differ on every run; what an auditor cares about is which calls were made,
    // what status came back and which fields the answers carried.
    private static JArray EvidenceShape(JObject c) =>
        new((c["steps"] as JArray ?? []).OfType<JObject>().Select(s => new JObject
        {
            ["action"] = s["action"]?.DeepClone(),
            ["method"] = s["method"]?.DeepClone(),
            ["status"] = s["status"]?.DeepClone(),
            ["fields"] = s["responseBody"] is JObject body ? new JArray(body.Properties().Select(p => p.Name).Order(StringComparer.Ordinal)) : null,
        }));
}
