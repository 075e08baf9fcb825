using Newtonsoft.Json.Linq;

namespace TeenMode.Rules;

/// <summary>When a band's content pool counts as thin (rule pack <c>contentPool.richness</c>).</summary>
/// <param name="MinItemsPerBand">Fewer servable items than this make the band thin.</param>
/// <param name="MinItemsPerCategory">A category counts as covered for a band once it has this many servable items.</param>
/// <param name="MinCategoriesPerBand">Fewer covered categories than this make the band thin.</param>
public sealed record RichnessThresholds(Sourced<int> MinItemsPerBand, Sourced<int> MinItemsPerCategory, Sourced<int> MinCategoriesPerBand);

/// <summary>The content-pool rules of a rule pack.</summary>
/// <param name="Richness">The thin-pool thresholds.</param>
/// <param name="AudioFirstBands">Bands whose feed lists audio items first (empty for none).</param>
/// <param name="AudioFirstRequirementIds">Where the audio-first rule comes from.</param>
public sealed record ContentPoolRules(RichnessThresholds Richness, IReadOnlyList<AgeBand> AudioFirstBands, IReadOnlyList<string> AudioFirstRequirementIds);

public sealed partial class RulePack
{
    /// <summary>The content-pool rules, or null when the pack sets none (then no band is audio-first and richness is not assessed).</summary>
    public ContentPoolRules? ContentPool { get; internal init; }
}

public static partial class RulePackLoader
{
    // The schema has already checked the shape, so the tokens are present and typed.
    private static ContentPoolRules? ContentPoolRules(JObject root, string file, List<SeedError> errors)
    {
        if (root["contentPool"] is not { } pool)
        {
            return null;
        }

        var r = pool["richness"]!;
        var audioBands = new List<AgeBand>();
        foreach (var token in (JArray?)pool["audioFirst"]?["bands"] ?? [])
        {
            if (AgeBand.TryParse((string?)token, out var band))
            {
                audioBands.Add(band);
            }
            else
            {
                errors.Add(SeedJson.At(file, token, $"'{token}' is not a band id such as 0-3"));
            }
        }

        var audioIds = pool["audioFirst"] is { } audio ? Ids(audio) : [];
        return new ContentPoolRules(
            new RichnessThresholds(Count(r["minItemsPerBand"]!), Count(r["minItemsPerCategory"]!), Count(r["minCategoriesPerBand"]!)),
            audioBands,
            audioIds);
    }

    private static Sourced<int> Count(JToken token) => new((int)token["value"]!, Ids(token));
}
