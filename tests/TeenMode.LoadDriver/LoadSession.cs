using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace TeenMode.LoadDriver;

/// <summary>One cell: a scenario at one concurrency, bounded by a duration and a request count.</summary>
internal sealed record CellSpec(Scenario Scenario, int Concurrency, TimeSpan Duration, int MaxRequests, TimeSpan Warmup)
{
    /// <summary>The warm-up stops at this many requests even when its time is not up.</summary>
    public int MaxWarmupRequests => Math.Max(Concurrency, MaxRequests / 4);
}

/// <summary>Heartbeats acknowledged by the app against the seconds its ledger counted for the same subjects.</summary>
internal sealed record LedgerCheck(long Acknowledged, long Counted, long Replayed, long Unresolved, int SubjectsDiffering, string? FirstDifference)
{
    public bool Ok => Unresolved == 0 && SubjectsDiffering == 0 && Acknowledged == Counted;

    public string Describe()
    {
        var replayed = Replayed > 0 ? string.Create(CultureInfo.InvariantCulture, $" ({Replayed:N0} of them after a replay)") : "";
        var text = string.Create(CultureInfo.InvariantCulture, $"{Acknowledged:N0} acknowledged{replayed}, {Counted:N0} counted");
        if (Ok)
        {
            return text + " ✓";
        }

        var why = Unresolved > 0 ? string.Create(CultureInfo.InvariantCulture, $"; {Unresolved:N0} of unknown outcome") : "";
        return string.Create(CultureInfo.InvariantCulture, $"{text} ✗ ({SubjectsDiffering:N0} subjects differ{why}{(FirstDifference is null ? "" : "; " + FirstDifference)})");
    }
}

/// <summary>What one cell measured.</summary>
internal sealed record CellResult(
    StoreConfig Config,
    CellSpec Spec,
    long Requests,
    TimeSpan Elapsed,
    double P50Ms,
    double P99Ms,
    double MaxMs,
    IReadOnlyDictionary<string, long> Errors,
    LedgerCheck? Ledger)
{
    public const string WrongDecision = "wrong-decision";

    public double RequestsPerSecond => Elapsed > TimeSpan.Zero ? Requests / Elapsed.TotalSeconds : 0;

    public long ErrorCount => Errors.Values.Sum();

    /// <summary>A correctness failure: a minor allowed in curfew (or refused outside it), or a ledger that does not match.</summary>
    public bool Failed => Errors.ContainsKey(WrongDecision) || Ledger is { Ok: false };
}

/// <summary>
/// Drives heartbeats and usage checks at one or more sample-app instances that share one store. Its own subjects
/// (a random prefix, so an app already in use is fine), its own devices per cell, and the conformance driver's
/// virtual clock frozen on a fixed day, so nothing but these requests changes what the ledger counts.
/// </summary>
internal sealed class LoadSession : IDisposable
{
    public const string KeyHeader = "X-TeenMode-Conformance-Key";

    // A weekday morning of a fixed day, far from curfew and midnight, and 23:00 (22:00–06:00 curfew) of the same day.
    public const string AllowedLocal = "2026-03-02T10:00:00";
    public const string CurfewLocal = "2026-03-02T23:00:00";

    // 17 on that day: band 16-18, two hours a day, so a subject's used seconds stay readable below the budget.
    private const string BirthDate = "2009-01-01";
    private const int HeartbeatSeconds = 1;
    private const int SetupParallelism = 8;
    private const int MaxUnknownKept = 100_000;
    private const int ReplayRounds = 5;
    private static readonly TimeSpan SetupTimeout = TimeSpan.FromSeconds(30);

    private static readonly byte[] AllowedTrue = "\"allowed\":true"u8.ToArray();
    private static readonly byte[] CurfewReason = "\"reasonCode\":\"curfew\""u8.ToArray();

