using System.Globalization;

namespace TeenMode.Sqlite.Internal;

/// <summary>How the SQLite stores write values as SQLite columns, and read them back.</summary>
internal static class SqliteValues
{
    /// <summary>Money is kept as whole minor units (fen) in INTEGER columns, so sums are exact.</summary>
    public const decimal MinorUnitsPerUnit = 100m;

    public static string FormatDate(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static DateOnly ParseDate(string text) => DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    // Round-trip text in UTC keeps every tick and sorts chronologically.
    public static string FormatInstant(DateTimeOffset instant) => instant.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);

    public static DateTimeOffset ParseInstant(string text) => DateTimeOffset.ParseExact(text, "O", CultureInfo.InvariantCulture, DateTimeStyles.None);

    public static AgeBand ParseBand(string id) =>
        AgeBand.TryParse(id, out var band) ? band : throw new InvalidDataException($"'{id}' in the TeenMode database is not a band id.");

    public static long ToMinorUnits(decimal amount)
    {
        var units = amount * MinorUnitsPerUnit;
        return units == decimal.Truncate(units)
            ? (long)units
            : throw new ArgumentException("An amount has at most two decimals.", nameof(amount));
    }

    /// <summary>
    /// The id as big-endian UTF-16 code units: SQLite compares blobs with memcmp, which then matches
    /// .NET ordinal order exactly (SQLite's own text order is by UTF-8 bytes, which puts characters beyond U+FFFF elsewhere).
    /// </summary>
    public static byte[] OrdinalKey(string id)
    {
        var key = new byte[id.Length * 2];
        for (var i = 0; i < id.Length; i++)
        {
            key[2 * i] = (byte)(id[i] >> 8);
            key[(2 * i) + 1] = (byte)(id[i] & 0xFF);
        }

        return key;
    }
}
