using FluentAssertions;
using TeenMode.Reporting;
using Xunit;

namespace TeenMode.Testing;

public abstract partial class StoreContractTests
{
    private static readonly ReportSubmission Grooming =
        new(ReporterKind.Guardian, "parent-1", ReportCategory.SexualExploitation, "user", "stranger-9", "描述 / description");

    [Fact]
    public async Task Workflow_FileWithNotice_StoresReportTrackingAndNoticeTogether()
    {
        await using var store = await CreateStoreAsync();
        var workflow = store.Get<IReportWorkflowStore>();
        var (record, tracking, notice) = NewFiling("rpt-1", "key-1", withNotice: true);

        var (stored, created) = await workflow.FileAsync(record, tracking, notice);

        created.Should().BeTrue();
        stored.Should().Be(record);
        (await store.Reports.GetAsync("rpt-1")).Should().Be(record);
        var read = await workflow.GetTrackingAsync("rpt-1");
        read!.Context.SubjectId.Should().Be("kid-1");
        read.Context.EvidenceRefs.Should().Equal("msg-1", "img-2");
        read.TriageDueAt.Should().Be(Start.AddHours(1));
        read.ResolveDueAt.Should().Be(Start.AddHours(24));
        read.Escalated.Should().BeTrue();
        read.History.Should().BeEmpty();
        (await workflow.GetNoticeForReportAsync("rpt-1")).Should().Be(notice);
        (await workflow.GetDueNoticesAsync(Start, 10)).Should().ContainSingle().Which.Should().Be(notice);
    }

    [Fact]
    public async Task Workflow_FileSameKeyTwice_ReturnsTheFirstAndQueuesOneNotice()
    {
        await using var store = await CreateStoreAsync();
        var workflow = store.Get<IReportWorkflowStore>();
        var first = NewFiling("rpt-1", "key-1", withNotice: true);
        var second = NewFiling("rpt-2", "key-1", withNotice: true);
        await workflow.FileAsync(first.Record, first.Tracking, first.Notice);

        var (stored, created) = await workflow.FileAsync(second.Record, second.Tracking, second.Notice);

        created.Should().BeFalse();
        stored.Id.Should().Be("rpt-1");
        (await store.Reports.GetAsync("rpt-2")).Should().BeNull();
        (await workflow.ListNoticesAsync(10)).Should().ContainSingle().Which.ReportId.Should().Be("rpt-1");
    }

    [Fact]
    public async Task Workflow_Transition_IsCompareAndSet_AndKeepsHistoryAndActionsInOrder()
    {
        await using var store = await CreateStoreAsync();
        var workflow = store.Get<IReportWorkflowStore>();
        var f = NewFiling("rpt-1", "key-1", withNotice: false);
        await workflow.FileAsync(f.Record, f.Tracking, f.Notice);
        var triage = new ReportTransition(ReportStatus.Received, ReportStatus.Triaged, Start.AddMinutes(5), "reviewer-1", null);
        var act = new ReportTransition(ReportStatus.Triaged, ReportStatus.Actioned, Start.AddMinutes(9), "reviewer-2", null);
        ReportAction[] actions =
        [
            new(ReportActionKind.BlockUser, "stranger-9", Start.AddMinutes(9), "reviewer-2"),
            new(ReportActionKind.UnlinkContact, "stranger-9", Start.AddMinutes(9), "reviewer-2"),
        ];

        (await workflow.TransitionAsync("rpt-1", triage, [])).Should().BeTrue();
        (await workflow.TransitionAsync("rpt-1", triage, [])).Should().BeFalse("the report is no longer received");
        (await workflow.TransitionAsync("rpt-1", act, actions)).Should().BeTrue();
        (await workflow.TransitionAsync("nope", triage, [])).Should().BeFalse();

        (await store.Reports.GetAsync("rpt-1"))!.Status.Should().Be(ReportStatus.Actioned);
        var tracking = await workflow.GetTrackingAsync("rpt-1");
        tracking!.History.Should().Equal(triage, act);
        tracking.Actions.Should().Equal(actions);
    }

    [Fact]
    public async Task Workflow_ListOpenAndForSubject_SkipClosedAndOtherMinors()
    {
        await using var store = await CreateStoreAsync();
        var workflow = store.Get<IReportWorkflowStore>();
        var a = NewFiling("rpt-a", "key-a", withNotice: false);
        var b = NewFiling("rpt-b", "key-b", withNotice: false, receivedAt: Start.AddMinutes(1));
        var c = NewFiling("rpt-c", "key-c", withNotice: false, receivedAt: Start.AddMinutes(2), subjectId: "kid-2");
        foreach (var x in new[] { a, b, c })
        {
            await workflow.FileAsync(x.Record, x.Tracking, x.Notice);
        }

        foreach (var (from, to) in new[] { (ReportStatus.Received, ReportStatus.Triaged), (ReportStatus.Triaged, ReportStatus.Rejected), (ReportStatus.Rejected, ReportStatus.Closed) })
        {
            await workflow.TransitionAsync("rpt-a", new ReportTransition(from, to, Start.AddMinutes(3), "r", to == ReportStatus.Rejected ? "no-violation" : null), []);
        }

        (await workflow.ListOpenAsync(10)).Select(o => o.Report.Id).Should().Equal("rpt-b", "rpt-c");
        (await workflow.ListOpenAsync(1)).Select(o => o.Report.Id).Should().Equal("rpt-b");
        (await workflow.ListForSubjectAsync("kid-1", 10)).Select(r => r.Id).Should().Equal("rpt-b", "rpt-a");
        (await workflow.ListForSubjectAsync("kid-2", 10)).Select(r => r.Id).Should().Equal("rpt-c");
    }

