namespace TeenMode.ContentPool;

/// <summary>An item in the app's catalog.</summary>
/// <param name="Id">The app's id for the item.</param>
/// <param name="Title">The item's title as shown to users.</param>
/// <param name="Category">The category, e.g. <c>education</c>, <c>science</c>, <c>entertainment</c>.</param>
/// <param name="SuitableBands">The bands the item is suitable for; empty means it is not in the teen-mode pool.</param>
/// <param name="MayAffectMinors">True for items that may affect minors' well-being; never served in teen mode.</param>
public sealed record ContentItem(string Id, string Title, string Category, IReadOnlyList<AgeBand> SuitableBands, bool MayAffectMinors = false)
{
    /// <summary>True when the item is in the teen-mode pool for <paramref name="band"/>.</summary>
    public bool IsServableTo(AgeBand band) => !MayAffectMinors && SuitableBands.Contains(band);
}

/// <summary>A page of items.</summary>
/// <param name="Items">The items.</param>
/// <param name="NextCursor">Pass this to get the next page; null at the end.</param>
public sealed record ContentPage(IReadOnlyList<ContentItem> Items, string? NextCursor);
