using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Newtonsoft.Json.Linq;
using TeenMode.Health;
using TeenMode.Reporting;
using TeenMode.TestSupport;
using Xunit.Abstractions;

namespace TeenMode.IntegrationTests;

/// <summary>The sample's probes: <c>/healthz</c> says the process answers, <c>/readyz</c> says the store, rule packs and outbox are fit.</summary>
public sealed class HealthTests(ITestOutputHelper output)
{
    private static readonly TimeSpan StoreTimeout = TimeSpan.FromMilliseconds(800);

    // A loaded 2-core machine may answer a little after the deadline.
    private static readonly TimeSpan Slack = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task HealthySample_BothProbesAnswer200_WithEveryCheckHealthy()
    {
        await using var app = await SampleApp.StartAsync();

        var (live, liveBody) = await app.SendAsync(HttpMethod.Get, "/healthz");
        live.Should().Be(200, liveBody.ToString());
        liveBody["status"]!.ToString().Should().Be("Healthy");
        ((JObject)liveBody["checks"]!).Properties().Select(p => p.Name).Should().BeEquivalentTo(["teenmode-process"], "liveness does no store work");

        var (ready, readyBody) = await app.SendAsync(HttpMethod.Get, "/readyz");
        ready.Should().Be(200, readyBody.ToString());
        readyBody["status"]!.ToString().Should().Be("Healthy");
        var checks = (JObject)readyBody["checks"]!;
        checks.Properties().Select(p => p.Name).Should().BeEquivalentTo(["teenmode-store", "teenmode-rule-packs", "teenmode-authority-outbox"]);
        checks.Properties().Should().OnlyContain(p => p.Value["status"]!.ToString() == "Healthy");
        checks["teenmode-rule-packs"]!["data"]!["rulePack"]!.ToString().Should().Be("cn-cac-2024");
        checks["teenmode-authority-outbox"]!["data"]!["backlog"]!.Value<int>().Should().Be(0);
    }

    [Fact]
    public async Task SqliteLocked_ReadyIs503UnhealthyWithinTheStoreTimeout_WhileLiveStays200()
    {
        await using var app = await SampleApp.StartAsync(configure: o => o.StoreTimeout = StoreTimeout);
        (await app.SendAsync(HttpMethod.Get, "/readyz")).Status.Should().Be(200);

        using (StoreOutageTests.LockDatabase(app.DatabasePath, output))
        {
            await ExpectOutageAsync(app);
        }

        await WaitReadyAsync(app);
    }

    [Fact]
    public async Task PostgresStopped_ReadyIs503UnhealthyWithinTheStoreTimeout_WhileLiveStays200()
    {
        using var cluster = PostgresCluster.StartPrivate();
        await using var app = await SampleApp.StartAsync(configure: o =>
        {
            o.Store = ShortVideoApp.SampleStores.Postgres;
            o.ConnectionString = cluster.ConnectionString;
            o.PersonalDataKey = Convert.ToBase64String(new byte[32]);
            o.StoreTimeout = StoreTimeout;
        });
        (await app.SendAsync(HttpMethod.Get, "/readyz")).Status.Should().Be(200);

        cluster.Stop();
        try
        {
            await ExpectOutageAsync(app);
        }
        finally
        {
            cluster.Start();
        }

        await WaitReadyAsync(app);
    }

    [Fact]
    public async Task OutboxBacklog_ReadyIsDegraded_And200_WithCountsButNoNoticeContent()
    {
        await using var app = await SampleApp.StartAsync(configure: o => o.ConfigureBuilder = b =>
            b.Services.Configure<TeenModeHealthCheckOptions>(h => h.OutboxBacklogDegraded = 1));
        var store = app.App.Services.GetRequiredService<IReportWorkflowStore>();
        var now = app.App.Services.GetRequiredService<TimeProvider>().GetUtcNow();

        // Two notices queued long ago and held back for a retry far ahead, so the dispatcher leaves them waiting.
        for (var i = 0; i < 2; i++)
        {
            var id = $"rpt-health-{i}";
            var record = new ReportRecord(id, "health-key-" + i, "hash-" + i,
                new ReportSubmission(ReporterKind.Guardian, "parent-1", ReportCategory.SexualExploitation, "user", "stranger-9", null), ReportStatus.Received, now.AddHours(-2));
            var tracking = new ReportTracking(id, new ReportContext("kid-secret-id", []), now.AddHours(1), now.AddHours(24), true, [], []);
            var notice = new AuthorityNotice("ntc-" + id, id, "notice-key-" + i, "{\"reportId\":\"" + id + "\"}", now.AddHours(-2), 3, now.AddDays(1), null, "HTTP 503");
            (await store.FileAsync(record, tracking, notice)).Created.Should().BeTrue();
        }

        var (status, body) = await app.SendAsync(HttpMethod.Get, "/readyz");
        status.Should().Be(200, "a degraded outbox keeps the instance serving: " + body);
        body["status"]!.ToString().Should().Be("Degraded");
        var outbox = body["checks"]!["teenmode-authority-outbox"]!;
        outbox["status"]!.ToString().Should().Be("Degraded");
        outbox["data"]!["backlog"]!.Value<int>().Should().Be(2);
        outbox["data"]!["oldestAgeSeconds"]!.Value<long>().Should().BeGreaterThanOrEqualTo(7000);
        body["checks"]!["teenmode-store"]!["status"]!.ToString().Should().Be("Healthy");
        body.ToString().Should().NotContain("kid-secret-id").And.NotContain("parent-1").And.NotContain("HTTP 503");
    }

    private async Task ExpectOutageAsync(SampleApp app)
    {
        var took = Stopwatch.StartNew();
        var (ready, body) = await app.SendAsync(HttpMethod.Get, "/readyz");
        took.Stop();
        output.WriteLine($"/readyz during the outage: {ready} in {took.ElapsedMilliseconds} ms: {body}");
        ready.Should().Be(503, body.ToString());
        body["status"]!.ToString().Should().Be("Unhealthy");
        body["checks"]!["teenmode-store"]!["status"]!.ToString().Should().Be("Unhealthy");
        body["checks"]!["teenmode-rule-packs"]!["status"]!.ToString().Should().Be("Healthy");
        body.ToString().Should().NotContainAny("Exception", "Password", "Data Source");
        took.Elapsed.Should().BeLessThan(StoreTimeout + Slack, "the probe answers by the store deadline");

        var (live, liveBody) = await app.SendAsync(HttpMethod.Get, "/healthz");
        live.Should().Be(200, liveBody.ToString());
    }

    private static async Task WaitReadyAsync(SampleApp app)
    {
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        int status;
        do
        {
            status = (await app.SendAsync(HttpMethod.Get, "/readyz")).Status;
            if (status == 200)
            {
                return;
            }

            await Task.Delay(200);
        }
        while (DateTime.UtcNow < until);

        status.Should().Be(200, "ready again once the store is back");
    }
}
