using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Routing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Newtonsoft.Json.Linq;
using Xunit.Abstractions;

namespace TeenMode.IntegrationTests;

/// <summary>
/// The SQLite file is locked by another process: every endpoint that reads or writes the store answers
/// 503 store-unavailable with Retry-After within the store deadline, and nothing refused is lost or half-done.
/// </summary>
public sealed class StoreOutageTests(ITestOutputHelper output)
{
    // The answer may come a little after the StoreTimeout on a loaded 2-core CI machine.
    private static readonly TimeSpan Slack = TimeSpan.FromSeconds(1);

    // Endpoints that never touch the store (configuration only): they keep answering during an outage.
    internal static readonly HashSet<string> StoreFree = new(StringComparer.Ordinal) { "GET /teenmode/v1/personal-info/inventory" };

    // 2 s is the default StoreTimeout. At 0.5 s the bound is far below what SQLite's own busy retries take (about 1 s per
    // command), so every endpoint, not only the gates, must answer by the configured deadline.
    [Theory]
    [InlineData(2000)]
    [InlineData(500)]
    public async Task EveryPublicEndpoint_FailsClosedWith503_WhenTheDatabaseIsLocked_AndRetriesSucceedAfterwards(int storeTimeoutMs)
    {
        var storeTimeout = TimeSpan.FromMilliseconds(storeTimeoutMs);
        await using var app = await SampleApp.StartAsync(configure: o => o.ConfigureBuilder = b => b.Services.Configure<TeenModeOptions>(t => t.StoreTimeout = storeTimeout));
        var ids = await SeedAsync(app);
        var requests = Requests(ids);

        // Every route the app maps for clients is in the list, so a new endpoint cannot skip this test.
        var mapped = app.App.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Select(e => $"{e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods.Single()} {e.RoutePattern.RawText}")
            .Where(r => r.Contains(" /teenmode/v1/", StringComparison.Ordinal) && !r.Contains("/review/", StringComparison.Ordinal)
                && !r.Contains("/admin/", StringComparison.Ordinal) && !r.Contains("/pi-admin/", StringComparison.Ordinal)
                || r.Contains(" /api/", StringComparison.Ordinal))
            .ToHashSet(StringComparer.Ordinal);
        requests.Select(r => $"{r.Method} {r.Route}").Should().BeEquivalentTo(mapped, "every client endpoint is tried under the outage");

        var results = new List<(string Route, int Status, string? ReasonCode, string? RetryAfter, TimeSpan Took)>();
        using (LockDatabase(app.DatabasePath, output))
        {
            using var gate = new SemaphoreSlim(8);
            results.AddRange(await Task.WhenAll(requests.Select(async r =>
            {
                await gate.WaitAsync();
                try
                {
                    return await SendTimedAsync(app, r);
                }
                finally
                {
                    gate.Release();
                }
            })));
        }

        var touching = results.Where(r => !StoreFree.Contains(r.Route)).ToList();
        var failedClosed = touching.Where(r => r.Status == 503 && r.ReasonCode == "store-unavailable" && r.RetryAfter is { Length: > 0 }).ToList();
        var slowest = results.MaxBy(r => r.Took);
        output.WriteLine($"StoreTimeout {storeTimeoutMs} ms: endpoints failing closed under a locked store: {failedClosed.Count} / {touching.Count}; slowest answer {slowest.Took.TotalMilliseconds:0} ms ({slowest.Route})");
        foreach (var r in results.OrderBy(r => r.Route, StringComparer.Ordinal))
        {
            output.WriteLine($"  {r.Status} {r.ReasonCode,-20} {r.Took.TotalMilliseconds,6:0} ms  {r.Route}");
        }

        touching.Where(r => !failedClosed.Contains(r)).Should().BeEmpty("every endpoint that needs the store answers 503 store-unavailable with Retry-After");
        results.Where(r => StoreFree.Contains(r.Route)).Should().OnlyContain(r => r.Status == 200);
        results.Should().OnlyContain(r => r.Took < storeTimeout + Slack, "every endpoint answers by the StoreTimeout, not after the driver's busy wait");

        // The lock is gone. A refused write was either not recorded or (abandoned past the deadline, it got the lock later)
        // recorded whole; either way the client's retry with the same sequence or idempotency key counts it once.
        var (_, before) = await app.SendAsync(HttpMethod.Get, "/teenmode/v1/subjects/kid/usage");
        var (beat, beatBody) = await app.SendAsync(HttpMethod.Post, "/teenmode/v1/subjects/kid/heartbeats", """{"deviceId":"phone","sequence":7,"seconds":60}""");
        beat.Should().Be(200, beatBody.ToString());
        var (again, _) = await app.SendAsync(HttpMethod.Post, "/teenmode/v1/subjects/kid/heartbeats", """{"deviceId":"phone","sequence":7,"seconds":60}""");
        again.Should().Be(200);
        var (_, after) = await app.SendAsync(HttpMethod.Get, "/teenmode/v1/subjects/kid/usage");
        ((long)before["remainingSeconds"]! - (long)after["remainingSeconds"]!).Should().BeInRange(0, 60, "heartbeat 7 is counted at most once, whatever happened during the outage");

        var (report, first) = await app.SendAsync(HttpMethod.Post, "/teenmode/v1/reports", ReportBody, ("Idempotency-Key", "outage-report"));
        report.Should().BeOneOf([201, 200], "the retried report is stored, or was stored once by the abandoned request");
        var (replay, second) = await app.SendAsync(HttpMethod.Post, "/teenmode/v1/reports", ReportBody, ("Idempotency-Key", "outage-report"));
        replay.Should().Be(200);
        second["reportId"]!.ToString().Should().Be(first["reportId"]!.ToString(), "one report, whatever the outage did");
    }

