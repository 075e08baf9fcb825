using System.Globalization;
using Newtonsoft.Json.Linq;

namespace TeenMode.Rules;

/// <summary>How far a guardian may loosen one band's defaults (rule pack <c>guardianBounds</c>); tightening is always allowed.</summary>
/// <param name="MaxDailyMinutes">The largest daily limit a guardian may set.</param>
/// <param name="MinCurfew">A guardian's curfew must still cover this window.</param>
/// <param name="PlatformChoice">True when the pack marks the bounds as the platform's own choice rather than regulatory numbers.</param>
public sealed record GuardianBounds(Sourced<int> MaxDailyMinutes, CurfewWindow MinCurfew, bool PlatformChoice);

/// <summary>A feature's teen-mode default and whether a guardian may switch it on.</summary>
/// <param name="Name">The feature, e.g. <c>stranger-dm</c>.</param>
/// <param name="TeenModeDefault">On or off in teen mode unless a guardian changes it.</param>
/// <param name="GuardianMayEnable">Whether a guardian may switch it on; switching off is always allowed.</param>
/// <param name="RequirementIds">Where the default comes from.</param>
public sealed record FeatureRule(string Name, bool TeenModeDefault, bool GuardianMayEnable, IReadOnlyList<string> RequirementIds);

/// <summary>The guardian-settings section of a rule pack: app categories, exemptions, features and per-band bounds.</summary>
public sealed class GuardianRules
{
    internal GuardianRules(
        IReadOnlyList<string> appCategories,
        IReadOnlySet<string> exemptByDefault,
        IReadOnlyList<string> exemptRequirementIds,
        IReadOnlySet<string> guardianMayExempt,
        IReadOnlyDictionary<string, FeatureRule> features,
        IReadOnlyDictionary<AgeBand, GuardianBounds> bounds)
    {
        AppCategories = appCategories;
        ExemptByDefault = exemptByDefault;
        ExemptRequirementIds = exemptRequirementIds;
        GuardianMayExempt = guardianMayExempt;
        Features = features;
        Bounds = bounds;
    }

    /// <summary>Every app category a heartbeat, exemption or spending cap may name.</summary>
    public IReadOnlyList<string> AppCategories { get; }

    /// <summary>Categories exempt from the daily limit and curfew without any guardian action.</summary>
    public IReadOnlySet<string> ExemptByDefault { get; }

    /// <summary>Why exempt categories are exempt.</summary>
    public IReadOnlyList<string> ExemptRequirementIds { get; }

    /// <summary>Categories a guardian may add to the exemptions.</summary>
    public IReadOnlySet<string> GuardianMayExempt { get; }

    /// <summary>Feature defaults by name.</summary>
    public IReadOnlyDictionary<string, FeatureRule> Features { get; }

    /// <summary>The guardian bounds of each band.</summary>
    public IReadOnlyDictionary<AgeBand, GuardianBounds> Bounds { get; }

    /// <summary>True when <paramref name="category"/> is one of <see cref="AppCategories"/>.</summary>
    public bool IsKnownCategory(string? category) => category is not null && AppCategories.Contains(category, StringComparer.Ordinal);
}

public sealed partial class RulePack
{
    /// <summary>The guardian-settings rules, or null when the pack has none (then guardians cannot change settings).</summary>
    public GuardianRules? Guardian { get; internal init; }
}

public static partial class RulePackLoader
{
    // The schema has already checked the shape, so the tokens are present and typed.
    private static GuardianRules? GuardianRules(JObject root, JObject defaults, List<BandRules> bands, string file, List<SeedError> errors)
    {
        if (root["guardianSettings"] is not JObject section)
        {
            return null;
        }

        var categories = section["appCategories"]!.Values<string>().Select(s => s!).ToArray();
        var known = new HashSet<string>(categories, StringComparer.Ordinal);
        HashSet<string> CategorySet(JToken list)
        {
            var set = new HashSet<string>(StringComparer.Ordinal);
            foreach (var token in (JArray)list["value"]!)
            {
                var name = (string)token!;
                if (!known.Contains(name))
                {
                    errors.Add(SeedJson.At(file, token, $"'{name}' is not one of appCategories"));
                }

                set.Add(name);
            }

            return set;
        }

        var exempt = CategorySet(section["exemptByDefault"]!);
        var mayExempt = CategorySet(section["guardianMayExempt"]!);
        var features = new Dictionary<string, FeatureRule>(StringComparer.Ordinal);
        foreach (var property in ((JObject)section["features"]!).Properties())
        {
            var f = property.Value;
            features[property.Name] = new FeatureRule(property.Name, (bool)f["teenModeDefault"]!, (bool)f["guardianMayEnable"]!, Ids(f));
        }

        var bounds = new Dictionary<AgeBand, GuardianBounds>();
        var bandTokens = (JArray)root["bands"]!;
        for (var i = 0; i < bandTokens.Count && i < bands.Count; i++)
        {
            var token = bandTokens[i]["guardianBounds"] ?? defaults["guardianBounds"];
            if (token is null)
            {
                errors.Add(SeedJson.At(file, bandTokens[i], "no guardianBounds in the band or in defaults, but the pack has guardianSettings"));
                continue;
            }

            var max = token["maxDailyMinutes"]!;
            var curfew = token["minCurfew"]!;
            var maxMinutes = new Sourced<int>((int)max["value"]!, Ids(max));
            if (maxMinutes.Value < bands[i].DailyMinutes.Value)
            {
                errors.Add(SeedJson.At(file, max, $"maxDailyMinutes {maxMinutes.Value} is below the band's default {bands[i].DailyMinutes.Value}"));
            }

            var window = new CurfewWindow(
                TimeOnly.ParseExact((string)curfew["start"]!, "HH:mm", CultureInfo.InvariantCulture),
                TimeOnly.ParseExact((string)curfew["end"]!, "HH:mm", CultureInfo.InvariantCulture),
                Ids(curfew));
            if (!CurfewMath.Covers(bands[i].Curfew, window))
            {
                errors.Add(SeedJson.At(file, curfew, "minCurfew must lie inside the band's default curfew"));
            }

            var platform = (string)max["basis"]! == "platform" || (string)curfew["basis"]! == "platform";
            bounds[bands[i].Band] = new GuardianBounds(maxMinutes, window, platform);
        }

        return new GuardianRules(categories, exempt, Ids(section["exemptByDefault"]!), mayExempt, features, bounds);
    }
}

/// <summary>Window arithmetic on curfews (minute resolution), used only when settings change, never per request.</summary>
internal static class CurfewMath
{
    /// <summary>True when every minute of <paramref name="inner"/> is also inside <paramref name="outer"/>.</summary>
    public static bool Covers(CurfewWindow outer, CurfewWindow inner)
    {
        ArgumentNullException.ThrowIfNull(outer);
        ArgumentNullException.ThrowIfNull(inner);
        for (var minute = 0; minute < 24 * 60; minute++)
        {
            var t = new TimeOnly(minute / 60, minute % 60);
            if (inner.Contains(t) && !outer.Contains(t))
            {
                return false;
            }
        }

        return true;
    }
}
