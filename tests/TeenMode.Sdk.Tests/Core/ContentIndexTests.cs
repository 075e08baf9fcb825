using TeenMode.ContentPool;
using TeenMode.Rules;

namespace TeenMode.Tests.Core;

public sealed class ContentIndexTests
{
    private static readonly IReadOnlyList<AgeBand> Bands = RulePackLoader.LoadEmbedded(RulePackLoader.DefaultPackId).Bands.Select(b => b.Band).ToList();

    [Fact]
    public async Task BuiltFromItemsOrLoadedFromTheCsvExport_AgreesWithTheItemsForEveryBand()
    {
        var sample = ContentSeed.LoadSample();
        using var csv = new StringWriter();
        await ContentFile.WriteAsync(csv, sample.ToAsyncEnumerable(), ContentFileFormat.Csv);

        var built = ContentIndex.Build(sample, Bands);
        var loaded = ContentIndex.LoadCsv(csv.ToString(), Bands);

        loaded.Count.Should().Be(sample.Count);
        foreach (var item in sample)
        {
            foreach (var band in Bands)
            {
                built.IsServable(item.Id, band).Should().Be(item.IsServableTo(band), $"{item.Id} for {band} (built)");
                loaded.IsServable(item.Id, band).Should().Be(item.IsServableTo(band), $"{item.Id} for {band} (loaded)");
            }
        }
    }

    [Fact]
    public void QuotedTitlesWithCommasQuotesAndLineBreaks_DoNotShiftTheColumns()
    {
        const string csv = "id,title,category,bands,format,mayAffectMinors,flags,popularity\r\n"
            + "a,\"逗号, \"\"引号\"\"\n换行\",science,8-12;12-16,video,false,,1\r\n"
            + "b,plain,news,8-12,video,true,,2\r\n"
            + "c,ad,news,8-12,video,false,advertisement,3\r\n"
            + "d,reviewed ad,news,8-12,video,false,advertisement;allow-listed,4";

        var index = ContentIndex.LoadCsv(csv, Bands);

        index.Count.Should().Be(4);
        index.IsServable("a", new AgeBand(12, 16)).Should().BeTrue();
        index.IsServable("a", new AgeBand(16, 18)).Should().BeFalse();
        index.IsServable("b", new AgeBand(8, 12)).Should().BeFalse("may-affect items are never servable");
        index.IsServable("c", new AgeBand(8, 12)).Should().BeFalse("unreviewed ads are not servable");
        index.IsServable("d", new AgeBand(8, 12)).Should().BeTrue();
        index.Contains("b").Should().BeTrue();
        index.Contains("zzz").Should().BeFalse();
        index.IsServable("zzz", new AgeBand(8, 12)).Should().BeFalse();
    }

    [Fact]
    public void LoadCsv_WithoutTheIdColumn_IsAFormatError()
    {
        var act = () => ContentIndex.LoadCsv("title,bands\nx,8-12\n", Bands);

        act.Should().Throw<FormatException>().WithMessage("*id and bands*");
    }
}
