using System.Globalization;
using Newtonsoft.Json.Linq;

namespace TeenMode.Rules;

/// <summary>Where a spending cap's number comes from.</summary>
public enum SpendingBasis
{
    /// <summary>The cited requirement gives this number, or forbids the payment outright.</summary>
    Regulation,

    /// <summary>The cited requirement asks for a limit but gives no number: the amount is the pack's own platform default.</summary>
    PlatformDefault,
}

/// <summary>
/// The caps on one subject's spending in one app category: a single payment, the local day's total and the local
/// month's total, in the pack's currency. A zero cap means no payment at all.
/// </summary>
/// <param name="PerTransaction">The largest single payment.</param>
/// <param name="PerDay">The largest total of one local day.</param>
/// <param name="PerMonth">The largest total of one local month.</param>
/// <param name="Basis">Whether the numbers are the regulation's or a platform default.</param>
/// <param name="RequirementIds">The requirements that ask for the caps.</param>
public sealed record SpendingCaps(decimal PerTransaction, decimal PerDay, decimal PerMonth, SpendingBasis Basis, IReadOnlyList<string> RequirementIds)
{
    /// <summary>True when no payment is allowed at all.</summary>
    public bool NoSpending => PerTransaction == 0 || PerDay == 0 || PerMonth == 0;

    /// <summary>
    /// The stricter of these caps and <paramref name="other"/> (e.g. a guardian's), cap by cap: a tighter setting can
    /// only lower a cap, never raise it. Null leaves these caps as they are.
    /// </summary>
    public SpendingCaps Tighten(SpendingCaps? other) => other is null
        ? this
        : this with
        {
            PerTransaction = Math.Min(PerTransaction, other.PerTransaction),
            PerDay = Math.Min(PerDay, other.PerDay),
            PerMonth = Math.Min(PerMonth, other.PerMonth),
            RequirementIds = [.. RequirementIds.Union(other.RequirementIds, StringComparer.Ordinal)],
        };
}

/// <summary>The spending section of a rule pack: caps per app category and band. Online games are in a games pack.</summary>
public sealed class SpendingRules
{
    private readonly Dictionary<(string Category, AgeBand Band), SpendingCaps> _caps;

    internal SpendingRules(string currency, LocalizedText? note, IReadOnlyList<string> categories, Dictionary<(string, AgeBand), SpendingCaps> caps)
    {
        Currency = currency;
        Note = note;
        Categories = categories;
        _caps = caps;
    }

    /// <summary>The ISO currency of the caps, e.g. <c>CNY</c>.</summary>
    public string Currency { get; }

    /// <summary>The pack's note on where the numbers come from, if any.</summary>
    public LocalizedText? Note { get; }

    /// <summary>The app categories with caps, e.g. <c>live-streaming</c>, <c>video</c>, <c>education</c>.</summary>
    public IReadOnlyList<string> Categories { get; }

    /// <summary>True when <paramref name="category"/> has caps in this pack.</summary>
    public bool IsCategory(string? category) => category is not null && Categories.Contains(category, StringComparer.Ordinal);

    /// <summary>The caps of <paramref name="category"/> for <paramref name="band"/>.</summary>
    /// <exception cref="ArgumentException">The category is not in the pack, or the band is not one of the pack's bands.</exception>
    public SpendingCaps For(string category, AgeBand band) =>
        _caps.TryGetValue((category, band), out var caps)
            ? caps
            : throw new ArgumentException($"No spending caps for category '{category}' and band {band.Id}.", nameof(category));

    internal static SpendingRules? Parse(JToken? token, string file, IReadOnlyList<BandRules> bands, List<SeedError> errors)
    {
        if (token is not JObject section || section["categories"] is not JObject categories)
        {
            return null;
        }

        var caps = new Dictionary<(string, AgeBand), SpendingCaps>();
        var names = new List<string>();
        foreach (var property in categories.Properties())
        {
            var name = property.Name;
            if (name is "game" or "games")
            {
                errors.Add(SeedJson.At(file, property, "online games are capped by a games pack (e.g. cn-nppa-games), not by the spending section"));
                continue;
            }

            names.Add(name);
            var c = (JObject)property.Value;
            var basis = (string)c["basis"]! == "regulation" ? SpendingBasis.Regulation : SpendingBasis.PlatformDefault;
            var ids = c["requirementIds"]!.Values<string>().Select(s => s!).ToArray();
            var byBand = (JObject)c["bands"]!;
            foreach (var bandProperty in byBand.Properties())
            {
                if (!AgeBand.TryParse(bandProperty.Name, out var parsed) || !bands.Any(b => b.Band == parsed))
                {
                    errors.Add(SeedJson.At(file, bandProperty, $"spending category '{name}': '{bandProperty.Name}' is not one of the pack's bands"));
                }
            }

            foreach (var band in bands)
            {
                if (byBand[band.Band.Id] is not JObject b)
                {
                    errors.Add(SeedJson.At(file, byBand, $"spending category '{name}' has no caps for band {band.Band.Id}"));
                    continue;
                }

                var perTransaction = Money(b["perTransaction"]!);
                var perDay = Money(b["perDay"]!);
                var perMonth = Money(b["perMonth"]!);
                if (perTransaction > perDay || perDay > perMonth)
                {
                    errors.Add(SeedJson.At(file, b, $"spending category '{name}' band {band.Band.Id}: caps must grow from perTransaction to perDay to perMonth ({perTransaction} / {perDay} / {perMonth})"));
                }

                caps[(name, band.Band)] = new SpendingCaps(perTransaction, perDay, perMonth, basis, ids);
            }
        }

        var note = section["note"] is JObject n ? new LocalizedText((string)n["zh-CN"]!, (string)n["en"]!) : null;
        return new SpendingRules((string)section["currency"]!, note, names, caps);
    }

    // The schema allows only "123.45"-shaped text, so invariant decimal parsing is exact.
    private static decimal Money(JToken token) => decimal.Parse((string)token!, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
}
