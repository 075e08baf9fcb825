using Microsoft.Extensions.DependencyInjection;
using TeenMode.ContentPool;
using TeenMode.Rules;

namespace TeenMode.Tests.Core;

/// <summary>The content-pool rules of issue 4: topics, ads and links, may-affect notices, placements, search, audio first, hot list, richness.</summary>
public sealed class ContentPoolRulesTests
{
    private static readonly DateOnly NineYearsOld = new(2016, 7, 1);
    private static readonly DateOnly OneYearOld = new(2025, 1, 1);
    private static readonly AgeBand EightToTwelve = new(8, 12);
    private static readonly AgeBand Youngest = new(0, 3);

    [Theory]
    [InlineData(ContentLabels.FanFundraising, "forbidden-topic")]
    [InlineData(ContentLabels.VoteRanking, "forbidden-topic")]
    [InlineData(ContentLabels.TrafficManipulation, "forbidden-topic")]
    [InlineData(ContentLabels.FanFundraising | ContentLabels.AllowListed, "forbidden-topic")]
    [InlineData(ContentLabels.Advertisement, "advertisement-blocked")]
    [InlineData(ContentLabels.ExternalLink, "external-link-blocked")]
    public async Task TeenMode_FlaggedItemLabelledForTheBand_IsDeniedWithItsReason(ContentLabels labels, string reason)
    {
        using var host = await HostAsync(new ContentItem("x", "标题", "education", [EightToTwelve], Flags: labels));

        var decision = await host.Content.CheckAsync("kid", "x");

        decision.Outcome.Should().Be(Outcome.Deny);
        decision.Reason.Value.Should().Be(reason);
        decision.RequirementIds.Should().NotBeEmpty();
    }

    [Theory]
    [InlineData(ContentLabels.Advertisement | ContentLabels.AllowListed)]
    [InlineData(ContentLabels.ExternalLink | ContentLabels.AllowListed)]
    public async Task TeenMode_AllowListedAdOrLink_IsServed(ContentLabels labels)
    {
        using var host = await HostAsync(new ContentItem("x", "公益广告", "life-skills", [EightToTwelve], Flags: labels));

        (await host.Content.CheckAsync("kid", "x")).Outcome.Should().Be(Outcome.Allow);
    }

    [Fact]
    public async Task NormalMode_MayAffectItem_IsAllowedOnlyWithTheNotice_AndNeverInAProminentPlacement()
    {
        using var host = await HostAsync(new ContentItem("risky", "高空特技", "entertainment", [], MayAffectMinors: true));
        await host.RegisterAsync("adult-mode", NineYearsOld, teenMode: false);

        var open = await host.Content.CheckAsync("adult-mode", "risky");

        open.Outcome.Should().Be(Outcome.AllowWithNotice);
        open.Reason.Should().Be(ReasonCode.MayAffectMinorsNotice);
        open.RequirementIds.Should().Contain("REG-MINOR-23");
        foreach (var placement in Enum.GetValues<ContentPlacement>())
        {
            var placed = await host.Content.CheckPlacementAsync("adult-mode", "risky", placement);
            placed.Reason.Should().Be(ReasonCode.ProminentPlacementForbidden, placement.ToString());
            placed.RequirementIds.Should().Contain("REG-MINOR-24");
        }
    }

    [Fact]
    public async Task NormalMode_HomeFeedLeavesMayAffectItemsOut_SearchKeepsThem()
    {
        using var host = await HostAsync(
            new ContentItem("a-risky", "特技挑战", "entertainment", [], MayAffectMinors: true),
            new ContentItem("b-plain", "特技安全知识", "life-skills", [EightToTwelve]));
        await host.RegisterAsync("adult-mode", NineYearsOld, teenMode: false);

        var home = await host.Content.GetFeedAsync("adult-mode", new FeedRequest(Limit: 10));
        var search = await host.Content.GetFeedAsync("adult-mode", new FeedRequest(Limit: 10, Query: "特技"));

        home!.Items.Select(i => i.Id).Should().Equal("b-plain");
        search!.Items.Select(i => i.Id).Should().Equal("a-risky", "b-plain");
    }

