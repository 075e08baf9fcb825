using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using TeenMode.PersonalInfo;
using TeenMode.Tests.Core;

namespace TeenMode.Tests.PersonalInfo;

public sealed class BreachTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 6, 2, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Declare_QueuesOneNoticePerGuardian_OrToTheMinorWithoutOne_AndTheFlowRunsToReported()
    {
        using var host = new TeenModeHost(Start);
        var kid = await host.RegisterAsync("kid", new DateOnly(2013, 3, 7));
        var lonely = await host.RegisterAsync("lonely");
        await host.Parental.BindAsync(kid, "mum", "246810");
        await host.Parental.BindAsync(kid, "dad", "135790", "246810");
        var breaches = host.Services.GetRequiredService<IBreachResponse>();

        var declared = await breaches.DeclareAsync(Declaration([new(kid, ["birth-date", "contact"]), new(lonely, [])]), "dpo");

        declared.Decision.IsAllowed.Should().BeTrue();
        var view = declared.View!;
        view.Incident.Status.Should().Be(BreachStatus.Declared);
        view.Notices.Select(n => (n.SubjectId, n.RecipientKind, n.RecipientId)).Should().BeEquivalentTo(
            [(kid, "guardian", "dad"), (kid, "guardian", "mum"), (lonely, "subject", lonely)]);
        view.Notices[0].Text.ZhCn.Should().Contain("原因").And.Contain("联系方式").And.Contain("privacy@example.invalid");
        view.Notices[0].Text.En.Should().Contain("Cause: a leaked export file with ***").And.NotContain("13800138000");
        view.Incident.Facts.AffectedSubjects.Single(a => a.SubjectId == lonely).Categories.Should().Equal("birth-date", "contact");

        (await breaches.ReportAsync(view.Incident.Id, "dpo")).Decision.Reason.Should().Be(ReasonCode.BreachTransitionNotAllowed, "guardians come first");
        var notified = await breaches.NotifyAsync(view.Incident.Id, "dpo");
        notified.View!.Incident.Status.Should().Be(BreachStatus.Notified);
        notified.View.Notices.Should().OnlyContain(n => n.SentAt == Start);
        var reported = await breaches.ReportAsync(view.Incident.Id, "dpo");
        reported.View!.Incident.Status.Should().Be(BreachStatus.Reported);
        (await breaches.NotifyAsync(view.Incident.Id, "dpo")).Decision.Reason.Should().Be(ReasonCode.BreachTransitionNotAllowed);

        var report = BreachResponse.AuthorityReport(reported.View);
        report["status"]!.ToString().Should().Be("reported");
        report["affectedSubjectCount"]!.ToObject<int>().Should().Be(2);
        report["countsByCategory"]!["birth-date"]!.ToObject<int>().Should().Be(2);
        report["affectedSubjects"]!.Select(a => a["subjectId"]!.ToString()).Should().BeEquivalentTo([kid, lonely]);
        report["guardianNotices"]!["sent"]!.ToObject<int>().Should().Be(3);
        report.ToString().Should().NotContain("2013-03-07").And.NotContain("13800138000").And.NotContain("246810");

        var actions = (await host.Audit.ReadAsync(limit: 100)).Select(e => e.Event.Action).ToList();
        actions.Should().ContainInOrder("breach-declared", "breach-notice-sent", "breach-notified", "breach-reported");
    }

    [Fact]
    public async Task Notify_WhenTheNotifierFails_KeepsTheNoticeQueued_AndRetriesWithoutSendingTwice()
    {
        var notifier = new FlakyNotifier { Fail = true };
        var clock = new FakeTimeProvider(Start);
        var services = new ServiceCollection().AddSingleton<TimeProvider>(clock).AddSingleton<IBreachNotifier>(notifier);
        services.AddTeenMode(o => o.PinIterations = 100_000);
        using var sp = services.BuildServiceProvider();
        await sp.GetRequiredService<Subjects.ISubjectService>().RegisterAsync(new Subjects.SubjectRegistration("kid"));
        await sp.GetRequiredService<ParentalControl.IParentalControl>().BindAsync("kid", "mum", "246810");
        var breaches = sp.GetRequiredService<IBreachResponse>();
        var id = (await breaches.DeclareAsync(Declaration([new("kid", [])]), "dpo")).View!.Incident.Id;

        var failed = await breaches.NotifyAsync(id, "dpo");

        failed.Decision.Reason.Should().Be(ReasonCode.BreachNoticesPending);
        failed.View!.Incident.Status.Should().Be(BreachStatus.Declared);
        failed.View.Notices.Single().Should().Match<BreachNotice>(n => n.SentAt == null && n.Attempts == 1 && n.LastError == "InvalidOperationException");

        notifier.Fail = false;
        (await breaches.NotifyAsync(id, "dpo")).View!.Incident.Status.Should().Be(BreachStatus.Notified);
        notifier.Sent.Should().Be(1);
    }

    [Fact]
    public async Task Declare_NamingAnUnknownMinor_IsDenied_AndStoresNothing()
    {
        using var host = new TeenModeHost(Start);
        var breaches = host.Services.GetRequiredService<IBreachResponse>();

        var result = await breaches.DeclareAsync(Declaration([new("ghost", [])]), "dpo");

        result.Decision.Reason.Should().Be(ReasonCode.UnknownSubject);
        (await breaches.ListNoticesForSubjectAsync("ghost")).Should().BeEmpty();
    }

    private static BreachDeclaration Declaration(IReadOnlyList<BreachAffectedSubject> affected) => new(
        Start.AddHours(-5), ["birth-date", "contact"], affected,
        "a leaked export file with 13800138000", "phishing calls", "export revoked; watch for calls asking for codes", "privacy@example.invalid");

    private sealed class FlakyNotifier : IBreachNotifier
    {
        public bool Fail { get; set; }

        public int Sent { get; private set; }

        public Task<bool> SendAsync(BreachNotice notice, CancellationToken cancellationToken = default)
        {
            if (Fail)
            {
                throw new InvalidOperationException("smtp down for mum@example.com");
            }

            Sent++;
            return Task.FromResult(true);
        }
    }
}
