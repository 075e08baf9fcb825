using Microsoft.Extensions.DependencyInjection;
using TeenMode.Reporting;

namespace TeenMode.Tests.Reporting;

public sealed class ReportingWorkflowTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 6, 2, 0, 0, TimeSpan.Zero);

    private static readonly ReportSubmission Harmful =
        new(ReporterKind.Minor, "kid", ReportCategory.HarmfulContent, "content", "v9001", "危险动作 / a dangerous stunt");

    private static readonly ReportSubmission Grooming =
        new(ReporterKind.Guardian, "parent-1", ReportCategory.SexualExploitation, "user", "stranger-9", "私信索要照片 / asks for photos");

    [Fact]
    public async Task File_NamingAnUnknownMinor_IsRefusedAndStoresNothing()
    {
        using var host = new ReportingHost(Start);

        var filing = await host.Channel.FileAsync(Harmful, new ReportContext("nobody", []), "key-1");

        filing.Receipt.Should().BeNull();
        filing.Refusal!.Reason.Should().Be(ReasonCode.UnknownSubject);
        (await host.Workflow.ListOpenAsync(10)).Should().BeEmpty();
    }

    [Fact]
    public async Task File_SameKeyWithOtherEvidence_IsRefusedAsKeyReused()
    {
        using var host = new ReportingHost(Start);
        var kid = await host.RegisterMinorAsync("kid");
        await host.Channel.FileAsync(Harmful, new ReportContext(kid, ["shot-1"]), "key-1");

        var again = await host.Channel.FileAsync(Harmful, new ReportContext(kid, ["shot-2"]), "key-1");
        var same = await host.Channel.FileAsync(Harmful, new ReportContext(kid, ["shot-1"]), "key-1");

        again.Refusal!.Reason.Should().Be(ReasonCode.IdempotencyKeyReused);
        same.Replayed.Should().BeTrue();
    }

    [Fact]
    public async Task Workflow_ReceivedTriagedActionedClosed_IsTimedAttributedAndAudited_WithoutTheDescription()
    {
        using var host = new ReportingHost(Start);
        var kid = await host.RegisterMinorAsync("kid");
        var id = (await host.Channel.FileAsync(Harmful, new ReportContext(kid, ["shot-1"]), "key-1")).Receipt!.ReportId;

        host.Clock.Advance(TimeSpan.FromMinutes(10));
        (await host.Review.TriageAsync(id, "reviewer-1")).IsAllowed.Should().BeTrue();
        host.Clock.Advance(TimeSpan.FromMinutes(5));
        (await host.Review.ActAsync(id, "reviewer-2", [(ReportActionKind.TakeDownContent, "v9001"), (ReportActionKind.PreserveEvidence, "v9001")])).IsAllowed.Should().BeTrue();
        host.Clock.Advance(TimeSpan.FromMinutes(1));
        (await host.Review.CloseAsync(id, "reviewer-2")).IsAllowed.Should().BeTrue();

        var view = await host.Channel.GetViewAsync(id);
        view!.Report.Status.Should().Be(ReportStatus.Closed);
        view.Tracking.History.Should().Equal(
            new ReportTransition(ReportStatus.Received, ReportStatus.Triaged, Start.AddMinutes(10), "reviewer-1", null),
            new ReportTransition(ReportStatus.Triaged, ReportStatus.Actioned, Start.AddMinutes(15), "reviewer-2", null),
            new ReportTransition(ReportStatus.Actioned, ReportStatus.Closed, Start.AddMinutes(16), "reviewer-2", null));
        view.Tracking.Actions.Select(a => a.Kind).Should().Equal(ReportActionKind.TakeDownContent, ReportActionKind.PreserveEvidence);
        view.Overdue.Should().BeFalse();

        var audit = await host.Audit.ReadAsync(subjectId: kid);
        audit.Select(e => (e.Event.Action, e.Event.Actor)).Should().Equal(
            ("report-filed", "system"), ("report-triaged", "reviewer-1"), ("report-actioned", "reviewer-2"), ("report-closed", "reviewer-2"));
        audit[2].Event.Details!["actions"].Should().Be("take-down-content,preserve-evidence");
        audit.SelectMany(e => e.Event.Details!.Values).Should().NotContain(v => v.Contains("危险", StringComparison.Ordinal) || v.Contains("stunt", StringComparison.Ordinal));
        (await host.Audit.VerifyAsync()).Valid.Should().BeTrue();
    }

    [Fact]
    public async Task Workflow_StepsOutOfOrder_AreDeniedWithReasonCodes_AndChangeNothing()
    {
        using var host = new ReportingHost(Start);
        var id = (await host.Channel.FileAsync(Harmful, "key-1")).Receipt!.ReportId;

        (await host.Review.CloseAsync(id, "r")).Reason.Should().Be(ReasonCode.ReportTransitionNotAllowed);
        (await host.Review.ActAsync(id, "r", [(ReportActionKind.BlockUser, "u")])).Reason.Should().Be(ReasonCode.ReportTransitionNotAllowed);
        (await host.Review.RejectAsync(id, "r", "no-violation")).Reason.Should().Be(ReasonCode.ReportTransitionNotAllowed);
        (await host.Review.TriageAsync("rpt_missing", "r")).Reason.Should().Be(ReasonCode.UnknownReport);
        (await host.Review.TriageAsync(id, "r")).IsAllowed.Should().BeTrue();
        (await host.Review.TriageAsync(id, "r")).Reason.Should().Be(ReasonCode.ReportTransitionNotAllowed);
        (await host.Review.RejectAsync(id, "r", "no-violation")).IsAllowed.Should().BeTrue();

        var view = await host.Channel.GetViewAsync(id);
        view!.Report.Status.Should().Be(ReportStatus.Rejected);
        view.Tracking.History.Should().HaveCount(2);
        view.Tracking.History[^1].Reason.Should().Be("no-violation");
    }

    [Fact]
    public async Task Reject_WithFreeTextReason_IsAProgrammingError()
    {
        using var host = new ReportingHost(Start);
        var id = (await host.Channel.FileAsync(Harmful, "key-1")).Receipt!.ReportId;
        await host.Review.TriageAsync(id, "r");

        var reject = () => host.Review.RejectAsync(id, "r", "The reporter is wrong");

        await reject.Should().ThrowAsync<ArgumentException>();
    }

    [Fact]
    public async Task Deadlines_ComeFromThePack_OverdueStrictlyAfterTriageDeadline_UntilTriaged_ThenAfterResolveDeadline_UntilClosed()
    {
        using var host = new ReportingHost(Start);
        var rules = host.Rules.For(ReportCategory.HarmfulContent);
        var id = (await host.Channel.FileAsync(Harmful, "key-1")).Receipt!.ReportId;

        host.Clock.Advance(rules.TriageWithin);
        (await host.Review.ListOverdueAsync()).Should().BeEmpty();
        host.Clock.Advance(TimeSpan.FromSeconds(1));
        (await host.Review.ListOverdueAsync()).Should().ContainSingle().Which.Report.Id.Should().Be(id);
        (await host.Channel.GetViewAsync(id))!.Overdue.Should().BeTrue();

        await host.Review.TriageAsync(id, "r");
        (await host.Review.ListOverdueAsync()).Should().BeEmpty();

        host.Clock.SetUtcNow(Start + rules.ResolveWithin + TimeSpan.FromSeconds(1));
        (await host.Review.ListOverdueAsync()).Should().ContainSingle();
        await host.Review.RejectAsync(id, "r", "duplicate");
        (await host.Review.ListOverdueAsync()).Should().ContainSingle("rejected is not closed yet");
        await host.Review.CloseAsync(id, "r");
        (await host.Review.ListOverdueAsync()).Should().BeEmpty();
    }

    [Fact]
    public void Deadlines_GraverCategoriesAreStricter_AndEveryNumberCitesRequirements()
    {
        using var host = new ReportingHost(Start);

        host.Rules.For(ReportCategory.SexualExploitation).TriageWithin.Should().BeLessThan(host.Rules.For(ReportCategory.Other).TriageWithin);
        host.Rules.Categories.Should().HaveCount(Enum.GetValues<ReportCategory>().Length)
            .And.OnlyContain(c => c.TriageRequirementIds.Count > 0 && c.ResolveRequirementIds.Count > 0 && c.ResolveWithin >= c.TriageWithin);
    }

    [Fact]
    public async Task Bullying_OffersTheMinorsProtectiveOptions_OtherCategoriesDoNot()
    {
        using var host = new ReportingHost(Start);
        var bullying = (await host.Channel.FileAsync(Harmful with { Category = ReportCategory.Bullying, TargetKind = "user", TargetId = "bully" }, "key-1")).Receipt!.ReportId;
        var harmful = (await host.Channel.FileAsync(Harmful, "key-2")).Receipt!.ReportId;

        (await host.Channel.GetViewAsync(bullying))!.ProtectiveOptions.Should().Equal(ProtectiveOption.BlockStrangers, ProtectiveOption.LimitVisibility, ProtectiveOption.DisableMessages);
        (await host.Channel.GetViewAsync(harmful))!.ProtectiveOptions.Should().BeEmpty();
    }

    [Fact]
    public async Task Guardians_SeeTheReportsAboutTheirMinor_NewestFirst()
    {
        using var host = new ReportingHost(Start);
        var kid = await host.RegisterMinorAsync("kid");
        var first = (await host.Channel.FileAsync(Harmful, new ReportContext(kid, []), "key-1")).Receipt!.ReportId;
        host.Clock.Advance(TimeSpan.FromMinutes(1));
        var second = (await host.Channel.FileAsync(Grooming, new ReportContext(kid, []), "key-2")).Receipt!.ReportId;
        await host.Channel.FileAsync(Harmful, "key-3");

        (await host.Channel.ListForSubjectAsync(kid)).Select(v => v.Report.Id).Should().Equal(second, first);
    }

    [Fact]
    public async Task ActionExecutorRefusing_DeniesTheStep_AndRecordsNothing()
    {
        using var host = new ReportingHost(Start, s => s.AddSingleton<IReportActionExecutor>(new RefusingExecutor()));
        var id = (await host.Channel.FileAsync(Harmful, "key-1")).Receipt!.ReportId;
        await host.Review.TriageAsync(id, "r");

        var decision = await host.Review.ActAsync(id, "r", [(ReportActionKind.TakeDownContent, "v9001")]);

        decision.Reason.Should().Be(ReasonCode.ReportActionFailed);
        var view = await host.Channel.GetViewAsync(id);
        view!.Report.Status.Should().Be(ReportStatus.Triaged);
        view.Tracking.Actions.Should().BeEmpty();
    }

    [Fact]
    public async Task ReportFiledBeforeTheWorkflowExisted_StillHasAViewWithPackDeadlines_AndMovesThroughTheWorkflow()
    {
        using var host = new ReportingHost(Start);
        var legacy = new ReportRecord("rpt_legacy", "key-old", "hash", Harmful, ReportStatus.Received, Start);
        await host.Services.GetRequiredService<IReportStore>().AddOrGetAsync(legacy);

        var view = await host.Channel.GetViewAsync("rpt_legacy");
        var decision = await host.Review.TriageAsync("rpt_legacy", "r");

        view!.Tracking.TriageDueAt.Should().Be(Start + host.Rules.For(ReportCategory.HarmfulContent).TriageWithin);
        decision.IsAllowed.Should().BeTrue();
        var after = await host.Channel.GetViewAsync("rpt_legacy");
        after!.Report.Status.Should().Be(ReportStatus.Triaged);
        after.Overdue.Should().BeFalse();
        (await host.Audit.ReadAsync()).Should().Contain(e => e.Event.Action == "report-triaged" && e.Event.Target == "rpt_legacy");
    }

    private sealed class RefusingExecutor : IReportActionExecutor
    {
        public Task<bool> ExecuteAsync(ReportRecord report, ReportAction action, CancellationToken cancellationToken = default) => Task.FromResult(false);
    }
}
