using FluentAssertions;
using Microsoft.Extensions.Time.Testing;
using TeenMode.Audit;
using TeenMode.ContentPool;
using TeenMode.Rules;
using Xunit;

namespace TeenMode.Testing;

// Content pool (issue 4): the full item round-trips, and imports through the store are all-or-nothing.
public abstract partial class StoreContractTests
{
    private static readonly ContentItem[] ExistingCatalog =
    [
        new("keep-1", "宝宝儿歌：小星星", "music", [new AgeBand(0, 3)], Format: ContentFormat.Audio, Popularity: 10),
        new("keep-2", "科普实验室：指南针的原理", "science", [new AgeBand(8, 12), new AgeBand(12, 16)], Popularity: 20),
    ];

    [Fact]
    public async Task Content_Query_SelectsAndOrdersExactlyAsItsReferenceSemantics()
    {
        await using var store = await CreateStoreAsync();
        AgeBand[][] bandSets = [[], [new AgeBand(0, 3)], [new AgeBand(8, 12)], [new AgeBand(8, 12), new AgeBand(12, 16)], [new AgeBand(16, 18)]];
        ContentLabels[] labelSets =
        [
            ContentLabels.None, ContentLabels.Advertisement, ContentLabels.Advertisement | ContentLabels.AllowListed, ContentLabels.ExternalLink,
            ContentLabels.VoteRanking, ContentLabels.FanFundraising | ContentLabels.AllowListed,
        ];
        string[] categories = ["education", "science", "music"];
        string[] titles = ["Science Lab 科学", "宝宝儿歌", "SCIENCE fair", "100% fun_time", "Stars"];
        var items = Enumerable.Range(0, 180).Select(n => new ContentItem(
            $"q-{n:000}", titles[n % titles.Length], categories[n % categories.Length], bandSets[n % bandSets.Length], n % 7 == 0,
            labelSets[n % labelSets.Length], n % 4 == 0 ? ContentFormat.Audio : ContentFormat.Video, (n * 37) % 11)).ToList();
        await store.Content.UpsertAsync(items);

        ContentQuery[] queries =
        [
            new(500),
            new(7) { AfterId = "q-100" },
            new(500) { ServableTo = new AgeBand(8, 12) },
            new(500) { ServableTo = new AgeBand(0, 3), Format = ContentFormat.Audio },
            new(500) { ServableTo = new AgeBand(12, 16), ExcludeFormat = ContentFormat.Audio, Category = "science" },
            new(500) { ExcludeMayAffectMinors = true, TitleContains = " science " },
            new(500) { TitleContains = "100% fun_" },
            new(500) { TitleContains = "%" },
            new(500) { TitleContains = "_" },
            new(9) { Order = ContentOrder.ByPopularity, ExcludeMayAffectMinors = true },
            new(500) { Order = ContentOrder.ByPopularity, ServableTo = new AgeBand(16, 18), ExcludeMayAffectMinors = true },
            new(3) { ServableTo = new AgeBand(3, 8) },
        ];

        foreach (var query in queries)
        {
            var matching = items.Where(query.Matches);
            var expected = (query.Order == ContentOrder.ByPopularity
                ? matching.OrderByDescending(i => i.Popularity).ThenBy(i => i.Id, StringComparer.Ordinal)
                : matching.OrderBy(i => i.Id, StringComparer.Ordinal)).Take(query.Limit).Select(i => i.Id);

            (await store.Content.QueryAsync(query)).Select(i => i.Id).Should().Equal(expected, "the store answers {0} as its reference semantics do", query);
        }
    }

    [Fact]
    public async Task Content_FlagsFormatAndPopularity_RoundTrip()
    {
        await using var store = await CreateStoreAsync();
        var item = new ContentItem("v1", "偶像投票打榜攻略", "entertainment", [new AgeBand(16, 18)], true,
            ContentLabels.VoteRanking | ContentLabels.ExternalLink | ContentLabels.AllowListed, ContentFormat.Article, long.MaxValue);

        await store.Content.UpsertAsync([item]);

        (await store.Content.GetAsync("v1")).Should().BeEquivalentTo(item);
        (await store.Content.QueryAsync(new ContentQuery(10))).Single().Should().BeEquivalentTo(item);
    }