    [Fact]
    public async Task TeenMode_SearchAndCategory_FilterWithinTheBandsPool()
    {
        using var host = await HostAsync(
            new ContentItem("1", "恐龙时代探秘", "science", [EightToTwelve]),
            new ContentItem("2", "恐龙骨架拼装", "life-skills", [EightToTwelve]),
            new ContentItem("3", "恐龙纪录片（成人版）", "science", [new AgeBand(16, 18)]),
            new ContentItem("4", "恐龙应援集资", "science", [EightToTwelve], Flags: ContentLabels.FanFundraising),
            new ContentItem("5", "天气是怎么形成的", "science", [EightToTwelve]));

        var search = await host.Content.GetFeedAsync("kid", new FeedRequest(Limit: 10, Query: "恐龙"));
        var scienceSearch = await host.Content.GetFeedAsync("kid", new FeedRequest(Limit: 10, Query: "恐龙", Category: "science"));

        search!.Items.Select(i => i.Id).Should().Equal("1", "2");
        scienceSearch!.Items.Select(i => i.Id).Should().Equal("1");
    }

    [Fact]
    public async Task YoungestBand_FeedListsAudioFirst_AndPagesThroughEveryItemOnce()
    {
        var items = Enumerable.Range(0, 23).Select(n => new ContentItem($"item-{n:00}", $"儿歌 {n}", "music", [Youngest], Format: n % 3 == 0 ? ContentFormat.Audio : ContentFormat.Video)).ToArray();
        using var host = await HostAsync(items);
        await host.RegisterAsync("baby", OneYearOld);
        var expected = items.Where(i => i.Format == ContentFormat.Audio).Concat(items.Where(i => i.Format != ContentFormat.Audio)).Select(i => i.Id).ToList();

        foreach (var pageSize in new[] { 1, 4, 8, 50 })
        {
            var seen = new List<string>();
            string? cursor = null;
            var pages = 0;
            do
            {
                var page = await host.Content.GetFeedAsync("baby", new FeedRequest(cursor, pageSize));
                page!.Items.Count.Should().BeLessThanOrEqualTo(pageSize);
                seen.AddRange(page.Items.Select(i => i.Id));
                cursor = page.NextCursor;
                (++pages).Should().BeLessThan(100, "the feed must end");
            }
            while (cursor is not null);

            seen.Should().Equal(expected, $"page size {pageSize}");
        }
    }

    [Fact]
    public async Task OlderBand_FeedIsNotAudioFirst()
    {
        using var host = await HostAsync(
            new ContentItem("a", "视频", "science", [EightToTwelve]),
            new ContentItem("b", "音频", "music", [EightToTwelve], Format: ContentFormat.Audio));

        (await host.Content.GetFeedAsync("kid", new FeedRequest(Limit: 10)))!.Items.Select(i => i.Id).Should().Equal("a", "b");
    }

    [Fact]
    public async Task HotList_IsMostPopularFirst_WithoutMayAffectItems_AndInTeenModeOnlyTheBandsPool()
    {
        using var host = await HostAsync(
            new ContentItem("risky", "危险挑战", "entertainment", [], MayAffectMinors: true, Popularity: 1_000_000),
            new ContentItem("adult", "深夜综艺", "entertainment", [], Popularity: 900_000),
            new ContentItem("kids-1", "科普", "science", [EightToTwelve], Popularity: 500),
            new ContentItem("kids-2", "动画", "entertainment", [EightToTwelve], Popularity: 800),
            new ContentItem("kids-3", "手工", "life-skills", [EightToTwelve], Popularity: 800));
        await host.RegisterAsync("adult-mode", NineYearsOld, teenMode: false);

        var normal = await host.Content.GetHotListAsync("adult-mode", 3);
        var teen = await host.Content.GetHotListAsync("kid", 10);

        normal!.Items.Select(i => i.Id).Should().Equal("adult", "kids-2", "kids-3");
        teen!.Items.Select(i => i.Id).Should().Equal("kids-2", "kids-3", "kids-1");
        (await host.Content.GetHotListAsync("nobody", 3)).Should().BeNull();
    }

