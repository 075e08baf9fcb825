using FluentAssertions;
using TeenMode.Subjects;
using Xunit;

namespace TeenMode.Testing;

// Age assurance (issue 16): how the age is known, real-name status, and devices in system-wide minor mode.
public abstract partial class StoreContractTests
{
    [Fact]
    public async Task Subject_SetAge_ReplacesBirthDateBandAndSource()
    {
        await using var store = await CreateStoreAsync();
        var subject = new Subject("kid", new DateOnly(2015, 5, 1), null, AgeSource.SelfDeclared, true, Start);
        await store.Subjects.TryAddAsync(subject);

        (await store.Subjects.SetAgeAsync("kid", null, new AgeBand(8, 12), AgeSource.OsSignal)).Should().BeTrue();

        (await store.Subjects.GetAsync("kid")).Should().Be(subject with { BirthDate = null, DeclaredBand = new AgeBand(8, 12), AgeSource = AgeSource.OsSignal });
        (await store.Subjects.SetAgeAsync("nobody", null, null, AgeSource.Unknown)).Should().BeFalse();
    }

    [Fact]
    public async Task Subject_RealNameVerified_SetsTheBirthDate_AndIsNeverDowngraded()
    {
        await using var store = await CreateStoreAsync();
        var subject = new Subject("kid", null, new AgeBand(16, 18), AgeSource.SelfDeclared, true, Start);
        await store.Subjects.TryAddAsync(subject);

        (await store.Subjects.SetRealNameAsync("kid", RealNameStatus.Pending, null, new DateOnly(2013, 7, 9))).Should().BeTrue();
        (await store.Subjects.GetAsync("kid")).Should().Be(subject with { RealName = RealNameStatus.Pending, RealNameBirthDate = new DateOnly(2013, 7, 9) },
            "a pending check's birth date is kept aside, not trusted as the subject's");

        (await store.Subjects.SetRealNameAsync("kid", RealNameStatus.Verified, "pi-1", new DateOnly(2013, 7, 9))).Should().BeTrue();
        var verified = subject with
        {
            RealName = RealNameStatus.Verified, RealNamePlayerId = "pi-1", BirthDate = new DateOnly(2013, 7, 9), RealNameBirthDate = new DateOnly(2013, 7, 9), DeclaredBand = null,
            AgeSource = AgeSource.RealNameVerified,
        };
        (await store.Subjects.GetAsync("kid")).Should().Be(verified);

        // A late "pending" or "failed" (a slow callback) never takes a verification back.
        (await store.Subjects.SetRealNameAsync("kid", RealNameStatus.Failed, null, null)).Should().BeFalse();
        (await store.Subjects.GetAsync("kid")).Should().Be(verified);
        (await store.Subjects.SetRealNameAsync("nobody", RealNameStatus.Pending, null, null)).Should().BeFalse();
    }

    [Fact]
    public async Task Subject_DeviceMinorMode_TurnsTeenModeOn_AndBlocksTurningItOffUntilEveryDeviceReportsOff()
    {
        await using var store = await CreateStoreAsync();
        var subject = new Subject("kid", new DateOnly(2014, 1, 1), null, AgeSource.SelfDeclared, false, Start);
        await store.Subjects.TryAddAsync(subject);

        (await store.Subjects.SetDeviceMinorModeAsync("kid", "phone", minorModeOn: true)).Should().BeTrue();
        (await store.Subjects.SetDeviceMinorModeAsync("kid", "phone", minorModeOn: true)).Should().BeTrue();
        (await store.Subjects.SetDeviceMinorModeAsync("kid", "tablet", minorModeOn: true)).Should().BeTrue();
        (await store.Subjects.GetAsync("kid")).Should().Be(subject with { TeenMode = true, MinorModeDevices = ["phone", "tablet"] });

        (await store.Subjects.SetTeenModeAsync("kid", false)).Should().BeFalse("a device still reports minor mode");
        (await store.Subjects.SetDeviceMinorModeAsync("kid", "phone", minorModeOn: false)).Should().BeTrue();
        (await store.Subjects.SetTeenModeAsync("kid", false)).Should().BeFalse("the tablet still reports minor mode");
        (await store.Subjects.SetDeviceMinorModeAsync("kid", "tablet", minorModeOn: false)).Should().BeTrue();
        (await store.Subjects.GetAsync("kid")).Should().Be(subject with { TeenMode = true });

        (await store.Subjects.SetTeenModeAsync("kid", false)).Should().BeTrue();
        (await store.Subjects.SetDeviceMinorModeAsync("nobody", "phone", minorModeOn: true)).Should().BeFalse();
    }

    [Fact]
    public async Task Subject_DeviceMinorMode_SixteenDevicesReportingAtOnce_AreAllKept()
    {
        await using var store = await CreateStoreAsync();
        await store.Subjects.TryAddAsync(new Subject("kid", null, null, AgeSource.Unknown, false, Start));

        await Task.WhenAll(Enumerable.Range(0, 16).Select(i => Task.Run(() => store.Subjects.SetDeviceMinorModeAsync("kid", $"device-{i}", minorModeOn: true))));

        var stored = await store.Subjects.GetAsync("kid");
        stored!.MinorModeDevices.Should().BeEquivalentTo(Enumerable.Range(0, 16).Select(i => $"device-{i}"));
        stored.TeenMode.Should().BeTrue();
    }
}
