using System.CommandLine;
using TeenMode.Harness.Gating;
using TeenMode.Harness.Running;

namespace TeenMode.Harness.Cli;

/// <summary>What a run and its gate need from the command line.</summary>
internal sealed record GateSettings(string FailOn, IReadOnlyList<Waiver> Waivers, string? SigningKeyPem, int Parallel, RerunPlan? Rerun);

/// <summary>Which cases a re-run repeats and which verdicts it carries over.</summary>
internal sealed record RerunPlan(string RunId, IReadOnlySet<string> Only, IReadOnlyList<CarriedCase> Carried);

/// <summary>The options shared by <c>run</c> and <c>demo</c>: gate, signing, parallelism, re-run.</summary>
internal sealed class GateOptions
{
    private readonly Option<int> _parallel = new("--parallel")
    {
        Description = "不依赖虚拟时钟的检查最多同时运行几项 / how many clock-free cases may run at once",
        DefaultValueFactory = _ => 4,
    };

    private readonly Option<string?> _rerun = new("--rerun")
    {
        Description = "只重跑该 report.json 中失败或出错的检查，其余沿用 / re-run only the failed and errored cases of this report.json, carrying over the rest",
    };

    private readonly Option<string> _failOn = new("--fail-on")
    {
        Description = "此严重性及以上的失败会使退出码为 1 / failures at or above this severity exit 1 (critical, major, minor)",
        DefaultValueFactory = _ => "minor",
    };

    private readonly Option<string?> _waivers = new("--waivers") { Description = "豁免文件（JSON）/ waivers file (JSON)" };

    private readonly Option<string?> _sign = new("--sign") { Description = "用此 PEM 私钥为报告签名 / sign the reports with this PEM private key" };

    public GateOptions() => _failOn.AcceptOnlyFromAmong([.. Severities.All]);

    public void AddTo(Command command)
    {
        command.Options.Add(_failOn);
        command.Options.Add(_waivers);
        command.Options.Add(_sign);
        command.Options.Add(_parallel);
        command.Options.Add(_rerun);
    }

    public bool TryRead(Ui ui, ParseResult parse, Suites.Suite suite, Profiling.AppProfile profile, out GateSettings settings)
    {
        settings = new GateSettings(parse.GetValue(_failOn)!, [], null, parse.GetValue(_parallel), null);
        if (settings.Parallel is < 1 or > 64)
        {
            ui.Error("--parallel 须在 1 至 64 之间 / --parallel must be between 1 and 64");
            return false;
        }

        RerunPlan? rerun = null;
        if (parse.GetValue(_rerun) is { } previous && !TryReadRerun(ui, previous, suite, profile, out rerun))
        {
            return false;
        }

        IReadOnlyList<Waiver> waivers = [];
        if (parse.GetValue(_waivers) is { } file)
        {
            try
            {
                waivers = WaiverLoader.Load(file);
            }
            catch (TeenModeConfigurationException ex)
            {
                ui.ConfigErrors(ex);
                return false;
            }
        }

        string? pem = null;
        if (parse.GetValue(_sign) is { } keyFile)
        {
            try
            {
                pem = File.ReadAllText(keyFile);

                // Refuse a bad key before the run, not after it.
                Trust.ReportSigner.EnsurePrivateKey(pem);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
            {
                ui.Error($"--sign {keyFile}: 不是可用的 PEM 私钥 / not a usable PEM private key: {ex.Message}");
                return false;
            }
        }

        settings = settings with { Waivers = waivers, SigningKeyPem = pem, Rerun = rerun };
        return true;
    }

    private static bool TryReadRerun(Ui ui, string path, Suites.Suite suite, Profiling.AppProfile profile, out RerunPlan? plan)
    {
        plan = null;
        Newtonsoft.Json.Linq.JObject report;
        try
        {
            report = Newtonsoft.Json.Linq.JObject.Parse(File.ReadAllText(path));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or Newtonsoft.Json.JsonException)
        {
            ui.Error($"--rerun {path}: 无法读取报告 / cannot read the report: {ex.Message}");
            return false;
        }

        if ((string?)report["suite"]?["id"] != suite.Id || report["checks"] is not Newtonsoft.Json.Linq.JArray checks)
        {
            ui.Error($"--rerun {path}: 不是套件 {suite.Id} 的 report.json / not a report.json of suite {suite.Id}");
            return false;
        }

        // A fixture check has one case per item of the profile's list, named by the item.
        var known = suite.Checks.SelectMany(c => c.Cases(profile.Fixtures)).Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
        var only = new HashSet<string>(StringComparer.Ordinal);
        var carried = new List<CarriedCase>();
        foreach (var c in checks)
        {
            var id = (string?)c["id"] ?? "";
            var verdict = Enum.GetValues<CaseVerdict>().FirstOrDefault(v => v.Wire() == (string?)c["verdict"], CaseVerdict.Error);
            if (!known.Contains(id))
            {
                continue;
            }

            if (verdict is CaseVerdict.Failed or CaseVerdict.Error)
            {
                only.Add(id);
            }
            else
            {
                carried.Add(new CarriedCase(id, verdict));
            }
        }

        // Cases the previous report lacks (a newer suite) must run too, or the verdict would ignore them.
        var carriedIds = carried.Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
        only.UnionWith(known.Where(id => !carriedIds.Contains(id)));
        plan = new RerunPlan((string?)report["runId"] ?? "", only, carried);
        return true;
    }
}
