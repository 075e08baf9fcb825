using System.Globalization;
using System.Text;
using TeenMode.Harness.Drivers;
using TeenMode.Harness.Profiling;
using TeenMode.Harness.Suites;

namespace TeenMode.Harness.Running;

/// <summary>A running app the self-test can drive; disposing it stops the app.</summary>
public interface ISelfTestTarget : IAsyncDisposable
{
    /// <summary>Where the app listens.</summary>
    Uri BaseAddress { get; }

    /// <summary>The conformance driver's shared secret.</summary>
    string ConformanceKey { get; }
}

/// <summary>A deliberately broken variant of the app and the checks it is meant to trip.</summary>
public sealed record SelfTestMutant(string Name, string Description, IReadOnlyList<string> TargetCheckIds);

/// <summary>Options for <see cref="SelfTest"/>.</summary>
public sealed class SelfTestOptions
{
    /// <summary>Options for each run.</summary>
    public HttpDriverOptions Driver { get; set; } = new();

    /// <summary>Called when a variant's run starts (name, or null for the compliant app).</summary>
    public Action<string?>? OnVariantStarting { get; set; }
}

/// <summary>One row of the detection matrix: a check and its verdict per variant.</summary>
public sealed record SelfTestRow(string CheckId, IReadOnlyList<CaseVerdict> Verdicts);

/// <summary>The outcome of a self-test: the detection matrix and what, if anything, is wrong with it.</summary>
public sealed record SelfTestResult(
    IReadOnlyList<string> Columns,
    IReadOnlyList<SelfTestRow> Rows,
    IReadOnlyDictionary<string, RunReport> Reports,
    IReadOnlyList<string> Problems,
    IReadOnlyList<string> Warnings)
{
    /// <summary>The compliant app's column name.</summary>
    public const string Compliant = "compliant";

    /// <summary>True when every check passes on the compliant app and fails on at least one mutant.</summary>
    public bool Succeeded => Problems.Count == 0;

    /// <summary>The matrix as aligned plain text (rows = checks, columns = variants).</summary>
    public string FormatMatrix()
    {
        var header = new List<string> { "check" };
        header.AddRange(Columns);
        var table = new List<List<string>> { header };
        table.AddRange(Rows.Select(r => new List<string> { r.CheckId }.Concat(r.Verdicts.Select(v => v.Wire())).ToList()));
        var widths = Enumerable.Range(0, header.Count).Select(i => table.Max(row => row[i].Length)).ToArray();
        var text = new StringBuilder();
        foreach (var row in table)
        {
            text.AppendLine(string.Join("  ", row.Select((cell, i) => cell.PadRight(widths[i]))).TrimEnd());
        }

        return text.ToString();
    }
}

/// <summary>
/// Proof of power: runs the suite against the compliant app and each mutant. Every check must pass on the
/// compliant app and be failed by at least one mutant, or it proves nothing.
/// </summary>
public static class SelfTest
{
    /// <summary>Runs the self-test; <paramref name="startTarget"/> starts a fresh app (mutant name, or null for compliant).</summary>
    public static async Task<SelfTestResult> RunAsync(
        Suite suite,
        AppProfile profile,
        IReadOnlyList<SelfTestMutant> mutants,
        Func<string?, CancellationToken, Task<ISelfTestTarget>> startTarget,
        SelfTestOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(suite);
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(mutants);
        ArgumentNullException.ThrowIfNull(startTarget);
        options ??= new SelfTestOptions();
        var variants = new List<string?> { null };
        variants.AddRange(mutants.Select(m => m.Name));
        var reports = new Dictionary<string, RunReport>(StringComparer.Ordinal);
        using var client = new HttpClient(new SocketsHttpHandler { UseCookies = false }) { Timeout = Timeout.InfiniteTimeSpan };
        foreach (var variant in variants)
        {
            options.OnVariantStarting?.Invoke(variant);
            var target = await startTarget(variant, cancellationToken).ConfigureAwait(false);
            await using (target.ConfigureAwait(false))
            {
                var driver = new HttpDriver(client, target.BaseAddress, profile,
                    new Dictionary<string, string> { ["conformanceKey"] = target.ConformanceKey }, options.Driver);
                reports[variant ?? SelfTestResult.Compliant] = await ConformanceRunner.RunAsync(
                    suite, profile, driver, target.BaseAddress.ToString(), new RunOptions { TimeProvider = options.Driver.TimeProvider }, cancellationToken).ConfigureAwait(false);
            }
        }

        var columns = variants.Select(v => v ?? SelfTestResult.Compliant).ToList();
        var rows = suite.Checks
            .Select(check => new SelfTestRow(check.Id, columns.Select(col => Verdicts.Worst(
                reports[col].Cases.Where(c => c.Check.Id == check.Id).Select(c => c.Verdict))).ToList()))
            .ToList();

        var problems = new List<string>();
        var warnings = new List<string>();
        foreach (var row in rows)
        {
            if (row.Verdicts[0] != CaseVerdict.Passed)
            {
                problems.Add($"{row.CheckId}: 在合规应用上未通过 / does not pass on the compliant app ({row.Verdicts[0].Wire()})");
            }

            if (!row.Verdicts.Skip(1).Contains(CaseVerdict.Failed))
            {
                problems.Add($"{row.CheckId}: 没有任何变异体使其失败 / no mutant makes it fail");
            }
        }

        foreach (var mutant in mutants)
        {
            var column = columns.IndexOf(mutant.Name);
            foreach (var target in mutant.TargetCheckIds)
            {
                var row = rows.Find(r => r.CheckId == target);
                if (row is null)
                {
                    warnings.Add($"{mutant.Name}: 目标检查项不在套件中 / targets check '{target}', which the suite lacks");
                }
                else if (row.Verdicts[column] != CaseVerdict.Failed)
                {
                    warnings.Add(string.Create(CultureInfo.InvariantCulture,
                        $"{mutant.Name}: 未被目标检查项发现 / not caught by its target check {target} ({row.Verdicts[column].Wire()})"));
                }
            }
        }

        return new SelfTestResult(columns, rows, reports, problems, warnings);
    }
}
