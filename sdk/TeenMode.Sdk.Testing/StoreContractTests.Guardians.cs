using FluentAssertions;
using TeenMode.AntiAddiction;
using TeenMode.ParentalControl;
using Xunit;

namespace TeenMode.Testing;

public abstract partial class StoreContractTests
{
    private static readonly byte[] CodeA = [1, 2, 3, 4];
    private static readonly byte[] CodeB = [9, 8, 7, 6];

    [Fact]
    public async Task Guardians_SeveralPerSubject_AndSeveralSubjectsPerGuardian_ListAndRemove()
    {
        await using var store = await CreateStoreAsync();
        var pin = new PinHash([1], [2], 100_000);
        await store.Guardians.SaveAsync(new GuardianBinding("kid-b", "mum", pin, Start));
        await store.Guardians.SaveAsync(new GuardianBinding("kid-a", "mum", pin, Start));
        await store.Guardians.SaveAsync(new GuardianBinding("kid-a", "dad", pin, Start));

        (await store.Guardians.GetForGuardianAsync("mum")).Select(b => b.SubjectId).Should().Equal("kid-a", "kid-b");
        (await store.Guardians.GetForSubjectAsync("kid-a")).Select(b => b.GuardianId).Should().Equal("dad", "mum");

        (await store.Guardians.RemoveAsync("kid-a", "dad")).Should().BeTrue();
        (await store.Guardians.RemoveAsync("kid-a", "dad")).Should().BeFalse();
        (await store.Guardians.GetForSubjectAsync("kid-a")).Select(b => b.GuardianId).Should().Equal("mum");
        (await store.Guardians.GetForGuardianAsync("dad")).Should().BeEmpty();
        (await store.Guardians.GetForSubjectAsync("kid-b")).Should().ContainSingle("removing one binding leaves the others");
    }

    [Fact]
    public async Task BindingCode_IsConsumedOnce_OnlyForItsSubject_AndNotAfterExpiry()
    {
        await using var store = await CreateStoreAsync();
        await store.BindingCodes.SaveBindingCodeAsync("kid", CodeA, Start.AddMinutes(10));
        await store.BindingCodes.SaveBindingCodeAsync("kid", CodeB, Start.AddMinutes(10));

        (await store.BindingCodes.TryConsumeBindingCodeAsync("other-kid", CodeA, Start)).Should().BeFalse("a code belongs to one subject");
        (await store.BindingCodes.TryConsumeBindingCodeAsync("kid", CodeA, Start.AddMinutes(9))).Should().BeTrue();
        (await store.BindingCodes.TryConsumeBindingCodeAsync("kid", CodeA, Start.AddMinutes(9))).Should().BeFalse("a code works once");
        (await store.BindingCodes.TryConsumeBindingCodeAsync("kid", CodeB, Start.AddMinutes(10))).Should().BeFalse("the expiry instant is already too late");
        (await store.BindingCodes.TryConsumeBindingCodeAsync("kid", CodeB, Start)).Should().BeFalse("an expired code is gone even if tried later with an earlier clock");
    }

    [Fact]
    public async Task BindingCode_RedeemedByManyDevicesAtOnce_SucceedsOnce()
    {
        await using var store = await CreateStoreAsync();
        await store.BindingCodes.SaveBindingCodeAsync("kid", CodeA, Start.AddMinutes(10));

        var results = await InParallelAsync(8, _ => store.BindingCodes.TryConsumeBindingCodeAsync("kid", CodeA, Start));

        results.Count(r => r).Should().Be(1);
    }