    private readonly HttpClient _http;
    private readonly Uri[] _targets;
    private readonly string _key;
    private readonly string[] _subjects;
    private readonly Uri[][] _heartbeatUris;
    private readonly Uri[][] _usageUris;
    private readonly byte[][][] _usageRequests;
    private readonly byte[][][] _heartbeatHeads;
    private readonly TimeSpan _requestTimeout;
    private readonly string _prefix;
    private int _cells;
    private long _cursor;

    /// <param name="targets">Base addresses of the instances (loopback only); requests are spread over them.</param>
    /// <param name="conformanceKey">The apps' conformance key, for the virtual clock.</param>
    /// <param name="subjects">How many minors the load is spread over.</param>
    /// <param name="maxConcurrency">The highest concurrency a cell will use (the connection pool's size).</param>
    /// <param name="requestTimeout">How long one request may take before it counts as a timeout.</param>
    /// <exception cref="UsageException">No target, or a target that is not loopback.</exception>
    public LoadSession(IReadOnlyList<Uri> targets, string conformanceKey, int subjects, int maxConcurrency, TimeSpan requestTimeout)
    {
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentException.ThrowIfNullOrWhiteSpace(conformanceKey);
        ArgumentOutOfRangeException.ThrowIfLessThan(subjects, 1);
        if (targets.Count == 0)
        {
            throw new UsageException("没有目标 / no target");
        }

        // Checked here too, so no caller of the core can aim it elsewhere.
        _targets = targets.Select(t => LoopbackTarget.Parse(t.AbsoluteUri)).ToArray();
        _key = conformanceKey;
        _prefix = "load-" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(4));
        _subjects = Enumerable.Range(0, subjects).Select(i => string.Create(CultureInfo.InvariantCulture, $"{_prefix}-{i}")).ToArray();
        _heartbeatUris = _targets.Select(t => _subjects.Select(s => new Uri(t, $"teenmode/v1/subjects/{s}/heartbeats")).ToArray()).ToArray();
        _usageUris = _targets.Select(t => _subjects.Select(s => new Uri(t, $"teenmode/v1/subjects/{s}/usage")).ToArray()).ToArray();

