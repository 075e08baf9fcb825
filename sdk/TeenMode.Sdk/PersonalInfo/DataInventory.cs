using System.Collections.Frozen;
using TeenMode.Rules;

namespace TeenMode.PersonalInfo;

/// <summary>What kind of personal information a field holds; decides encryption at rest and minors' defaults.</summary>
public enum PersonalDataCategory
{
    /// <summary>Ordinary profile or usage data (nickname, watch history).</summary>
    Basic,

    /// <summary>Contact details (phone, e-mail).</summary>
    Contact,

    /// <summary>Sensitive PI not covered by a more specific category.</summary>
    Sensitive,

    /// <summary>Precise location: sensitive, and off by default for minors.</summary>
    PreciseLocation,

    /// <summary>Biometric data (face, voiceprint).</summary>
    Biometric,

    /// <summary>An identity document number.</summary>
    IdentityNumber,

    /// <summary>Financial account data.</summary>
    Financial,

    /// <summary>Health data.</summary>
    Health,
}

/// <summary>A field the app declares it may collect.</summary>
/// <param name="Name">The field name, e.g. <c>nickname</c>.</param>
/// <param name="Category">What kind of PI it is.</param>
/// <param name="Title">A human title, if given.</param>
public sealed record InventoryField(string Name, PersonalDataCategory Category, LocalizedText? Title)
{
    /// <summary>Sensitive PI under PIPL art. 28 by category (every under-14 value is sensitive as well).</summary>
    public bool IsSensitive => Category is not (PersonalDataCategory.Basic or PersonalDataCategory.Contact);
}

/// <summary>A purpose the app declares, with the fields it needs.</summary>
/// <param name="Id">The purpose id, e.g. <c>recommendation</c>.</param>
/// <param name="Fields">The fields the purpose needs.</param>
/// <param name="Essential">Needed for the basic features.</param>
/// <param name="OffByDefaultForMinors">Off for minors until a guardian turns it on (personalised ads, nearby).</param>
/// <param name="Retention">How long data collected for it is kept.</param>
/// <param name="Title">A human title, if given.</param>
public sealed record InventoryPurpose(string Id, IReadOnlyList<string> Fields, bool Essential, bool OffByDefaultForMinors, TimeSpan Retention, LocalizedText? Title);

/// <summary>The app's personal-data inventory (<c>seeds/inventory/*.json</c>): fields, categories, purposes and retention.</summary>
public sealed class DataInventory
{
    private readonly FrozenDictionary<string, InventoryField> _fields;
    private readonly FrozenDictionary<string, InventoryPurpose> _purposes;

    internal DataInventory(string id, string version, string noticeVersion, IEnumerable<InventoryField> fields, IEnumerable<InventoryPurpose> purposes)
    {
        Id = id;
        Version = version;
        NoticeVersion = noticeVersion;
        _fields = fields.ToFrozenDictionary(f => f.Name, StringComparer.Ordinal);
        _purposes = purposes.ToFrozenDictionary(p => p.Id, StringComparer.Ordinal);
        Fields = [.. _fields.Values.OrderBy(f => f.Name, StringComparer.Ordinal)];
        Purposes = [.. _purposes.Values.OrderBy(p => p.Id, StringComparer.Ordinal)];
    }

    /// <summary>The inventory id.</summary>
    public string Id { get; }

    /// <summary>The inventory version.</summary>
    public string Version { get; }

    /// <summary>The children's privacy notice version consents are given against.</summary>
    public string NoticeVersion { get; }

    /// <summary>Every declared field, by name.</summary>
    public IReadOnlyList<InventoryField> Fields { get; }

    /// <summary>Every declared purpose, by id.</summary>
    public IReadOnlyList<InventoryPurpose> Purposes { get; }

    /// <summary>The field named <paramref name="name"/>, or null.</summary>
    public InventoryField? Field(string name) => _fields.GetValueOrDefault(name);

    /// <summary>The purpose <paramref name="id"/>, or null.</summary>
    public InventoryPurpose? Purpose(string id) => _purposes.GetValueOrDefault(id);
}

/// <summary>Loads data inventories; every problem is reported with file, line, column and the field.</summary>
public static class DataInventoryLoader
{
    /// <summary>The sample app's inventory shipped with the SDK.</summary>
    public const string SampleId = "short-video-app";

