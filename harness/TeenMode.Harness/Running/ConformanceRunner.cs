using System.Globalization;
using System.Security.Cryptography;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using TeenMode.Harness.Drivers;
using TeenMode.Harness.Profiling;
using TeenMode.Harness.Suites;
using TeenMode.Harness.Templating;

namespace TeenMode.Harness.Running;

/// <summary>Options for <see cref="ConformanceRunner"/>.</summary>
public sealed class RunOptions
{
    /// <summary>The clock for timestamps and durations.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>A run-unique id (variable <c>${runId}</c>), e.g. for idempotency keys; random when null.</summary>
    public string? RunId { get; set; }

    /// <summary>Called after each case, e.g. to print progress (never concurrently).</summary>
    public Action<CaseResult>? OnCaseFinished { get; set; }

    /// <summary>
    /// How many cases that do not need the virtual clock may run at once (default 4). Cases that need it run one
    /// at a time afterwards: the app's clock is global.
    /// </summary>
    public int MaxParallel { get; set; } = 4;

    /// <summary>For a re-run: the previous run's id.</summary>
    public string? RerunOf { get; set; }

    /// <summary>For a re-run: the previous verdicts of the cases not run again; they count towards the run's verdict.</summary>
    public IReadOnlyList<CarriedCase>? CarriedOver { get; set; }

    /// <summary>Only the cases with these ids run (e.g. the failed ones of a previous report); null: every case.</summary>
    public IReadOnlySet<string>? OnlyCases { get; set; }
}

/// <summary>Runs a suite through a driver: clock-free cases in parallel (bounded), then the clock cases one at a time.</summary>
public static class ConformanceRunner
{
    /// <summary>The capability of checks that move the app's (global) virtual clock.</summary>
    public const string VirtualClock = "virtual-clock";

    private const string Interrupted = "运行被中断，未能判定 / the run was interrupted before this case could be judged";

