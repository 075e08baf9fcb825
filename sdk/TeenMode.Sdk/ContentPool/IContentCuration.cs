namespace TeenMode.ContentPool;

/// <summary>Running the pool: richness report, reviewer rating changes, import and export. Every change is audited.</summary>
public interface IContentCuration
{
    /// <summary>Counts servable items per band × category and flags thin bands against the rule pack's thresholds.</summary>
    Task<RichnessReport> GetRichnessAsync(CancellationToken cancellationToken = default);

    /// <summary>A reviewer changes an item's rating (bands and flags); the change is written to the audit log first.</summary>
    /// <returns>The item as changed, or null when no such item exists (nothing is changed or logged).</returns>
    Task<ContentItem?> ChangeRatingAsync(RatingChange change, CancellationToken cancellationToken = default);

    /// <summary>
    /// Validates a JSON or CSV catalog file and, when every row is valid (or <paramref name="allowPartial"/> is true),
    /// stores its items in one write and audits the import. With errors and no <paramref name="allowPartial"/>, nothing is stored.
    /// </summary>
    Task<ContentImportResult> ImportAsync(string reviewerId, string text, ContentFileFormat format, bool allowPartial = false, CancellationToken cancellationToken = default);

    /// <summary>Writes the whole catalog, ordered by id, as JSON or CSV.</summary>
    Task ExportAsync(TextWriter writer, ContentFileFormat format, CancellationToken cancellationToken = default);
}

/// <summary>A reviewer's rating decision.</summary>
/// <param name="ReviewerId">Who reviewed (recorded in the audit log).</param>
/// <param name="ItemId">The item.</param>
/// <param name="SuitableBands">The new suitable bands.</param>
/// <param name="MayAffectMinors">The new may-affect-minors flag.</param>
/// <param name="Flags">The new flags.</param>
/// <param name="Reason">A short reason for the log (no personal data).</param>
public sealed record RatingChange(string ReviewerId, string ItemId, IReadOnlyList<AgeBand> SuitableBands, bool MayAffectMinors, ContentLabels Flags, string? Reason = null);

/// <summary>The richness of one band's pool.</summary>
/// <param name="Band">The band.</param>
/// <param name="Items">Servable items for the band.</param>
/// <param name="ByCategory">Servable items per category (every known category, zeros included).</param>
/// <param name="CoveredCategories">Categories with at least the threshold's items.</param>
/// <param name="Thin">True when below a threshold.</param>
/// <param name="Reasons">Why the band is thin (bilingual), empty when it is not.</param>
public sealed record BandRichness(AgeBand Band, int Items, IReadOnlyDictionary<string, int> ByCategory, int CoveredCategories, bool Thin, IReadOnlyList<string> Reasons);

/// <summary>The pool richness report.</summary>
/// <param name="RulePackId">The rule pack whose thresholds applied.</param>
/// <param name="Assessed">False when the rule pack sets no thresholds (then no band is flagged).</param>
/// <param name="Thresholds">The thresholds with their requirement ids, or null.</param>
/// <param name="Bands">One row per band of the rule pack.</param>
/// <param name="TotalItems">Every item in the catalog, servable or not.</param>
/// <param name="GeneratedAt">When the report was made.</param>
public sealed record RichnessReport(string RulePackId, bool Assessed, Rules.RichnessThresholds? Thresholds, IReadOnlyList<BandRichness> Bands, int TotalItems, DateTimeOffset GeneratedAt)
{
    /// <summary>The thin bands.</summary>
    public IReadOnlyList<AgeBand> ThinBands => Bands.Where(b => b.Thin).Select(b => b.Band).ToList();
}
