namespace TeenMode.ContentPool;

/// <summary>An item in the app's catalog.</summary>
/// <param name="Id">The app's id for the item.</param>
/// <param name="Title">The item's title as shown to users.</param>
/// <param name="Category">The category, one of <see cref="ContentCategories.All"/>, e.g. <c>education</c>, <c>science</c>.</param>
/// <param name="SuitableBands">The bands the item is suitable for; empty means it is not in the teen-mode pool.</param>
/// <param name="MayAffectMinors">True for items that may affect minors' well-being: never served in teen mode, shown with a notice elsewhere.</param>
/// <param name="Flags">Advertising, external-link and forbidden-topic flags, and whether a reviewer allow-listed the item.</param>
/// <param name="Format">Video, audio or article; the youngest band gets audio first.</param>
/// <param name="Popularity">The app's popularity score; the hot list is ordered by it.</param>
public sealed record ContentItem(
    string Id,
    string Title,
    string Category,
    IReadOnlyList<AgeBand> SuitableBands,
    bool MayAffectMinors = false,
    ContentLabels Flags = ContentLabels.None,
    ContentFormat Format = ContentFormat.Video,
    long Popularity = 0)
{
    /// <summary>True when the item is themed on fan fundraising, vote-ranking or traffic manipulation.</summary>
    public bool HasForbiddenTopic => (Flags & ContentLabels.ForbiddenTopics) != 0;

    /// <summary>True for an advertisement or an external link that no reviewer allow-listed.</summary>
    public bool IsUnreviewedCommercialOrExternal =>
        (Flags & (ContentLabels.Advertisement | ContentLabels.ExternalLink)) != 0 && (Flags & ContentLabels.AllowListed) == 0;

    /// <summary>True when the item is in the teen-mode pool for <paramref name="band"/>.</summary>
    public bool IsServableTo(AgeBand band) => IsServableInTeenMode(MayAffectMinors, Flags) && SuitableBands.Contains(band);

    /// <summary>
    /// True when an item with these flags may be served in teen mode at all (to the bands it is labelled for):
    /// not may-affect, no forbidden topic, no advertisement or external link unless allow-listed.
    /// </summary>
    public static bool IsServableInTeenMode(bool mayAffectMinors, ContentLabels flags) =>
        !mayAffectMinors
        && (flags & ContentLabels.ForbiddenTopics) == 0
        && ((flags & (ContentLabels.Advertisement | ContentLabels.ExternalLink)) == 0 || (flags & ContentLabels.AllowListed) != 0);
}

/// <summary>Flags on a content item.</summary>
[Flags]
public enum ContentLabels
{
    /// <summary>No flag.</summary>
    None = 0,

    /// <summary>Commercial advertising or marketing.</summary>
    Advertisement = 1,

    /// <summary>The item leads off the platform (an external link).</summary>
    ExternalLink = 2,

    /// <summary>Themed on fan fundraising (应援集资).</summary>
    FanFundraising = 4,

    /// <summary>Themed on vote-ranking (投票打榜).</summary>
    VoteRanking = 8,

    /// <summary>Themed on traffic or comment manipulation (刷量控评).</summary>
    TrafficManipulation = 16,

    /// <summary>A reviewer allow-listed the advertisement or external link for teen mode.</summary>
    AllowListed = 32,

    /// <summary>The topics never offered in teen mode.</summary>
    ForbiddenTopics = FanFundraising | VoteRanking | TrafficManipulation,
}

/// <summary>How an item is consumed.</summary>
public enum ContentFormat
{
    /// <summary>Video.</summary>
    Video,

    /// <summary>Audio (songs, stories): served first to the youngest band.</summary>
    Audio,

    /// <summary>Text and pictures.</summary>
    Article,
}

/// <summary>The catalog's categories.</summary>
public static class ContentCategories
{
    /// <summary>Every category a catalog may use.</summary>
    public static IReadOnlyList<string> All { get; } =
        ["education", "science", "culture", "entertainment", "news", "sports", "music", "life-skills"];

    /// <summary>True when <paramref name="category"/> is one of <see cref="All"/>.</summary>
    public static bool IsKnown(string? category) => category is not null && All.Contains(category, StringComparer.Ordinal);
}

/// <summary>A page of items.</summary>
/// <param name="Items">The items.</param>
/// <param name="NextCursor">Pass this to get the next page; null at the end.</param>
public sealed record ContentPage(IReadOnlyList<ContentItem> Items, string? NextCursor);

/// <summary>What a feed or search asks for.</summary>
/// <param name="Cursor">From the previous page, or null for the first.</param>
/// <param name="Limit">Items per page (at least 1).</param>
/// <param name="Query">Search text matched against titles (ordinal, case-insensitive), or null for the plain feed.</param>
/// <param name="Category">Only this category, or null.</param>
public sealed record FeedRequest(string? Cursor = null, int Limit = 20, string? Query = null, string? Category = null);

/// <summary>Prominent places where items that may affect minors never appear.</summary>
public enum ContentPlacement
{
    /// <summary>The first screen of the home page.</summary>
    HomeFirstScreen,

    /// <summary>A pop-up.</summary>
    Popup,

    /// <summary>A hot list or hot-search list.</summary>
    HotList,
}
