using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Newtonsoft.Json.Linq;
using TeenMode.TestSupport;
using Xunit.Abstractions;

namespace TeenMode.IntegrationTests;

/// <summary>
/// PostgreSQL stops mid-run under two app instances: every decision for a minor, on every instance, denies
/// <c>store-unavailable</c> within the StoreTimeout; after the restart every acknowledged heartbeat, spend and report is
/// there (and nothing refused during the outage is), and the outbox delivers every queued authority notice exactly once.
/// </summary>
/// <remarks>The cluster is private to this test: stopping the server other tests share would fail them.</remarks>
public sealed class DatabaseOutageTests(ITestOutputHelper output)
{
    private const string Subject = "/teenmode/v1/subjects/kid";
    private const int DevicesPerInstance = 2;
    private const int HeartbeatsPerDevice = 5;
    private const int HeartbeatSeconds = 30;
    private const int SpendsPerInstance = 4;
    private const int ReportsPerInstance = 3;

    private static readonly TimeSpan StoreTimeout = TimeSpan.FromSeconds(2);

    // A loaded 2-core machine may answer a little after the deadline.
    private static readonly TimeSpan Slack = TimeSpan.FromSeconds(1.5);

    // How long the instances may take to serve again once PostgreSQL is back, and the outbox to drain (a notice claimed by
    // the round the stop interrupted is hidden for the store's OutboxLease, 60 s by default, before it is sent again).
    private static readonly TimeSpan Recovery = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Drain = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task PostgresStopsMidRun_EveryInstanceFailsClosed_AndAfterRestartNothingAcknowledgedIsLost_AndEveryNoticeIsDeliveredOnce()
    {
        var run = Stopwatch.StartNew();
        using var cluster = PostgresCluster.StartPrivate();
        await using var sink = await AuthoritySinkServer.StartAsync();

        // Refused until after the outage, so notices are queued in the store when it stops.
        sink.Refusing = true;
        var store = new SharedStore("postgres", cluster.ConnectionString);
        string[] args =
        [
            "--authority-sink", sink.Url.ToString(), "--outbox-poll", "0.2", "--outbox-backoff", "0.5",
            "--store-timeout", StoreTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture),
        ];
        var environment = new Dictionary<string, string> { ["TEENMODE_AUTHORITY_SECRET"] = AuthoritySinkServer.Secret };

