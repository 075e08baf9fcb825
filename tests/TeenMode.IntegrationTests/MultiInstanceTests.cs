using System.Globalization;
using Newtonsoft.Json.Linq;
using TeenMode.Harness.Drivers;
using TeenMode.Harness.Profiling;
using TeenMode.Harness.Running;
using TeenMode.Harness.Suites;

namespace TeenMode.IntegrationTests;

/// <summary>
/// Two app processes on ONE database, one minor's devices spread over both: every count (usage, money, PIN attempts,
/// reports) is exact, as if a single instance had answered. The store is the only thing the instances share.
/// </summary>
public sealed class MultiInstanceTests
{
    private const int Devices = 4;
    private const int HeartbeatsPerDevice = 10;
    private const int HeartbeatSeconds = 30;
    private const int PinAttempts = 40;
    private const int LockoutLimit = 5;
    private const int ReportCopies = 20;
    private const string Subject = "/teenmode/v1/subjects/kid";

    [Theory]
    [InlineData("postgres")]
    [InlineData("sqlite")]
    public async Task TwoInstances_OneDatabase_CountHeartbeatsSpendsPinAttemptsAndReportsExactlyOnce(string storeName)
    {
        var dir = Directory.CreateTempSubdirectory("teenmode-multi-").FullName;
        var store = await SharedStore.CreateAsync(storeName, dir);
        try
        {
            // A starts first so the schema and content pool exist before B opens the database.
            await using var a = await SampleAppProcess.StartAsync("A", store);
            await using var b = await SampleAppProcess.StartAsync("B", store);
            SampleAppProcess[] both = [a, b];

            // 17 on these dates (band 16-18): spending caps 50 a payment, 100 a day, 300 a month; 2 h of use a day.
            await Task.WhenAll(both.Select(i => i.SetClockAsync("2026-03-02T10:00:00")));
            (await a.SendAsync(HttpMethod.Post, "/teenmode/v1/subjects", """{"id":"kid","birthDate":"2009-01-01"}""")).Status.Should().Be(201);
            (await b.SendAsync(HttpMethod.Get, Subject)).Status.Should().Be(200, "B sees the minor A registered");

            var figures = new List<string> { $"instances: {both.Length} ({store.Store})" };
            figures.Add(await HeartbeatsAsync(both));
            figures.Add(await SpendsAsync(both));
            figures.Add(await PinLockoutAsync(both));
            figures.Add(await ReportKeysAsync(both));
            foreach (var line in figures)
            {
                Console.WriteLine("multi-instance " + line);
            }
        }
        finally
        {
            await store.DisposeAsync();
            Directory.Delete(dir, recursive: true);
        }
    }

    [Theory]
    [InlineData("postgres")]
    [InlineData("sqlite")]
    public async Task ConformanceSuiteAgainstA_PassesWhileBCarriesLoadForOtherMinors(string storeName)
    {
        var dir = Directory.CreateTempSubdirectory("teenmode-multi-suite-").FullName;
        var store = await SharedStore.CreateAsync(storeName, dir);
        try
        {
            await using var a = await SampleAppProcess.StartAsync("A", store);

            // The conformance recording sink lives in each process: only A may deliver authority notices during the run,
            // so B's dispatcher polls once at start and then not for an hour.
            await using var b = await SampleAppProcess.StartAsync("B", store, ["--outbox-poll", "3600"]);

            using var stop = new CancellationTokenSource();
            var load = Task.Run(() => LoadAsync(b, stop.Token));
            RunReport report;
            try
            {
                using var client = new HttpClient();
                var driver = new HttpDriver(client, a.BaseAddress, ProfileLoader.LoadBuiltin(), new Dictionary<string, string> { ["conformanceKey"] = SampleApp.Key });
                report = await ConformanceRunner.RunAsync(SuiteLoader.LoadEmbedded(), ProfileLoader.LoadBuiltin(), driver, a.BaseAddress.ToString());
            }
            finally
            {
                await stop.CancelAsync();
            }

            var (sent, failed) = await load;
            Console.WriteLine($"multi-instance ({store.Store}) suite: {report.Cases.Count} cases against A, verdict {report.Verdict.Wire()}; load on B: {sent} requests, {failed} not answered 200/201");
            report.Verdict.Wire().Should().Be("conformant", string.Join("\n", report.Cases.Where(c => c.Verdict != CaseVerdict.Passed).Select(c => $"{c.Id}: {c.Verdict} {c.Message}")));
            sent.Should().BeGreaterThan(0, "B carried load during the run");
            failed.Should().Be(0, "B answered every load request while A ran the suite");
        }
        finally
        {
            await store.DisposeAsync();
            Directory.Delete(dir, recursive: true);
        }
    }

