using TeenMode.ContentPool;

namespace TeenMode.Tests.Core;

public sealed class ContentPoolTests
{
    private static readonly DateOnly NineYearsOld = new(2016, 7, 1);

    private static readonly ContentItem ForEightToTwelve = new("c-kids", "Stars", "science", [new AgeBand(8, 12)]);
    private static readonly ContentItem ForTeens = new("c-teens", "Algebra", "education", [new AgeBand(12, 16)]);
    private static readonly ContentItem OutsidePool = new("c-adult", "Late show", "entertainment", []);
    private static readonly ContentItem Harmful = new("c-stunts", "Stunts", "entertainment", [new AgeBand(8, 12)], MayAffectMinors: true);

    [Fact]
    public async Task ContentCheck_ItemForTheSubjectsBand_IsAllowed()
    {
        using var host = await HostWithItemsAsync();

        (await host.Content.CheckAsync("kid", "c-kids")).Outcome.Should().Be(Outcome.Allow);
    }

    [Theory]
    [InlineData("c-adult")]
    [InlineData("c-unknown")]
    [InlineData("c-stunts")]
    public async Task ContentCheck_ItemOutsideThePoolOrHarmful_IsDeniedNotInPool(string itemId)
    {
        using var host = await HostWithItemsAsync();

        var decision = await host.Content.CheckAsync("kid", itemId);

        decision.Outcome.Should().Be(Outcome.Deny);
        decision.Reason.Should().Be(ReasonCode.ContentNotInPool);
    }

    [Fact]
    public async Task ContentCheck_ItemForAnotherBand_IsDeniedNotSuitableForBand()
    {
        using var host = await HostWithItemsAsync();

        var decision = await host.Content.CheckAsync("kid", "c-teens");

        decision.Reason.Should().Be(ReasonCode.ContentNotSuitableForBand);
        decision.RequirementIds.Should().Contain("CAC-MM-CONTENT-01");
    }

    [Fact]
    public async Task ContentCheck_TeenModeOff_AllowsAnyKnownItem()
    {
        using var host = await HostWithItemsAsync();
        await host.RegisterAsync("adult-mode", NineYearsOld, teenMode: false);

        var decision = await host.Content.CheckAsync("adult-mode", "c-adult");

        decision.Outcome.Should().Be(Outcome.Allow);
        decision.Reason.Should().Be(ReasonCode.TeenModeOff);
    }

    [Fact]
    public async Task Feed_NineYearOldPagingThroughTheSamplePool_GetsEveryItemFor8To12ExactlyOnce()
    {
        using var host = new TeenModeHost(TeenModeHost.Local(2026, 3, 6, 10));
        var sample = ContentSeed.LoadSample();
        await host.Catalog.UpsertAsync(sample);
        await host.RegisterAsync("kid", NineYearsOld);
        var band = new AgeBand(8, 12);

        var seen = new List<ContentItem>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await host.Content.GetFeedAsync("kid", cursor, 3);
            page.Should().NotBeNull();
            page!.Items.Count.Should().BeLessThanOrEqualTo(3);
            seen.AddRange(page.Items);
            cursor = page.NextCursor;
            pages++;
            pages.Should().BeLessThan(50, "the feed must end");
        }
        while (cursor is not null);

        // Suitable for the band, not may-affect, no forbidden topic, no unreviewed ad or external link.
        var expected = sample.Where(i => i.SuitableBands.Contains(band) && !i.MayAffectMinors && !i.HasForbiddenTopic && !i.IsUnreviewedCommercialOrExternal)
            .Select(i => i.Id).Order(StringComparer.Ordinal).ToList();
        expected.Should().NotBeEmpty();
        seen.Select(i => i.Id).Should().Equal(expected);
        seen.Should().OnlyContain(i => i.SuitableBands.Contains(band) && !i.MayAffectMinors);
    }

    [Fact]
    public async Task Feed_UnknownSubject_IsNull()
    {
        using var host = await HostWithItemsAsync();

        (await host.Content.GetFeedAsync("nobody", null, 10)).Should().BeNull();
    }

    private static async Task<TeenModeHost> HostWithItemsAsync()
    {
        var host = new TeenModeHost(TeenModeHost.Local(2026, 3, 6, 10));
        await host.Catalog.UpsertAsync([ForEightToTwelve, ForTeens, OutsidePool, Harmful]);
        await host.RegisterAsync("kid", NineYearsOld);
        return host;
    }
}
