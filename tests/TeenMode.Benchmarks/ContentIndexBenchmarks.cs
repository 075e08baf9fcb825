using System.Globalization;
using System.Text;
using BenchmarkDotNet.Attributes;
using TeenMode.ContentPool;
using TeenMode.Rules;

namespace TeenMode.Benchmarks;

/// <summary>Loading a catalog of a million items into the content index, and checking membership against it.</summary>
public class ContentIndexBenchmarks
{
    private const int Items = 1_000_000;
    private const int Lookups = 1024;

    private readonly List<AgeBand> _bands = RulePackLoader.LoadEmbedded(RulePackLoader.DefaultPackId).Bands.Select(b => b.Band).ToList();
    private string _csv = "";
    private ContentIndex _index = null!;
    private string[] _probes = [];
    private AgeBand _band;

    [GlobalSetup]
    public void Setup()
    {
        // A catalog CSV as ContentFile writes it: ids, Chinese titles (some quoted), one to three bands, a few flagged items.
        var csv = new StringBuilder(Items * 80);
        csv.Append("id,title,category,bands,format,mayAffectMinors,flags,popularity\n");
        for (var i = 0; i < Items; i++)
        {
            var band = _bands[i % _bands.Count].Id;
            var next = _bands[(i + 1) % _bands.Count].Id;
            csv.Append(CultureInfo.InvariantCulture, $"item-{i:0000000},");
            csv.Append(i % 10 == 0 ? "\"科普, 第" + i.ToString(CultureInfo.InvariantCulture) + "集\"," : "儿歌与故事,");
            csv.Append(i % 3 == 0 ? "science," : "culture,");
            csv.Append(i % 4 == 0 ? band + ";" + next : band).Append(',');
            csv.Append(i % 5 == 0 ? "audio," : "video,");
            csv.Append(i % 97 == 0 ? "true," : "false,");
            csv.Append(i % 89 == 0 ? "fan-fundraising," : ",");
            csv.Append(CultureInfo.InvariantCulture, $"{i % 100000}\n");
        }

        _csv = csv.ToString();
        _index = ContentIndex.LoadCsv(_csv, _bands, Items);
        _probes = Enumerable.Range(0, Lookups).Select(n => (n * 7919 % (Items + Items / 10)).ToString("'item-'0000000", CultureInfo.InvariantCulture)).ToArray();
        _band = new AgeBand(8, 12);
    }

    /// <summary>Parses the 1,000,000-row CSV and builds the index (the whole start-up load).</summary>
    [Benchmark]
    public int LoadOneMillionItemsFromCsv() => ContentIndex.LoadCsv(_csv, _bands, Items).Count;

    /// <summary>One membership check (item id span → servable to the band?); about 10% of the probes are unknown ids.</summary>
    [Benchmark(OperationsPerInvoke = Lookups)]
    public int IsServable()
    {
        var hits = 0;
        foreach (var id in _probes)
        {
            if (_index.IsServable(id.AsSpan(), _band))
            {
                hits++;
            }
        }

        return hits;
    }
}