    // 4 devices, each heartbeat sent to one instance and replayed to the other: every sequence counts once.
    private static async Task<string> HeartbeatsAsync(SampleAppProcess[] both)
    {
        var before = await RemainingAsync(both[0]);
        var sent = 0;
        var counted = 0;
        await Task.WhenAll(Enumerable.Range(0, Devices).Select(async device =>
        {
            for (var seq = 1; seq <= HeartbeatsPerDevice; seq++)
            {
                var body = new JObject { ["deviceId"] = $"device-{device}", ["sequence"] = seq, ["seconds"] = HeartbeatSeconds }.ToString();
                var first = both[(device + seq) % 2];
                var other = both[(device + seq + 1) % 2];
                var (status, _) = await first.SendAsync(HttpMethod.Post, Subject + "/heartbeats", body);
                var (replay, _) = await other.SendAsync(HttpMethod.Post, Subject + "/heartbeats", body);
                status.Should().Be(200);
                replay.Should().Be(200, "a replay is acknowledged, not refused");
                Interlocked.Add(ref sent, 2);
            }
        }));

        var used = new List<long>();
        foreach (var instance in both)
        {
            used.Add(before - await RemainingAsync(instance));
        }

        counted = (int)(used[0] / HeartbeatSeconds);
        used.Should().AllBeEquivalentTo((long)Devices * HeartbeatsPerDevice * HeartbeatSeconds, "each sequence counts once, read back from either instance");
        return $"heartbeats: devices {Devices}, sent {sent} ({sent / 2} + {sent / 2} replays), counted {counted}, usage {used[0]} s on A = {used[1]} s on B";
    }

    // 10 purchases of 30.00 a day over 4 days, split over both instances: the day cap (100) allows 3 a day, the month
    // cap (300) one more on day 4: exactly 10 of 40, totalling 300.00.
    private static async Task<string> SpendsAsync(SampleAppProcess[] both)
    {
        const decimal Amount = 30m;
        var allowed = 0;
        var attempted = 0;
        decimal cap = 0;
        for (var day = 2; day <= 5; day++)
        {
            var date = $"2026-03-{day:00}T11:00:00";
            await Task.WhenAll(both.Select(i => i.SetClockAsync(date)));
            var answers = await Task.WhenAll(Enumerable.Range(0, 10).Select(n => Task.Run(() =>
                both[n % 2].SendAsync(HttpMethod.Post, Subject + "/spends", $$"""{"category":"video","amount":"{{SampleAppProcess.Money(Amount)}}"}"""))));
            answers.Should().OnlyContain(x => x.Status == 200, "a refusal is a decision, not an error");
            allowed += answers.Count(x => x.Body["allowed"]!.Value<bool>());
            attempted += answers.Length;
            cap = Money(answers[0].Body["caps"]!["perMonth"]);
        }

        var fit = (int)decimal.Floor(cap / Amount);
        allowed.Should().Be(fit, "exactly as many as fit the monthly cap: none past it, none lost");
        var totals = new List<decimal>();
        foreach (var instance in both)
        {
            // The whole month, given explicitly: the conformance clock stands still, and "until" defaults to now (exclusive).
            var (_, statement) = await instance.SendAsync(HttpMethod.Get, Subject + "/spends?since=2026-03-01T00:00:00%2B08:00&until=2026-04-01T00:00:00%2B08:00");
            totals.Add(Money(statement["total"]));
        }

        totals.Should().AllBeEquivalentTo(fit * Amount, "both instances read the same statement");
        return $"spends: attempted {attempted} of {SampleAppProcess.Money(Amount)}, allowed {allowed}, monthly cap {SampleAppProcess.Money(cap)} (fits {fit}), total {SampleAppProcess.Money(totals[0])} on A and B";
    }

