namespace TeenMode.ContentPool;

/// <summary>Where items and their ratings come from.</summary>
public interface IContentCatalog
{
    /// <summary>Reads one item, or null.</summary>
    Task<ContentItem?> GetAsync(string itemId, CancellationToken cancellationToken = default);

    /// <summary>Adds or replaces items.</summary>
    Task UpsertAsync(IEnumerable<ContentItem> items, CancellationToken cancellationToken = default);

    /// <summary>
    /// The items that <paramref name="query"/> selects, at most <see cref="ContentQuery.Limit"/>, in its order. A store
    /// answers it in its own query language (the conditions are plain values), never by reading the whole catalog.
    /// </summary>
    Task<IReadOnlyList<ContentItem>> QueryAsync(ContentQuery query, CancellationToken cancellationToken = default);
}

/// <summary>How a <see cref="ContentQuery"/> orders its items.</summary>
public enum ContentOrder
{
    /// <summary>By id (ordinal), paged with <see cref="ContentQuery.AfterId"/>.</summary>
    ById,

    /// <summary>Most popular first, ties by id (ordinal); one page, no cursor.</summary>
    ByPopularity,
}

/// <summary>
/// A catalog query: plain conditions a store translates into its own query language. Every condition left null (or
/// false) does not filter.
/// </summary>
/// <param name="Limit">The most items to return (0 returns none).</param>
public sealed record ContentQuery(int Limit)
{
    /// <summary>With <see cref="ContentOrder.ById"/>: only items whose id sorts (ordinal) after this one.</summary>
    public string? AfterId { get; init; }

    /// <summary>The order; by id unless said otherwise.</summary>
    public ContentOrder Order { get; init; } = ContentOrder.ById;

    /// <summary>Only items in the teen-mode pool for this band (<see cref="ContentItem.IsServableTo"/>).</summary>
    public AgeBand? ServableTo { get; init; }

    /// <summary>Leave out items that may affect minors (prominent placements in normal mode).</summary>
    public bool ExcludeMayAffectMinors { get; init; }

    /// <summary>Only items of this format.</summary>
    public ContentFormat? Format { get; init; }

    /// <summary>Leave out items of this format.</summary>
    public ContentFormat? ExcludeFormat { get; init; }

    /// <summary>Only items in this category (exact).</summary>
    public string? Category { get; init; }

    /// <summary>Only items whose title contains this text (ignoring case); trimmed, blank means no condition.</summary>
    public string? TitleContains { get; init; }

    /// <summary>
    /// The reference semantics of the query for one item: what a store's translation must agree with (the in-memory
    /// store and the contract tests use it).
    /// </summary>
    public bool Matches(ContentItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        return (Order != ContentOrder.ById || AfterId is null || string.CompareOrdinal(item.Id, AfterId) > 0)
            && (ServableTo is not { } band || item.IsServableTo(band))
            && (!ExcludeMayAffectMinors || !item.MayAffectMinors)
            && (Format is not { } format || item.Format == format)
            && (ExcludeFormat is not { } excluded || item.Format != excluded)
            && (Category is null || string.Equals(item.Category, Category, StringComparison.Ordinal))
            && (string.IsNullOrWhiteSpace(TitleContains) || item.Title.Contains(TitleContains.Trim(), StringComparison.OrdinalIgnoreCase));
    }
}
