namespace TeenMode.ContentPool;

/// <summary>Where items and their ratings come from.</summary>
public interface IContentCatalog
{
    /// <summary>Reads one item, or null.</summary>
    Task<ContentItem?> GetAsync(string itemId, CancellationToken cancellationToken = default);

    /// <summary>Adds or replaces items.</summary>
    Task UpsertAsync(IEnumerable<ContentItem> items, CancellationToken cancellationToken = default);

    /// <summary>Items ordered by id, starting after <paramref name="afterId"/>, that <paramref name="filter"/> accepts.</summary>
    Task<IReadOnlyList<ContentItem>> ListAsync(string? afterId, int limit, Func<ContentItem, bool> filter, CancellationToken cancellationToken = default);
}
