using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using TeenMode.AntiAddiction;
using TeenMode.ParentalControl;
using TeenMode.Rules;

namespace TeenMode.Benchmarks.Peers;

/// <summary>
/// <c>peers</c>: the same usage decision from <see cref="UsageSnapshot.Decide"/>, a Cedar policy set and a Casbin model,
/// on one fixed-seed mix; every request must get the same decision and reason from all three. Without
/// <c>--check</c> it then times them in interleaved rounds and prints a markdown fragment.
/// </summary>
internal static class PeerComparison
{
    private const string Usage = """
        用法 / usage: TeenMode.Benchmarks peers [--check] [--rounds N] [--out FILE] [--emit DIR] [--peers-dir DIR]
          --check       只核对三者结论一致，不计时 / agreement only, no timing
          --rounds N    交替计时轮数（默认 5）/ interleaved timing rounds (default 5)
          --out FILE    另把 markdown 片段写入 FILE / also write the markdown fragment to FILE
          --emit DIR    把策略和请求文件留在 DIR，可直接交给 node peers.mjs / keep the policy and mix files in DIR for node peers.mjs
          --peers-dir   tests/peers 目录（默认从当前目录向上查找）/ the tests/peers folder (default: found upward)
        """;

    private const string Command = "dotnet run -c Release --project tests/TeenMode.Benchmarks -- peers";
    private const int MaxDisagreementsShown = 10;

    // Each engine runs about this long per round, so a round is long enough to measure and short enough to interleave.
    private static readonly TimeSpan RoundTarget = TimeSpan.FromMilliseconds(250);

    private static readonly string[] Engines = ["ours", "cedar", "casbin"];

    /// <summary>Runs the comparison; 0 when all agree, 1 on any disagreement, 2 when it cannot run.</summary>
    public static int Run(string[] args)
    {
        try
        {
            return RunChecked(args);
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception or JsonException or IOException)
        {
            Console.Error.WriteLine($"peers: 无法运行对比 / cannot run the comparison: {e.Message}");
            return 2;
        }
    }

