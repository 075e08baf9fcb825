using Microsoft.Extensions.DependencyInjection;
using TeenMode.AgeAssurance;
using TeenMode.AntiAddiction;
using TeenMode.Subjects;
using TeenMode.Testing;
using TeenMode.Tests.Core;

namespace TeenMode.Tests.AgeAssurance;

public sealed class AgeAssuranceServiceTests
{
    // The simulator's verified minor, born 2013-05-20: 12 on a Friday in March 2026, so band [12,16).
    private static readonly string MinorNumber = NppaRealNameSimulator.VerifiedMinor.IdentityNumber;
    private static readonly string MinorName = NppaRealNameSimulator.VerifiedMinor.Name;

    // Friday 2026-03-06 20:30 Shanghai: inside the games' play window.
    private static readonly DateTimeOffset FridayEvening = TeenModeHost.Local(2026, 3, 6, 20, 30);

    private static (TeenModeHost Host, NppaRealNameSimulator Simulator) Start(DateTimeOffset? at = null)
    {
        var simulator = new NppaRealNameSimulator();
        var host = new TeenModeHost(at ?? FridayEvening, addServices: s => s.AddTeenModeRealNameVerifier(_ => simulator, o => o.MaxRetries = 0));
        return (host, simulator);
    }

    private static IAgeAssurance Age(TeenModeHost host) => host.Services.GetRequiredService<IAgeAssurance>();

    private static ISubjectStore Store(TeenModeHost host) => host.Services.GetRequiredService<ISubjectStore>();

    [Fact]
    public async Task Verified_TakesTheBirthDateFromTheNumber_AndOpensTheGame()
    {
        var (host, _) = Start();
        using var _h = host;
        await host.Subjects.RegisterAsync(new SubjectRegistration("kid", DeclaredBand: new AgeBand(16, 18)));
        (await host.Games.CheckPlayAsync("kid")).Reason.Should().Be(ReasonCode.RealNameRequired);

        var result = await Age(host).VerifyRealNameAsync("kid", MinorName, MinorNumber);

        result.Decision.IsAllowed.Should().BeTrue();
        result.Status.Should().Be(RealNameStatus.Verified);
        var status = await host.Subjects.GetStatusAsync("kid");
        status!.Subject.BirthDate.Should().Be(new DateOnly(2013, 5, 20));
        status.Subject.DeclaredBand.Should().BeNull("the verified birth date replaces the declared band");
        status.Subject.AgeSource.Should().Be(AgeSource.RealNameVerified);
        status.Subject.RealNamePlayerId.Should().Be(NppaRealNameSimulator.PlayerIdFor("kid"));
        status.Rules.Band.Should().Be(new AgeBand(12, 16));
        (await host.Games.CheckPlayAsync("kid")).IsAllowed.Should().BeTrue();
    }

    [Theory]
    [InlineData("11010520130230002", "identity-number-birth-date")]   // 30 February
    [InlineData("11010520131301002", "identity-number-birth-date")]   // month 13
    [InlineData("11010520270101002", "identity-number-birth-date-future")]
    [InlineData("00010520130101002", "identity-number-region")]
    public async Task AnImpossibleNumber_IsRefusedBeforeTheProvider_AndChangesNothing(string body, string reason)
    {
        var (host, simulator) = Start();
        using var _h = host;
        await host.RegisterAsync("kid", new DateOnly(2014, 1, 1));
        var number = body + ResidentIdentityNumber.ComputeCheckCharacter(body);

        var result = await Age(host).VerifyRealNameAsync("kid", "张三", number);

        result.Decision.Reason.Value.Should().Be(reason);
        simulator.CheckCalls.Should().Be(0, "an impossible number never reaches the provider");
        (await Store(host).GetAsync("kid"))!.RealName.Should().Be(RealNameStatus.NotChecked);
    }

    [Fact]
    public async Task AWrongCheckCharacter_IsRefused()
    {
        var (host, simulator) = Start();
        using var _h = host;
        await host.RegisterAsync("kid", new DateOnly(2014, 1, 1));

        var wrong = MinorNumber[..17] + (MinorNumber[17] == '0' ? '1' : '0');
        (await Age(host).VerifyRealNameAsync("kid", "张三", wrong)).Decision.Reason.Should().Be(ReasonCode.IdentityNumberCheckCharacter);
        simulator.CheckCalls.Should().Be(0);
    }

