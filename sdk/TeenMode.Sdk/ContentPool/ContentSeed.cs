using Newtonsoft.Json.Linq;
using TeenMode.Rules;

namespace TeenMode.ContentPool;

/// <summary>Reads content catalogs in the <c>seeds/content</c> JSON format.</summary>
public static class ContentSeed
{
    /// <summary>The sample pool shipped with the SDK (used by the sample app and the demo).</summary>
    public static IReadOnlyList<ContentItem> LoadSample() =>
        Parse(SeedJson.ReadEmbedded("content/sample-pool.json"), "seeds/content/sample-pool.json");

    /// <summary>Parses a catalog; every problem is reported with file, line and column.</summary>
    /// <exception cref="TeenModeConfigurationException">The catalog is invalid.</exception>
    public static IReadOnlyList<ContentItem> Parse(string json, string file)
    {
        var root = SeedJson.Parse(json, file, "content.schema.json");
        var errors = new List<SeedError>();
        var items = new List<ContentItem>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var token in (JArray)root["items"]!)
        {
            var id = (string)token["id"]!;
            if (!ids.Add(id))
            {
                errors.Add(SeedJson.At(file, token["id"], $"duplicate item id '{id}'"));
            }

            var bands = new List<AgeBand>();
            foreach (var bandToken in (JArray?)token["bands"] ?? [])
            {
                if (AgeBand.TryParse((string?)bandToken, out var band))
                {
                    bands.Add(band);
                }
                else
                {
                    errors.Add(SeedJson.At(file, bandToken, $"'{bandToken}' is not a band id such as 8-12"));
                }
            }

            items.Add(new ContentItem(id, (string)token["title"]!, (string)token["category"]!, bands, (bool?)token["mayAffectMinors"] ?? false));
        }

        return errors.Count > 0 ? throw new TeenModeConfigurationException(errors) : items;
    }
}