    [Fact]
    public async Task Workflow_Notices_FailedAreRescheduled_DeliveredAreNeverDueAgain()
    {
        await using var store = await CreateStoreAsync();
        var workflow = store.Get<IReportWorkflowStore>();
        var f = NewFiling("rpt-1", "key-1", withNotice: true);
        await workflow.FileAsync(f.Record, f.Tracking, f.Notice);
        var noticeId = f.Notice!.Id;

        await workflow.MarkNoticeFailedAsync(noticeId, 1, Start.AddMinutes(10), "HTTP 503");

        (await workflow.GetDueNoticesAsync(Start.AddMinutes(9), 10)).Should().BeEmpty();
        var due = (await workflow.GetDueNoticesAsync(Start.AddMinutes(10), 10)).Should().ContainSingle().Subject;
        due.Attempts.Should().Be(1);
        due.LastError.Should().Be("HTTP 503");

        await workflow.MarkNoticeDeliveredAsync(noticeId, 2, Start.AddMinutes(11));
        await workflow.MarkNoticeFailedAsync(noticeId, 3, Start.AddMinutes(12), "late failure report");

        (await workflow.GetDueNoticesAsync(Start.AddDays(1), 10)).Should().BeEmpty();
        var delivered = await workflow.GetNoticeForReportAsync("rpt-1");
        delivered!.DeliveredAt.Should().Be(Start.AddMinutes(11));
        delivered.Attempts.Should().Be(2);
        delivered.LastError.Should().BeNull();
    }

    [Fact]
    public async Task Workflow_OutboxBacklog_CountsUndeliveredNotices_AndTheOldest_WithoutClaimingThem()
    {
        await using var store = await CreateStoreAsync();
        var workflow = store.Get<IReportWorkflowStore>();
        (await workflow.GetOutboxBacklogAsync()).Should().Be(OutboxBacklog.Empty);

        var a = NewFiling("rpt-a", "key-a", withNotice: true, receivedAt: Start.AddMinutes(1));
        var b = NewFiling("rpt-b", "key-b", withNotice: true, receivedAt: Start.AddMinutes(2));
        var c = NewFiling("rpt-c", "key-c", withNotice: true, receivedAt: Start.AddMinutes(3));
        foreach (var x in new[] { a, b, c })
        {
            await workflow.FileAsync(x.Record, x.Tracking, x.Notice);
        }

        await workflow.MarkNoticeDeliveredAsync(a.Notice!.Id, 1, Start.AddMinutes(4));
        await workflow.MarkNoticeFailedAsync(b.Notice!.Id, 1, Start.AddHours(1), "HTTP 503");

        (await workflow.GetOutboxBacklogAsync()).Should().Be(new OutboxBacklog(2, Start.AddMinutes(2)), "b waits for a retry, c is due; a is delivered");

        // A read only: the notice that is due is still handed to the dispatcher.
        (await workflow.GetDueNoticesAsync(Start.AddMinutes(5), 10)).Should().ContainSingle().Which.Id.Should().Be(c.Notice!.Id);
    }

    [Fact]
    public async Task Workflow_ConcurrentReviewersMovingTheSameReport_ExactlyOneWins()
    {
        await using var store = await CreateStoreAsync();
        var workflow = store.Get<IReportWorkflowStore>();
        var f = NewFiling("rpt-1", "key-1", withNotice: false);
        await workflow.FileAsync(f.Record, f.Tracking, f.Notice);

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() => workflow.TransitionAsync("rpt-1",
            new ReportTransition(ReportStatus.Received, ReportStatus.Triaged, Start.AddMinutes(1), "reviewer-" + i, null), []))));

        results.Count(r => r).Should().Be(1);
        (await workflow.GetTrackingAsync("rpt-1"))!.History.Should().ContainSingle();
    }

    [Fact]
    public async Task Workflow_ConcurrentFilingsWithOneKey_StoreOneReportAndOneNotice()
    {
        await using var store = await CreateStoreAsync();
        var workflow = store.Get<IReportWorkflowStore>();

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
        {
            var f = NewFiling("rpt-" + i, "same-key", withNotice: true);
            return Task.Run(() => workflow.FileAsync(f.Record, f.Tracking, f.Notice));
        }));

        results.Count(r => r.Created).Should().Be(1);
        results.Select(r => r.Stored.Id).Distinct().Should().ContainSingle();
        (await workflow.ListNoticesAsync(100)).Should().ContainSingle();
    }

    private static (ReportRecord Record, ReportTracking Tracking, AuthorityNotice? Notice) NewFiling(
        string id, string key, bool withNotice, DateTimeOffset? receivedAt = null, string subjectId = "kid-1")
    {
        var at = receivedAt ?? Start;
        var record = new ReportRecord(id, key, "hash-" + key, Grooming, ReportStatus.Received, at);
        var tracking = new ReportTracking(id, new ReportContext(subjectId, ["msg-1", "img-2"]), Start.AddHours(1), Start.AddHours(24), withNotice, [], []);
        var notice = withNotice
            ? new AuthorityNotice("ntc-" + id, id, "notice-key-" + id, "{\"reportId\":\"" + id + "\"}", at, 0, at, null, null)
            : null;
        return (record, tracking, notice);
    }
}
