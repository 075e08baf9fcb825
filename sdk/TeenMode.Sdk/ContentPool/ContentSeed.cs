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
        SeedJson.Parse(json, file, "content.schema.json");
        var (items, errors) = ContentFile.Read(json, ContentFileFormat.Json);
        return errors.Count > 0
            ? throw new TeenModeConfigurationException(errors.Select(e => new SeedError(file, e.Line, 1, $"{e.Field}: {e.Message}")).ToList())
            : items;
    }
}
