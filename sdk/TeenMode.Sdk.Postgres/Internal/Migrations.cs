namespace TeenMode.Postgres.Internal;

/// <summary>One numbered schema step; applied once, in order, and recorded in <c>schema_history</c>.</summary>
internal sealed record Migration(int Version, string Name, string Script);

/// <summary>
/// Every schema step this package knows, oldest first. A released step is never edited: a change to the schema is a new
/// step (<c>0002_…</c>) that keeps the data.
/// </summary>
internal static partial class Migrations
{
    public static IReadOnlyList<Migration> All { get; } =
    [
        new(1, "0001_initial", Initial0001),
        new(2, "0002_age_assurance", AgeAssurance0002),
    ];

    public static int Latest => All[^1].Version;
}
