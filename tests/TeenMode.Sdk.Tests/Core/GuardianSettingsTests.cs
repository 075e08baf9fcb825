using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using TeenMode.AntiAddiction;
using TeenMode.ParentalControl;
using TeenMode.Rules;

namespace TeenMode.Tests.Core;

public sealed class GuardianSettingsTests
{
    private static readonly DateOnly Born2013 = new(2013, 1, 1);

    [Fact]
    public async Task Binding_GuardianSideAlone_CannotBind_AndTheFailureCountsTowardTheLockout()
    {
        using var host = new TeenModeHost(TeenModeHost.Local(2026, 3, 6, 10), o => o.GuardianMaxFailures = 2);
        await host.RegisterAsync("kid", Born2013);

        var none = await host.Parental.BindGuardianAsync("kid", "mum", "246810", null);
        var guessed = await host.Parental.BindGuardianAsync("kid", "mum", "246810", "12345678");
        var start = await host.Parental.StartGuardianBindingAsync("kid");
        var withRealCode = await host.Parental.BindGuardianAsync("kid", "mum", "246810", start.Code);

        none.Reason.Should().Be(ReasonCode.BindingCodeInvalid);
        guessed.Reason.Should().Be(ReasonCode.BindingCodeInvalid);
        guessed.Details.RetryAt.Should().NotBeNull("the second wrong code locks binding for the subject");
        withRealCode.Reason.Should().Be(ReasonCode.GuardianLockedOut, "while locked even the right code is not checked");
        (await host.Services.GetRequiredService<IGuardianStore>().GetForSubjectAsync("kid")).Should().BeEmpty();
    }

    [Fact]
    public async Task Binding_CodeExpires_AfterItsLifetime()
    {
        using var host = new TeenModeHost(TeenModeHost.Local(2026, 3, 6, 10), o => o.GuardianBindingCodeLifetime = TimeSpan.FromMinutes(5));
        await host.RegisterAsync("kid", Born2013);
        var start = await host.Parental.StartGuardianBindingAsync("kid");

        host.Clock.Advance(TimeSpan.FromMinutes(5));
        var late = await host.Parental.BindGuardianAsync("kid", "mum", "246810", start.Code);

        start.ExpiresAt.Should().Be(TeenModeHost.Local(2026, 3, 6, 10, 5));
        start.ToString().Should().NotContain(start.Code!);
        late.Reason.Should().Be(ReasonCode.BindingCodeInvalid);
    }

    [Fact]
    public async Task OneGuardian_ForSeveralMinors_EachBindingHasItsOwnCodeAndPin()
    {
        using var host = new TeenModeHost(TeenModeHost.Local(2026, 3, 6, 10));
        await host.RegisterAsync("kid-a", Born2013);
        await host.RegisterAsync("kid-b", Born2013);
        var codeA = (await host.Parental.StartGuardianBindingAsync("kid-a")).Code;

        var crossed = await host.Parental.BindGuardianAsync("kid-b", "mum", "246810", codeA);
        (await host.Parental.BindGuardianAsync("kid-a", "mum", "246810", codeA)).IsAllowed.Should().BeTrue();
        (await host.Parental.BindAsync("kid-b", "mum", "135790")).IsAllowed.Should().BeTrue();

        crossed.Reason.Should().Be(ReasonCode.BindingCodeInvalid, "a code only binds the minor who made it");
        (await host.Services.GetRequiredService<IGuardianStore>().GetForGuardianAsync("mum")).Select(b => b.SubjectId).Should().Equal("kid-a", "kid-b");
        (await host.Parental.ExitTeenModeAsync("kid-b", "246810")).Reason.Should().Be(ReasonCode.GuardianVerificationFailed);
        (await host.Parental.ExitTeenModeAsync("kid-b", "135790")).IsAllowed.Should().BeTrue();
    }

    [Fact]
    public async Task Unbind_IsAudited_WithWhoApprovedAndWhoWasRemoved()
    {
        using var host = new TeenModeHost(TeenModeHost.Local(2026, 3, 6, 10));
        await host.RegisterAsync("kid", Born2013);
        await host.Parental.BindAsync("kid", "mum", "246810");
        await host.Parental.BindAsync("kid", "dad", "135790", existingGuardianPin: "246810");

        var decision = await host.Parental.UnbindGuardianAsync("kid", "dad", GuardianCredential.Pin("246810"));

        decision.IsAllowed.Should().BeTrue();
        var log = await host.Audit.ReadAsync(subjectId: "kid");
        var last = log[^1].Event;
        (last.Actor, last.Action, last.Target).Should().Be(("guardian:mum", "guardian-unbound", "guardian:dad"));
        (await host.Parental.ExitTeenModeAsync("kid", "135790")).Reason.Should().Be(ReasonCode.GuardianVerificationFailed);
    }