    [Fact]
    public async Task Richness_OfTheSamplePool_HasNoThinBand_AndCitesTheRulePack()
    {
        using var host = new TeenModeHost(TeenModeHost.Local(2026, 3, 6, 10));
        await host.Catalog.UpsertAsync(ContentSeed.LoadSample());

        var report = await host.Services.GetRequiredService<IContentCuration>().GetRichnessAsync();

        report.Assessed.Should().BeTrue();
        report.ThinBands.Should().BeEmpty();
        report.Bands.Select(b => b.Band.Id).Should().Equal("0-3", "3-8", "8-12", "12-16", "16-18");
        report.Thresholds!.MinItemsPerBand.RequirementIds.Should().Contain("CAC-MM-CONTENT-01");
        report.TotalItems.Should().Be(ContentSeed.LoadSample().Count);
    }

    [Fact]
    public async Task Richness_FlagsABandWithTooFewItemsOrCategories_CountingOnlyServableItems()
    {
        using var host = new TeenModeHost(TeenModeHost.Local(2026, 3, 6, 10));
        var thresholds = RulePackLoader.LoadEmbedded(RulePackLoader.DefaultPackId).ContentPool!.Richness;

        // Band 8-12 gets exactly enough items, but all in one category, plus unservable items that must not count.
        var enough = Enumerable.Range(0, thresholds.MinItemsPerBand.Value).Select(n => new ContentItem($"s{n:000}", "科普", "science", [EightToTwelve]));
        var unservable = Enumerable.Range(0, 10).Select(n => new ContentItem($"u{n:000}", "新闻", "news", [EightToTwelve], MayAffectMinors: true));
        await host.Catalog.UpsertAsync([.. enough, .. unservable]);

        var report = await host.Services.GetRequiredService<IContentCuration>().GetRichnessAsync();
        var band = report.Bands.Single(b => b.Band == EightToTwelve);

        band.Items.Should().Be(thresholds.MinItemsPerBand.Value);
        band.ByCategory["news"].Should().Be(0);
        band.CoveredCategories.Should().Be(1);
        band.Thin.Should().BeTrue();
        band.Reasons.Should().ContainSingle().Which.Should().Contain("categories");
        report.ThinBands.Should().Equal(Enumerable.Range(0, 5).Select(i => report.Bands[i].Band));
        report.Bands.Single(b => b.Band == Youngest).Reasons.Should().HaveCount(2, "no item at all: too few items and too few categories");
    }

    [Fact]
    public async Task RulePackWithoutContentPoolRules_RichnessIsNotAssessed_AndNoBandIsAudioFirst()
    {
        var pack = Newtonsoft.Json.Linq.JObject.Parse(SeedJson.ReadEmbedded("rules/cn-cac-2024.json"));
        pack.Remove("contentPool");
        var path = Path.Combine(Path.GetTempPath(), $"teenmode-pack-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(path, pack.ToString());
        try
        {
            using var host = new TeenModeHost(TeenModeHost.Local(2026, 3, 6, 10), o => o.RulePackPath = path);
            await host.Catalog.UpsertAsync([
                new ContentItem("a", "视频", "education", [Youngest]),
                new ContentItem("b", "音频", "music", [Youngest], Format: ContentFormat.Audio)]);
            await host.RegisterAsync("baby", OneYearOld);

            var report = await host.Services.GetRequiredService<IContentCuration>().GetRichnessAsync();
            var feed = await host.Content.GetFeedAsync("baby", new FeedRequest(Limit: 10));

            report.Assessed.Should().BeFalse();
            report.ThinBands.Should().BeEmpty();
            report.Bands.Single(b => b.Band == Youngest).Items.Should().Be(2);
            feed!.Items.Select(i => i.Id).Should().Equal("a", "b");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void RulePack_BadAudioFirstBand_IsReportedWithFileLineAndColumn()
    {
        var json = SeedJson.ReadEmbedded("rules/cn-cac-2024.json").Replace("\"bands\": [\"0-3\"]", "\"bands\": [\"3-0\"]", StringComparison.Ordinal);

        var act = () => RulePackLoader.Parse(json, "bad-pack.json");

        act.Should().Throw<TeenModeConfigurationException>().WithMessage("*bad-pack.json:*:*'3-0' is not a band id*");
    }

    private static async Task<TeenModeHost> HostAsync(params ContentItem[] items)
    {
        var host = new TeenModeHost(TeenModeHost.Local(2026, 3, 6, 10));
        await host.Catalog.UpsertAsync(items);
        await host.RegisterAsync("kid", NineYearsOld);
        return host;
    }
}