    internal const string ReportBody = """{"reporterKind":"minor","reporterId":"kid","category":"bullying","targetKind":"user","targetId":"bully-1","subjectId":"kid"}""";

    private static async Task<Ids> SeedAsync(SampleApp app)
    {
        // 409: an attempt that missed the deadline was abandoned by the app after its write committed; the subject is there.
        (await Seed(app, HttpMethod.Post, "/teenmode/v1/subjects", """{"id":"kid","birthDate":"2013-05-01"}""")).Status.Should().BeOneOf(201, 409);
        (await app.BindGuardianAsync("kid", "mum", "246813")).Should().Be(201);
        var (_, feed) = await Seed(app, HttpMethod.Get, "/teenmode/v1/subjects/kid/feed?limit=1");
        var item = feed["items"]![0]!["id"]!.ToString();
        var (_, filed) = await Seed(app, HttpMethod.Post, "/teenmode/v1/reports", """{"reporterKind":"minor","reporterId":"kid","category":"bullying","targetKind":"user","targetId":"x","subjectId":"kid"}""",
            ("Idempotency-Key", "seed-report"));
        var (spendStatus, spend) = await Seed(app, HttpMethod.Post, "/teenmode/v1/subjects/kid/spends", """{"category":"video","amount":"1.00"}""");
        spendStatus.Should().Be(200, spend.ToString());
        var spendId = spend["spendId"]?.ToString() ?? "spd-none";
        var (_, refund) = await Seed(app, HttpMethod.Post, $"/teenmode/v1/subjects/kid/spends/{spendId}/refund-requests", """{"guardianId":"mum"}""");
        var (_, request) = await Seed(app, HttpMethod.Post, "/teenmode/v1/subjects/kid/personal-info/requests", """{"kind":"access","requesterId":"kid"}""");
        return new Ids(item, filed["reportId"]!.ToString(), spendId, refund["refundId"]?.ToString() ?? "rfd-none", request["requestId"]?.ToString() ?? "dsr-none");
    }

    // Seeding runs before the outage under a store deadline as short as 0.5 s; on a busy CI machine a write can miss
    // it and answer 503 (correctly). That is not what this test is about, so the seed step asks again.
    private static async Task<(int Status, JObject Body)> Seed(SampleApp app, HttpMethod method, string path, string? body = null, params (string Name, string Value)[] headers)
    {
        // A fresh machine's first requests (JIT, SQLite warm-up) can miss a 0.5 s deadline several times in a row.
        var until = DateTime.UtcNow.AddSeconds(20);
        for (var attempt = 1; ; attempt++)
        {
            var answer = await app.SendAsync(method, path, body, headers);
            if (answer.Status != 503 || DateTime.UtcNow > until)
            {
                return answer;
            }

            await Task.Delay(Math.Min(200 * attempt, 1000));
        }
    }

