using System.Globalization;
using Newtonsoft.Json.Linq;

namespace TeenMode.Rules;

/// <summary>Loads and validates rule packs; every problem is reported with file, line and column.</summary>
public static partial class RulePackLoader
{
    /// <summary>The id of the pack used when none is configured.</summary>
    public const string DefaultPackId = "cn-cac-2024";

    /// <summary>Loads a pack shipped inside the SDK by id (e.g. <c>cn-cac-2024</c>).</summary>
    /// <exception cref="TeenModeConfigurationException">No such pack, or it is invalid.</exception>
    public static RulePack LoadEmbedded(string id, RequirementCatalog? catalog = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        return Parse(SeedJson.ReadEmbedded($"rules/{id}.json"), $"seeds/rules/{id}.json", catalog);
    }

    /// <summary>Loads a pack from a file.</summary>
    /// <exception cref="TeenModeConfigurationException">The file cannot be read or is invalid.</exception>
    public static RulePack LoadFile(string path, RequirementCatalog? catalog = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new TeenModeConfigurationException([new SeedError(path, 0, 0, "cannot read rule pack: " + ex.Message)]);
        }

        return Parse(text, path, catalog);
    }

    /// <summary>Parses a pack from text.</summary>
    /// <exception cref="TeenModeConfigurationException">The pack is invalid.</exception>
    public static RulePack Parse(string json, string file, RequirementCatalog? catalog = null)
    {
        catalog ??= RequirementCatalog.Default;
        var root = SeedJson.Parse(json, file, "rule-pack.schema.json");
        var errors = new List<SeedError>();

        foreach (var ids in root.SelectTokens("$..requirementIds"))
        {
            catalog.CheckIds(file, ids, errors);
        }

        TimeZoneInfo? zone = null;
        var zoneToken = root["timeZone"]!;
        try
        {
            zone = TimeZoneInfo.FindSystemTimeZoneById((string)zoneToken!);
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            errors.Add(SeedJson.At(file, zoneToken, $"unknown time zone '{(string)zoneToken!}'"));
        }

        if (root["defaults"] is not JObject defaults || root["bands"] is not JArray)
        {
            // A games-only pack such as cn-nppa-games has no bands; it is loaded with LoadGamesEmbedded / ParseGames.
            throw new TeenModeConfigurationException([SeedJson.At(file, root, "not a teen-mode pack: it has no defaults and bands (a games pack is loaded with RulePackLoader.ParseGames)")]);
        }

        var bands = new List<BandRules>();
        var expectedFrom = 0;
        foreach (var bandToken in (JArray)root["bands"]!)
        {
            var from = (int)bandToken["fromAge"]!;
            var to = (int)bandToken["toAge"]!;
            if (to <= from)
            {
                errors.Add(SeedJson.At(file, bandToken["toAge"], $"band toAge {to} must be greater than fromAge {from}"));
            }

            if (from != expectedFrom)
            {
                errors.Add(SeedJson.At(file, bandToken["fromAge"], $"band starts at {from} but the previous band ends at {expectedFrom}: bands must be contiguous from 0"));
            }

            expectedFrom = to;
            var daily = Minutes(bandToken["dailyMinutes"]);
            var rest = Minutes(bandToken["restReminderMinutes"] ?? defaults["restReminderMinutes"]);
            var curfew = Curfew(bandToken["curfew"] ?? defaults["curfew"]);
            if (rest is null)
            {
                errors.Add(SeedJson.At(file, bandToken, "no restReminderMinutes in the band or in defaults"));
            }

            if (curfew is null)
            {
                errors.Add(SeedJson.At(file, bandToken, "no curfew in the band or in defaults"));
            }

            if (daily is not null && rest is not null && curfew is not null)
            {
                bands.Add(new BandRules(new AgeBand(from, to), daily, rest, curfew));
            }
        }

        var contentPool = ContentPoolRules(root, file, errors);
        if (expectedFrom != 18)
        {
            errors.Add(SeedJson.At(file, root["bands"], $"bands end at {expectedFrom}; they must cover ages 0 to 18"));
        }

        var reporting = ReportingRules.Parse(root["reporting"], file, errors);
        var spending = SpendingRules.Parse(root["spending"], file, bands, errors);
        var guardian = GuardianRules(root, defaults, bands, file, errors);
        if (errors.Count > 0)
        {
            throw new TeenModeConfigurationException(errors.OrderBy(e => e.Line).ThenBy(e => e.Column).ToList());
        }

        var title = new LocalizedText((string)root["title"]!["zh-CN"]!, (string)root["title"]!["en"]!);
        return new RulePack((string)root["id"]!, (string)root["version"]!, title, zone!, bands) { Reporting = reporting, ContentPool = contentPool, Spending = spending, Guardian = guardian, PersonalInfo = PersonalInfoRules(root) };
    }

    private static Sourced<int>? Minutes(JToken? token) =>
        token is null ? null : new Sourced<int>((int)token["value"]!, Ids(token));

    private static CurfewWindow? Curfew(JToken? token) =>
        token is null
            ? null
            : new CurfewWindow(
                TimeOnly.ParseExact((string)token["start"]!, "HH:mm", CultureInfo.InvariantCulture),
                TimeOnly.ParseExact((string)token["end"]!, "HH:mm", CultureInfo.InvariantCulture),
                Ids(token));

    private static string[] Ids(JToken token) => token["requirementIds"]!.Values<string>().Select(s => s!).ToArray();
}
