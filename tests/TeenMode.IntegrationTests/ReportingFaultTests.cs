using Newtonsoft.Json.Linq;
using ShortVideoApp;

namespace TeenMode.IntegrationTests;

public sealed class ReportingFaultTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task SinkDownAcrossARestart_EveryEscalatedReportIsDeliveredAtLeastOnce_AndNoReportIsLost()
    {
        await using var sink = await AuthoritySinkServer.StartAsync();
        sink.Refusing = true;
        var dir = Directory.CreateTempSubdirectory("teenmode-fault-").FullName;
        void Configure(ShortVideoAppOptions o)
        {
            o.AuthoritySinkUrl = sink.Url;
            o.AuthoritySinkSecret = AuthoritySinkServer.Secret;
            o.AuthorityDispatch = d =>
            {
                d.PollInterval = TimeSpan.FromMilliseconds(100);
                d.RetriesPerRound = 1;
                d.RetryDelay = TimeSpan.FromMilliseconds(10);
                d.Backoff = TimeSpan.FromMilliseconds(100);
                d.MaxBackoff = TimeSpan.FromMilliseconds(400);
                d.BreakDuration = TimeSpan.FromMilliseconds(500);
            };
        }

        var escalated = new List<string>();
        var all = new List<string>();
        var first = await SampleApp.StartAsync(dir: dir, configure: Configure);
        try
        {
            for (var i = 0; i < 6; i++)
            {
                var category = i % 3 == 2 ? "fraud" : "sexual-exploitation";
                var (status, body) = await first.SendAsync(HttpMethod.Post, "/teenmode/v1/reports",
                    $$"""{"reporterKind":"guardian","category":"{{category}}","targetKind":"user","targetId":"suspect-{{i}}","evidence":["msg-{{i}}"]}""",
                    ("Idempotency-Key", $"fault-{i}"));
                status.Should().Be(201);
                all.Add(body["reportId"]!.ToString());
                if (category != "fraud")
                {
                    escalated.Add(body["reportId"]!.ToString());
                }
            }

            // The sink refuses every round for a while: each notice is tried, refused and kept.
            await WaitUntilAsync(async () => (await OutboxAsync(first)).Notices.All(n => (int)n["attempts"]! >= 2));
            sink.Accepted.Should().BeEmpty();
            sink.Refused.Should().BeGreaterThanOrEqualTo(escalated.Count);
        }
        finally
        {
            await first.KeepFilesAndDisposeAsync();
        }

        // Restarted on the same database file; the sink comes back.
        sink.Refusing = false;
        await using var second = await SampleApp.StartAsync(dir: dir, configure: Configure);
        await WaitUntilAsync(async () => (await OutboxAsync(second)).Delivered == escalated.Count);

        var outbox = await OutboxAsync(second);
        outbox.Notices.Select(n => n["reportId"]!.ToString()).Should().BeEquivalentTo(escalated);
        var keys = outbox.Notices.Select(n => n["idempotencyKey"]!.ToString()).ToList();
        sink.Accepted.Keys.Should().BeEquivalentTo(keys, "the sink saw each notice's idempotency key");
        sink.BadSignatures.Should().Be(0);
        foreach (var id in all)
        {
            var (status, body) = await second.SendAsync(HttpMethod.Get, $"/teenmode/v1/reports/{id}");
            status.Should().Be(200, $"report {id} must survive the restart");
            if (escalated.Contains(id))
            {
                body["escalation"]!["state"]!.ToString().Should().Be("delivered");
            }
            else
            {
                body["escalation"]!.Type.Should().Be(JTokenType.Null);
            }
        }
    }

    private static async Task<(int Delivered, List<JObject> Notices)> OutboxAsync(SampleApp app)
    {
        var (status, body) = await app.SendAsync(HttpMethod.Get, "/teenmode/conformance/v1/outbox");
        status.Should().Be(200);
        return ((int)body["delivered"]!, body["notices"]!.Cast<JObject>().ToList());
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("The condition did not hold in time.");
            }

            await Task.Delay(100);
        }
    }
}