    /// <summary>One request to every client endpoint (checked above against the routes the app maps), for subject <c>kid</c>
    /// with guardian <c>mum</c> (PIN 246813); <c>DatabaseOutageTests</c> sends the same list to several instances.</summary>
    internal static List<Req> Requests(Ids ids, DateTimeOffset? appClock = null)
    {
        const string S = "/teenmode/v1/subjects/kid";
        const string Pin = """{"guardianPin":"246813"}""";
        return
        [
            new("POST", "/teenmode/v1/subjects", "/teenmode/v1/subjects", """{"id":"kid2","birthDate":"2014-01-01"}"""),
            new("GET", "/teenmode/v1/subjects/{subjectId}", S),
            new("POST", "/teenmode/v1/subjects/{subjectId}/teen-mode/enter", S + "/teen-mode/enter"),
            new("POST", "/teenmode/v1/subjects/{subjectId}/teen-mode/exit", S + "/teen-mode/exit", Pin),
            new("POST", "/teenmode/v1/subjects/{subjectId}/heartbeats", S + "/heartbeats", """{"deviceId":"phone","sequence":7,"seconds":60}"""),
            new("GET", "/teenmode/v1/subjects/{subjectId}/usage", S + "/usage"),
            new("GET", "/teenmode/v1/subjects/{subjectId}/content/{itemId}", $"{S}/content/{ids.Item}"),
            new("GET", "/teenmode/v1/subjects/{subjectId}/content/{itemId}/placement/{placement}", $"{S}/content/{ids.Item}/placement/hot-list"),
            new("GET", "/teenmode/v1/subjects/{subjectId}/feed", S + "/feed"),
            new("GET", "/teenmode/v1/subjects/{subjectId}/hot", S + "/hot"),
            new("GET", "/teenmode/v1/content/richness", "/teenmode/v1/content/richness"),
            new("GET", "/teenmode/v1/subjects/{subjectId}/games/play", S + "/games/play"),
            new("POST", "/teenmode/v1/subjects/{subjectId}/games/top-ups", S + "/games/top-ups", """{"gameCompanyId":"g1","amount":"10.00"}"""),
            new("POST", "/teenmode/v1/subjects/{subjectId}/guardian-binding-codes", S + "/guardian-binding-codes"),
            new("POST", "/teenmode/v1/subjects/{subjectId}/guardians", S + "/guardians", """{"guardianId":"dad","pin":"135790","bindingCode":"12345678","existingGuardianPin":"246813"}"""),
            new("POST", "/teenmode/v1/subjects/{subjectId}/guardians/{guardianId}/unbind", S + "/guardians/mum/unbind", Pin),
            new("GET", "/teenmode/v1/subjects/{subjectId}/settings", S + "/settings"),
            new("PATCH", "/teenmode/v1/subjects/{subjectId}/settings", S + "/settings", """{"guardianPin":"246813","dailyMinutes":30}"""),
            new("GET", "/teenmode/v1/subjects/{subjectId}/features/{feature}", S + "/features/comments"),
            new("GET", "/teenmode/v1/subjects/{subjectId}/usage-report", S + "/usage-report?guardianId=mum"),
            new("POST", "/teenmode/v1/subjects/{subjectId}/spends", S + "/spends", """{"category":"video","amount":"2.00"}"""),
            new("GET", "/teenmode/v1/subjects/{subjectId}/spends", S + "/spends"),
            new("POST", "/teenmode/v1/subjects/{subjectId}/spends/{spendId}/refund-requests", $"{S}/spends/{ids.Spend}/refund-requests", """{"guardianId":"mum"}"""),
            new("GET", "/teenmode/v1/refund-requests/{refundId}", "/teenmode/v1/refund-requests/" + ids.Refund),
            new("POST", "/teenmode/v1/reports", "/teenmode/v1/reports", ReportBody, "outage-report"),
            new("GET", "/teenmode/v1/reports/{reportId}", $"/teenmode/v1/reports/{ids.Report}?readerId=kid"),
            new("GET", "/teenmode/v1/subjects/{subjectId}/reports", S + "/reports"),
            new("GET", "/teenmode/v1/personal-info/inventory", "/teenmode/v1/personal-info/inventory"),
            new("GET", "/teenmode/v1/subjects/{subjectId}/personal-info/collection-check", S + "/personal-info/collection-check?field=nickname&purpose=account"),
            new("POST", "/teenmode/v1/subjects/{subjectId}/personal-info/values", S + "/personal-info/values", """{"field":"nickname","purpose":"account","value":"Kiki"}"""),
            new("POST", "/teenmode/v1/subjects/{subjectId}/personal-info/consents", S + "/personal-info/consents",
                """{"guardianId":"mum","decision":"granted","purposes":["account"],"noticeHash":"0000000000000000000000000000000000000000000000000000000000000000"}"""),
            new("POST", "/teenmode/v1/subjects/{subjectId}/personal-info/consents/withdraw", S + "/personal-info/consents/withdraw", """{"guardianId":"mum","purposes":["account"]}"""),
            new("POST", "/teenmode/v1/subjects/{subjectId}/personal-info/requests", S + "/personal-info/requests", """{"kind":"access","requesterId":"kid"}"""),
            new("GET", "/teenmode/v1/subjects/{subjectId}/personal-info/requests/{requestId}", $"{S}/personal-info/requests/{ids.Request}"),
            new("POST", "/teenmode/v1/subjects/{subjectId}/personal-info/account-closure", S + "/personal-info/account-closure"),
            new("GET", "/teenmode/v1/subjects/{subjectId}/breach-notices", S + "/breach-notices"),
            new("POST", "/teenmode/v1/subjects/{subjectId}/real-name", S + "/real-name", """{"name":"张三","identityNumber":"110105201305010028"}"""),
            new("POST", "/teenmode/v1/subjects/{subjectId}/real-name/refresh", S + "/real-name/refresh"),
            SignedCallback("""{"accountId":"kid","status":"verified","playerId":"pi-outage"}""", appClock ?? DateTimeOffset.UtcNow),
            new("POST", "/teenmode/v1/subjects/{subjectId}/age-signals", S + "/age-signals", """{"source":"google-play-age-signals","status":"supervised","lowerAge":13,"upperAge":15}"""),
            new("POST", "/teenmode/v1/subjects/{subjectId}/device-minor-mode", S + "/device-minor-mode", """{"deviceId":"phone","minorMode":true,"lowerAge":12,"upperAge":16}"""),
            new("POST", "/teenmode/v1/subjects/{subjectId}/games/sessions", S + "/games/sessions", """{"sessionId":"s-1","deviceId":"phone","event":"log-in"}"""),
            new("POST", "/api/videos/{videoId}/play", $"/api/videos/{ids.Item}/play?user=kid"),
            new("GET", "/api/feed", "/api/feed?user=kid"),
        ];
    }

