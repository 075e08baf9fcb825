using System.Diagnostics.Metrics;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Newtonsoft.Json.Linq;
using TeenMode.Reporting;
using TeenMode.Tests.AgeAssurance;

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
    public async Task Dispatch_RetriesWithinTheRound_ThroughTheWebhooksResilienceHandler()
    {
        var handler = new RecordingHandler(HttpStatusCode.ServiceUnavailable, HttpStatusCode.ServiceUnavailable, HttpStatusCode.Accepted);
        using var host = WebhookHost(handler, o =>
        {
            o.RetriesPerRound = 2;
            o.RetryDelay = TimeSpan.Zero;
        });
        await host.Channel.FileAsync(Grooming, "key-1");
        var retries = new List<string>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "Polly")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<int>((_, _, tags, _) =>
        {
            var t = Tags(tags);
            if (t.GetValueOrDefault("event.name") == "OnRetry" && t.GetValueOrDefault("pipeline.name")?.Contains("authority-webhook", StringComparison.Ordinal) == true)
            {
                lock (retries)
                {
                    retries.Add(t["pipeline.name"]!);
                }
            }
        });
        listener.Start();

        var result = await host.Dispatcher.DispatchPendingAsync();

        result.Should().Be(new AuthorityDispatchResult(1, 1, 0));
        retries.Should().HaveCount(2, "the library's resilience telemetry reports each retry");
        handler.Requests.Should().HaveCount(3);
        handler.Requests.Select(r => r.Headers["Idempotency-Key"]).Distinct().Should().ContainSingle("every attempt carries the notice's key");
        handler.Requests.Should().OnlyContain(r => r.Headers[HttpWebhookAuthoritySink.SignatureHeader] == HttpWebhookAuthoritySink.Sign(Secret, r.Body));
    }

    [Fact]
    public async Task Dispatch_InRoundRetryDelay_WaitsOnTheAppsClock()
    {
        var handler = new RecordingHandler(HttpStatusCode.ServiceUnavailable, HttpStatusCode.Accepted);
        using var host = WebhookHost(handler, o =>
        {
            o.RetriesPerRound = 1;
            o.RetryDelay = TimeSpan.FromSeconds(30);
        });
        await host.Channel.FileAsync(Grooming, "key-1");

        var round = host.Dispatcher.DispatchPendingAsync();
        await WaitUntilAsync(() => handler.Requests.Count == 1);
        await Task.Delay(100);
        var doneBeforeTheClockMoved = round.IsCompleted;
        var result = await RealNameTestKit.DriveAsync(round, host.Clock, TimeSpan.FromSeconds(5));

        doneBeforeTheClockMoved.Should().BeFalse("the retry delay runs on the app's TimeProvider, which has not moved");
        result.Should().Be(new AuthorityDispatchResult(1, 1, 0));
        handler.Requests.Should().HaveCount(2);
        host.Clock.GetUtcNow().Should().BeAfter(Start);
    }

    [Fact]
    public async Task Dispatch_AttemptTimeout_RunsOnTheAppsClock_AndTheNoticeStaysQueued()
    {
        var handler = new HangingHandler();
        using var host = WebhookHost(handler, o => o.AttemptTimeout = TimeSpan.FromSeconds(10));
        await host.Channel.FileAsync(Grooming, "key-1");

        var round = host.Dispatcher.DispatchPendingAsync();
        await handler.Started.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await Task.Delay(100);
        var doneBeforeTheClockMoved = round.IsCompleted;
        host.Clock.Advance(TimeSpan.FromSeconds(10));
        var result = await round.WaitAsync(TimeSpan.FromSeconds(10));

        doneBeforeTheClockMoved.Should().BeFalse();
        result.Should().Be(new AuthorityDispatchResult(1, 0, 1));
        (await host.Workflow.ListNoticesAsync(10)).Single().LastError.Should().Be("TimeoutRejectedException");
    }

    [Fact]
    public async Task Dispatch_WebhookKeepsFailing_CircuitOpensForTheRestOfTheRound_AndClosesOnceTheSinkIsBack()
    {
        var handler = new RecordingHandler(HttpStatusCode.ServiceUnavailable);
        using var host = WebhookHost(handler);
        for (var i = 0; i < 6; i++)
        {
            await host.Channel.FileAsync(Grooming with { TargetId = $"stranger-{i}" }, $"key-{i}");
        }

        var failing = await host.Dispatcher.DispatchPendingAsync();
        var sentWhileFailing = handler.Requests.Count;
        var errors = (await host.Workflow.ListNoticesAsync(10)).Select(n => n.LastError).ToList();

        failing.Should().Be(new AuthorityDispatchResult(6, 0, 6));
        sentWhileFailing.Should().Be(4, "four failures in a row open the circuit; the other notices are not sent");
        errors.Should().BeEquivalentTo("HTTP 503", "HTTP 503", "HTTP 503", "HTTP 503", "BrokenCircuitException", "BrokenCircuitException");

        // Past the break and the notices' backoff, the sink answers again: one probe closes the circuit and all go.
        handler.Respond(HttpStatusCode.Accepted);
        host.Clock.Advance(TimeSpan.FromHours(2));
        var recovered = await host.Dispatcher.DispatchPendingAsync();

        recovered.Should().Be(new AuthorityDispatchResult(6, 6, 0));
        handler.Requests.Should().HaveCount(10);
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
        using var host = WebhookHost(handler, url: "https://sink.example/notices");
        var sink = host.Services.GetRequiredService<IAuthoritySink>();
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
        using (var refusing = WebhookHost(new RecordingHandler(HttpStatusCode.ServiceUnavailable)))
        {
            var sink = refusing.Services.GetRequiredService<IAuthoritySink>();
            (await sink.DeliverAsync(new AuthorityNotice("n", "r", "k", "{}", Start, 0, Start, null, null))).Should().Be(new AuthorityDelivery(false, "HTTP 503"));
        }

        using var host = WebhookHost(new ThrowingHandler());
        await host.Channel.FileAsync(Grooming, "key-1");

        var result = await host.Dispatcher.DispatchPendingAsync();

        result.Failed.Should().Be(1);
        (await host.Workflow.ListNoticesAsync(10)).Single().LastError.Should().Be(nameof(HttpRequestException));
    }

    [Fact]
    public void Webhook_ShortSecretOrRelativeUrl_IsAConfigurationError()
    {
        using var factory = new ServiceCollection().AddHttpClient().BuildServiceProvider();
        var clients = factory.GetRequiredService<IHttpClientFactory>();
        var shortSecret = () => new HttpWebhookAuthoritySink(new AuthorityWebhookOptions { Url = new Uri("https://sink.example/n"), Secret = "short" }, clients);
        var noUrl = () => new HttpWebhookAuthoritySink(new AuthorityWebhookOptions { Secret = Secret }, clients);
        var registered = () => new ServiceCollection().AddTeenMode().UseAuthorityWebhook(o => o.Url = new Uri("https://sink.example/n"));

        shortSecret.Should().Throw<TeenModeConfigurationException>().WithMessage("*Secret*");
        noUrl.Should().Throw<TeenModeConfigurationException>().WithMessage("*Url*");
        registered.Should().Throw<TeenModeConfigurationException>().WithMessage("*Secret*");
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

    /// <summary>The reporting host with the real webhook sink, its factory client ending in <paramref name="handler"/>.</summary>
    private static ReportingHost WebhookHost(HttpMessageHandler handler, Action<AuthorityDispatchOptions>? dispatch = null, string url = "https://sink.example/n") =>
        new(Start, s => s.Configure<AuthorityDispatchOptions>(o => dispatch?.Invoke(o)), b => b.UseAuthorityWebhook(
            o =>
            {
                o.Url = new Uri(url);
                o.Secret = Secret;
            },
            http => http.ConfigurePrimaryHttpMessageHandler(() => handler)));

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!condition())
        {
            DateTime.UtcNow.Should().BeBefore(deadline, "the condition should hold within 10 s");
            await Task.Delay(5);
        }
    }

    private sealed record Captured(Uri Uri, Dictionary<string, string> Headers, byte[] Body);

    /// <summary>Answers each request with the next status given (the last one repeats); records what it got.</summary>
    private sealed class RecordingHandler(params HttpStatusCode[] statuses) : HttpMessageHandler
    {
        private readonly Lock _lock = new();
        private readonly List<Captured> _requests = [];
        private HttpStatusCode[] _statuses = statuses;
        private int _answered;

        public IReadOnlyList<Captured> Requests
        {
            get { lock (_lock) { return [.. _requests]; } }
        }

        /// <summary>From the next request on, answers with <paramref name="next"/> instead.</summary>
        public void Respond(params HttpStatusCode[] next)
        {
            lock (_lock)
            {
                _statuses = next;
                _answered = 0;
            }
        }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = await request.Content!.ReadAsByteArrayAsync(cancellationToken);
            lock (_lock)
            {
                _requests.Add(new Captured(request.RequestUri!, request.Headers.ToDictionary(h => h.Key, h => string.Join(",", h.Value)), body));
                return new HttpResponseMessage(_statuses[Math.Min(_answered++, _statuses.Length - 1)]);
            }
        }
    }

    /// <summary>Never answers until the attempt is cancelled.</summary>
    private sealed class HangingHandler : HttpMessageHandler
    {
        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Started.TrySetResult();
            await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
            return new HttpResponseMessage(HttpStatusCode.Accepted);
        }
    }

    private sealed class ThrowingHandler : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            throw new HttpRequestException("connection refused");
    }
}