    [Fact]
    public async Task Pending_IsTreatedProtectively_UntilAQueryFindsItVerified()
    {
        var (host, simulator) = Start();
        using var _h = host;
        await host.RegisterAsync("teen", new DateOnly(2009, 1, 1));
        var fixture = NppaRealNameSimulator.PendingCheck;

        var pending = await Age(host).VerifyRealNameAsync("teen", fixture.Name, fixture.IdentityNumber);

        pending.Status.Should().Be(RealNameStatus.Pending);
        pending.Decision.Reason.Should().Be(ReasonCode.RealNamePending);
        var status = await host.Subjects.GetStatusAsync("teen");
        status!.Rules.Band.Should().Be(new AgeBand(0, 3), "a pending check gets the most protective band");
        (await host.Games.CheckPlayAsync("teen")).Reason.Should().Be(ReasonCode.RealNameRequired);
        (await Age(host).RefreshRealNameAsync("teen")).Status.Should().Be(RealNameStatus.Pending, "the provider has not decided yet");

        simulator.Resolve("teen", RealNameOutcome.Verified);
        var verified = await Age(host).RefreshRealNameAsync("teen");

        verified.Status.Should().Be(RealNameStatus.Verified);
        var after = await Store(host).GetAsync("teen");
        after!.BirthDate.Should().Be(new DateOnly(2000, 8, 15), "the pending number's birth date becomes the subject's once verified");
        after.AgeSource.Should().Be(AgeSource.RealNameVerified);
        (await host.Games.CheckPlayAsync("teen")).IsAllowed.Should().BeTrue("an adult, verified, may play");
    }

    [Fact]
    public async Task Failed_KeepsTheSubjectUnverified_WithTheMostProtectiveBand()
    {
        var (host, _) = Start();
        using var _h = host;
        await host.RegisterAsync("teen", new DateOnly(2009, 1, 1));
        var fixture = NppaRealNameSimulator.FailedCheck;

        var failed = await Age(host).VerifyRealNameAsync("teen", fixture.Name, fixture.IdentityNumber);

        failed.Status.Should().Be(RealNameStatus.Failed);
        failed.Decision.Reason.Should().Be(ReasonCode.RealNameFailed);
        (await host.Subjects.GetStatusAsync("teen"))!.Rules.Band.Should().Be(new AgeBand(0, 3));
        (await host.Games.TopUpAsync(new GameTopUp("teen", "studio", 1m))).Decision.Reason.Should().Be(ReasonCode.RealNameRequired);
    }

    [Fact]
    public async Task ProviderDown_IsUnavailable_AndRecordsNothing()
    {
        var (host, simulator) = Start();
        using var _h = host;
        await host.RegisterAsync("kid", new DateOnly(2014, 1, 1));
        simulator.SimulateOutage(true);

        var result = await Age(host).VerifyRealNameAsync("kid", MinorName, MinorNumber);

        result.Decision.Reason.Should().Be(ReasonCode.RealNameUnavailable);
        (await Store(host).GetAsync("kid"))!.RealName.Should().Be(RealNameStatus.NotChecked);
        (await host.Games.CheckPlayAsync("kid")).Reason.Should().Be(ReasonCode.RealNameRequired);
    }

    [Fact]
    public async Task Callback_CompletesOnlyAPendingCheck_AndNeverUndoesAVerification()
    {
        var (host, _) = Start();
        using var _h = host;
        await host.RegisterAsync("never-checked", new DateOnly(2014, 1, 1));
        await host.RegisterAsync("teen", new DateOnly(2009, 1, 1));
        await Age(host).VerifyRealNameAsync("teen", NppaRealNameSimulator.PendingCheck.Name, NppaRealNameSimulator.PendingCheck.IdentityNumber);

        (await Age(host).CompleteRealNameAsync("never-checked", new RealNameResult(RealNameOutcome.Verified, "pi-x"))).Status
            .Should().Be(RealNameStatus.NotChecked, "a push for a check never sent changes nothing");
        (await Age(host).CompleteRealNameAsync("teen", new RealNameResult(RealNameOutcome.Verified, "pi-t"))).Status.Should().Be(RealNameStatus.Verified);
        (await Age(host).CompleteRealNameAsync("teen", new RealNameResult(RealNameOutcome.Failed))).Status.Should().Be(RealNameStatus.Verified);
        (await Store(host).GetAsync("teen"))!.RealNamePlayerId.Should().Be("pi-t");
    }

