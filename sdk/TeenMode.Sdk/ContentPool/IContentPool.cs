namespace TeenMode.ContentPool;

/// <summary>Decides what a subject may be shown.</summary>
public interface IContentPool
{
    /// <summary>Whether the subject may open the item now.</summary>
    Task<Decision> CheckAsync(string subjectId, string itemId, CancellationToken cancellationToken = default);

    /// <summary>A page of the subject's feed; in teen mode only items suitable for the subject's band.</summary>
    Task<ContentPage?> GetFeedAsync(string subjectId, string? cursor, int limit, CancellationToken cancellationToken = default);

    /// <summary>
    /// A page of the subject's feed or search results (<see cref="FeedRequest.Query"/>): in teen mode only items servable
    /// to the subject's band (audio first for audio-first bands); in normal mode the plain feed leaves out items that may
    /// affect minors (it is a prominent placement) and search keeps them, each to be shown with its notice. Null for an unknown subject.
    /// </summary>
    Task<ContentPage?> GetFeedAsync(string subjectId, FeedRequest request, CancellationToken cancellationToken = default);

    /// <summary>The hot list, most popular first: never an item that may affect minors; in teen mode only servable items.</summary>
    Task<ContentPage?> GetHotListAsync(string subjectId, int limit, CancellationToken cancellationToken = default);

    /// <summary>Whether the item may be put in a prominent <paramref name="placement"/> for the subject.</summary>
    Task<Decision> CheckPlacementAsync(string subjectId, string itemId, ContentPlacement placement, CancellationToken cancellationToken = default);
}

/// <summary>The pure content rules. No I/O; the pool service and the richness report both ask it.</summary>
public interface IContentPolicy
{
    /// <summary>Whether an item may be opened: <paramref name="teenBand"/> is the subject's band in teen mode, null in normal mode.</summary>
    Decision Evaluate(ContentItem? item, AgeBand? teenBand);

    /// <summary>Whether an item may go in a prominent placement (home first screen, pop-up, hot list).</summary>
    Decision EvaluatePlacement(ContentItem item, ContentPlacement placement, AgeBand? teenBand);

    /// <summary>True when the band's feed lists audio items first.</summary>
    bool IsAudioFirst(AgeBand band);
}