    [Theory]
    [InlineData(ContentFileFormat.Json)]
    [InlineData(ContentFileFormat.Csv)]
    public async Task Content_MalformedImport_NamesLineAndField_AndLeavesTheCatalogUnchanged(ContentFileFormat format)
    {
        await using var store = await CreateStoreAsync();
        await store.Content.UpsertAsync(ExistingCatalog);
        var (curation, log) = Curation(store);
        using var _ = log;
        var file = format == ContentFileFormat.Json
            ? """
              {
                "version": "1",
                "items": [
                  { "id": "keep-1", "title": "replaced title", "category": "music", "bands": ["0-3"] },
                  { "id": "new-1", "title": "好的条目", "category": "science", "bands": ["8-12"] },
                  { "id": "new-2", "title": "坏的分类", "category": "gossip", "bands": ["8-12"] },
                  { "id": "new-3", "title": "坏的年龄段", "category": "news",
                    "bands": ["8-13x"] },
                  { "id": "new-4", "title": "不在规则包的年龄段", "category": "news", "bands": ["5-9"] }
                ]
              }
              """
            : "id,title,category,bands\nkeep-1,replaced title,music,0-3\nnew-1,好的条目,science,8-12\nnew-2,坏的分类,gossip,8-12\nnew-3,坏的年龄段,news,8-13x\nnew-4,不在规则包的年龄段,news,5-9\n";

        var result = await curation.ImportAsync("reviewer-1", file, format);

        result.Stored.Should().Be(0);
        var (categoryLine, bandsLine, unknownBandLine) = format == ContentFileFormat.Json ? (6, 8, 9) : (4, 5, 6);
        result.Errors.Select(e => (e.Line, e.Field)).Should().Equal((categoryLine, "category"), (bandsLine, "bands"), (unknownBandLine, "bands"));
        result.Errors[^1].Message.Should().Contain("'5-9' is not a band of the rule pack");
        result.Errors.Should().OnlyContain(e => e.Message.Contains(" / ", StringComparison.Ordinal), "messages are zh-CN / English");
        (await store.Content.QueryAsync(new ContentQuery(100))).Should().BeEquivalentTo(ExistingCatalog, o => o.WithStrictOrdering());
        (await store.Audit.ReadAsync(0, 100)).Should().BeEmpty("nothing was imported, so nothing is logged");
    }

    [Fact]
    public async Task Content_PartialImport_WhenAsked_StoresTheValidRowsOnly()
    {
        await using var store = await CreateStoreAsync();
        await store.Content.UpsertAsync(ExistingCatalog);
        var (curation, log) = Curation(store);
        using var _ = log;

        var result = await curation.ImportAsync("reviewer-1", "id,title,category,bands\nnew-1,好的条目,science,8-12\nnew-2,坏的分类,gossip,8-12\n", ContentFileFormat.Csv, allowPartial: true);

        result.Stored.Should().Be(1);
        result.Errors.Select(e => (e.Line, e.Field)).Should().Equal((3, "category"));
        (await store.Content.QueryAsync(new ContentQuery(100))).Select(i => i.Id).Should().Equal("keep-1", "keep-2", "new-1");
        (await store.Audit.ReadAsync(0, 100)).Should().ContainSingle().Which.Event.Action.Should().Be("content-imported");
    }

    [Theory]
    [InlineData(ContentFileFormat.Json)]
    [InlineData(ContentFileFormat.Csv)]
    public async Task Content_Export_ThenImportIntoAnEmptyStore_GivesTheSameCatalog(ContentFileFormat format)
    {
        await using var source = await CreateStoreAsync();
        ContentItem[] items =
        [
            .. ExistingCatalog,
            new("tricky", "标题含逗号, \"引号\" 和\n换行", "culture", [], true, ContentLabels.Advertisement | ContentLabels.FanFundraising, ContentFormat.Article, 7),
        ];
        await source.Content.UpsertAsync(items);
        var (exporter, sourceLog) = Curation(source);
        using var _ = sourceLog;
        using var text = new StringWriter();

        await exporter.ExportAsync(text, format);

        await using var target = await CreateStoreAsync();
        var (importer, targetLog) = Curation(target);
        using var __ = targetLog;
        var result = await importer.ImportAsync("reviewer-1", text.ToString(), format);
        result.Errors.Should().BeEmpty();
        (await target.Content.QueryAsync(new ContentQuery(100))).Should().BeEquivalentTo(items.OrderBy(i => i.Id, StringComparer.Ordinal), o => o.WithStrictOrdering());
    }

    [Fact]
    public async Task Content_RatingChange_IsAuditedWithBeforeAndAfter_AndApplied()
    {
        await using var store = await CreateStoreAsync();
        await store.Content.UpsertAsync(ExistingCatalog);
        var (curation, log) = Curation(store);
        using var _ = log;

        var changed = await curation.ChangeRatingAsync(new RatingChange("r-7", "keep-2", [new AgeBand(12, 16)], true, ContentLabels.None, "imitation risk"));
        var unknown = await curation.ChangeRatingAsync(new RatingChange("r-7", "missing", [], false, ContentLabels.None));

        unknown.Should().BeNull();
        changed.Should().BeEquivalentTo(ExistingCatalog[1] with { SuitableBands = [new AgeBand(12, 16)], MayAffectMinors = true });
        (await store.Content.GetAsync("keep-2")).Should().BeEquivalentTo(changed);
        var entry = (await store.Audit.ReadAsync(0, 100)).Should().ContainSingle().Subject;
        entry.Event.Actor.Should().Be("reviewer:r-7");
        entry.Event.Action.Should().Be("content-rating-changed");
        entry.Event.Target.Should().Be("keep-2");
        entry.Event.Details.Should().Contain(new Dictionary<string, string>
        {
            ["bandsBefore"] = "8-12,12-16",
            ["bandsAfter"] = "12-16",
            ["mayAffectMinorsBefore"] = "false",
            ["mayAffectMinorsAfter"] = "true",
            ["reason"] = "imitation risk",
        });
        (await log.VerifyAsync()).Valid.Should().BeTrue();
    }

    private static (ContentCuration Curation, AuditLog Log) Curation(StoreUnderTest store)
    {
        var clock = new FakeTimeProvider(Start);
        var pack = RulePackLoader.LoadEmbedded(RulePackLoader.DefaultPackId);
        var log = new AuditLog(store.Audit, clock);
        return (new ContentCuration(store.Content, new ContentPolicy(pack), log, pack, clock), log);
    }
}
