using System.Diagnostics.Metrics;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Newtonsoft.Json.Linq;
using TeenMode.Reporting;

namespace TeenMode.Tests.Reporting;

public sealed class EscalationTests
{
    private const string Secret = "0123456789abcdef0123456789abcdef-test";
    private static readonly DateTimeOffset Start = new(2026, 3, 6, 2, 0, 0, TimeSpan.Zero);

    private static readonly ReportSubmission Grooming =
        new(ReporterKind.Guardian, "parent-1", ReportCategory.SexualExploitation, "user", "stranger-9", "私信索要照片 / asks for photos");

    private static readonly ReportSubmission Fraud =
        new(ReporterKind.OtherUser, "u-7", ReportCategory.Fraud, "user", "scammer", null);

    [Fact]
    public async Task Grooming_QueuesAnAuthorityNoticeWithTheReport_FraudDoesNot_AndThePayloadHoldsNoFreeText()
    {
        using var host = new ReportingHost(Start);
        var kid = await host.RegisterMinorAsync("kid");

        var grooming = (await host.Channel.FileAsync(Grooming, new ReportContext(kid, ["msg-1"]), "key-1")).Receipt!.ReportId;
        var fraud = (await host.Channel.FileAsync(Fraud, "key-2")).Receipt!.ReportId;

        var view = await host.Channel.GetViewAsync(grooming);
        view!.Tracking.Escalated.Should().BeTrue();
        view.Escalation!.DeliveredAt.Should().BeNull();
        var payload = JObject.Parse(view.Escalation.Payload);
        payload["reportId"]!.ToString().Should().Be(grooming);
        payload["category"]!.ToString().Should().Be("sexual-exploitation");
        payload["subjectId"]!.ToString().Should().Be(kid);
        payload["evidenceRefs"]!.ToObject<string[]>().Should().Equal("msg-1");
        payload["requirementIds"]!.ToObject<string[]>().Should().Equal(host.Rules.For(ReportCategory.SexualExploitation).EscalationRequirementIds);
        view.Escalation.Payload.Should().NotContain("photos").And.NotContain("parent-1");
        (await host.Channel.GetViewAsync(fraud))!.Escalation.Should().BeNull();
        (await host.Workflow.ListNoticesAsync(10)).Should().ContainSingle();
    }

    [Fact]
    public async Task Dispatch_SinkRefusing_KeepsTheNoticeAndBacksOff_ThenDeliversOnceWithItsKey()
    {
        using var host = new ReportingHost(Start);
        host.Sink.RefuseNext = 2;
        var id = (await host.Channel.FileAsync(Grooming, "key-1")).Receipt!.ReportId;

        (await host.Dispatcher.DispatchPendingAsync()).Should().Be(new AuthorityDispatchResult(1, 0, 1));
        (await host.Dispatcher.DispatchPendingAsync()).Due.Should().Be(0, "the failed notice waits for its backoff");
        var waiting = (await host.Channel.GetViewAsync(id))!.Escalation!;
        waiting.Attempts.Should().Be(1);
        waiting.LastError.Should().Be("HTTP 503");
        waiting.NextAttemptAt.Should().BeAfter(Start);

        host.Clock.Advance(TimeSpan.FromHours(2));
        (await host.Dispatcher.DispatchPendingAsync()).Failed.Should().Be(1);
        host.Clock.Advance(TimeSpan.FromHours(2));
        (await host.Dispatcher.DispatchPendingAsync()).Should().Be(new AuthorityDispatchResult(1, 1, 0));
        host.Clock.Advance(TimeSpan.FromHours(2));
        (await host.Dispatcher.DispatchPendingAsync()).Due.Should().Be(0, "a delivered notice is never sent again");

        var delivered = (await host.Channel.GetViewAsync(id))!.Escalation!;
        delivered.DeliveredAt.Should().Be(Start.AddHours(4));
        host.Sink.AcceptedKeys.Should().Equal(delivered.IdempotencyKey);
        (await host.Audit.ReadAsync()).Should().Contain(e => e.Event.Action == "authority-notice-delivered" && e.Event.Target == id);
    }

    [Fact]
    public async Task Dispatch_RetriesWithinTheRound_WithPolly()
    {
        using var host = new ReportingHost(Start, s => s.Configure<AuthorityDispatchOptions>(o =>
        {
            o.RetriesPerRound = 2;
            o.RetryDelay = TimeSpan.Zero;
        }));
        host.Sink.RefuseNext = 2;
        await host.Channel.FileAsync(Grooming, "key-1");

        var result = await host.Dispatcher.DispatchPendingAsync();

        result.Should().Be(new AuthorityDispatchResult(1, 1, 0));
        host.Sink.Calls.Should().Be(3);
    }

    [Fact]
    public async Task NoSinkConfigured_NoticesStayQueued_NothingIsLost()
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(new FakeTimeProvider(Start));
        services.AddTeenMode(o => o.PinIterations = 100_000);
        services.Configure<AuthorityDispatchOptions>(o => o.RetriesPerRound = 0);
        using var sp = services.BuildServiceProvider();
        await sp.GetRequiredService<IReportingChannel>().FileAsync(Grooming, "key-1");

        var result = await sp.GetRequiredService<IAuthorityNoticeDispatcher>().DispatchPendingAsync();