    private static async Task<string> PinLockoutAsync(SampleAppProcess[] both)
    {
        await both[0].SetClockAsync("2026-03-06T10:00:00");
        await both[1].SetClockAsync("2026-03-06T10:00:00");
        (await BindGuardianAsync(both[0], "mum", "246813")).Should().Be(201);
        var answers = await Task.WhenAll(Enumerable.Range(0, PinAttempts).Select(n => Task.Run(() =>
            both[n % 2].SendAsync(HttpMethod.Post, Subject + "/teen-mode/exit",
                new JObject { ["guardianPin"] = (100000 + n).ToString(CultureInfo.InvariantCulture) }.ToString()))));

        var verified = answers.Count(x => x.Body["reasonCode"]?.ToString() == "guardian-verification-failed");
        var locked = answers.Count(x => x.Status == 429 && x.Body["reasonCode"]?.ToString() == "guardian-locked-out");
        // Under contention the shared store may miss the StoreTimeout: that attempt fails closed (503, nothing checked).
        var busy = answers.Count(x => x.Status == 503 && x.Body["reasonCode"]?.ToString() == "store-unavailable");
        var other = answers.Where(x => x.Body["reasonCode"]?.ToString() is not ("guardian-verification-failed" or "guardian-locked-out" or "store-unavailable"))
            .Select(x => $"{x.Status} {x.Body["reasonCode"]}").ToList();
        verified.Should().BeLessThanOrEqualTo(LockoutLimit, "an attempt is reserved in the shared store before its PIN is checked");
        other.Should().BeEmpty("every attempt is checked, refused by the lock or fails closed (found: {0})", string.Join(", ", other));
        foreach (var instance in both)
        {
            var (status, body) = await instance.SendAsync(HttpMethod.Post, Subject + "/teen-mode/exit", """{"guardianPin":"246813"}""");
            status.Should().Be(429, $"the lock holds on {instance.Name}, even for the right PIN");
            body["reasonCode"]!.ToString().Should().Be("guardian-locked-out");
        }

        return $"PIN attempts: {PinAttempts} wrong over both, verified {verified} (limit {LockoutLimit}), locked out {locked}, store-unavailable {busy}; right PIN refused 429 on A and B";
    }

    private static async Task<string> ReportKeysAsync(SampleAppProcess[] both)
    {
        const string Report = """{"reporterKind":"guardian","reporterId":"mum","category":"bullying","targetKind":"user","targetId":"bully-9","subjectId":"kid"}""";
        var answers = await Task.WhenAll(Enumerable.Range(0, ReportCopies).Select(n => Task.Run(() =>
            both[n % 2].SendAsync(HttpMethod.Post, "/teenmode/v1/reports", Report, ("Idempotency-Key", "multi-1")))));

        answers.Count(x => x.Status == 201).Should().Be(1, "one instance stores the report");
        answers.Count(x => x.Status == 200).Should().Be(ReportCopies - 1, "the rest, on either instance, replay its receipt");
        var receipts = answers.Select(x => x.Body["reportId"]!.ToString()).Distinct().ToList();
        receipts.Should().ContainSingle();
        var stored = new List<int>();
        foreach (var instance in both)
        {
            stored.Add((await instance.SendAsync(HttpMethod.Get, Subject + "/reports")).Body["count"]!.Value<int>());
        }

        stored.Should().AllBeEquivalentTo(1);
        return $"report keys: 1 key sent {ReportCopies} times over both, receipts {receipts.Count}, stored {stored[0]} (A) / {stored[1]} (B)";
    }

    private static async Task<(int Sent, int Failed)> LoadAsync(SampleAppProcess b, CancellationToken stop)
    {
        int sent = 0, failed = 0;
        for (var n = 0; n < 10_000 && !stop.IsCancellationRequested; n++)
        {
            var minor = $"load-{n % 8}";
            var responses = n < 8
                ? [await b.SendAsync(HttpMethod.Post, "/teenmode/v1/subjects", new JObject { ["id"] = minor, ["birthDate"] = "2009-01-01" }.ToString())]
                : new[]
                {
                    await b.SendAsync(HttpMethod.Post, $"/teenmode/v1/subjects/{minor}/heartbeats", new JObject { ["deviceId"] = "load", ["sequence"] = n, ["seconds"] = 1 }.ToString()),
                    await b.SendAsync(HttpMethod.Post, $"/teenmode/v1/subjects/{minor}/spends", """{"category":"video","amount":"0.01"}"""),
                };
            sent += responses.Length;
            failed += responses.Count(r => r.Status is not (200 or 201));
        }

        return (sent, failed);
    }

    private static async Task<long> RemainingAsync(SampleAppProcess instance) =>
        (await instance.SendAsync(HttpMethod.Get, Subject + "/usage")).Body["remainingSeconds"]!.Value<long>();

    private static async Task<int> BindGuardianAsync(SampleAppProcess instance, string guardianId, string pin)
    {
        var (_, start) = await instance.SendAsync(HttpMethod.Post, Subject + "/guardian-binding-codes");
        var body = new JObject { ["guardianId"] = guardianId, ["pin"] = pin, ["bindingCode"] = start["bindingCode"]?.ToString() };
        return (await instance.SendAsync(HttpMethod.Post, Subject + "/guardians", body.ToString())).Status;
    }

    private static decimal Money(JToken? token) => decimal.Parse(token!.ToString(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
}