    private static async Task<(string Route, int Status, string? ReasonCode, string? RetryAfter, TimeSpan Took)> SendTimedAsync(SampleApp app, Req r)
    {
        using var request = r.ToRequest();

        var clock = Stopwatch.StartNew();
        using var response = await app.Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        clock.Stop();
        string? reason = null;
        if (response.Content.Headers.ContentType?.MediaType?.EndsWith("json", StringComparison.Ordinal) == true && text.StartsWith('{'))
        {
            reason = JObject.Parse(text)["reasonCode"]?.ToString();
        }

        text.Should().NotContain("   at ", "no stack trace in any answer");
        return ($"{r.Method} {r.Route}", (int)response.StatusCode, reason,
            response.Headers.RetryAfter?.Delta?.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture), clock.Elapsed);
    }

    /// <summary>Holds an exclusive lock on the database as another process would (e.g. a backup or a stuck writer).</summary>
    internal static SqliteConnection LockDatabase(string path, ITestOutputHelper output)
    {
        // In WAL mode every open connection holds a shared lock; the app's idle pooled ones are closed first
        // (the app runs in this process), so the exclusive lock is taken at once, as an outside process would hold it.
        SqliteConnection.ClearAllPools();
        var took = Stopwatch.StartNew();
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE; DELETE FROM subjects WHERE 0;";
        command.ExecuteNonQuery();
        output.WriteLine($"database locked in {took.ElapsedMilliseconds} ms");
        return connection;
    }

    internal sealed record Ids(string Item, string Report, string Spend, string Refund, string Request);

    /// <summary>A provider callback signed as <c>AgeAssuranceEndpoints</c> expects, stamped with the app's clock (it refuses stale stamps).</summary>
    internal static Req SignedCallback(string body, DateTimeOffset appClock)
    {
        var stamp = appClock.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var mac = System.Security.Cryptography.HMACSHA256.HashData(Encoding.UTF8.GetBytes(SampleApp.CallbackSecret), Encoding.UTF8.GetBytes(stamp + "." + body));
        return new("POST", "/teenmode/v1/real-name/callbacks", "/teenmode/v1/real-name/callbacks", body)
        {
            Headers = [("TeenMode-Timestamp", stamp), ("TeenMode-Signature", "sha256=" + Convert.ToHexStringLower(mac))],
        };
    }

    internal sealed record Req(string Method, string Route, string Path, string? Body = null, string? IdempotencyKey = null)
    {
        /// <summary>Extra headers (e.g. a callback's signature).</summary>
        public IReadOnlyList<(string Name, string Value)> Headers { get; init; } = [];

        /// <summary>The request as a client sends it (relative to the app's base address).</summary>
        public HttpRequestMessage ToRequest()
        {
            var request = new HttpRequestMessage(new HttpMethod(Method), Path.TrimStart('/'));
            if (Body is not null)
            {
                request.Content = new StringContent(Body, Encoding.UTF8);
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            }

            if (IdempotencyKey is not null)
            {
                request.Headers.Add("Idempotency-Key", IdempotencyKey);
            }

            foreach (var (name, value) in Headers)
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }

            return request;
        }
    }
}