        result.Failed.Should().Be(1);
        (await sp.GetRequiredService<IReportWorkflowStore>().ListNoticesAsync(10)).Should().ContainSingle()
            .Which.LastError.Should().Be("no authority sink configured");
    }

    [Fact]
    public async Task Webhook_SignsTheBodyWithHmacSha256_AndSendsTheIdempotencyKey()
    {
        var handler = new RecordingHandler(HttpStatusCode.Accepted);
        using var sink = new HttpWebhookAuthoritySink(new AuthorityWebhookOptions { Url = new Uri("https://sink.example/notices"), Secret = Secret }, handler);
        var notice = new AuthorityNotice("ntc-1", "rpt-1", "teenmode-notice-rpt-1", "{\"reportId\":\"rpt-1\"}", Start, 0, Start, null, null);

        var delivery = await sink.DeliverAsync(notice);

        delivery.Accepted.Should().BeTrue();
        var request = handler.Requests.Should().ContainSingle().Subject;
        request.Uri.Should().Be(new Uri("https://sink.example/notices"));
        request.Headers["Idempotency-Key"].Should().Be("teenmode-notice-rpt-1");
        var expected = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), request.Body));
        request.Headers[HttpWebhookAuthoritySink.SignatureHeader].Should().Be(expected);
        HttpWebhookAuthoritySink.Sign(Secret, request.Body).Should().Be(expected);
        Encoding.UTF8.GetString(request.Body).Should().Be(notice.Payload);
    }

    [Fact]
    public async Task Webhook_Non2xx_IsNotAccepted_AndTransportFailuresAreRescheduledNotThrown()
    {
        var refusing = new RecordingHandler(HttpStatusCode.ServiceUnavailable);
        using var sink = new HttpWebhookAuthoritySink(new AuthorityWebhookOptions { Url = new Uri("https://sink.example/n"), Secret = Secret }, refusing);
        (await sink.DeliverAsync(new AuthorityNotice("n", "r", "k", "{}", Start, 0, Start, null, null))).Should().Be(new AuthorityDelivery(false, "HTTP 503"));

        using var throwingSink = new HttpWebhookAuthoritySink(new AuthorityWebhookOptions { Url = new Uri("https://sink.example/n"), Secret = Secret }, new ThrowingHandler());
        using var host = new ReportingHost(Start, s => s.AddSingleton<IAuthoritySink>(throwingSink));
        await host.Channel.FileAsync(Grooming, "key-1");

        var result = await host.Dispatcher.DispatchPendingAsync();

        result.Failed.Should().Be(1);
        (await host.Workflow.ListNoticesAsync(10)).Single().LastError.Should().Be(nameof(HttpRequestException));
    }

    [Fact]
    public void Webhook_ShortSecretOrRelativeUrl_IsAConfigurationError()
    {
        var shortSecret = () => new HttpWebhookAuthoritySink(new AuthorityWebhookOptions { Url = new Uri("https://sink.example/n"), Secret = "short" });
        var noUrl = () => new HttpWebhookAuthoritySink(new AuthorityWebhookOptions { Secret = Secret });

        shortSecret.Should().Throw<TeenModeConfigurationException>().WithMessage("*Secret*");
        noUrl.Should().Throw<TeenModeConfigurationException>().WithMessage("*Url*");
    }

    [Fact]
    public async Task Metrics_CountFilingsByCategory_TransitionsByStatus_AndOverdue()
    {
        using var host = new ReportingHost(Start);
        var metrics = host.Services.GetRequiredService<ReportingMetrics>();
        var measurements = new List<(string Instrument, double Value, Dictionary<string, string?> Tags)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (ReferenceEquals(instrument.Meter, metrics.Meter))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((i, v, tags, _) => measurements.Add((i.Name, v, Tags(tags))));
        listener.SetMeasurementEventCallback<double>((i, v, tags, _) => measurements.Add((i.Name, v, Tags(tags))));
        listener.Start();

        var id = (await host.Channel.FileAsync(Fraud, "key-1")).Receipt!.ReportId;
        host.Clock.Advance(TimeSpan.FromMinutes(30));
        await host.Review.TriageAsync(id, "r");
        await host.Channel.FileAsync(Grooming, "key-2");
        host.Clock.Advance(host.Rules.For(ReportCategory.SexualExploitation).TriageWithin + TimeSpan.FromSeconds(1));
        await host.Review.ListOverdueAsync();
        listener.RecordObservableInstruments();

        measurements.Should().Contain(m => m.Instrument == "teenmode.reporting.reports_filed" && m.Tags["category"] == "fraud" && m.Value == 1);
        measurements.Should().Contain(m => m.Instrument == "teenmode.reporting.transitions" && m.Tags["status"] == "triaged" && m.Tags["category"] == "fraud");
        measurements.Should().Contain(m => m.Instrument == "teenmode.reporting.time_to_triage" && m.Value == 1800);
        measurements.Should().Contain(m => m.Instrument == "teenmode.reporting.overdue" && m.Value == 1);
    }

    private static Dictionary<string, string?> Tags(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var d = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var t in tags)
        {
            d[t.Key] = t.Value?.ToString();
        }

        return d;
    }

    private sealed record Captured(Uri Uri, Dictionary<string, string> Headers, byte[] Body);

    private sealed class RecordingHandler(HttpStatusCode status) : HttpMessageHandler
    {
        public List<Captured> Requests { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = await request.Content!.ReadAsByteArrayAsync(cancellationToken);
            Requests.Add(new Captured(request.RequestUri!, request.Headers.ToDictionary(h => h.Key, h => string.Join(",", h.Value)), body));
            return new HttpResponseMessage(status);
        }
    }

    private sealed class ThrowingHandler : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            throw new HttpRequestException("connection refused");
    }
}
