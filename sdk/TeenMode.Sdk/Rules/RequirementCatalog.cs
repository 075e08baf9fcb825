using Newtonsoft.Json.Linq;

namespace TeenMode.Rules;

/// <summary>One regulatory requirement, paraphrased, with where it comes from.</summary>
public sealed record Requirement(string Id, string Source, string? Article, string Confidence, LocalizedText Text);

/// <summary>The requirement catalog (<c>seeds/requirements/catalog.json</c>): id → paraphrased requirement.</summary>
public sealed class RequirementCatalog
{
    private readonly Dictionary<string, Requirement> _byId;

    private RequirementCatalog(string version, Dictionary<string, Requirement> byId)
    {
        Version = version;
        _byId = byId;
    }

    /// <summary>The catalog version.</summary>
    public string Version { get; }

    /// <summary>Every requirement, by id.</summary>
    public IReadOnlyCollection<Requirement> All => _byId.Values;

    /// <summary>The catalog shipped with the SDK.</summary>
    public static RequirementCatalog Default { get; } = Parse(SeedJson.ReadEmbedded("requirements/catalog.json"), "seeds/requirements/catalog.json");

    /// <summary>Looks up a requirement.</summary>
    public bool TryGet(string id, out Requirement requirement) => _byId.TryGetValue(id, out requirement!);

    /// <summary>True when the catalog has <paramref name="id"/>.</summary>
    public bool Contains(string id) => _byId.ContainsKey(id);

    /// <summary>Parses and validates a catalog.</summary>
    /// <exception cref="TeenModeConfigurationException">The catalog is invalid.</exception>
    public static RequirementCatalog Parse(string json, string file)
    {
        var root = SeedJson.Parse(json, file, "requirements.schema.json");
        var sources = (JObject)root["sources"]!;
        var errors = new List<SeedError>();
        var byId = new Dictionary<string, Requirement>(StringComparer.Ordinal);
        foreach (var item in (JArray)root["requirements"]!)
        {
            var id = (string)item["id"]!;
            var source = (string)item["source"]!;
            if (!sources.ContainsKey(source))
            {
                errors.Add(SeedJson.At(file, item["source"], $"requirement '{id}' names unknown source '{source}'"));
            }

            var requirement = new Requirement(id, source, (string?)item["article"], (string)item["confidence"]!,
                new LocalizedText((string)item["text"]!["zh-CN"]!, (string)item["text"]!["en"]!));
            if (!byId.TryAdd(id, requirement))
            {
                errors.Add(SeedJson.At(file, item["id"], $"duplicate requirement id '{id}'"));
            }
        }

        return errors.Count > 0 ? throw new TeenModeConfigurationException(errors) : new RequirementCatalog((string)root["version"]!, byId);
    }

    /// <summary>Adds an error for every requirement id under <paramref name="ids"/> that the catalog lacks.</summary>
    public void CheckIds(string file, JToken? ids, List<SeedError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (ids is not JArray array)
        {
            return;
        }

        foreach (var id in array)
        {
            if (id.Type == JTokenType.String && !Contains((string)id!))
            {
                errors.Add(SeedJson.At(file, id, $"unknown requirement id '{(string)id!}' (not in the requirement catalog)"));
            }
        }
    }
}
