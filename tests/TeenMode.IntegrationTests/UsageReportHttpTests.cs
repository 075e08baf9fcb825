using Microsoft.Extensions.DependencyInjection;
using Newtonsoft.Json.Linq;

namespace TeenMode.IntegrationTests;

public sealed class UsageReportHttpTests
{
    [Fact]
    public async Task UsageReport_ForABoundGuardian_HasTheDaysMinutes_OthersAreRefused_BadDatesNameTheField()
    {
        await using var app = await SampleApp.StartAsync();
        await app.SendAsync(HttpMethod.Post, "/teenmode/v1/subjects", "{\"id\":\"kid\",\"birthDate\":\"2013-01-01\"}");
        (await app.BindGuardianAsync("kid", "mum", "246810")).Should().Be(201);
        var denied = 0;
        for (var sequence = 1; sequence <= 2; sequence++)
        {
            // The sample runs on the real clock: in the curfew the heartbeats are refused, and the report must count that.
            var (_, beat) = await app.SendAsync(HttpMethod.Post, "/teenmode/v1/subjects/kid/heartbeats", $$"""{"deviceId":"phone","sequence":{{sequence}},"seconds":60,"category":"video"}""");
            denied += beat["allowed"]!.ToObject<bool>() ? 0 : 1;
        }

        var (status, body) = await app.SendAsync(HttpMethod.Get, "/teenmode/v1/subjects/kid/usage-report?guardianId=mum");
        var (stranger, strangerBody) = await app.SendAsync(HttpMethod.Get, "/teenmode/v1/subjects/kid/usage-report?guardianId=eve");
        var (bad, badBody) = await app.SendAsync(HttpMethod.Get, "/teenmode/v1/subjects/kid/usage-report?guardianId=mum&from=03/04/2026");
        var (tooLong, _) = await app.SendAsync(HttpMethod.Get, "/teenmode/v1/subjects/kid/usage-report?guardianId=mum&from=2026-01-01&to=2026-03-01");

        status.Should().Be(200);
        body["days"]!.Should().HaveCount(7, "the default range is the last seven local days");
        body["totalMinutes"]!.ToObject<long>().Should().Be(2);
        body["days"]!.Last!["byCategory"]!["video"]!.ToObject<long>().Should().Be(2);
        body["blockedTotal"]!.ToObject<long>().Should().Be(denied);
        stranger.Should().Be(403);
        strangerBody["reasonCode"]!.ToString().Should().Be("guardian-not-bound");
        bad.Should().Be(400);
        badBody["errors"]!["from"]!.ToString().Should().Contain("yyyy-MM-dd");
        tooLong.Should().Be(400);
    }

    [Fact]
    public async Task BlockedAttempts_CountedInMemory_AreInTheReportAtOnce_AndSurviveAGracefulRestart()
    {
        var dir = Directory.CreateTempSubdirectory("teenmode-it-").FullName;
        const string Report = "/teenmode/v1/subjects/kid/usage-report?guardianId=mum&from=2026-03-04&to=2026-03-04";

        // A minute between flushes: what reaches the file is what the shutdown flushed.
        var first = await SampleApp.StartAsync(dir: dir, configure: o => o.ConfigureBuilder = b =>
            b.Services.Configure<TeenModeOptions>(t => t.BlockedAttemptFlushInterval = TimeSpan.FromMinutes(1)));
        {
            await first.SendAsync(HttpMethod.Put, "/teenmode/conformance/v1/clock", "{\"local\":\"2026-03-04T22:01:00\"}");
            await first.SendAsync(HttpMethod.Post, "/teenmode/v1/subjects", "{\"id\":\"kid\",\"birthDate\":\"2013-01-01\"}");
            (await first.BindGuardianAsync("kid", "mum", "246810")).Should().Be(201);
            for (var sequence = 1; sequence <= 3; sequence++)
            {
                var (_, beat) = await first.SendAsync(HttpMethod.Post, "/teenmode/v1/subjects/kid/heartbeats", $$"""{"deviceId":"phone","sequence":{{sequence}},"seconds":60}""");
                beat["reasonCode"]!.ToString().Should().Be("curfew");
            }

            var (_, before) = await first.SendAsync(HttpMethod.Get, Report);
            before["blockedByReason"]!["curfew"]!.ToObject<long>().Should().Be(3, "this instance counts what it has not flushed yet");
            await first.KeepFilesAndDisposeAsync();
        }

        await using var second = await SampleApp.StartAsync(dir: dir);
        var (status, after) = await second.SendAsync(HttpMethod.Get, Report);

        status.Should().Be(200);
        after["blockedByReason"]!["curfew"]!.ToObject<long>().Should().Be(3, "stopping the app flushed the counts to the database");
    }
}
