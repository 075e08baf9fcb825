using Microsoft.Extensions.DependencyInjection.Extensions;
using TeenMode;
using TeenMode.ContentPool;
using TeenMode.Rules;
using TeenMode.Sqlite;

namespace ShortVideoApp;

// Content-pool mutants (issue 4): each breaks one content rule by wrapping the SDK's own policy or catalog.
public static partial class Mutants
{
    private static void ApplyContent(IServiceCollection services, string name)
    {
        switch (name)
        {
            case "thin-pool":
                services.Replace(ServiceDescriptor.Singleton<IContentCatalog>(sp => new YoungestBandDroppingCatalog(sp.GetRequiredService<SqliteContentCatalog>())));
                break;
            case "band-ignored":
                // Single items are judged by the policy, feeds and search by the catalog's query: break both.
                services.Replace(ServiceDescriptor.Singleton<IContentPolicy>(sp => new BrokenContentPolicy(new ContentPolicy(sp.GetRequiredService<RulePack>()), name)));
                services.Replace(ServiceDescriptor.Singleton<IContentCatalog>(sp => new BandBlindCatalog(sp.GetRequiredService<SqliteContentCatalog>())));
                break;
            default:
                services.Replace(ServiceDescriptor.Singleton<IContentPolicy>(sp => new BrokenContentPolicy(new ContentPolicy(sp.GetRequiredService<RulePack>()), name)));
                break;
        }
    }

    /// <summary>Answers a teen-mode query with every item servable to some band, whatever band was asked for.</summary>
    private sealed class BandBlindCatalog(IContentCatalog inner) : IContentCatalog
    {
        public Task<ContentItem?> GetAsync(string itemId, CancellationToken cancellationToken = default) => inner.GetAsync(itemId, cancellationToken);

        public Task UpsertAsync(IEnumerable<ContentItem> items, CancellationToken cancellationToken = default) => inner.UpsertAsync(items, cancellationToken);

        public async Task<IReadOnlyList<ContentItem>> QueryAsync(ContentQuery query, CancellationToken cancellationToken = default)
        {
            if (query.ServableTo is null)
            {
                return await inner.QueryAsync(query, cancellationToken);
            }

            var all = await inner.QueryAsync(query with { ServableTo = null, Limit = int.MaxValue }, cancellationToken);
            return [.. all.Where(i => i.SuitableBands.Count > 0 && ContentItem.IsServableInTeenMode(i.MayAffectMinors, i.Flags)).Take(query.Limit)];
        }
    }

    private sealed class BrokenContentPolicy(IContentPolicy inner, string fault) : IContentPolicy
    {
        public Decision Evaluate(ContentItem? item, AgeBand? teenBand) =>
            item is null ? inner.Evaluate(item, teenBand) : inner.Evaluate(Break(item, teenBand), teenBand);

        public Decision EvaluatePlacement(ContentItem item, ContentPlacement placement, AgeBand? teenBand) =>
            fault == "hot-list-unfiltered" ? inner.Evaluate(item with { MayAffectMinors = false }, teenBand) : inner.EvaluatePlacement(Break(item, teenBand), placement, teenBand);

        public bool IsAudioFirst(AgeBand band) => fault != "audio-not-first" && inner.IsAudioFirst(band);

        private ContentItem Break(ContentItem item, AgeBand? band) => fault switch
        {
            "band-ignored" when band is { } b && item.SuitableBands.Count > 0 => item with { SuitableBands = [.. item.SuitableBands, b] },
            "may-affect-served" => item with { MayAffectMinors = false },
            "forbidden-topic-allowed" => item with { Flags = item.Flags & ~ContentLabels.ForbiddenTopics },
            "ads-in-teen-mode" => item with { Flags = item.Flags | ContentLabels.AllowListed },
            _ => item,
        };
    }

    private sealed class YoungestBandDroppingCatalog(IContentCatalog inner) : IContentCatalog
    {
        private static readonly AgeBand Youngest = new(0, 3);

        public Task<ContentItem?> GetAsync(string itemId, CancellationToken cancellationToken = default) => inner.GetAsync(itemId, cancellationToken);

        public Task UpsertAsync(IEnumerable<ContentItem> items, CancellationToken cancellationToken = default) =>
            inner.UpsertAsync(items.Where(i => !i.SuitableBands.Contains(Youngest)), cancellationToken);

        public Task<IReadOnlyList<ContentItem>> QueryAsync(ContentQuery query, CancellationToken cancellationToken = default) =>
            inner.QueryAsync(query, cancellationToken);
    }
}