    /// <summary>Runs every case of <paramref name="suite"/> and returns the report.</summary>
    public static async Task<RunReport> RunAsync(Suite suite, AppProfile profile, IDriver driver, string target, RunOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(suite);
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(driver);
        ArgumentNullException.ThrowIfNull(target);
        options ??= new RunOptions();
        var time = options.TimeProvider;
        var runId = options.RunId ?? Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        var startedAt = time.GetUtcNow();
        var capabilities = new HashSet<string>(driver.Capabilities, StringComparer.Ordinal);
        var state = new RunState();
        JToken? targetInfo = null;

        if (driver.Supports("info"))
        {
            DriverResult? info;
            try
            {
                info = await driver.ExecuteAsync("info", new JObject(), cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                info = null; // interrupted while probing: every case is reported as not run
            }

            targetInfo = info?.Exchange.ResponseBody;
            if (info?.Error is { } probeError)
            {
                state.Abort = $"目标不可达 / target unreachable: {probeError.Message}";
            }
            else if (info is null)
            {
                // Interrupted: the cases below are reported as not run.
            }
            else if (info.Status is not (>= 200 and < 300))
            {
                state.Abort = string.Create(CultureInfo.InvariantCulture,
                    $"目标拒绝了探测请求 / the target refused the info probe: HTTP {info.Status} (wrong URL or conformance key?)");
            }
            else
            {
                state.AnyResponse = true;
                if (info.Fields["capabilities"] is JArray offered)
                {
                    // The app may switch capabilities off; only what both the profile and the app offer counts.
                    capabilities.IntersectWith(offered.Where(t => t.Type == JTokenType.String).Select(t => (string)t!));
                }
            }
        }

        var cases = suite.Checks.SelectMany(c => c.Cases(profile.Fixtures))
            .Where(c => options.OnlyCases is null || options.OnlyCases.Contains(c.Id))
            .ToList();
        var results = new CaseResult?[cases.Count];
        var progress = new Lock();

        async Task RunAt(int index)
        {
            var @case = cases[index];
            CaseResult result;
            if (cancellationToken.IsCancellationRequested)
            {
                result = new CaseResult(@case.Id, @case.Check, @case.ParameterSet, CaseVerdict.Skipped, Interrupted, 0, []);
            }
            else if (state.Abort is { } abort)
            {
                result = new CaseResult(@case.Id, @case.Check, @case.ParameterSet, CaseVerdict.Error, abort, 0, []);
            }
            else
            {
                try
                {
                    result = await RunCaseAsync(@case, driver, capabilities, profile, suite.Mandatory, runId, state, time, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    // Ctrl+C mid-request: the case could not be judged; the report still gets written.
                    result = new CaseResult(@case.Id, @case.Check, @case.ParameterSet, CaseVerdict.Error, Interrupted, 0, []);
                }
            }

            results[index] = result;
            lock (progress)
            {
                options.OnCaseFinished?.Invoke(result);
            }
        }

        // Clock-free cases use their own synthetic subjects, so they may overlap; clock cases may not.
        var clockFree = Enumerable.Range(0, cases.Count).Where(i => !cases[i].Check.Capabilities.Contains(VirtualClock, StringComparer.Ordinal)).ToList();
        using (var gate = new SemaphoreSlim(Math.Max(1, options.MaxParallel)))
        {
            await Task.WhenAll(clockFree.Select(async i =>
            {
                await gate.WaitAsync(CancellationToken.None).ConfigureAwait(false);
                try
                {
                    await RunAt(i).ConfigureAwait(false);
                }
                finally
                {
                    gate.Release();
                }
            })).ConfigureAwait(false);
        }

        foreach (var i in Enumerable.Range(0, cases.Count).Except(clockFree))
        {
            await RunAt(i).ConfigureAwait(false);
        }

        var finished = results.Select(r => r!).ToList();
        var interrupted = cancellationToken.IsCancellationRequested;
        var carried = options.CarriedOver ?? [];
        return new RunReport
        {
            Verdict = interrupted ? RunVerdict.Incomplete : Verdicts.Aggregate(finished.Select(r => r.Verdict).Concat(carried.Select(c => c.Verdict))),
            Interrupted = interrupted,
            RerunOf = options.RerunOf,
            CarriedOver = carried,
            RunId = runId,
            Suite = suite,
            ProfileId = profile.Id,
            ProfileVersion = profile.Version,
            ProfileSha256 = profile.Sha256,
            Target = target,
            StartedAt = startedAt,
            FinishedAt = time.GetUtcNow(),
            Capabilities = capabilities.Order(StringComparer.Ordinal).ToList(),
            TargetInfo = targetInfo,
            NotOffered = profile.NotOffered,
            Cases = finished,
        };
    }

    private static async Task<CaseResult> RunCaseAsync(CheckCase @case, IDriver driver, HashSet<string> capabilities, AppProfile profile,
        IReadOnlyDictionary<string, LocalizedText> mandatory, string runId, RunState state, TimeProvider time, CancellationToken ct)
    {
        var notOffered = profile.NotOffered;
        var check = @case.Check;
        var evidence = new List<StepEvidence>();
        var started = time.GetTimestamp();
        CaseResult Done(CaseVerdict verdict, string message) =>
            new(@case.Id, check, @case.ParameterSet, verdict, message, (long)time.GetElapsedTime(started).TotalMilliseconds, evidence);

        var declined = check.Capabilities.Where(notOffered.ContainsKey).ToList();
        var mandatoryDeclined = declined.Where(mandatory.ContainsKey).ToList();
        if (mandatoryDeclined.Count > 0)
        {
            // Every teen-mode app must have these; saying "not offered" is an admission, not an exemption.
            var zh = string.Join("；", mandatoryDeclined.Select(c => $"{c}（{mandatory[c].ZhCn}）：{notOffered[c].ZhCn}"));
            var en = string.Join("; ", mandatoryDeclined.Select(c => $"{c} ({mandatory[c].En}): {notOffered[c].En}"));
            return Done(CaseVerdict.Failed, $"不通过：应用声明不提供青少年模式的必备功能 {zh} / failed: the app declares it does not offer a function every teen-mode app must have, {en}");
        }

        if (declined.Count > 0)
        {
            var zh = string.Join("；", declined.Select(c => $"{c}：{notOffered[c].ZhCn}"));
            var en = string.Join("; ", declined.Select(c => $"{c}: {notOffered[c].En}"));
            return Done(CaseVerdict.NotApplicable, $"不适用，应用声明不提供 {zh} / not applicable, the app declares it does not offer {en}");
        }

        var missing = check.Capabilities.Where(c => !capabilities.Contains(c)).ToList();
        if (missing.Count > 0)
        {
            var list = string.Join(", ", missing);
            return Done(CaseVerdict.Skipped, $"跳过：目标缺少能力 {list} / skipped: the target (profile or app) lacks capability {list}");
        }

        if (@case.MissingFixture is { } fixtureList)
        {
            return Done(CaseVerdict.Skipped, $"跳过：应用配置未给出固定数据 {fixtureList} / skipped: the profile names no fixtures '{fixtureList}' (the app's own items this check runs over)");
        }

        var heartbeatChannel = !driver.Supports("checkUsage") && driver.Supports("heartbeat");
        var unmapped = check.Steps.Select(s => s.Action)
            .Where(a => !driver.Supports(a) && !(a == "checkUsage" && heartbeatChannel))
            .Concat(check.Steps.Any(s => s.Advance is not null) && !driver.Supports("advanceClock") ? ["advanceClock"] : [])
            .Distinct(StringComparer.Ordinal).ToList();
        if (unmapped.Count > 0)
        {
            var list = string.Join(", ", unmapped);
            return Done(CaseVerdict.Skipped, $"跳过：应用配置未映射动作 {list} / skipped: the profile does not map action {list}");
        }

        var vars = new Dictionary<string, JToken>(StringComparer.Ordinal)
        {
            ["runId"] = runId,
            ["caseId"] = @case.Id,
            ["checkId"] = check.Id,
        };
        foreach (var property in @case.Vars.Properties())
        {
            vars[property.Name] = property.Value.DeepClone();
        }

        foreach (var name in check.FixtureVars.Where(v => !vars.ContainsKey(v)))
        {
            return Done(CaseVerdict.Error, $"应用配置的固定数据缺少变量 {name} / the profile's fixture item does not give '{name}', which check {check.Id} needs");
        }

        var requests = 0;
        var clockEpoch = 0;
        var probeSequence = 0;
        var heartbeats = new Dictionary<string, (DriverResult Result, int Epoch, int Step, JToken? Category)>(StringComparer.Ordinal);
        foreach (var step in check.Steps)
        {
            if (!TryRepeatCount(step, vars, out var count, out var repeatError))
            {
                return Done(CaseVerdict.Error, $"步骤 {step.Index}（{step.Action}）/ step {step.Index} ({step.Action}): {repeatError}");
            }

            for (var iteration = 1; iteration <= count; iteration++)
            {
                int? iter = step.Repeat is null ? null : iteration;
                var where = Where(step, iter);
                if (iter is { } i)
                {
                    vars[SuiteLoader.IterationVariable] = i;
                }

                JObject args;
                try
                {
                    args = Template.Expand(step.Args, vars) as JObject ?? new JObject();
                }
                catch (TemplateException ex)
                {
                    return Done(CaseVerdict.Error, $"{where}: {ex.Message}");
                }

                if (step.Advance is { } advance)
                {
                    var seconds = advance.Type == JTokenType.String ? Template.Expand(advance, vars) : advance;
                    var moved = await driver.ExecuteAsync("advanceClock", new JObject { ["seconds"] = seconds }, ct).ConfigureAwait(false);
                    requests++;
                    clockEpoch++;
                    evidence.Add(new StepEvidence(step.Index, iter, "advanceClock", moved.Exchange, moved.Error?.Message) { Exchanges = moved.Exchanges });
                    if (moved.Error is not null || moved.Status is not (>= 200 and < 300))
                    {
                        return Done(CaseVerdict.Error, $"{where}: 推进时钟失败 / advancing the clock before the step failed: {moved.Error?.Message ?? $"HTTP {moved.Status}"}");
                    }
                }

                DriverResult result;
                string? note = null;
                if (step.Action == "checkUsage" && heartbeatChannel)
                {
                    // No side-effect-free usage query: the decision is the latest heartbeat's answer, or a one-second probe.
                    if (heartbeats.TryGetValue(Subject(args), out var seen) && seen.Epoch == clockEpoch
                        && (args["category"] is null || JToken.DeepEquals(args["category"], seen.Category)))
                    {
                        result = seen.Result;
                        note = string.Create(CultureInfo.InvariantCulture, $"判定取自步骤 {seen.Step} 的心跳应答 / decision read from the heartbeat answer of step {seen.Step}");
                    }
                    else
                    {
                        var probe = new JObject { ["subjectId"] = args["subjectId"], ["deviceId"] = "conformance-probe", ["sequence"] = ++probeSequence, ["seconds"] = 1 };
                        if (args["category"] is { } category)
                        {
                            probe["category"] = category;
                        }

                        result = await driver.ExecuteAsync("heartbeat", probe, ct).ConfigureAwait(false);
                        requests++;
                        note = "应用无用量查询，以 1 秒心跳探测判定 / the app has no usage query: decision probed with a one-second heartbeat";
                    }
                }
                else
                {
                    result = await driver.ExecuteAsync(step.Action, args, ct).ConfigureAwait(false);
                    requests++;
                }

                if (step.Action is "setClock" or "advanceClock")
                {
                    clockEpoch++;
                }
                else if (step.Action == "heartbeat" && result.Error is null)
                {
                    heartbeats[Subject(args)] = (result, clockEpoch, step.Index, args["category"]);
                }

                evidence.Add(new StepEvidence(step.Index, iter, step.Action, result.Exchange, result.Error?.Message) { Exchanges = result.Exchanges, Note = note });
                if (result.Error is { } error)
                {
                    if (error.IsTransport && !state.AnyResponse)
                    {
                        // Nothing ever answered: the target is down, so the remaining checks cannot be judged either.
                        state.Abort = $"目标不可达 / target unreachable: {error.Message}";
                        return Done(CaseVerdict.Error, state.Abort);
                    }

                    return Done(CaseVerdict.Error, $"{where}: {error.Message}");
                }

                state.AnyResponse = true;
                foreach (var (name, field) in step.Save)
                {
                    vars[name] = result.Fields[field]?.DeepClone() ?? JValue.CreateNull();
                }

                foreach (var property in step.Expect.Properties())
                {
                    JToken? expected;
                    try
                    {
                        expected = Template.Expand(property.Value, vars);
                    }
                    catch (TemplateException ex)
                    {
                        return Done(CaseVerdict.Error, $"{where}: {ex.Message}");
                    }

                    if (expected is null)
                    {
                        continue; // an undefined optional expectation: this parameter set does not assert the field
                    }

                    var actual = result.Fields[property.Name] ?? JValue.CreateNull();
                    if (!Matches(property.Name, expected, actual, profile.StatusByClass))
                    {
                        return Done(CaseVerdict.Failed, FailureMessage(step, iter, property.Name, expected, actual, result.Fields));
                    }
                }
            }

            vars.Remove(SuiteLoader.IterationVariable);
        }

        return Done(CaseVerdict.Passed, string.Create(CultureInfo.InvariantCulture,
            $"全部期望成立（{requests} 个请求）/ every expectation held ({requests} requests)"));
    }

    // With format-2 profiles an expected status stands for its class: the app decides through allowed and reasonCode.
    private static bool Matches(string field, JToken expected, JToken actual, bool statusByClass) =>
        field == "status" && statusByClass && expected.Type == JTokenType.Integer && actual.Type == JTokenType.Integer
            ? (long)expected / 100 == (long)actual / 100
            : JToken.DeepEquals(expected, actual);

    private static string Subject(JObject args) => Template.AsText(args["subjectId"] ?? JValue.CreateNull());

    private static bool TryRepeatCount(SuiteStep step, Dictionary<string, JToken> vars, out int count, out string error)
    {
        count = 1;
        error = "";
        var token = step.Repeat;
        if (token is null)
        {
            return true;
        }

        if (token.Type == JTokenType.String)
        {
            var name = Template.References(token).FirstOrDefault()?.Name ?? "";
            if (!vars.TryGetValue(name, out var value))
            {
                error = $"重复次数变量未定义 / repeat variable '${{{name}}}' is undefined";
                return false;
            }

            token = value;
        }

        if (token.Type != JTokenType.Integer || (long)token < 0 || (long)token > 10_000)
        {
            error = $"重复次数须为 0 至 10000 的整数 / repeat must be an integer from 0 to 10000, got {token.ToString(Formatting.None)}";
            return false;
        }

        count = (int)(long)token;
        return true;
    }

    private static string Where(SuiteStep step, int? iteration) => iteration is { } i
        ? string.Create(CultureInfo.InvariantCulture, $"步骤 {step.Index}（{step.Action}，第 {i} 次）/ step {step.Index} ({step.Action}, iteration {i})")
        : string.Create(CultureInfo.InvariantCulture, $"步骤 {step.Index}（{step.Action}）/ step {step.Index} ({step.Action})");

    private static string FailureMessage(SuiteStep step, int? iteration, string field, JToken expected, JToken actual, JObject fields)
    {
        var sensitive = Redactor.IsSensitiveField(field);
        var exp = sensitive ? Redactor.Mask : expected.ToString(Formatting.None);
        var act = sensitive ? Redactor.Mask : actual.ToString(Formatting.None);
        var step1 = iteration is { } i
            ? string.Create(CultureInfo.InvariantCulture, $"步骤 {step.Index}（{step.Action}，第 {i} 次）")
            : string.Create(CultureInfo.InvariantCulture, $"步骤 {step.Index}（{step.Action}）");
        var step2 = iteration is { } j
            ? string.Create(CultureInfo.InvariantCulture, $"step {step.Index} ({step.Action}, iteration {j})")
            : string.Create(CultureInfo.InvariantCulture, $"step {step.Index} ({step.Action})");
        var context = field != "reasonCode" && fields["reasonCode"] is JValue { Type: JTokenType.String } reason
            ? $" [reasonCode {(string)reason!}]"
            : "";
        return $"{step1} 字段 {field}：期望 {exp}，实际 {act} / {step2}: field '{field}' expected {exp}, actual {act}{context}";
    }

    // Shared by cases running in parallel: plain reads and writes of a bool and a reference, made visible at once.
    private sealed class RunState
    {
        private volatile bool _anyResponse;
        private volatile string? _abort;

        public bool AnyResponse
        {
            get => _anyResponse;
            set => _anyResponse = value;
        }

        public string? Abort
        {
            get => _abort;
            set => _abort = value;
        }
    }
}