        // The measured loop's requests as bytes, built once: a heartbeat's head lacks only its length and body.
        _usageRequests = _usageUris.Select(uris => uris.Select(u => Encoding.ASCII.GetBytes($"GET {u.PathAndQuery} HTTP/1.1\r\nHost: {u.Authority}\r\n\r\n")).ToArray()).ToArray();
        _heartbeatHeads = _heartbeatUris.Select(uris => uris.Select(u =>
            Encoding.ASCII.GetBytes($"POST {u.PathAndQuery} HTTP/1.1\r\nHost: {u.Authority}\r\nContent-Type: application/json\r\nContent-Length: ")).ToArray()).ToArray();
        _requestTimeout = requestTimeout;
        var handler = new SocketsHttpHandler
        {
            // One connection per worker and target (HTTP/1.1), kept for the whole session.
            MaxConnectionsPerServer = Math.Max(maxConcurrency, SetupParallelism),
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(10),
            ConnectTimeout = TimeSpan.FromSeconds(5),
            UseProxy = false,
            UseCookies = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
        };
        // Setup, replays and ledger reads are not measured: they may wait longer than a measured request.
        _http = new HttpClient(handler) { Timeout = requestTimeout > SetupTimeout ? requestTimeout : SetupTimeout };
        _http.DefaultRequestHeaders.ExpectContinue = false;
    }

    public IReadOnlyList<Uri> Targets => _targets;

    public int SubjectCount => _subjects.Length;

    /// <summary>Sets every instance's clock to the allowed time and registers the subjects.</summary>
    /// <exception cref="LoadSetupException">The clock cannot be set (no conformance driver, wrong key) or a subject is refused.</exception>
    public async Task PrepareAsync(CancellationToken cancellationToken = default)
    {
        await SetClockAsync(AllowedLocal, cancellationToken).ConfigureAwait(false);
        await Parallel.ForEachAsync(Enumerable.Range(0, _subjects.Length), new ParallelOptions { MaxDegreeOfParallelism = SetupParallelism, CancellationToken = cancellationToken }, async (i, ct) =>
        {
            var json = string.Create(CultureInfo.InvariantCulture, $$"""{"id":"{{_subjects[i]}}","birthDate":"{{BirthDate}}"}""");
            using var content = Json(json);
            using var response = await _http.PostAsync(new Uri(_targets[i % _targets.Length], "teenmode/v1/subjects"), content, ct).ConfigureAwait(false);
            if (response.StatusCode != HttpStatusCode.Created)
            {
                var body = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
                throw new LoadSetupException($"创建主体失败 / creating subject {_subjects[i]} answered {(int)response.StatusCode}: {Cut(body)}");
            }
        }).ConfigureAwait(false);
    }

    /// <summary>Puts every instance's virtual clock at <paramref name="local"/> (the rule pack's zone), frozen.</summary>
    /// <exception cref="LoadSetupException">An instance refused.</exception>
    public async Task SetClockAsync(string local, CancellationToken cancellationToken = default)
    {
        foreach (var target in _targets)
        {
            using var request = new HttpRequestMessage(HttpMethod.Put, new Uri(target, "teenmode/conformance/v1/clock"))
            {
                Content = Json($$"""{"local":"{{local}}","frozen":true}"""),
            };
            request.Headers.Add(KeyHeader, _key);
            using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
                throw new LoadSetupException(
                    $"无法设置虚拟时钟 / cannot set the virtual clock of {target} ({(int)response.StatusCode}: {Cut(body)}): start the app with ASPNETCORE_ENVIRONMENT=Testing and TEENMODE_CONFORMANCE_KEY, and pass the same key with --key");
            }
        }
    }

    /// <summary>Runs <paramref name="scenario"/> unmeasured for <paramref name="duration"/> (heartbeats it sends are counted, and each cell reads the ledger afresh).</summary>
    public async Task WarmUpAsync(Scenario scenario, int concurrency, TimeSpan duration, CancellationToken cancellationToken = default)
    {
        await SetClockAsync(scenario == Scenario.UsageCurfew ? CurfewLocal : AllowedLocal, cancellationToken).ConfigureAwait(false);
        var cell = Interlocked.Increment(ref _cells);
        var tally = scenario == Scenario.Heartbeats ? new HeartbeatTally(_subjects.Length) : null;
        await RunPhaseAsync(scenario, concurrency, duration, int.MaxValue, $"{_prefix}-c{cell}w", tally, record: false, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Warms up, measures, and for heartbeats checks the ledger against what was acknowledged.</summary>
    public async Task<CellResult> RunAsync(StoreConfig config, CellSpec spec, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentOutOfRangeException.ThrowIfLessThan(spec.Concurrency, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(spec.MaxRequests, 1);
        await SetClockAsync(spec.Scenario == Scenario.UsageCurfew ? CurfewLocal : AllowedLocal, cancellationToken).ConfigureAwait(false);
        var cell = Interlocked.Increment(ref _cells);
        HeartbeatTally? tally = null;
        long[]? before = null;
        if (spec.Scenario == Scenario.Heartbeats)
        {
            tally = new HeartbeatTally(_subjects.Length);
            before = await ReadRemainingAsync(cancellationToken).ConfigureAwait(false);
        }

        if (spec.Warmup > TimeSpan.Zero)
        {
            await RunPhaseAsync(spec.Scenario, spec.Concurrency, spec.Warmup, spec.MaxWarmupRequests, $"{_prefix}-c{cell}w", tally, record: false, cancellationToken).ConfigureAwait(false);
        }

        var phase = await RunPhaseAsync(spec.Scenario, spec.Concurrency, spec.Duration, spec.MaxRequests, $"{_prefix}-c{cell}", tally, record: true, cancellationToken).ConfigureAwait(false);
        LedgerCheck? ledger = null;
        if (tally is not null)
        {
            var replayed = await ReplayUnknownAsync(tally, cancellationToken).ConfigureAwait(false);
            var after = await ReadRemainingAsync(cancellationToken).ConfigureAwait(false);
            ledger = Compare(tally, before!, after, replayed);
        }

        return new CellResult(config, spec, phase.Latencies.Length, phase.Elapsed, Percentile(phase.Latencies, 0.50), Percentile(phase.Latencies, 0.99),
            phase.Latencies.Length == 0 ? 0 : Ms(phase.Latencies[^1]), phase.Errors, ledger);
    }

    public void Dispose() => _http.Dispose();

    private async Task<Phase> RunPhaseAsync(Scenario scenario, int concurrency, TimeSpan duration, int maxRequests, string devicePrefix, HeartbeatTally? tally, bool record, CancellationToken cancellationToken)
    {
        var issued = 0;
        var start = Stopwatch.GetTimestamp();
        var deadline = start + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var workers = Enumerable.Range(0, concurrency).Select(w => Task.Run(async () =>
        {
            var target = w % _targets.Length;
            var device = string.Create(CultureInfo.InvariantCulture, $"{devicePrefix}-{w}");
            var latencies = record ? new List<long>(Math.Min(maxRequests / concurrency + 16, 1 << 16)) : null;
            var errors = new Dictionary<string, long>(StringComparer.Ordinal);
            using var connection = new LoopbackHttpConnection(_targets[target]);
            var scratch = new byte[1024];
            var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            long sequence = 0;
            try
            {
                // Checked before each request: a request once sent is always awaited, so nothing is left in flight.
                while (!cancellationToken.IsCancellationRequested && Stopwatch.GetTimestamp() < deadline && Interlocked.Increment(ref issued) <= maxRequests)
                {
                    var subject = (int)(Interlocked.Increment(ref _cursor) % _subjects.Length);
                    ReadOnlyMemory<byte> request = scenario == Scenario.Heartbeats
                        ? HeartbeatRequest(scratch, target, subject, device, ++sequence)
                        : _usageRequests[target][subject];
                    var sent = Stopwatch.GetTimestamp();
                    limit.CancelAfter(_requestTimeout);
                    var error = await SendAsync(connection, request, scenario, limit.Token, cancellationToken).ConfigureAwait(false);
                    latencies?.Add(Stopwatch.GetTimestamp() - sent);
                    if (!limit.TryReset())
                    {
                        limit.Dispose();
                        limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                    }

                    if (scenario == Scenario.Heartbeats)
                    {
                        Tally(tally!, error, target, subject, device, sequence);
                    }

                    if (error is { Kind: { } kind })
                    {
                        errors[kind] = errors.GetValueOrDefault(kind) + 1;
                    }
                }
            }
            finally
            {
                limit.Dispose();
            }

            return (latencies, errors);
        }, cancellationToken)).ToArray();
        var done = await Task.WhenAll(workers).ConfigureAwait(false);
        var elapsed = Stopwatch.GetElapsedTime(start);
        var all = done.SelectMany(d => d.latencies ?? []).ToArray();
        Array.Sort(all);
        var merged = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var (key, count) in done.SelectMany(d => d.errors))
        {
            merged[key] = merged.GetValueOrDefault(key) + count;
        }

        return new Phase(all, elapsed, merged);
    }

    private ReadOnlyMemory<byte> HeartbeatRequest(byte[] scratch, int target, int subject, string device, long sequence)
    {
        var head = _heartbeatHeads[target][subject];
        Span<byte> body = stackalloc byte[256];
        if (!System.Text.Unicode.Utf8.TryWrite(body, CultureInfo.InvariantCulture, $$"""{"deviceId":"{{device}}","sequence":{{sequence}},"seconds":{{HeartbeatSeconds}}}""", out var bodyLength)
            || !System.Text.Unicode.Utf8.TryWrite(scratch.AsSpan(head.Length), CultureInfo.InvariantCulture, $"{bodyLength}\r\n\r\n", out var lengthLine)
            || head.Length + lengthLine + bodyLength > scratch.Length)
        {
            throw new InvalidOperationException("heartbeat request too long");
        }

        head.CopyTo(scratch, 0);
        body[..bodyLength].CopyTo(scratch.AsSpan(head.Length + lengthLine));
        return scratch.AsMemory(0, head.Length + lengthLine + bodyLength);
    }

    // Null when the answer is the one expected; otherwise the status (or kind of failure) and whether it may have been recorded.
    private static async Task<Failure?> SendAsync(LoopbackHttpConnection connection, ReadOnlyMemory<byte> request, Scenario scenario, CancellationToken limit, CancellationToken cancellationToken)
    {
        int status;
        ReadOnlyMemory<byte> body;
        try
        {
            (status, body) = await connection.SendAsync(request, limit).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new Failure("timeout", MayHaveLanded: true);
        }
        catch (IOException)
        {
            return new Failure("io", MayHaveLanded: true);
        }

        if (status is < 200 or >= 300)
        {
            return new Failure(status.ToString(CultureInfo.InvariantCulture), MayHaveLanded: status >= 500);
        }

        if (scenario == Scenario.Heartbeats)
        {
            return null;
        }

        // A byte search, not a JSON parse: the driver shares the cores with the app it measures.
        var allowed = body.Span.IndexOf(AllowedTrue) >= 0;
        var right = scenario == Scenario.UsageCurfew ? !allowed && body.Span.IndexOf(CurfewReason) >= 0 : allowed;
        return right ? null : new Failure(CellResult.WrongDecision, MayHaveLanded: false);
    }

    // A heartbeat without an answer, or with a 5xx, may or may not be counted: kept for a replay.
    private static void Tally(HeartbeatTally tally, Failure? failure, int target, int subject, string device, long sequence)
    {
        if (failure is null)
        {
            tally.Acknowledge(subject);
        }
        else if (failure.MayHaveLanded)
        {
            tally.Unknown(new PendingHeartbeat(target, subject, device, sequence));
        }
    }

    private async Task<(int? Status, string Error)> PostHeartbeatAsync(int target, int subject, string device, long sequence, CancellationToken cancellationToken)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, _heartbeatUris[target][subject])
            {
                Content = Json(string.Create(CultureInfo.InvariantCulture, $$"""{"deviceId":"{{device}}","sequence":{{sequence}},"seconds":{{HeartbeatSeconds}}}""")),
            };
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            return (status, status.ToString(CultureInfo.InvariantCulture));
        }
        catch (Exception ex) when ((ex is HttpRequestException or TaskCanceledException or IOException) && !cancellationToken.IsCancellationRequested)
        {
            return (null, ErrorKind(ex));
        }
    }

    // The client's contract for a heartbeat without an answer: send it again with the same sequence until acknowledged;
    // the store counts it once whether or not the first copy landed.
    private async Task<long> ReplayUnknownAsync(HeartbeatTally tally, CancellationToken cancellationToken)
    {
        long replayed = 0;
        for (var round = 0; round < ReplayRounds && !tally.Pending.IsEmpty; round++)
        {
            if (round > 0)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken).ConfigureAwait(false);
            }

            var again = new List<PendingHeartbeat>();
            while (tally.Pending.TryDequeue(out var beat))
            {
                var (status, _) = await PostHeartbeatAsync(beat.Target, beat.Subject, beat.Device, beat.Sequence, cancellationToken).ConfigureAwait(false);
                if (status is >= 200 and < 300)
                {
                    tally.Acknowledge(beat.Subject);
                    replayed++;
                }
                else
                {
                    again.Add(beat);
                }
            }

            again.ForEach(tally.Pending.Enqueue);
        }

        return replayed;
    }

    // remainingSeconds of the usage decision: the day's budget less the seconds counted, read through the app itself,
    // so the check works on every store. Both reads happen at the same frozen time of the same day.
    private async Task<long[]> ReadRemainingAsync(CancellationToken cancellationToken)
    {
        var remaining = new long[_subjects.Length];
        await Parallel.ForEachAsync(Enumerable.Range(0, _subjects.Length), new ParallelOptions { MaxDegreeOfParallelism = SetupParallelism, CancellationToken = cancellationToken }, async (i, ct) =>
        {
            using var response = await _http.GetAsync(_usageUris[i % _targets.Length][i], ct).ConfigureAwait(false);
            var text = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw new LoadSetupException($"读取用量失败 / reading the usage of {_subjects[i]} answered {(int)response.StatusCode}: {Cut(text)}");
            }

            using var json = JsonDocument.Parse(text);
            remaining[i] = json.RootElement.GetProperty("remainingSeconds").GetInt64();
        }).ConfigureAwait(false);
        return remaining;
    }

    private LedgerCheck Compare(HeartbeatTally tally, long[] before, long[] after, long replayed)
    {
        long acknowledged = 0;
        long counted = 0;
        var differing = 0;
        string? first = null;
        for (var i = 0; i < _subjects.Length; i++)
        {
            var acked = tally.Acknowledged(i) * HeartbeatSeconds;
            var used = before[i] - after[i];
            acknowledged += acked;
            counted += used;

            // At zero remaining the budget is spent and the count is no longer readable: a difference, not a guess.
            if (used != acked || (after[i] == 0 && acked > 0))
            {
                differing++;
                first ??= after[i] == 0
                    ? $"{_subjects[i]}: daily budget used up, use more --subjects"
                    : string.Create(CultureInfo.InvariantCulture, $"{_subjects[i]}: {acked} acknowledged, {used} counted");
            }
        }

        return new LedgerCheck(acknowledged / HeartbeatSeconds, counted / HeartbeatSeconds, replayed, tally.Pending.Count + tally.Dropped, differing, first);
    }

    private static ByteArrayContent Json(string json)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(json));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    private static string ErrorKind(Exception ex) => ex switch
    {
        TaskCanceledException => "timeout",
        HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError } => "connect",
        _ => "io",
    };

    private static double Percentile(long[] sorted, double p) =>
        sorted.Length == 0 ? 0 : Ms(sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)]);

    private static double Ms(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;

    private static string Cut(string text) => text.Length <= 300 ? text : text[..300] + "…";

    private sealed record Phase(long[] Latencies, TimeSpan Elapsed, IReadOnlyDictionary<string, long> Errors);

    private sealed record PendingHeartbeat(int Target, int Subject, string Device, long Sequence);

    private sealed record Failure(string Kind, bool MayHaveLanded);

    private sealed class HeartbeatTally(int subjects)
    {
        private readonly long[] _acknowledged = new long[subjects];
        private long _dropped;

        public ConcurrentQueue<PendingHeartbeat> Pending { get; } = new();

        public long Dropped => Interlocked.Read(ref _dropped);

        public void Acknowledge(int subject) => Interlocked.Increment(ref _acknowledged[subject]);

        public long Acknowledged(int subject) => Interlocked.Read(ref _acknowledged[subject]);

        public void Unknown(PendingHeartbeat beat)
        {
            // Bounded: past the cap the outcome stays unknown and the check says so.
            if (Pending.Count < MaxUnknownKept)
            {
                Pending.Enqueue(beat);
            }
            else
            {
                Interlocked.Increment(ref _dropped);
            }
        }
    }
}

/// <summary>The app could not be prepared for the load (clock, subjects, reads); the CLI exits 3.</summary>
internal sealed class LoadSetupException(string message) : Exception(message);
