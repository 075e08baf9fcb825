using System.Collections.ObjectModel;
using System.Diagnostics;
using OpenTelemetry.Trace;

namespace TeenMode.IntegrationTests;

/// <summary>The sample's OpenTelemetry wiring, read back with the in-memory exporter: a heartbeat's spans, and no subject id in any of them.</summary>
public sealed class TelemetryTests
{
    // Distinctive, so a leak anywhere (a tag, a span name, a path) is found by a plain substring search.
    private const string SubjectId = "kid-otel-5f2c9a";

    [Fact]
    public async Task Heartbeat_HasAGateSpanWithItsReasonCode_AndTheLedgerCommitAsItsChild_AndNoTagNamesTheSubject()
    {
        var spans = new LockedList();
        await using var app = await SampleApp.StartAsync(configure: o => o.ConfigureBuilder = b =>
            b.Services.ConfigureOpenTelemetryTracerProvider(t => t.AddInMemoryExporter(spans)));
        // An afternoon on the app's clock: on the real clock a run in the 22:00-06:00 curfew would (rightly) be refused.
        (await app.SendAsync(HttpMethod.Put, "/teenmode/conformance/v1/clock", """{"local":"2026-03-04T15:00:00"}""")).Status.Should().Be(200);
        (await app.SendAsync(HttpMethod.Post, "/teenmode/v1/subjects", $$"""{"id":"{{SubjectId}}","birthDate":"2013-05-01"}""")).Status.Should().Be(201);

        var (status, body) = await app.SendAsync(HttpMethod.Post, $"/teenmode/v1/subjects/{SubjectId}/heartbeats", """{"deviceId":"phone-1","sequence":1,"seconds":60}""");
        status.Should().Be(200, body.ToString());
        var reason = body["reasonCode"]!.ToString();

        // The server span ends after the response is sent: wait for it.
        var until = DateTime.UtcNow.AddSeconds(10);
        while (!spans.Snapshot().Any(IsHeartbeatRequest) && DateTime.UtcNow < until)
        {
            await Task.Delay(50);
        }

        var recorded = spans.Snapshot();
        var request = recorded.Should().ContainSingle(a => IsHeartbeatRequest(a)).Subject;
        var gate = recorded.Should().ContainSingle(a => a.OperationName == "teenmode.usage.heartbeat").Subject;
        gate.ParentSpanId.Should().Be(request.SpanId, "the gate runs inside the request");
        gate.TraceId.Should().Be(request.TraceId);
        gate.GetTagItem(TeenModeTelemetry.ReasonCodeTag).Should().Be(reason);
        gate.GetTagItem(TeenModeTelemetry.OutcomeTag).Should().BeOneOf("allow", "allow-with-notice");
        gate.GetTagItem(TeenModeTelemetry.RulePackTag).Should().Be("cn-cac-2024");
        var store = recorded.Should().ContainSingle(a => a.OperationName == "teenmode.store.usage_ledger.append").Subject;
        store.ParentSpanId.Should().Be(gate.SpanId, "the ledger commit is a child of the heartbeat gate");
        store.GetTagItem(TeenModeTelemetry.StoreTag).Should().Be("SqliteUsageLedgerStore");

        var leaks = recorded
            .SelectMany(a => a.TagObjects.Select(t => $"{a.OperationName} {t.Key}={t.Value}").Append($"{a.DisplayName} (display name)"))
            .Where(t => t.Contains(SubjectId, StringComparison.Ordinal) || t.Contains("phone-1", StringComparison.Ordinal))
            .ToList();
        leaks.Should().BeEmpty("spans carry codes and routes, never a subject or device id");
    }

    private static bool IsHeartbeatRequest(Activity a) => a.GetTagItem("http.route") as string == "/teenmode/v1/subjects/{subjectId}/heartbeats";

    private sealed class LockedList : Collection<Activity>
    {
        // The exporter adds from request threads and the outbox dispatcher at once.
        private readonly Lock _gate = new();

        public List<Activity> Snapshot()
        {
            lock (_gate)
            {
                return [.. Items];
            }
        }

        protected override void InsertItem(int index, Activity item)
        {
            lock (_gate)
            {
                base.InsertItem(index, item);
            }
        }
    }
}