    [Fact]
    public async Task GuardianSettings_RoundTripEveryValue_WithOptimisticVersions()
    {
        await using var store = await CreateStoreAsync();
        var first = new GuardianSettings
        {
            SubjectId = "kid",
            Version = 1,
            DailyMinutes = 45,
            Curfew = new ClockWindow(new TimeOnly(21, 30), new TimeOnly(6, 30)),
            Band = new AgeBand(8, 12),
            ExemptCategories = ["reading", "music"],
            Features = new Dictionary<string, bool> { ["comments"] = false, ["posting"] = true },
            SpendingCaps = new Dictionary<string, GuardianSpendingCaps> { ["live-streaming"] = new(0m, null, 20.5m) },
            UpdatedAt = Start,
            UpdatedBy = "mum",
        };

        (await store.GuardianSettings.GetSettingsAsync("kid")).Should().BeNull();
        (await store.GuardianSettings.TrySaveSettingsAsync(first, 0)).Should().BeTrue();
        (await store.GuardianSettings.TrySaveSettingsAsync(first with { DailyMinutes = 10 }, 0)).Should().BeFalse("version 1 exists already");
        var read = await store.GuardianSettings.GetSettingsAsync("kid");

        read.Should().BeEquivalentTo(first);
        var second = first with { Version = 2, DailyMinutes = null, Curfew = null, Band = null, ExemptCategories = [], UpdatedBy = "dad" };
        (await store.GuardianSettings.TrySaveSettingsAsync(second, 1)).Should().BeTrue();
        (await store.GuardianSettings.TrySaveSettingsAsync(first with { Version = 2 }, 1)).Should().BeFalse("someone else saved version 2 first");
        (await store.GuardianSettings.GetSettingsAsync("kid")).Should().BeEquivalentTo(second);
    }

    [Fact]
    public async Task GuardianSettings_ConcurrentSavesOfTheSameVersion_OnlyOneWins()
    {
        await using var store = await CreateStoreAsync();

        var results = await InParallelAsync(8, n => store.GuardianSettings.TrySaveSettingsAsync(
            new GuardianSettings { SubjectId = "kid", Version = 1, DailyMinutes = n }, 0));

        results.Count(r => r).Should().Be(1);
    }

    [Fact]
    public async Task Ledger_ExemptCategory_CountsPerCategoryButNotTowardTheBudget()
    {
        await using var store = await CreateStoreAsync();

        await store.Ledger.AppendAsync(new UsageAppend("kid", "phone", 1, Today, 60, Start, Break, "education", CountsTowardBudget: false));
        await store.Ledger.AppendAsync(new UsageAppend("kid", "phone", 2, Today, 30, Start.AddMinutes(1), Break, "video", CountsTowardBudget: true));
        await store.Ledger.AppendAsync(new UsageAppend("kid", "phone", 2, Today, 30, Start.AddMinutes(1), Break, "video", CountsTowardBudget: true));
        await store.Ledger.AppendAsync("kid", "tablet", 1, Today, 15, Start.AddMinutes(2), Break);

        var day = await store.Ledger.GetDayAsync("kid", Today);
        day.Seconds.Should().Be(45, "education is exempt and the retried video heartbeat counts once");
        (await store.Ledger.GetCategorySecondsAsync("kid", Today)).Should().BeEquivalentTo(new Dictionary<string, long>
        {
            ["education"] = 60,
            ["video"] = 30,
            [UsageCategories.Uncategorized] = 15,
        });
        (await store.Ledger.GetCategorySecondsAsync("kid", Today.AddDays(1))).Should().BeEmpty();
    }

    [Fact]
    public async Task Ledger_ConcurrentCategorisedHeartbeatsFromFourDevices_AddUpExactlyPerCategory()
    {
        await using var store = await CreateStoreAsync();
        const int Devices = 4;
        const int PerDevice = 40;

        // Device n sends category n % 2 (video counted, education exempt); each stream twice at once.
        await InParallelAsync(Devices * 2, async sender =>
        {
            var device = sender % Devices;
            var exempt = device % 2 == 1;
            for (var sequence = 1; sequence <= PerDevice; sequence++)
            {
                await store.Ledger.AppendAsync(new UsageAppend("kid", $"device-{device}", sequence, Today, 5, Start, Break,
                    exempt ? "education" : "video", CountsTowardBudget: !exempt));
            }

            return 0;
        });

        (await store.Ledger.GetDayAsync("kid", Today)).Seconds.Should().Be(2 * PerDevice * 5);
        var byCategory = await store.Ledger.GetCategorySecondsAsync("kid", Today);
        byCategory["video"].Should().Be(2 * PerDevice * 5);
        byCategory["education"].Should().Be(2 * PerDevice * 5);
    }
}
