namespace TeenMode.ContentPool;

/// <summary>Decides what a subject may be shown.</summary>
public interface IContentPool
{
    /// <summary>Whether the subject may open the item now.</summary>
    Task<Decision> CheckAsync(string subjectId, string itemId, CancellationToken cancellationToken = default);

    /// <summary>A page of the subject's feed; in teen mode only items suitable for the subject's band.</summary>
    Task<ContentPage?> GetFeedAsync(string subjectId, string? cursor, int limit, CancellationToken cancellationToken = default);
}
