using System.Globalization;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using TeenMode.Audit;
using TeenMode.Rules;

namespace TeenMode.ContentPool;

/// <summary>The SDK's <see cref="IContentCuration"/>: richness from the rule pack's thresholds, audited rating changes and imports.</summary>
/// <param name="catalog">The catalog.</param>
/// <param name="policy">Decides what counts as servable for the richness report.</param>
/// <param name="audit">Where rating changes and imports are logged.</param>
/// <param name="pack">The rule pack (bands and thresholds).</param>
/// <param name="time">The clock.</param>
internal sealed class ContentCuration(IContentCatalog catalog, IContentPolicy policy, IAuditLog audit, RulePack pack, TimeProvider time) : IContentCuration
{
    private const int BatchSize = 1000;

    /// <inheritdoc />
    public async Task<RichnessReport> GetRichnessAsync(CancellationToken cancellationToken = default)
    {
        var bands = pack.Bands.Select(b => b.Band).ToArray();
        var counts = bands.Select(_ => ContentCategories.All.ToDictionary(c => c, _ => 0, StringComparer.Ordinal)).ToArray();
        var totals = new int[bands.Length];
        var total = 0;
        await foreach (var item in AllAsync(catalog, cancellationToken).ConfigureAwait(false))
        {
            total++;
            for (var i = 0; i < bands.Length; i++)
            {
                // Only a plain Allow counts: the pool is what teen mode may actually serve to the band.
                if (policy.Evaluate(item, bands[i]).Outcome == Outcome.Allow)
                {
                    totals[i]++;
                    counts[i][item.Category] = counts[i].GetValueOrDefault(item.Category) + 1;
                }
            }
        }

        var thresholds = pack.ContentPool?.Richness;
        var rows = new List<BandRichness>(bands.Length);
        for (var i = 0; i < bands.Length; i++)
        {
            var covered = thresholds is null ? 0 : counts[i].Values.Count(n => n >= thresholds.MinItemsPerCategory.Value);
            var reasons = new List<string>();
            if (thresholds is not null)
            {
                if (totals[i] < thresholds.MinItemsPerBand.Value)
                {
                    reasons.Add(string.Create(CultureInfo.InvariantCulture,
                        $"可供内容 {totals[i]} 条，少于 {thresholds.MinItemsPerBand.Value} 条 / {totals[i]} servable items, fewer than {thresholds.MinItemsPerBand.Value}"));
                }

                if (covered < thresholds.MinCategoriesPerBand.Value)
                {
                    reasons.Add(string.Create(CultureInfo.InvariantCulture,
                        $"达标分类 {covered} 个，少于 {thresholds.MinCategoriesPerBand.Value} 个 / {covered} categories with at least {thresholds.MinItemsPerCategory.Value} items, fewer than {thresholds.MinCategoriesPerBand.Value}"));
                }
            }

            rows.Add(new BandRichness(bands[i], totals[i], counts[i], covered, reasons.Count > 0, reasons));
        }

        return new RichnessReport(pack.Id, thresholds is not null, thresholds, rows, total, time.GetUtcNow());
    }

    /// <inheritdoc />
    public async Task<ContentItem?> ChangeRatingAsync(RatingChange change, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        ArgumentException.ThrowIfNullOrWhiteSpace(change.ReviewerId);
        var before = await catalog.GetAsync(change.ItemId, cancellationToken).ConfigureAwait(false);
        if (before is null)
        {
            return null;
        }

        var after = before with { SuitableBands = [.. change.SuitableBands.Distinct()], MayAffectMinors = change.MayAffectMinors, Flags = change.Flags };

        // Logged before it is applied: an applied change is never missing from the log.
        var details = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["bandsBefore"] = string.Join(',', before.SuitableBands.Select(b => b.Id)),
            ["bandsAfter"] = string.Join(',', after.SuitableBands.Select(b => b.Id)),
            ["mayAffectMinorsBefore"] = before.MayAffectMinors ? "true" : "false",
            ["mayAffectMinorsAfter"] = after.MayAffectMinors ? "true" : "false",
            ["flagsBefore"] = string.Join(',', ContentFile.FlagWireNames(before.Flags)),
            ["flagsAfter"] = string.Join(',', ContentFile.FlagWireNames(after.Flags)),
        };
        if (!string.IsNullOrWhiteSpace(change.Reason))
        {
            details["reason"] = change.Reason;
        }

        await audit.AppendAsync(new AuditEvent("reviewer:" + change.ReviewerId, "content-rating-changed", null, change.ItemId, details), cancellationToken).ConfigureAwait(false);
        await catalog.UpsertAsync([after], cancellationToken).ConfigureAwait(false);
        return after;
    }

    /// <inheritdoc />
    public async Task<ContentImportResult> ImportAsync(string reviewerId, string text, ContentFileFormat format, bool allowPartial = false, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reviewerId);
        ArgumentNullException.ThrowIfNull(text);
        var (items, errors) = ContentFile.Read(text, format, pack.Bands.Select(b => b.Band).ToList());
        if ((errors.Count > 0 && !allowPartial) || items.Count == 0)
        {
            return new ContentImportResult(items, errors, 0);
        }

        var details = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["format"] = format == ContentFileFormat.Csv ? "csv" : "json",
            ["items"] = items.Count.ToString(CultureInfo.InvariantCulture),
            ["rowsRejected"] = errors.Count.ToString(CultureInfo.InvariantCulture),
            ["sha256"] = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text))),
        };
        await audit.AppendAsync(new AuditEvent("reviewer:" + reviewerId, "content-imported", null, null, details), cancellationToken).ConfigureAwait(false);

        // One store call: the stores write a batch in one transaction, so it lands whole or not at all.
        await catalog.UpsertAsync(items, cancellationToken).ConfigureAwait(false);
        return new ContentImportResult(items, errors, items.Count);
    }

    /// <inheritdoc />
    public Task ExportAsync(TextWriter writer, ContentFileFormat format, CancellationToken cancellationToken = default) =>
        ContentFile.WriteAsync(writer, AllAsync(catalog, cancellationToken), format, cancellationToken);

    /// <summary>Every item in id order, read in batches.</summary>
    internal static async IAsyncEnumerable<ContentItem> AllAsync(IContentCatalog catalog, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? after = null;
        while (true)
        {
            var batch = await catalog.QueryAsync(new ContentQuery(BatchSize) { AfterId = after }, cancellationToken).ConfigureAwait(false);
            foreach (var item in batch)
            {
                yield return item;
            }

            if (batch.Count < BatchSize)
            {
                yield break;
            }

            after = batch[^1].Id;
        }
    }
}
