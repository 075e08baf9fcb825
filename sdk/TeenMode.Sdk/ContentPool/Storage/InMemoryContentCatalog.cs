using System.Collections.Concurrent;
using TeenMode.ContentPool;

namespace TeenMode.Storage;

/// <summary>The content catalog in process memory: for tests and demos only. Queries use <see cref="ContentQuery.Matches"/>, the reference semantics.</summary>
internal sealed class InMemoryContentCatalog : IContentCatalog
{
    private readonly ConcurrentDictionary<string, ContentItem> _items = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public Task<ContentItem?> GetAsync(string itemId, CancellationToken cancellationToken = default) =>
        Task.FromResult(_items.GetValueOrDefault(itemId));

    /// <inheritdoc />
    public Task UpsertAsync(IEnumerable<ContentItem> items, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(items);
        foreach (var item in items)
        {
            _items[item.Id] = item;
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<ContentItem>> QueryAsync(ContentQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var matching = _items.Values.Where(query.Matches);
        var ordered = query.Order == ContentOrder.ByPopularity
            ? matching.OrderByDescending(i => i.Popularity).ThenBy(i => i.Id, StringComparer.Ordinal)
            : matching.OrderBy(i => i.Id, StringComparer.Ordinal);
        return Task.FromResult<IReadOnlyList<ContentItem>>(ordered.Take(Math.Max(query.Limit, 0)).ToList());
    }
}
