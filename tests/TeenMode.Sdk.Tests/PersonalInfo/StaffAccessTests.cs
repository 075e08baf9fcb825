using Microsoft.Extensions.DependencyInjection;
using TeenMode.PersonalInfo;
using TeenMode.Tests.Core;

namespace TeenMode.Tests.PersonalInfo;

public sealed class StaffAccessTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 6, 2, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Read_WithoutGrant_IsDenied_AndTheAttemptIsAudited()
    {
        using var host = new TeenModeHost(Start);
        var kid = await host.RegisterAsync("kid", new DateOnly(2013, 3, 7));

        var read = await Access(host).ReadAsync("staff-a", kid);

        read.Decision.IsAllowed.Should().BeFalse();
        read.Decision.Reason.Should().Be(ReasonCode.StaffAccessNotGranted);
        read.Decision.RequirementIds.Should().Contain("REG-MINOR-36");
        read.Data.Should().BeNull();
        (await host.Audit.ReadAsync(subjectId: kid)).Should().ContainSingle(e => e.Event.Action == "staff-access-read-denied" && e.Event.Actor == "staff-a");
    }

    [Fact]
    public async Task Approved_ByAnotherPerson_AllowsReadsUntilExpiry_ThenDenies_AndEveryStepIsAudited()
    {
        using var host = new TeenModeHost(Start);
        var kid = await host.RegisterAsync("kid", new DateOnly(2013, 3, 7));
        await host.Parental.BindAsync(kid, "mum", "246810");
        var access = Access(host);

        var requested = await access.RequestAsync(new StaffAccessRequest("staff-a", kid, "complaint-handling", "guardian called from 13800138000"));
        requested.Grant!.Status.Should().Be(StaffAccessStatus.Pending);
        requested.Grant.Justification.Should().Be("guardian called from ***", "free text is redacted before it is stored");
        (await access.ReadAsync("staff-a", kid)).Decision.Reason.Should().Be(ReasonCode.StaffAccessNotGranted, "a pending request grants nothing");

        var approved = await access.ApproveAsync(requested.Grant.Id, "lead-b");
        approved.Grant!.ExpiresAt.Should().Be(Start + new StaffAccessOptions().GrantLifetime);

        var read = await access.ReadAsync("staff-a", kid);
        read.Decision.IsAllowed.Should().BeTrue();
        read.Data!["subject"]["birthDate"].Should().Be("2013-03-07");
        read.Data["subject"]["guardianIds"].Should().Be("mum");
        (await access.ReadAsync("staff-c", kid)).Decision.IsAllowed.Should().BeFalse("the grant is for staff-a only");

        host.Clock.Advance(new StaffAccessOptions().GrantLifetime);
        (await access.ReadAsync("staff-a", kid)).Decision.Reason.Should().Be(ReasonCode.StaffAccessNotGranted, "the grant has expired");

        var actions = (await host.Audit.ReadAsync(subjectId: kid)).Select(e => e.Event.Action).ToList();
        actions.Should().ContainInOrder("staff-access-requested", "staff-access-read-denied", "staff-access-approved", "staff-access-read", "staff-access-read-denied", "staff-access-read-denied");
        var readEntry = (await host.Audit.ReadAsync(subjectId: kid)).Single(e => e.Event.Action == "staff-access-read");
        readEntry.Event.Details!["fields"].Should().Contain("subject.birthDate");
        readEntry.Event.Details.Values.Should().NotContain(v => v.Contains("2013-03-07", StringComparison.Ordinal), "the log names the fields read, not their values");
    }

    [Fact]
    public async Task SelfApproval_AndApproversOutsideTheResponsibleList_AreRefused_AndTheGrantStaysPending()
    {
        using var host = new TeenModeHost(Start);
        var kid = await host.RegisterAsync("kid");
        var access = new StaffAccessService(
            host.Services.GetRequiredService<IStaffAccessStore>(), host.Services.GetRequiredService<Subjects.ISubjectStore>(),
            host.Services.GetServices<IPersonalDataSource>(), host.Audit, host.Clock,
            Microsoft.Extensions.Options.Options.Create(new StaffAccessOptions { Approvers = { "dpo" } }));
        var grant = (await access.RequestAsync(new StaffAccessRequest("staff-a", kid, "complaint-handling", "ticket 7"))).Grant!;

        (await access.ApproveAsync(grant.Id, "staff-a")).Decision.Reason.Should().Be(ReasonCode.StaffApproverNotAllowed);
        (await access.ApproveAsync(grant.Id, "colleague")).Decision.Reason.Should().Be(ReasonCode.StaffApproverNotAllowed);
        (await access.GetAsync(grant.Id))!.Status.Should().Be(StaffAccessStatus.Pending);

        (await access.RefuseAsync(grant.Id, "dpo", "purpose-not-justified")).Grant!.Status.Should().Be(StaffAccessStatus.Refused);
        (await access.ApproveAsync(grant.Id, "dpo")).Decision.Reason.Should().Be(ReasonCode.StaffAccessNotPending, "a refusal is final");
        (await access.ReadAsync("staff-a", kid)).Decision.IsAllowed.Should().BeFalse();
    }

    [Fact]
    public async Task Request_ForAnUnknownMinor_IsDenied_AndNothingIsStored()
    {
        using var host = new TeenModeHost(Start);

        var result = await Access(host).RequestAsync(new StaffAccessRequest("staff-a", "nobody", "complaint-handling", "x"));

        result.Decision.Reason.Should().Be(ReasonCode.UnknownSubject);
        result.Grant.Should().BeNull();
    }

    private static IStaffAccess Access(TeenModeHost host) => host.Services.GetRequiredService<IStaffAccess>();
}