    private static int RunChecked(string[] args)
    {
        var check = false;
        var rounds = 5;
        string? outFile = null;
        string? peersDir = null;
        string? emitDir = null;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--check":
                    check = true;
                    break;
                case "--rounds" when i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out rounds) && rounds > 0:
                    i++;
                    break;
                case "--out" when i + 1 < args.Length:
                    outFile = args[++i];
                    break;
                case "--emit" when i + 1 < args.Length:
                    emitDir = args[++i];
                    break;
                case "--peers-dir" when i + 1 < args.Length:
                    peersDir = args[++i];
                    break;
                default:
                    Console.Error.WriteLine(Usage);
                    return 2;
            }
        }

        peersDir ??= FindPeersDir();
        if (peersDir is null || !File.Exists(Path.Combine(peersDir, "peers.mjs")))
        {
            Console.Error.WriteLine("peers: 找不到 tests/peers/peers.mjs，请在仓库内运行或用 --peers-dir 指定 / cannot find tests/peers/peers.mjs: run inside the repository or pass --peers-dir");
            return 2;
        }

        if (!Directory.Exists(Path.Combine(peersDir, "node_modules")))
        {
            Console.Error.WriteLine($"peers: 缺少 node_modules，请先运行 npm ci --prefix {peersDir} / node_modules missing: run npm ci --prefix {peersDir} first");
            return 2;
        }

        var pack = RulePackLoader.LoadEmbedded(RulePackLoader.DefaultPackId);
        var requests = PeerMix.Generate(pack, PeerMix.DefaultCount);
        var policies = PeerPolicies.From(pack);
        var ours = new OurDecisions(pack, requests);

        var work = emitDir is null ? Directory.CreateTempSubdirectory("teenmode-peers-") : Directory.CreateDirectory(emitDir);
        try
        {
            var policiesFile = Path.Combine(work.FullName, "policies.json");
            var mixFile = Path.Combine(work.FullName, "mix.json");
            File.WriteAllText(policiesFile, policies.ToJson());
            File.WriteAllText(mixFile, PeerMix.ToJson(pack, requests));
            if (emitDir is not null)
            {
                File.WriteAllText(Path.Combine(work.FullName, "teen-mode.cedar"), policies.CedarText() + "\n");
                File.WriteAllText(Path.Combine(work.FullName, "model.conf"), PeerPolicies.CasbinModelText + "\n");
                File.WriteAllText(Path.Combine(work.FullName, "policy.csv"), policies.CasbinCsv() + "\n");
            }

            using var node = NodePeers.Start(peersDir, policiesFile, mixFile);

            var expected = ours.DecideAll();
            using var answer = node.Ask("decide");
            var disagreements = new List<string>();
            var agreed = Compare(requests, pack, expected, answer.RootElement, disagreements);
            if (disagreements.Count > 0)
            {
                Console.Error.WriteLine($"peers: {requests.Length} 个请求中有 {disagreements.Count} 个结论不一致 / {disagreements.Count} of {requests.Length} requests decided differently; first ones:");
                foreach (var line in disagreements.Take(MaxDisagreementsShown))
                {
                    Console.Error.WriteLine("  " + line);
                }

                return 1;
            }

            Console.Error.WriteLine($"peers: Cedar、Casbin 与 UsageSnapshot.Decide 在全部 {requests.Length} 个请求上结论一致 / Cedar and Casbin agree with UsageSnapshot.Decide on all {requests.Length} requests");
            if (check)
            {
                return 0;
            }

            using var info = node.Ask("info");
            var timings = TimeInterleaved(ours, node, rounds);
            var markdown = Markdown(pack, requests.Length, agreed, policies, timings, info.RootElement);
            Console.Out.Write(markdown);
            if (outFile is not null)
            {
                File.WriteAllText(outFile, markdown);
            }

            return 0;
        }
        finally
        {
            if (emitDir is null)
            {
                work.Delete(recursive: true);
            }
        }
    }

    // Decision and reason for every request, one line per request that any peer decides otherwise; returns the
    // count of each outcome.
    private static SortedDictionary<string, int> Compare(PeerRequest[] requests, RulePack pack, (string Decision, string Reason)[] expected, JsonElement peers, List<string> disagreements)
    {
        var counts = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var engines = new[] { ("Cedar", peers.GetProperty("cedar")), ("Casbin", peers.GetProperty("casbin")) };
        for (var i = 0; i < requests.Length; i++)
        {
            var want = $"{expected[i].Decision} ({expected[i].Reason})";
            counts[want] = counts.GetValueOrDefault(want) + 1;
            var line = new StringBuilder();
            foreach (var (engine, list) in engines)
            {
                var got = $"{list[i][0].GetString()} ({list[i][1].GetString()})";
                if (got != want)
                {
                    line.Append(CultureInfo.InvariantCulture, $", {engine} {got}");
                }
            }

            if (line.Length > 0)
            {
                var r = requests[i];
                disagreements.Add(string.Create(CultureInfo.InvariantCulture,
                    $"#{i} band {pack.Bands[r.Band].Band.Id}, teen mode {(r.TeenMode ? "on" : "off")}, local {TimeOnly.FromTimeSpan(TimeSpan.FromSeconds(r.LocalSecond)):HH:mm:ss}, used {r.UsedSeconds} s: ours {want}{line}"));
            }
        }

        return counts;
    }

    // Rounds of ours, Cedar and Casbin, the order rotated each round so that a change in the machine's load
    // falls on all three alike. Each figure is the mean time per decision over whole passes of the mix.
    private static Dictionary<string, List<double>> TimeInterleaved(OurDecisions ours, NodePeers node, int rounds)
    {
        // Warm-up (JIT, wasm tier-up) and one pass each to size the rounds.
        var passes = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var engine in Engines)
        {
            Measure(ours, node, engine, 1);
            var once = Measure(ours, node, engine, 1);
            var passTime = once * ours.Count;
            passes[engine] = (int)Math.Clamp(Math.Ceiling(RoundTarget.TotalNanoseconds / Math.Max(passTime, 1)), 1, 10_000);
        }

        var results = Engines.ToDictionary(e => e, _ => new List<double>(), StringComparer.Ordinal);
        for (var round = 0; round < rounds; round++)
        {
            for (var k = 0; k < Engines.Length; k++)
            {
                var engine = Engines[(round + k) % Engines.Length];
                results[engine].Add(Measure(ours, node, engine, passes[engine]));
            }
        }

        return results;
    }

    // Nanoseconds per decision over `passes` passes of the mix.
    private static double Measure(OurDecisions ours, NodePeers node, string engine, int passes)
    {
        if (engine == "ours")
        {
            return ours.Time(passes);
        }

        using var answer = node.Ask($"time {engine} {passes}");
        return answer.RootElement.GetProperty("ns").GetDouble() / answer.RootElement.GetProperty("decisions").GetDouble();
    }

    private static string Markdown(RulePack pack, int count, SortedDictionary<string, int> outcomes, PeerPolicies policies, Dictionary<string, List<double>> timings, JsonElement info)
    {
        var ic = CultureInfo.InvariantCulture;
        string Version(string name) => info.GetProperty(name).GetString() ?? "?";
        var md = new StringBuilder();
        md.AppendLine("### Peer comparison: Cedar and Casbin").AppendLine();
        md.AppendLine("```bash").AppendLine("npm ci --prefix tests/peers").AppendLine(Command).AppendLine("```").AppendLine();
        Paragraph(md, string.Create(ic, $"""
            The usage decision of `UsageSnapshot.Decide` for pack `{pack.Id}` {pack.Version}, written once as a Cedar policy set
            (`@cedar-policy/cedar-wasm` {Version("cedarWasm")}, Cedar {Version("cedar")}) and once as a Casbin ABAC model (`casbin`
            {Version("casbin")}), both generated from the rule pack's numbers (shown below). Compared: band, teen mode on or off, local
            time of day and seconds used today in; allow or deny and the reason (`teen-mode-off`, `curfew`, `daily-limit-reached`,
            `allowed`) out; the curfew is the reason when both limits hold. Not compared: the rest reminder (no continuous use),
            exempt categories, day rollover, guardian overrides and the seconds left.
            """));
        Paragraph(md, string.Create(ic, $"""
            **Agreement:** all three gave the same decision and reason on all {count:N0} requests of the fixed-seed mix (seed
            `0x{PeerMix.Seed:X}`; a quarter of the times on or next to a curfew edge or midnight, a quarter of the use on or next to
            the band's budget): {string.Join(", ", outcomes.Select(o => string.Create(ic, $"{o.Key} {o.Value:N0}")))}. The test
            command runs this check (`peers --check`) and fails on any difference.
            """));

        var rounds = timings["ours"].Count;
        Paragraph(md, string.Create(ic, $"""
            **Time per decision**, median of {rounds} interleaved rounds (ours, Cedar and Casbin in turn, the order rotated each
            round); a round's figure is the mean over whole passes of the mix, at least a quarter of a second per engine. Ours is
            the in-process call on cached snapshots, time-zone conversion included; the peers run in node {Version("node")} on request
            objects built beforehand, with the policies parsed once (Cedar: `preparsePolicySet`, then `statefulIsAuthorized`
            with the subject's band as its parent entity; Casbin: `enforceExSync`, first matching rule wins). Measured
            {DateTime.UtcNow:yyyy-MM-dd} on {Machine()}:
            """));
        md.AppendLine("| engine | median ns per decision | rounds (min–max) | ratio to ours (median of per-round ratios) |");
        md.AppendLine("|---|---:|---:|---:|");
        var ours = timings["ours"];
        foreach (var (engine, label) in new[] { ("ours", "TeenMode `UsageSnapshot.Decide` (.NET)"), ("cedar", "Cedar (wasm, node)"), ("casbin", "Casbin (node)") })
        {
            var t = timings[engine];
            var ratio = engine == "ours" ? "1" : Median(t.Select((v, i) => v / ours[i]).ToList()).ToString("N0", ic);
            md.Append(ic, $"| {label} | {Median(t):N0} | {t.Min():N0}–{t.Max():N0} | {ratio}× |").AppendLine();
        }

        md.AppendLine().AppendLine("<details><summary>The Cedar policy set and the Casbin model and policy compared</summary>").AppendLine();
        md.AppendLine("```cedar").AppendLine(policies.CedarText()).AppendLine("```").AppendLine();
        md.AppendLine("```ini").AppendLine(PeerPolicies.CasbinModelText).AppendLine("```").AppendLine();
        md.AppendLine("```csv").AppendLine(policies.CasbinCsv()).AppendLine("```").AppendLine();
        md.AppendLine("</details>");
        return md.ToString();
    }

    // One markdown paragraph, rewrapped at about 110 columns like the rest of the docs.
    private static void Paragraph(StringBuilder md, string text)
    {
        var column = 0;
        foreach (var word in text.Split([' ', '\n'], StringSplitOptions.RemoveEmptyEntries))
        {
            if (column > 0 && column + 1 + word.Length > 110)
            {
                md.AppendLine();
                column = 0;
            }
            else if (column > 0)
            {
                md.Append(' ');
                column++;
            }

            md.Append(word);
            column += word.Length;
        }

        md.AppendLine().AppendLine();
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        var mid = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    private static string Machine()
    {
        var cpu = "";
        if (File.Exists("/proc/cpuinfo"))
        {
            cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "";
        }

        var load = File.Exists("/proc/loadavg") ? ", load average " + File.ReadAllText("/proc/loadavg").Split(' ')[0] : "";
        return string.Create(CultureInfo.InvariantCulture,
            $"{Environment.ProcessorCount} cores ({cpu}), {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}{load}");
    }

    private static string? FindPeersDir()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "tests", "peers");
                if (File.Exists(Path.Combine(candidate, "peers.mjs")))
                {
                    return candidate;
                }
            }
        }

        return null;
    }

    /// <summary>Our side: one cached snapshot and one instant per request, built before anything is timed.</summary>
    private sealed class OurDecisions
    {
        private readonly UsageSnapshot[] _snapshots;
        private readonly DateTimeOffset[] _nows;

        public OurDecisions(RulePack pack, PeerRequest[] requests)
        {
            var date = new DateOnly(2026, 3, 6);
            var guardian = pack.Guardian!;
            var exempt = new HashSet<string>(guardian.ExemptByDefault, StringComparer.Ordinal);
            var settings = new Dictionary<(int, bool), EffectiveSettings>();
            _snapshots = new UsageSnapshot[requests.Length];
            _nows = new DateTimeOffset[requests.Length];
            for (var i = 0; i < requests.Length; i++)
            {
                var r = requests[i];
                if (!settings.TryGetValue((r.Band, r.TeenMode), out var effective))
                {
                    effective = new EffectiveSettings("peer", r.TeenMode, pack.Bands[r.Band], exempt, guardian.ExemptRequirementIds,
                        new Dictionary<string, bool>(), new Dictionary<string, GuardianSpendingCaps>(), GuardianSettings.Defaults("peer"));
                    settings[(r.Band, r.TeenMode)] = effective;
                }

                // No heartbeat yet today, so no continuous use: the rest reminder stays out of the comparison.
                _snapshots[i] = new UsageSnapshot(effective, date, new UsageDay(r.UsedSeconds, 0, null), pack.TimeZone, TimeSpan.FromMinutes(10));
                var local = date.ToDateTime(TimeOnly.FromTimeSpan(TimeSpan.FromSeconds(r.LocalSecond)));
                _nows[i] = new DateTimeOffset(local, pack.TimeZone.GetUtcOffset(local));
            }
        }

        public int Count => _snapshots.Length;

        public (string Decision, string Reason)[] DecideAll()
        {
            var all = new (string, string)[_snapshots.Length];
            for (var i = 0; i < _snapshots.Length; i++)
            {
                var verdict = _snapshots[i].Decide(_nows[i]);
                var decision = verdict.Outcome switch
                {
                    Outcome.Allow => "allow",
                    Outcome.Deny => "deny",
                    _ => verdict.Outcome.ToString(),
                };
                all[i] = (decision, verdict.Reason.Value);
            }

            return all;
        }

        // Nanoseconds per decision; the deny count keeps the calls from being optimised away.
        public double Time(int passes)
        {
            var denies = 0;
            var start = Stopwatch.GetTimestamp();
            for (var p = 0; p < passes; p++)
            {
                for (var i = 0; i < _snapshots.Length; i++)
                {
                    if (!_snapshots[i].Decide(_nows[i]).IsAllowed)
                    {
                        denies++;
                    }
                }
            }

            var elapsed = Stopwatch.GetElapsedTime(start);
            GC.KeepAlive(denies);
            return elapsed.TotalNanoseconds / ((double)passes * _snapshots.Length);
        }
    }

    /// <summary>The node process that holds Cedar and Casbin, asked one line at a time.</summary>
    private sealed class NodePeers : IDisposable
    {
        private readonly Process _process;
        private readonly StringBuilder _stderr = new();

        private NodePeers(Process process)
        {
            _process = process;
            _process.ErrorDataReceived += (_, e) =>
            {
                if (e.Data is not null)
                {
                    lock (_stderr)
                    {
                        _stderr.AppendLine(e.Data);
                    }
                }
            };
            _process.BeginErrorReadLine();
        }

        public static NodePeers Start(string peersDir, string policiesFile, string mixFile)
        {
            var start = new ProcessStartInfo("node")
            {
                WorkingDirectory = peersDir,
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            start.ArgumentList.Add(Path.Combine(peersDir, "peers.mjs"));
            start.ArgumentList.Add(policiesFile);
            start.ArgumentList.Add(mixFile);
            return new NodePeers(Process.Start(start) ?? throw new InvalidOperationException("node did not start"));
        }

        public JsonDocument Ask(string command)
        {
            _process.StandardInput.WriteLine(command);
            _process.StandardInput.Flush();
            var line = _process.StandardOutput.ReadLine();
            if (line is null)
            {
                _process.WaitForExit();
                string error;
                lock (_stderr)
                {
                    error = _stderr.ToString();
                }

                throw new InvalidOperationException($"peers.mjs 已退出 / peers.mjs exited ({_process.ExitCode}) on '{command}':\n{error}");
            }

            var answer = JsonDocument.Parse(line);
            if (answer.RootElement.TryGetProperty("error", out var message))
            {
                answer.Dispose();
                throw new InvalidOperationException($"peers.mjs: {message.GetString()}");
            }

            return answer;
        }

        public void Dispose()
        {
            _process.StandardInput.Close();
            if (!_process.WaitForExit(TimeSpan.FromSeconds(10)))
            {
                _process.Kill();
            }

            _process.Dispose();
        }
    }
}
