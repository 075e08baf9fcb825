using System.Globalization;

namespace TeenMode;

/// <summary>
/// A half-open age band [<see cref="FromAge"/>, <see cref="ToAge"/>) in whole years:
/// a child on their 8th birthday is in [8,12).
/// </summary>
public readonly record struct AgeBand(int FromAge, int ToAge)
{
    /// <summary>The band's stable id, e.g. <c>8-12</c>.</summary>
    public string Id => string.Create(CultureInfo.InvariantCulture, $"{FromAge}-{ToAge}");

    /// <summary>True when <paramref name="age"/> falls in the band.</summary>
    public bool Contains(int age) => age >= FromAge && age < ToAge;

    /// <summary>Parses an id such as <c>12-16</c>.</summary>
    public static bool TryParse(string? id, out AgeBand band)
    {
        band = default;
        if (string.IsNullOrEmpty(id))
        {
            return false;
        }

        var dash = id.IndexOf('-', StringComparison.Ordinal);
        if (dash <= 0
            || !int.TryParse(id.AsSpan(0, dash), NumberStyles.None, CultureInfo.InvariantCulture, out var from)
            || !int.TryParse(id.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var to)
            || to <= from)
        {
            return false;
        }

        band = new AgeBand(from, to);
        return true;
    }

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"[{FromAge},{ToAge})");
}
