using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using TeenMode.Rules;
using TeenMode.Storage;
using TeenMode.Subjects;

namespace TeenMode.ContentPool;

internal sealed class ContentPoolService(
    ISubjectStore subjects,
    IContentCatalog catalog,
    IContentPolicy policy,
    RulePack pack,
    TimeProvider time,
    FailClosed failClosed,
    ILogger<ContentPoolService>? logger = null) : IContentPool
{
    private readonly ILogger _logger = logger ?? NullLogger<ContentPoolService>.Instance;

    private const string AudioPhase = "a:";
    private const string RestPhase = "b:";

    public Task<Decision> CheckAsync(string subjectId, string itemId, CancellationToken cancellationToken = default) =>
        failClosed.DecideAsync(ct => CheckCoreAsync(subjectId, itemId, ct), _logger, "Content check", cancellationToken);

    public Task<Decision> CheckPlacementAsync(string subjectId, string itemId, ContentPlacement placement, CancellationToken cancellationToken = default) =>
        failClosed.DecideAsync(ct => CheckPlacementCoreAsync(subjectId, itemId, placement, ct), _logger, "Content placement check", cancellationToken);

    private async Task<Decision> CheckCoreAsync(string subjectId, string itemId, CancellationToken cancellationToken)
    {
        var subject = await subjects.GetAsync(subjectId, cancellationToken).ConfigureAwait(false);
        if (subject is null)
        {
            return Decision.Deny(ReasonCode.UnknownSubject);
        }

        var item = await catalog.GetAsync(itemId, cancellationToken).ConfigureAwait(false);
        return policy.Evaluate(item, TeenBand(subject));
    }

    public Task<ContentPage?> GetFeedAsync(string subjectId, string? cursor, int limit, CancellationToken cancellationToken = default) =>
        GetFeedAsync(subjectId, new FeedRequest(cursor, limit), cancellationToken);

    public async Task<ContentPage?> GetFeedAsync(string subjectId, FeedRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentOutOfRangeException.ThrowIfLessThan(request.Limit, 1);
        var subject = await subjects.GetAsync(subjectId, cancellationToken).ConfigureAwait(false);
        if (subject is null)
        {
            return null;
        }

        var band = TeenBand(subject);
        var search = !string.IsNullOrWhiteSpace(request.Query);
        Func<ContentItem, bool> filter = item =>
            Matches(item, request)
            && (band is not null || search
                ? policy.Evaluate(item, band).IsAllowed

                // The normal-mode home feed is a prominent placement: may-affect items are reached by search or link only.
                : policy.EvaluatePlacement(item, ContentPlacement.HomeFirstScreen, null).IsAllowed);

        if (band is { } b && policy.IsAudioFirst(b))
        {
            return await AudioFirstPageAsync(request, filter, cancellationToken).ConfigureAwait(false);
        }

        var after = request.Cursor is { } c && c.StartsWith(RestPhase, StringComparison.Ordinal) ? c[RestPhase.Length..] : request.Cursor;
        return await PageAsync(after, request.Limit, filter, null, cancellationToken).ConfigureAwait(false);
    }

    public async Task<ContentPage?> GetHotListAsync(string subjectId, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var subject = await subjects.GetAsync(subjectId, cancellationToken).ConfigureAwait(false);
        if (subject is null)
        {
            return null;
        }

        var band = TeenBand(subject);

        // Keep the top `limit` by popularity (ties by id) while streaming the catalog once.
        var top = new PriorityQueue<ContentItem, (long Popularity, string Id)>(limit + 1, HotOrder.Instance);
        string? after = null;
        while (true)
        {
            var batch = await catalog.ListAsync(after, 1000, i => policy.EvaluatePlacement(i, ContentPlacement.HotList, band).IsAllowed, cancellationToken).ConfigureAwait(false);
            foreach (var item in batch)
            {
                top.Enqueue(item, (item.Popularity, item.Id));
                if (top.Count > limit)
                {
                    top.Dequeue();
                }
            }

            if (batch.Count < 1000)
            {
                break;
            }

            after = batch[^1].Id;
        }

        var items = new ContentItem[top.Count];
        for (var i = items.Length - 1; i >= 0; i--)
        {
            items[i] = top.Dequeue();
        }

        return new ContentPage(items, null);
    }

    private async Task<Decision> CheckPlacementCoreAsync(string subjectId, string itemId, ContentPlacement placement, CancellationToken cancellationToken)
    {
        var subject = await subjects.GetAsync(subjectId, cancellationToken).ConfigureAwait(false);
        if (subject is null)
        {
            return Decision.Deny(ReasonCode.UnknownSubject);
        }

        var item = await catalog.GetAsync(itemId, cancellationToken).ConfigureAwait(false);
        return item is null ? Decision.Deny(ReasonCode.ContentNotInPool) : policy.EvaluatePlacement(item, placement, TeenBand(subject));
    }

    private static bool Matches(ContentItem item, FeedRequest request) =>
        (request.Category is null || string.Equals(item.Category, request.Category, StringComparison.Ordinal))
        && (string.IsNullOrWhiteSpace(request.Query) || item.Title.Contains(request.Query.Trim(), StringComparison.OrdinalIgnoreCase));

    private AgeBand? TeenBand(Subject subject) =>
        subject.TeenMode ? SubjectService.Resolve(subject, pack, time.GetUtcNow()).Rules.Band : null;

    /// <summary>Audio items in id order, then every other item in id order; the cursor says which phase it is in.</summary>
    private async Task<ContentPage> AudioFirstPageAsync(FeedRequest request, Func<ContentItem, bool> filter, CancellationToken cancellationToken)
    {
        var cursor = request.Cursor;
        if (cursor is not null && !cursor.StartsWith(AudioPhase, StringComparison.Ordinal))
        {
            var rest = cursor.StartsWith(RestPhase, StringComparison.Ordinal) ? cursor[RestPhase.Length..] : cursor;
            return await PageAsync(rest, request.Limit, i => i.Format != ContentFormat.Audio && filter(i), RestPhase, cancellationToken).ConfigureAwait(false);
        }

        var audio = await catalog.ListAsync(cursor?[AudioPhase.Length..], request.Limit + 1, i => i.Format == ContentFormat.Audio && filter(i), cancellationToken).ConfigureAwait(false);
        if (audio.Count > request.Limit)
        {
            return new ContentPage(audio.Take(request.Limit).ToList(), AudioPhase + audio[request.Limit - 1].Id);
        }

        var others = await PageAsync(null, request.Limit - audio.Count, i => i.Format != ContentFormat.Audio && filter(i), RestPhase, cancellationToken).ConfigureAwait(false);
        return new ContentPage([.. audio, .. others.Items], others.NextCursor);
    }

    private async Task<ContentPage> PageAsync(string? after, int limit, Func<ContentItem, bool> filter, string? cursorPrefix, CancellationToken cancellationToken)
    {
        if (limit <= 0)
        {
            // The page is already full: peek whether anything follows.
            var peek = await catalog.ListAsync(after, 1, filter, cancellationToken).ConfigureAwait(false);
            return new ContentPage([], peek.Count > 0 ? cursorPrefix + (after ?? string.Empty) : null);
        }

        // Ask for one more than the page so we know whether another page follows.
        var items = await catalog.ListAsync(after, limit + 1, filter, cancellationToken).ConfigureAwait(false);
        return items.Count > limit
            ? new ContentPage(items.Take(limit).ToList(), cursorPrefix + items[limit - 1].Id)
            : new ContentPage(items, null);
    }

    private sealed class HotOrder : IComparer<(long Popularity, string Id)>
    {
        public static readonly HotOrder Instance = new();

        // The queue dequeues the smallest: the least popular, and among equals the larger id, goes first.
        public int Compare((long Popularity, string Id) x, (long Popularity, string Id) y)
        {
            var byPopularity = x.Popularity.CompareTo(y.Popularity);
            return byPopularity != 0 ? byPopularity : string.CompareOrdinal(y.Id, x.Id);
        }
    }
}