    [Fact]
    public async Task AppVerifier_OtherCredentialKind_Verifies_AndItsFailuresShareThePinLockout()
    {
        var face = new FakeFaceVerifier("face-ok-mum");
        using var host = new TeenModeHost(TeenModeHost.Local(2026, 3, 6, 10), o => o.GuardianMaxFailures = 3, services =>
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IGuardianCredentialVerifier>(face)));
        await host.RegisterAsync("kid", Born2013);
        await host.Parental.BindAsync("kid", "mum", "246810");

        var unknownKind = await host.Parental.ExitTeenModeAsync("kid", new GuardianCredential("iris", "x"));
        await host.Parental.ExitTeenModeAsync("kid", "000000");
        await host.Parental.ExitTeenModeAsync("kid", new GuardianCredential("face", "someone-else"));
        var third = await host.Parental.ExitTeenModeAsync("kid", new GuardianCredential("face", "someone-else"));
        var rightFaceWhileLocked = await host.Parental.ExitTeenModeAsync("kid", new GuardianCredential("face", "face-ok-mum"));
        host.Clock.Advance(TimeSpan.FromMinutes(16));
        var rightFace = await host.Parental.ExitTeenModeAsync("kid", new GuardianCredential("face", "face-ok-mum"));

        unknownKind.Reason.Should().Be(ReasonCode.CredentialKindUnsupported);
        third.Details.RetryAt.Should().NotBeNull("PIN and face failures add up to one lockout");
        rightFaceWhileLocked.Reason.Should().Be(ReasonCode.GuardianLockedOut);
        rightFace.IsAllowed.Should().BeTrue();
        face.Checked.Should().Be(3, "nothing is checked while locked, and an unknown kind reaches no verifier");
        new GuardianCredential("face", "secret-proof").ToString().Should().NotContain("secret-proof");
    }

    [Fact]
    public async Task Effective_WithoutGuardianChanges_IsThePackDefaults()
    {
        using var host = new TeenModeHost(TeenModeHost.Local(2026, 3, 6, 10));
        await host.RegisterAsync("kid", Born2013);

        var e = (await Settings(host).GetEffectiveAsync("kid"))!;

        e.Rules.Should().Be(host.Services.GetRequiredService<RulePack>().ForAge(13));
        e.IsExempt("calls").Should().BeTrue();
        e.IsExempt("education").Should().BeTrue();
        e.IsExempt("video").Should().BeFalse();
        e.IsExempt(null).Should().BeFalse();
        e.Features.Should().Contain(new KeyValuePair<string, bool>("stranger-dm", false)).And.Contain(new KeyValuePair<string, bool>("comments", true));
        (await Settings(host).GetEffectiveAsync("nobody")).Should().BeNull();
    }

    [Fact]
    public async Task Update_OutOfBounds_IsRefusedBeforeAnyVerification_AndChangesNothing()
    {
        using var host = new TeenModeHost(TeenModeHost.Local(2026, 3, 6, 10));
        await host.RegisterAsync("kid", Born2013);
        await host.Parental.BindAsync("kid", "mum", "246810");
        var pin = GuardianCredential.Pin("246810");

        var tooLong = await Settings(host).UpdateAsync("kid", pin, s => s with { DailyMinutes = 121 });
        var shortCurfew = await Settings(host).UpdateAsync("kid", null, s => s with { Curfew = new ClockWindow(new TimeOnly(23, 0), new TimeOnly(4, 59)) });
        var tipping = await Settings(host).UpdateAsync("kid", pin, s => s with { Features = new Dictionary<string, bool> { ["live-tipping"] = true } });

        tooLong.Decision.Reason.Should().Be(ReasonCode.SettingOutOfBounds);
        tooLong.Violation!.Field.Should().Be("dailyMinutes");
        tooLong.Violation.Message.En.Should().Contain("120");
        shortCurfew.Decision.Reason.Should().Be(ReasonCode.SettingOutOfBounds, "bounds are checked before the missing credential");
        tipping.Violation!.Field.Should().Be("features.live-tipping");
        (await Settings(host).GetEffectiveAsync("kid"))!.Guardian.Version.Should().Be(0);
        (await host.Audit.ReadAsync(subjectId: "kid")).Should().NotContain(e => e.Event.Action == "guardian-settings-changed");
    }

    [Fact]
    public async Task Update_WithinBounds_NeedsVerification_IsAuditedOldToNew_AndAppliesToTheUsageGate()
    {
        using var host = new TeenModeHost(TeenModeHost.Local(2026, 3, 6, 10));
        await host.RegisterAsync("kid", Born2013);
        await host.Parental.BindAsync("kid", "mum", "246810");

        var unverified = await Settings(host).UpdateAsync("kid", null, s => s with { DailyMinutes = 90 });
        var wrong = await Settings(host).UpdateAsync("kid", GuardianCredential.Pin("000000"), s => s with { DailyMinutes = 90 });
        var ok = await Settings(host).UpdateAsync("kid", GuardianCredential.Pin("246810"), s => s with { DailyMinutes = 90, ExemptCategories = ["reading"] });
        var usage = await host.Usage.CheckAsync("kid");

        unverified.Decision.Reason.Should().Be(ReasonCode.GuardianVerificationRequired);
        wrong.Decision.Reason.Should().Be(ReasonCode.GuardianVerificationFailed);
        ok.Decision.IsAllowed.Should().BeTrue();
        ok.Effective!.Rules.DailyMinutes.Value.Should().Be(90);
        ok.Effective.Rules.DailyMinutes.RequirementIds.Should().Contain("CAC-MM-PARENT-01");
        usage.Details.RemainingSeconds.Should().Be(90 * 60);
        var changed = (await host.Audit.ReadAsync(subjectId: "kid")).Single(e => e.Event.Action == "guardian-settings-changed").Event;
        changed.Actor.Should().Be("guardian:mum");
        changed.Details.Should().Contain("dailyMinutes", "default → 90").And.Contain("exemptCategories", "default → reading");
    }

    [Fact]
    public async Task Update_YoungerBandIsATightening_OlderBandIsRefused()
    {
        using var host = new TeenModeHost(TeenModeHost.Local(2026, 3, 6, 10));
        await host.RegisterAsync("kid", new DateOnly(2009, 1, 1));
        await host.Parental.BindAsync("kid", "mum", "246810");
        var pin = GuardianCredential.Pin("246810");

        var older = await Settings(host).UpdateAsync("kid", pin, s => s with { Band = new AgeBand(16, 18) });
        var younger = await Settings(host).UpdateAsync("kid", pin, s => s with { Band = new AgeBand(3, 8) });
        var loosenInYoungerBand = await Settings(host).UpdateAsync("kid", pin, s => s with { DailyMinutes = 90 });

        older.Decision.IsAllowed.Should().BeTrue("a 17-year-old is in 16-18 already");
        younger.Effective!.Rules.Band.Should().Be(new AgeBand(3, 8));
        younger.Effective.Rules.DailyMinutes.Value.Should().Be(60);
        loosenInYoungerBand.Decision.Reason.Should().Be(ReasonCode.SettingOutOfBounds, "the chosen band's bounds apply (60 for 3-8)");
        (await host.Usage.CheckAsync("kid")).Details.RemainingSeconds.Should().Be(60 * 60);
    }

    [Fact]
    public async Task Update_BandOlderThanTheAge_IsRefused()
    {
        using var host = new TeenModeHost(TeenModeHost.Local(2026, 3, 6, 10));
        await host.RegisterAsync("kid", Born2013);
        await host.Parental.BindAsync("kid", "mum", "246810");

        var older = await Settings(host).UpdateAsync("kid", GuardianCredential.Pin("246810"), s => s with { Band = new AgeBand(16, 18) });

        older.Decision.Reason.Should().Be(ReasonCode.SettingOutOfBounds);
        older.Violation!.Field.Should().Be("band");
    }

    [Fact]
    public async Task ExemptCategory_AllowedInCurfew_NotCounted_ButStoredPerCategory()
    {
        using var host = new TeenModeHost(TeenModeHost.Local(2026, 3, 6, 22, 30));
        await host.RegisterAsync("kid", Born2013);

        var education = await host.Usage.RecordHeartbeatAsync(new Heartbeat("kid", "phone", 1, 60, "education"));
        var video = await host.Usage.RecordHeartbeatAsync(new Heartbeat("kid", "phone", 2, 60, "video"));
        var plain = await host.Usage.CheckAsync("kid");
        var ledger = host.Services.GetRequiredService<IUsageLedgerStore>();

        education.Reason.Should().Be(ReasonCode.ExemptCategory);
        education.IsAllowed.Should().BeTrue();
        education.RequirementIds.Should().Contain("CAC-MM-EXEMPT-01");
        video.Reason.Should().Be(ReasonCode.Curfew);
        plain.Reason.Should().Be(ReasonCode.Curfew);
        (await ledger.GetDayAsync("kid", new DateOnly(2026, 3, 6))).Seconds.Should().Be(60, "only the video minute counts");
        (await ledger.GetCategorySecondsAsync("kid", new DateOnly(2026, 3, 6))).Should().Contain("education", 60).And.Contain("video", 60);
    }

    [Fact]
    public async Task ExemptCategory_StillAllowed_AfterTheBudgetIsUsedUp()
    {
        using var host = new TeenModeHost(TeenModeHost.Local(2026, 3, 6, 10));
        await host.RegisterAsync("kid", Born2013);
        await host.UseForMinutesAsync("kid", 60);

        (await host.Usage.CheckAsync("kid")).Reason.Should().Be(ReasonCode.DailyLimitReached);
        (await host.Usage.CheckAsync("kid", "calls")).Reason.Should().Be(ReasonCode.ExemptCategory);
        (await host.Usage.CheckAsync("kid", "game")).Reason.Should().Be(ReasonCode.DailyLimitReached);
    }

    [Fact]
    public async Task FeatureGate_DefaultsAndGuardianToggles()
    {
        using var host = new TeenModeHost(TeenModeHost.Local(2026, 3, 6, 10));
        await host.RegisterAsync("kid", Born2013);
        await host.RegisterAsync("grown", Born2013, teenMode: false);
        await host.Parental.BindAsync("kid", "mum", "246810");
        var gate = host.Services.GetRequiredService<IFeatureGate>();

        var dm = await gate.CheckAsync("kid", "stranger-dm");
        var tipping = await gate.CheckAsync("kid", "live-tipping");
        var comments = await gate.CheckAsync("kid", "comments");
        await Settings(host).UpdateAsync("kid", GuardianCredential.Pin("246810"), s => s with { Features = new Dictionary<string, bool> { ["comments"] = false } });

        dm.Reason.Should().Be(ReasonCode.FeatureDisabled);
        dm.RequirementIds.Should().Contain("CAC-MM-SOCIAL-01");
        tipping.RequirementIds.Should().Contain("SH-POLICE-01");
        comments.IsAllowed.Should().BeTrue();
        (await gate.CheckAsync("kid", "comments")).Reason.Should().Be(ReasonCode.FeatureDisabled, "the guardian switched comments off");
        (await gate.CheckAsync("grown", "stranger-dm")).Reason.Should().Be(ReasonCode.TeenModeOff);
        (await gate.CheckAsync("kid", "teleport")).Reason.Should().Be(ReasonCode.UnknownFeature);
        (await gate.CheckAsync("nobody", "comments")).Reason.Should().Be(ReasonCode.UnknownSubject);
    }

    [Fact]
    public void CurfewMath_Covers_HandlesWindowsThatWrapPastMidnight()
    {
        static CurfewWindow W(int sh, int sm, int eh, int em) => new(new TimeOnly(sh, sm), new TimeOnly(eh, em), []);

        CurfewMath.Covers(W(22, 0, 6, 0), W(23, 0, 5, 0)).Should().BeTrue();
        CurfewMath.Covers(W(21, 0, 7, 0), W(23, 0, 5, 0)).Should().BeTrue();
        CurfewMath.Covers(W(23, 30, 6, 0), W(23, 0, 5, 0)).Should().BeFalse();
        CurfewMath.Covers(W(22, 0, 4, 59), W(23, 0, 5, 0)).Should().BeFalse();
        CurfewMath.Covers(W(1, 0, 2, 0), W(23, 0, 5, 0)).Should().BeFalse();
    }

    private static IGuardianSettings Settings(TeenModeHost host) => host.Services.GetRequiredService<IGuardianSettings>();

    private sealed class FakeFaceVerifier(string acceptedProof) : IGuardianCredentialVerifier
    {
        public int Checked { get; private set; }

        public string Kind => "face";

        public ValueTask<bool> VerifyAsync(GuardianBinding binding, string proof, CancellationToken cancellationToken = default)
        {
            Checked++;
            return ValueTask.FromResult(binding.GuardianId == "mum" && proof == acceptedProof);
        }
    }
}
