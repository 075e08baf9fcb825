using FluentAssertions;
using TeenMode.PersonalInfo;
using Xunit;

namespace TeenMode.Testing;

public abstract partial class StoreContractTests
{
    [Fact]
    public async Task StaffGrant_AddGetDecide_RoundTripsEveryField_AndDecidesOnlyOnce()
    {
        await using var store = await CreateStoreAsync();
        var grants = store.Get<IStaffAccessStore>();
        var pending = new StaffAccessGrant("sa-1", "staff-a", "kid", "complaint-handling", "guardian complaint 42", StaffAccessStatus.Pending, Start);

        (await grants.AddGrantAsync(pending)).Should().BeTrue();
        (await grants.AddGrantAsync(pending with { StaffId = "staff-x" })).Should().BeFalse("the id is taken");
        (await grants.GetGrantAsync("sa-1")).Should().Be(pending);

        var approved = pending with { Status = StaffAccessStatus.Approved, ApproverId = "lead", DecidedAt = Start.AddMinutes(5), ExpiresAt = Start.AddHours(8) };
        (await grants.DecideGrantAsync(approved)).Should().BeTrue();
        (await grants.DecideGrantAsync(pending with { Status = StaffAccessStatus.Refused, ApproverId = "other", DecidedAt = Start.AddMinutes(6) }))
            .Should().BeFalse("a decided grant is not decided again");
        (await grants.GetGrantAsync("sa-1")).Should().Be(approved);
        (await grants.GetGrantAsync("nope")).Should().BeNull();
    }

    [Fact]
    public async Task StaffGrant_ListIsPerStaffAndSubject_NewestFirst()
    {
        await using var store = await CreateStoreAsync();
        var grants = store.Get<IStaffAccessStore>();
        await grants.AddGrantAsync(new StaffAccessGrant("sa-old", "staff-a", "kid", "p", "j", StaffAccessStatus.Pending, Start));
        await grants.AddGrantAsync(new StaffAccessGrant("sa-new", "staff-a", "kid", "p", "j", StaffAccessStatus.Pending, Start.AddHours(1)));
        await grants.AddGrantAsync(new StaffAccessGrant("sa-other-staff", "staff-b", "kid", "p", "j", StaffAccessStatus.Pending, Start));
        await grants.AddGrantAsync(new StaffAccessGrant("sa-other-kid", "staff-a", "kid-2", "p", "j", StaffAccessStatus.Pending, Start));

        (await grants.ListGrantsAsync("staff-a", "kid")).Select(g => g.Id).Should().Equal("sa-new", "sa-old");
    }

    [Fact]
    public async Task Breach_IncidentAndNotices_AreStoredTogether_AndReadBack()
    {
        await using var store = await CreateStoreAsync();
        var breaches = store.Get<IBreachStore>();
        var incident = Incident("br-1");
        BreachNotice[] notices =
        [
            new("bn-1", "br-1", "kid", "guardian", "mum", new LocalizedText("通知", "notice"), Start),
            new("bn-2", "br-1", "kid", "guardian", "dad", new LocalizedText("通知", "notice"), Start),
            new("bn-3", "br-1", "kid-2", "subject", "kid-2", new LocalizedText("通知", "notice"), Start),
        ];

        (await breaches.AddIncidentAsync(incident, notices)).Should().BeTrue();
        (await breaches.AddIncidentAsync(incident, [])).Should().BeFalse("the id is taken");

        var read = await breaches.GetIncidentAsync("br-1");
        read.Should().BeEquivalentTo(incident);
        (await breaches.ListNoticesAsync("br-1")).Should().Equal(notices);
        (await breaches.ListNoticesForSubjectAsync("kid")).Select(n => n.Id).Should().Equal("bn-2", "bn-1");
        (await breaches.GetIncidentAsync("nope")).Should().BeNull();
    }

    [Fact]
    public async Task Breach_NoticeOnceSentStaysSent_AndStatusMovesOnlyFromTheExpectedState()
    {
        await using var store = await CreateStoreAsync();
        var breaches = store.Get<IBreachStore>();
        await breaches.AddIncidentAsync(Incident("br-1"), [new("bn-1", "br-1", "kid", "guardian", "mum", new LocalizedText("通知", "notice"), Start)]);

        await breaches.MarkNoticeAsync("bn-1", 1, null, "notifier-declined");
        (await breaches.ListNoticesAsync("br-1"))[0].Should().Match<BreachNotice>(n => n.Attempts == 1 && n.SentAt == null && n.LastError == "notifier-declined");
        await breaches.MarkNoticeAsync("bn-1", 2, Start.AddMinutes(1), null);
        await breaches.MarkNoticeAsync("bn-1", 3, null, "late failure");
        (await breaches.ListNoticesAsync("br-1"))[0].Should().Match<BreachNotice>(n => n.Attempts == 2 && n.SentAt == Start.AddMinutes(1) && n.LastError == null);

        (await breaches.TransitionIncidentAsync("br-1", BreachStatus.Notified, BreachStatus.Reported, Start)).Should().BeFalse("it is still declared");
        (await breaches.TransitionIncidentAsync("br-1", BreachStatus.Declared, BreachStatus.Notified, Start.AddMinutes(2))).Should().BeTrue();
        (await breaches.TransitionIncidentAsync("br-1", BreachStatus.Declared, BreachStatus.Notified, Start.AddMinutes(3))).Should().BeFalse();
        (await breaches.TransitionIncidentAsync("br-1", BreachStatus.Notified, BreachStatus.Reported, Start.AddMinutes(4))).Should().BeTrue();
        var done = await breaches.GetIncidentAsync("br-1");
        done!.Status.Should().Be(BreachStatus.Reported);
        done.NotifiedAt.Should().Be(Start.AddMinutes(2));
        done.ReportedAt.Should().Be(Start.AddMinutes(4));
    }

    private static BreachIncident Incident(string id) => new(id,
        new BreachDeclaration(Start.AddHours(-3), ["birth-date", "contact"],
            [new BreachAffectedSubject("kid", ["birth-date", "contact"]), new BreachAffectedSubject("kid-2", ["birth-date"])],
            "misconfigured backup bucket", "identity fraud", "bucket closed; keys rotated", "privacy@example.invalid"),
        "dpo", Start, BreachStatus.Declared);
}