        // A starts first so the schema and content pool exist before B opens the database.
        await using var a = await SampleAppProcess.StartAsync("A", store, args, environment);
        await using var b = await SampleAppProcess.StartAsync("B", store, args, environment);
        SampleAppProcess[] both = [a, b];
        try
        {
            // 17 on this date (band 16-18, 2 h a day); the clocks run, so the outbox's backoffs and leases pass.
            foreach (var instance in both)
            {
                var (status, body) = await instance.SendAsync(HttpMethod.Put, "/teenmode/conformance/v1/clock", """{"local":"2026-03-02T10:00:00","frozen":false}""");
                status.Should().Be(200, body.ToString());
            }

            var ids = await SeedAsync(a, b);
            var before = await UsageAsync(a);
            var acknowledged = await WorkloadAsync(both, ids.Report);

            // Every escalated report has a notice in the store, tried and refused: queued, not delivered.
            await WaitUntilAsync(TimeSpan.FromSeconds(30), async () => (await OutboxAsync(a)).Notices.Count(n => (int)n["attempts"]! >= 1) == acknowledged.Escalated.Count);
            sink.Accepted.Should().BeEmpty("the sink refused every delivery so far");

            cluster.Stop();
            var outage = await OutageAsync(both, ids);

            var restart = Stopwatch.StartNew();
            cluster.Start();
            await WaitUntilAsync(Recovery, async () =>
            {
                var answers = await Task.WhenAll(both.Select(i => i.SendAsync(HttpMethod.Get, Subject + "/usage")));
                return answers.All(x => x.Status == 200);
            });
            var recovered = restart.Elapsed;

            var present = await ReadBackAsync(both, before, acknowledged);

            sink.Refusing = false;
            var drain = Stopwatch.StartNew();
            var keys = await DeliveredAsync(a, sink, acknowledged.Escalated);
            var drained = drain.Elapsed;

            // A few more polling rounds on both instances: a notice sent twice would show up now.
            await Task.Delay(TimeSpan.FromSeconds(2));
            var duplicated = sink.Accepted.Where(k => k.Value > 1).Select(k => $"{k.Key} x{k.Value}").ToList();
            sink.Accepted.Keys.Should().BeEquivalentTo(keys, "every queued notice reached the sink, and nothing else did");
            duplicated.Should().BeEmpty("each notice is delivered once");
            sink.BadSignatures.Should().Be(0);

            Report(
                $"instances: {both.Length} (PostgreSQL, private cluster on port {cluster.Port}), StoreTimeout {StoreTimeout.TotalSeconds:0.#} s",
                $"endpoints failing closed: {outage.FailedClosed} / {outage.Touching} (over both instances; store-free answered 200: {outage.StoreFree}); slowest answer {outage.Slowest.TotalMilliseconds:0} ms ({outage.SlowestRoute})",
                $"served again {recovered.TotalSeconds:0.0} s after pg_ctl start",
                $"heartbeats: acknowledged {acknowledged.Heartbeats} ({acknowledged.Heartbeats * HeartbeatSeconds} s), present after restart {present.Heartbeats} ({present.UsedSeconds} s on A = B); refused during the outage and not counted: {outage.RefusedHeartbeats}",
                $"spends: acknowledged {acknowledged.Spends} totalling {SampleAppProcess.Money(acknowledged.SpendTotal)}, present {present.Spends} totalling {SampleAppProcess.Money(present.SpendTotal)} on A = B",
                $"reports: acknowledged {acknowledged.Reports.Count} ({acknowledged.Escalated.Count} escalated), present {present.Reports}; refused during the outage and not stored: {outage.RefusedReports}",
                $"notices: queued {acknowledged.Escalated.Count}, delivered {sink.Accepted.Count} ({drained.TotalSeconds:0.0} s after the sink accepted), duplicated {duplicated.Count}; sink refusals before {sink.Refused}",
                $"test duration {run.Elapsed.TotalSeconds:0.0} s");
        }
        catch
        {
            // What the instances and the server said, for the failing run.
            foreach (var instance in both)
            {
                output.WriteLine($"---- {instance.Name} log ----\n{Tail(instance.Log)}");
            }

            output.WriteLine($"---- PostgreSQL log ----\n{Tail(cluster.ServerLog)}");
            throw;
        }
    }

    // Guardian, a content item, a spend, a refund request, a personal-data request and a report: the ids the endpoint list needs.
    private static async Task<StoreOutageTests.Ids> SeedAsync(SampleAppProcess a, SampleAppProcess b)
    {
        (await a.SendAsync(HttpMethod.Post, "/teenmode/v1/subjects", """{"id":"kid","birthDate":"2009-01-01"}""")).Status.Should().Be(201);
        (await b.SendAsync(HttpMethod.Get, Subject)).Status.Should().Be(200, "B sees the minor A registered");
        var (_, code) = await a.SendAsync(HttpMethod.Post, Subject + "/guardian-binding-codes");
        var guardian = new JObject { ["guardianId"] = "mum", ["pin"] = "246813", ["bindingCode"] = code["bindingCode"]?.ToString() };
        (await b.SendAsync(HttpMethod.Post, Subject + "/guardians", guardian.ToString())).Status.Should().Be(201);
        var (_, feed) = await a.SendAsync(HttpMethod.Get, Subject + "/feed?limit=1");
        var item = feed["items"]![0]!["id"]!.ToString();
        var (spendStatus, spend) = await a.SendAsync(HttpMethod.Post, Subject + "/spends", """{"category":"video","amount":"1.00"}""");
        spendStatus.Should().Be(200, spend.ToString());
        var spendId = spend["spendId"]!.ToString();
        var (_, refund) = await b.SendAsync(HttpMethod.Post, $"{Subject}/spends/{spendId}/refund-requests", """{"guardianId":"mum"}""");
        var (_, request) = await a.SendAsync(HttpMethod.Post, Subject + "/personal-info/requests", """{"kind":"access","requesterId":"kid"}""");
        var (_, filed) = await b.SendAsync(HttpMethod.Post, "/teenmode/v1/reports", """{"reporterKind":"minor","reporterId":"kid","category":"bullying","targetKind":"user","targetId":"x","subjectId":"kid"}""",
            ("Idempotency-Key", "seed-report"));
        return new(item, filed["reportId"]!.ToString(), spendId, refund["refundId"]?.ToString() ?? "rfd-none", request["requestId"]?.ToString() ?? "dsr-none");
    }

    // Heartbeats from two devices per instance, spends with idempotency keys and escalating reports on both instances;
    // only what was acknowledged (200/201) is recorded, so the read-back compares with what clients were told.
    private static async Task<Acknowledged> WorkloadAsync(SampleAppProcess[] both, string seedReport)
    {
        var heartbeats = 0;
        await Task.WhenAll(both.SelectMany(instance => Enumerable.Range(0, DevicesPerInstance).Select(async device =>
        {
            for (var seq = 1; seq <= HeartbeatsPerDevice; seq++)
            {
                var body = new JObject { ["deviceId"] = $"{instance.Name}-device-{device}", ["sequence"] = seq, ["seconds"] = HeartbeatSeconds }.ToString();
                var (status, answer) = await instance.SendAsync(HttpMethod.Post, Subject + "/heartbeats", body);
                status.Should().Be(200, answer.ToString());
                Interlocked.Increment(ref heartbeats);
            }
        })));

        var spends = 0;
        var spendTotal = 1.00m; // the seed's
        foreach (var instance in both)
        {
            for (var i = 1; i <= SpendsPerInstance; i++)
            {
                var amount = i + 0.25m;
                var (status, answer) = await instance.SendAsync(HttpMethod.Post, Subject + "/spends", $$"""{"category":"video","amount":"{{SampleAppProcess.Money(amount)}}"}""",
                    ("Idempotency-Key", $"spend-{instance.Name}-{i}"));
                status.Should().Be(200, answer.ToString());
                answer["allowed"]!.Value<bool>().Should().BeTrue(answer.ToString());
                spends++;
                spendTotal += amount;
            }
        }

        var reports = new List<(string Id, string Reader)> { (seedReport, "kid") };
        var escalated = new List<string>();
        foreach (var instance in both)
        {
            for (var i = 1; i <= ReportsPerInstance; i++)
            {
                var key = $"report-{instance.Name}-{i}";
                var body = new JObject
                {
                    ["reporterKind"] = "guardian", ["reporterId"] = "mum", ["category"] = "sexual-exploitation", ["targetKind"] = "user",
                    ["targetId"] = $"suspect-{instance.Name}-{i}", ["subjectId"] = "kid", ["evidence"] = new JArray($"msg-{i}"),
                };
                var (status, answer) = await instance.SendAsync(HttpMethod.Post, "/teenmode/v1/reports", body.ToString(), ("Idempotency-Key", key));
                status.Should().Be(201, answer.ToString());
                reports.Add((answer["reportId"]!.ToString(), "mum"));
                escalated.Add(answer["reportId"]!.ToString());
            }
        }

        return new(heartbeats, spends + 1, spendTotal, reports, escalated);
    }

    // Every client endpoint on every instance, plus a fresh heartbeat, keyed spend and escalating report per instance that
    // must not count later: each answers 503 store-unavailable (problem+json, Retry-After) within the StoreTimeout.
    private async Task<Outage> OutageAsync(SampleAppProcess[] both, StoreOutageTests.Ids ids)
    {
        // The apps run a virtual clock: a provider callback must be stamped with its time, not today's.
        var (_, clock) = await both[0].SendAsync(HttpMethod.Get, "/teenmode/conformance/v1/clock");
        var appClock = DateTimeOffset.Parse(clock["instant"]!.ToString(), System.Globalization.CultureInfo.InvariantCulture);
        var requests = both.SelectMany(instance => StoreOutageTests.Requests(ids, appClock).Concat(
        [
            new("POST", "refused heartbeat", Subject + "/heartbeats", new JObject { ["deviceId"] = $"outage-{instance.Name}", ["sequence"] = 1, ["seconds"] = 60 }.ToString()),
            new("POST", "refused spend", Subject + "/spends", """{"category":"video","amount":"9.99"}""", $"outage-spend-{instance.Name}"),
            new("POST", "refused report", "/teenmode/v1/reports",
                $$"""{"reporterKind":"guardian","reporterId":"mum","category":"sexual-exploitation","targetKind":"user","targetId":"outage-{{instance.Name}}","subjectId":"kid"}""",
                $"outage-report-{instance.Name}"),
        ]).Select(r => (Instance: instance, Request: r))).ToList();

        using var gate = new SemaphoreSlim(8);
        var results = await Task.WhenAll(requests.Select(async x =>
        {
            await gate.WaitAsync();
            try
            {
                return await SendAsync(x.Instance, x.Request);
            }
            finally
            {
                gate.Release();
            }
        }));

        foreach (var r in results.OrderBy(r => r.Route, StringComparer.Ordinal))
        {
            output.WriteLine($"  {r.Instance} {r.Status} {r.ReasonCode,-20} {r.Took.TotalMilliseconds,6:0} ms  {r.Route}");
        }

        var touching = results.Where(r => !StoreOutageTests.StoreFree.Contains(r.Route)).ToList();
        var wrong = touching.Where(r => !(r.Status == 503 && r.ReasonCode == "store-unavailable" && r.ProblemJson && r.RetryAfter is > 0))
            .Select(r => $"{r.Instance} {r.Route}: {r.Status} {r.ReasonCode} problem+json={r.ProblemJson} Retry-After={r.RetryAfter}").ToList();
        wrong.Should().BeEmpty("with the database stopped every endpoint that needs the store answers 503 store-unavailable with Retry-After, on every instance");
        results.Where(r => StoreOutageTests.StoreFree.Contains(r.Route)).Should().OnlyContain(r => r.Status == 200);
        var slowest = results.MaxBy(r => r.Took);
        slowest.Took.Should().BeLessThan(StoreTimeout + Slack, $"every answer comes within the StoreTimeout (slowest: {slowest.Instance} {slowest.Route})");
        return new(touching.Count - wrong.Count, touching.Count, results.Length - touching.Count, slowest.Took, $"{slowest.Instance} {slowest.Route}",
            results.Count(r => r.Route.EndsWith("/heartbeats", StringComparison.Ordinal) || r.Route == "refused heartbeat"),
            results.Count(r => r.Route == "POST /teenmode/v1/reports" || r.Route == "refused report"));
    }

    // Both instances read the same, exact totals: what was acknowledged, nothing refused during the outage.
    private static async Task<Present> ReadBackAsync(SampleAppProcess[] both, long before, Acknowledged acknowledged)
    {
        var used = new List<long>();
        var spendCounts = new List<int>();
        var spendTotals = new List<decimal>();
        var reportCounts = new List<int>();
        foreach (var instance in both)
        {
            used.Add(before - await UsageAsync(instance));
            var (spendStatus, statement) = await instance.SendAsync(HttpMethod.Get, Subject + "/spends?since=2026-03-01T00:00:00%2B08:00&until=2026-04-01T00:00:00%2B08:00");
            spendStatus.Should().Be(200, statement.ToString());
            spendCounts.Add(statement["count"]!.Value<int>());
            spendTotals.Add(decimal.Parse(statement["total"]!.ToString(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture));
            var (reportStatus, reports) = await instance.SendAsync(HttpMethod.Get, Subject + "/reports");
            reportStatus.Should().Be(200, reports.ToString());
            reportCounts.Add(reports["count"]!.Value<int>());
            foreach (var (id, reader) in acknowledged.Reports)
            {
                // Only the reporter may read a report's status.
                var (status, body) = await instance.SendAsync(HttpMethod.Get, $"/teenmode/v1/reports/{id}?readerId={reader}");
                status.Should().Be(200, $"report {id} survives the outage on {instance.Name}: {body}");
            }
        }

        used.Should().AllBeEquivalentTo((long)acknowledged.Heartbeats * HeartbeatSeconds, "every acknowledged heartbeat counts, once; none refused during the outage does");
        spendCounts.Should().AllBeEquivalentTo(acknowledged.Spends, "every acknowledged spend is there, none refused during the outage");
        spendTotals.Should().AllBeEquivalentTo(acknowledged.SpendTotal);
        reportCounts.Should().AllBeEquivalentTo(acknowledged.Reports.Count, "every acknowledged report is there, none refused during the outage");
        return new((int)(used[0] / HeartbeatSeconds), used[0], spendCounts[0], spendTotals[0], reportCounts[0]);
    }

    // The outbox holds exactly the escalated reports' notices; waits until all are delivered and returns their keys.
    private static async Task<List<string>> DeliveredAsync(SampleAppProcess a, AuthoritySinkServer sink, List<string> escalated)
    {
        var (_, notices) = await OutboxAsync(a);
        notices.Select(n => n["reportId"]!.ToString()).Should().BeEquivalentTo(escalated, "one notice per acknowledged escalated report, none for a refused one");
        var keys = notices.Select(n => n["idempotencyKey"]!.ToString()).ToList();
        await WaitUntilAsync(Drain, async () => (await OutboxAsync(a)).Delivered == escalated.Count && keys.All(sink.Accepted.ContainsKey));
        return keys;
    }

    private static async Task<(int Status, string Instance, string Route, string? ReasonCode, bool ProblemJson, double? RetryAfter, TimeSpan Took)> SendAsync(
        SampleAppProcess instance, StoreOutageTests.Req r)
    {
        using var request = r.ToRequest();

        var clock = Stopwatch.StartNew();
        using var response = await instance.Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        clock.Stop();
        var mediaType = response.Content.Headers.ContentType?.MediaType;
        var reason = mediaType?.EndsWith("json", StringComparison.Ordinal) == true && text.StartsWith('{') ? JObject.Parse(text)["reasonCode"]?.ToString() : null;
        text.Should().NotContain("   at ", "no stack trace in any answer");
        var route = r.Route.StartsWith("refused ", StringComparison.Ordinal) ? r.Route : $"{r.Method} {r.Route}";
        return ((int)response.StatusCode, instance.Name, route, reason, mediaType == "application/problem+json", response.Headers.RetryAfter?.Delta?.TotalSeconds, clock.Elapsed);
    }

    private static async Task<long> UsageAsync(SampleAppProcess instance)
    {
        var (status, body) = await instance.SendAsync(HttpMethod.Get, Subject + "/usage");
        status.Should().Be(200, body.ToString());
        return body["remainingSeconds"]!.Value<long>();
    }

    private static async Task<(int Delivered, List<JObject> Notices)> OutboxAsync(SampleAppProcess instance)
    {
        var (status, body) = await instance.SendAsync(HttpMethod.Get, "/teenmode/conformance/v1/outbox");
        status.Should().Be(200, body.ToString());
        return ((int)body["delivered"]!, body["notices"]!.Cast<JObject>().ToList());
    }

    private static async Task WaitUntilAsync(TimeSpan patience, Func<Task<bool>> condition)
    {
        var deadline = Stopwatch.StartNew();
        while (!await Attempt(condition))
        {
            if (deadline.Elapsed > patience)
            {
                throw new TimeoutException($"The condition did not hold within {patience.TotalSeconds:0} s.");
            }

            await Task.Delay(200);
        }
    }

    // While the pool recovers a request may still fail (503, or an assertion on its body): that is "not yet".
    private static async Task<bool> Attempt(Func<Task<bool>> condition)
    {
        try
        {
            return await condition();
        }
        catch (Exception e) when (e is HttpRequestException or Xunit.Sdk.XunitException or NullReferenceException or InvalidCastException)
        {
            return false;
        }
    }

    private void Report(params string[] lines)
    {
        foreach (var line in lines)
        {
            output.WriteLine("database-outage " + line);
            Console.WriteLine("database-outage " + line);
        }
    }

    private static string Tail(string log) => log.Length <= 6000 ? log : log[^6000..];

    private sealed record Acknowledged(int Heartbeats, int Spends, decimal SpendTotal, List<(string Id, string Reader)> Reports, List<string> Escalated);

    private sealed record Outage(int FailedClosed, int Touching, int StoreFree, TimeSpan Slowest, string SlowestRoute, int RefusedHeartbeats, int RefusedReports);

    private sealed record Present(int Heartbeats, long UsedSeconds, int Spends, decimal SpendTotal, int Reports);
}