    private const string Schema = "data-inventory.schema.json";

    /// <summary>Loads an inventory shipped inside the SDK by id.</summary>
    /// <exception cref="TeenModeConfigurationException">No such inventory, or it is invalid.</exception>
    public static DataInventory LoadEmbedded(string id)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        return Parse(SeedJson.ReadEmbedded($"inventory/{id}.json"), $"seeds/inventory/{id}.json");
    }

    /// <summary>Loads an inventory from a file.</summary>
    /// <exception cref="TeenModeConfigurationException">The file cannot be read or is invalid.</exception>
    public static DataInventory LoadFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new TeenModeConfigurationException([new SeedError(path, 0, 0, "cannot read data inventory: " + ex.Message)]);
        }

        return Parse(text, path);
    }

    /// <summary>Parses an inventory from text.</summary>
    /// <exception cref="TeenModeConfigurationException">The inventory is invalid.</exception>
    public static DataInventory Parse(string json, string file)
    {
        var root = SeedJson.Parse(json, file, Schema);
        var errors = new List<SeedError>();
        var fields = new Dictionary<string, InventoryField>(StringComparer.Ordinal);
        foreach (var token in root["fields"]!)
        {
            var name = (string)token["name"]!;
            if (!fields.TryAdd(name, new InventoryField(name, ParseCategory((string)token["category"]!), Text(token["title"]))))
            {
                errors.Add(SeedJson.At(file, token["name"], $"fields[].name: field '{name}' is declared twice"));
            }
        }

        var purposes = new Dictionary<string, InventoryPurpose>(StringComparer.Ordinal);
        foreach (var token in root["purposes"]!)
        {
            var id = (string)token["id"]!;
            var needed = new List<string>();
            foreach (var f in token["fields"]!)
            {
                var name = (string)f!;
                if (!fields.ContainsKey(name))
                {
                    errors.Add(SeedJson.At(file, f, $"purposes[{id}].fields: '{name}' is not a declared field"));
                }
                else if (needed.Contains(name, StringComparer.Ordinal))
                {
                    errors.Add(SeedJson.At(file, f, $"purposes[{id}].fields: '{name}' is listed twice"));
                }
                else
                {
                    needed.Add(name);
                }
            }

            var purpose = new InventoryPurpose(id, needed, (bool)token["essential"]!, (bool?)token["offByDefaultForMinors"] ?? false,
                TimeSpan.FromDays((int)token["retentionDays"]!), Text(token["title"]));
            if (!purposes.TryAdd(id, purpose))
            {
                errors.Add(SeedJson.At(file, token["id"], $"purposes[].id: purpose '{id}' is declared twice"));
            }
        }

        if (errors.Count > 0)
        {
            throw new TeenModeConfigurationException(errors.OrderBy(e => e.Line).ThenBy(e => e.Column).ToList());
        }

        return new DataInventory((string)root["id"]!, (string)root["version"]!, (string)root["noticeVersion"]!, fields.Values, purposes.Values);
    }

    /// <summary>The wire name of a category, e.g. <c>precise-location</c>.</summary>
    public static string CategoryName(PersonalDataCategory category) => category switch
    {
        PersonalDataCategory.Basic => "basic",
        PersonalDataCategory.Contact => "contact",
        PersonalDataCategory.Sensitive => "sensitive",
        PersonalDataCategory.PreciseLocation => "precise-location",
        PersonalDataCategory.Biometric => "biometric",
        PersonalDataCategory.IdentityNumber => "identity-number",
        PersonalDataCategory.Financial => "financial",
        PersonalDataCategory.Health => "health",
        _ => throw new ArgumentOutOfRangeException(nameof(category)),
    };

    /// <summary>Parses a category wire name.</summary>
    /// <exception cref="ArgumentException">Not a category.</exception>
    public static PersonalDataCategory ParseCategory(string name)
    {
        foreach (var category in Enum.GetValues<PersonalDataCategory>())
        {
            if (CategoryName(category) == name)
            {
                return category;
            }
        }

        throw new ArgumentException($"'{name}' is not a personal-data category.", nameof(name));
    }

    private static LocalizedText? Text(Newtonsoft.Json.Linq.JToken? token) =>
        token is null ? null : new LocalizedText((string)token["zh-CN"]!, (string)token["en"]!);
}
