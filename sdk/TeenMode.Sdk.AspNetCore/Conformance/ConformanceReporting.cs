using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using TeenMode.AspNetCore.Internal;
using TeenMode.Reporting;

namespace TeenMode.AspNetCore.Conformance;

/// <summary>
/// An authority sink for conformance runs only: it accepts every notice and remembers it in memory, so the harness can
/// see that an escalation reached a sink. Never use it in production: notices go nowhere.
/// </summary>
internal sealed class RecordingAuthoritySink : IAuthoritySink
{
    private readonly ConcurrentQueue<AuthorityNotice> _received = new();

    /// <summary>Every notice received, in order (duplicates included: at-least-once delivery may repeat).</summary>
    public IReadOnlyList<AuthorityNotice> Received => [.. _received];

    /// <inheritdoc />
    public Task<AuthorityDelivery> DeliverAsync(AuthorityNotice notice, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(notice);
        _received.Enqueue(notice);
        return Task.FromResult(AuthorityDelivery.Ok);
    }
}

/// <summary>Registration and endpoints of the conformance driver's reporting part.</summary>
public static class ConformanceReportingExtensions
{
    /// <summary>The reviewer id the driver acts as.</summary>
    public const string ConformanceReviewer = "conformance-reviewer";

    /// <summary>Delivers authority notices to an in-memory <see cref="RecordingAuthoritySink"/> that the driver can list. Conformance runs only.</summary>
    public static ITeenModeBuilder UseConformanceRecordingSink(this ITeenModeBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddSingleton<RecordingAuthoritySink>();
        builder.Services.RemoveAll<IAuthoritySink>();
        builder.Services.AddSingleton<IAuthoritySink>(sp => sp.GetRequiredService<RecordingAuthoritySink>());
        return builder;
    }

    internal static void Map(RouteGroupBuilder group)
    {
        group.MapPost("/reports/{reportId}/review", async (string reportId, HttpRequest request, IReportReview review, CancellationToken ct) =>
        {
            var step = request.Query["step"].ToString();
            return step is "triage" or "action" or "reject" or "close"
                ? await ReportingEndpoints.StepAsync(request, reportId, step, review, ct, ConformanceReviewer)
                : Json.Invalid(new Dictionary<string, string[]> { ["step"] = ["must be triage, action, reject or close / 步骤无效"] });
        });
        group.MapGet("/reports/overdue", async (string? reportId, IReportReview review, CancellationToken ct) =>
        {
            var overdue = (await review.ListOverdueAsync(ct)).Select(v => v.Report.Id).Where(id => reportId is null || id == reportId).ToList();
            return Json.Ok(new { count = overdue.Count, reportIds = overdue });
        });
        group.MapGet("/outbox", async (string? reportId, IReportWorkflowStore store, CancellationToken ct) =>
        {
            var notices = (await store.ListNoticesAsync(1000, ct)).Where(n => reportId is null || n.ReportId == reportId).ToList();
            return Json.Ok(new { count = notices.Count, delivered = notices.Count(n => n.DeliveredAt is not null), notices = notices.Select(ReportingDto.Notice) });
        });
        group.MapPost("/outbox/dispatch", async (IAuthorityNoticeDispatcher dispatcher, CancellationToken ct) =>
        {
            var result = await dispatcher.DispatchPendingAsync(ct);
            return Json.Ok(new { due = result.Due, delivered = result.Delivered, failed = result.Failed });
        });
        group.MapGet("/authority-sink/received", (string? reportId, IServiceProvider sp) =>
        {
            if (sp.GetService<RecordingAuthoritySink>() is not { } sink)
            {
                return Json.Problem(StatusCodes.Status404NotFound, "no-recording-sink", "未启用记录型接收端", "No recording sink is configured",
                    "The app delivers notices to a real sink; call UseConformanceRecordingSink() to observe them here.");
            }

            var received = sink.Received.Where(n => reportId is null || n.ReportId == reportId).ToList();
            return Json.Ok(new
            {
                count = received.Count,
                idempotencyKeys = received.Select(n => n.IdempotencyKey).Distinct(StringComparer.Ordinal),
            });
        });
    }
}
