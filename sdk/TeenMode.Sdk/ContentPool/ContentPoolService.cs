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
        TeenModeTelemetry.GateAsync("content.check", pack.Id,
            () => failClosed.DecideAsync(ct => CheckCoreAsync(subjectId, itemId, ct), _logger, "Content check", cancellationToken));

    public Task<Decision> CheckPlacementAsync(string subjectId, string itemId, ContentPlacement placement, CancellationToken cancellationToken = default) =>
        TeenModeTelemetry.GateAsync("content.placement", pack.Id,
            () => failClosed.DecideAsync(ct => CheckPlacementCoreAsync(subjectId, itemId, placement, ct), _logger, "Content placement check", cancellationToken));

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

        // In teen mode only the band's pool; in normal mode the home feed is a prominent placement, so may-affect items
        // are reached by search or link only.
        var filter = new ContentQuery(request.Limit)
        {
            ServableTo = band,
            ExcludeMayAffectMinors = band is null && !search,
            Category = request.Category,
            TitleContains = search ? request.Query : null,
        };

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

        // The hot list is a prominent placement: never a may-affect item, and in teen mode only the band's pool.
        var items = await catalog.QueryAsync(
            new ContentQuery(limit) { Order = ContentOrder.ByPopularity, ServableTo = TeenBand(subject), ExcludeMayAffectMinors = true },
            cancellationToken).ConfigureAwait(false);
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

    private AgeBand? TeenBand(Subject subject) =>
        subject.TeenMode ? SubjectService.Resolve(subject, pack, time.GetUtcNow()).Rules.Band : null;

    /// <summary>Audio items in id order, then every other item in id order; the cursor says which phase it is in.</summary>
    private async Task<ContentPage> AudioFirstPageAsync(FeedRequest request, ContentQuery filter, CancellationToken cancellationToken)
    {
        var cursor = request.Cursor;
        var others = filter with { ExcludeFormat = ContentFormat.Audio };
        if (cursor is not null && !cursor.StartsWith(AudioPhase, StringComparison.Ordinal))
        {
            var rest = cursor.StartsWith(RestPhase, StringComparison.Ordinal) ? cursor[RestPhase.Length..] : cursor;
            return await PageAsync(rest, request.Limit, others, RestPhase, cancellationToken).ConfigureAwait(false);
        }

        var audio = await catalog.QueryAsync(
            filter with { Format = ContentFormat.Audio, AfterId = cursor?[AudioPhase.Length..], Limit = request.Limit + 1 },
            cancellationToken).ConfigureAwait(false);
        if (audio.Count > request.Limit)
        {
            return new ContentPage(audio.Take(request.Limit).ToList(), AudioPhase + audio[request.Limit - 1].Id);
        }

        var next = await PageAsync(null, request.Limit - audio.Count, others, RestPhase, cancellationToken).ConfigureAwait(false);
        return new ContentPage([.. audio, .. next.Items], next.NextCursor);
    }

    private async Task<ContentPage> PageAsync(string? after, int limit, ContentQuery filter, string? cursorPrefix, CancellationToken cancellationToken)
    {
        if (limit <= 0)
        {
            // The page is already full: peek whether anything follows.
            var peek = await catalog.QueryAsync(filter with { AfterId = after, Limit = 1 }, cancellationToken).ConfigureAwait(false);
            return new ContentPage([], peek.Count > 0 ? cursorPrefix + (after ?? string.Empty) : null);
        }

        // Ask for one more than the page so we know whether another page follows.
        var items = await catalog.QueryAsync(filter with { AfterId = after, Limit = limit + 1 }, cancellationToken).ConfigureAwait(false);
        return items.Count > limit
            ? new ContentPage(items.Take(limit).ToList(), cursorPrefix + items[limit - 1].Id)
            : new ContentPage(items, null);
    }
}