    [Fact]
    public async Task NeitherNameNorNumber_ReachesTheAuditLog()
    {
        var (host, _) = Start();
        using var _h = host;
        await host.RegisterAsync("kid", new DateOnly(2014, 1, 1));
        await Age(host).VerifyRealNameAsync("kid", MinorName, MinorNumber);

        var entries = await host.Audit.ReadAsync(subjectId: "kid");

        entries.Should().Contain(e => e.Event.Action == "real-name-verified");
        var text = string.Join("\n", entries.Select(e => e.ToString() + string.Join(",", e.Event.Details?.Select(d => d.Key + "=" + d.Value) ?? [])));
        text.Should().NotContain(MinorNumber).And.NotContain(MinorName).And.NotContain("2013-05-20");
    }

    [Theory]
    [InlineData("google-play-age-signals", "supervised", 13, 15, "12-16", "allowed")]
    [InlineData("apple-declared-age-range", "sharing", 10, 13, "8-12", "allowed")]
    [InlineData("google-play-age-signals", "supervised", 0, 12, "0-3", "allowed")]
    [InlineData("apple-declared-age-range", "declined-sharing", null, null, "0-3", "age-signal-declined")]
    public async Task AgeSignal_StoresTheBandNotABirthDate(string source, string status, int? lower, int? upper, string band, string reason)
    {
        var (host, _) = Start();
        using var _h = host;
        await host.RegisterAsync("kid", new DateOnly(2009, 6, 1));

        var result = await Age(host).ApplyAgeSignalAsync("kid", new AgeSignal(source, status, lower, upper));

        result.Error.Should().BeNull();
        result.Decision.Reason.Value.Should().Be(reason);
        var stored = await host.Subjects.GetStatusAsync("kid");
        stored!.Subject.BirthDate.Should().BeNull("a signal stores the band, never a birth date");
        stored.Subject.AgeSource.Should().Be(AgeSource.OsSignal);
        stored.Rules.Band.Id.Should().Be(band);
        result.Subject!.Rules.Band.Id.Should().Be(band, "the result carries the status after the change, so a caller need not read it again");
        result.Subject.Subject.AgeSource.Should().Be(AgeSource.OsSignal);
    }

    [Fact]
    public async Task AgeSignal_AdultOrInvalid_ChangesNothing_AndAVerifiedAgeIsKept()
    {
        var (host, _) = Start();
        using var _h = host;
        await host.RegisterAsync("kid", new DateOnly(2014, 1, 1));
        await host.RegisterVerifiedAsync("verified", new DateOnly(2013, 5, 20));

        (await Age(host).ApplyAgeSignalAsync("kid", new AgeSignal("google-play-age-signals", "verified"))).Decision.Reason.Should().Be(ReasonCode.AgeSignalAdult);
        (await Age(host).ApplyAgeSignalAsync("kid", new AgeSignal("google-play-age-signals", "supervised", 15, 13))).Error!.Field.Should().BeOneOf("lowerAge", "upperAge");
        (await Age(host).ApplyAgeSignalAsync("kid", new AgeSignal("symbian", "on", 1, 2))).Error!.Field.Should().Be("source");
        (await Store(host).GetAsync("kid"))!.BirthDate.Should().Be(new DateOnly(2014, 1, 1));

        await Age(host).ApplyAgeSignalAsync("verified", new AgeSignal("harmonyos", "on", 16, 18));
        (await Store(host).GetAsync("verified"))!.BirthDate.Should().Be(new DateOnly(2013, 5, 20), "a verified identity outranks a signal");
    }

