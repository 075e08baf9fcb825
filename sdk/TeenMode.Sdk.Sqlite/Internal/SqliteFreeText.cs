using TeenMode.PersonalInfo;

namespace TeenMode.Sqlite.Internal;

/// <summary>The core's <see cref="FreeTextSealer"/> with SQLite's NULL: sealed free text bound to its row id and field.</summary>
internal sealed class SqliteFreeText(PersonalDataProtector? protector)
{
    private readonly FreeTextSealer _sealer = new(protector);

    public object Seal(string ownerId, string field, string? text) => (object?)_sealer.Seal(ownerId, field, text) ?? DBNull.Value;

    public string? Open(string ownerId, string field, string? stored) => _sealer.Open(ownerId, field, stored);
}