    [Fact]
    public async Task DeviceMinorMode_EntersTeenModeInOneStep_AndBlocksLeavingUntilTheDeviceReportsOff()
    {
        var (host, _) = Start(TeenModeHost.Local(2026, 3, 4, 15, 0));
        using var _h = host;
        await host.RegisterAsync("kid", new DateOnly(2013, 1, 1), teenMode: false);
        var start = await host.Parental.StartGuardianBindingAsync("kid");
        (await host.Parental.BindGuardianAsync("kid", "mum", "246810", start.Code)).IsAllowed.Should().BeTrue();

        var on = await Age(host).SetDeviceMinorModeAsync(new DeviceMinorModeSignal("kid", "pad", true, new AgeSignal("harmonyos", "on", 8, 12)));

        on.Decision.IsAllowed.Should().BeTrue();
        var status = await host.Subjects.GetStatusAsync("kid");
        status!.Subject.TeenMode.Should().BeTrue();
        status.Subject.AgeSource.Should().Be(AgeSource.DeviceMinorMode);
        status.Rules.Band.Should().Be(new AgeBand(8, 12), "the device's age group is the band");
        (await host.Parental.ExitTeenModeAsync("kid", "246810")).Reason.Should().Be(ReasonCode.DeviceMinorModeOn);
        (await host.Subjects.GetStatusAsync("kid"))!.Subject.TeenMode.Should().BeTrue();

        await Age(host).SetDeviceMinorModeAsync(new DeviceMinorModeSignal("kid", "pad", false));
        (await host.Parental.ExitTeenModeAsync("kid", "246810")).IsAllowed.Should().BeTrue("the guardian may leave once the device is out of minor mode");
    }

    [Fact]
    public async Task DeviceMinorMode_IsCappedPerSubject()
    {
        var (host, _) = Start();
        using var _h = host;
        await host.RegisterAsync("kid", new DateOnly(2013, 1, 1));
        for (var i = 0; i < AgeAssuranceService.MaxMinorModeDevices; i++)
        {
            (await Age(host).SetDeviceMinorModeAsync(new DeviceMinorModeSignal("kid", $"d{i}", true))).Error.Should().BeNull();
        }

        (await Age(host).SetDeviceMinorModeAsync(new DeviceMinorModeSignal("kid", "one-more", true))).Error!.Field.Should().Be("deviceId");
        (await Age(host).SetDeviceMinorModeAsync(new DeviceMinorModeSignal("kid", "d0", true))).Error.Should().BeNull("a device already listed may report again");
    }

    [Fact]
    public async Task GameSessions_VerifiedPlayersAreReportedByPlayerId_GuestsAreRefusedAtLogIn_AndLogOutsAlwaysGo()
    {
        var (host, simulator) = Start();
        using var _h = host;
        await host.RegisterAsync("guest", new DateOnly(2013, 1, 1));
        await Age(host).VerifyRealNameAsync("player", "x", MinorNumber); // unknown subject: nothing happens
        await host.RegisterAsync("player", new DateOnly(2013, 1, 1));
        await Age(host).VerifyRealNameAsync("player", MinorName, MinorNumber);

        var login = await Age(host).ReportGameSessionAsync(new GameSessionEvent("player", "s-1", "phone", Online: true));
        var guest = await Age(host).ReportGameSessionAsync(new GameSessionEvent("guest", "s-2", "tablet", Online: true));
        var guestOut = await Age(host).ReportGameSessionAsync(new GameSessionEvent("guest", "s-2", "tablet", Online: false));

        login.Decision.IsAllowed.Should().BeTrue();
        login.Upload!.Accepted.Should().BeTrue();
        guest.Decision.Reason.Should().Be(ReasonCode.RealNameRequired);
        guest.Upload.Should().BeNull("a refused log-in starts no session");
        guestOut.Upload!.Accepted.Should().BeTrue();
        simulator.Uploads.Should().HaveCount(2);
        simulator.Uploads[0].Should().Match<GameBehaviourRecord>(r => r.Online && !r.Guest && r.PlayerId == NppaRealNameSimulator.PlayerIdFor("player") && r.DeviceId == null);
        simulator.Uploads[1].Should().Match<GameBehaviourRecord>(r => !r.Online && r.Guest && r.DeviceId == "tablet" && r.PlayerId == null);
    }
}
