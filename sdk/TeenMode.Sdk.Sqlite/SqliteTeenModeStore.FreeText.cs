using System.Globalization;
using TeenMode.PersonalInfo;

namespace TeenMode.Sqlite;

/// <summary>
/// Free text a minor or guardian writes (report descriptions, refund reasons) and staff decision reasons may hold
/// identity or phone numbers: it is sealed with the personal-data protector, bound to its row id and field.
/// </summary>
public sealed partial class SqliteTeenModeStore
{
    // Marks a sealed value; rows written before sealing (or without a protector) are plain text and read as is.
    private const string SealedPrefix = "\u0001tm-sealed:1:";
    private const string FreeTextPurpose = "free-text";

    private readonly PersonalDataProtector? _freeText;

    /// <summary>
    /// Opens the store; <paramref name="freeTextProtector"/> seals free text at rest (report descriptions, refund reasons).
    /// <c>UseSqlite</c> passes the app's <see cref="PersonalDataProtector"/>.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException">The path is empty or the busy timeout is negative.</exception>
    public SqliteTeenModeStore(SqliteTeenModeStoreOptions options, PersonalDataProtector? freeTextProtector)
        : this(options)
    {
        _freeText = freeTextProtector;
    }

    private object SealText(string ownerId, string field, string? text)
    {
        if (text is null)
        {
            return DBNull.Value;
        }

        if (_freeText is null)
        {
            return text;
        }

        var (keyId, payload) = _freeText.Seal(ownerId, field, FreeTextPurpose, text);
        return string.Create(CultureInfo.InvariantCulture, $"{SealedPrefix}{keyId}:{Convert.ToBase64String(payload)}");
    }

    private string? OpenText(string ownerId, string field, string? stored)
    {
        if (stored is null || !stored.StartsWith(SealedPrefix, StringComparison.Ordinal))
        {
            return stored;
        }

        if (_freeText is null)
        {
            throw new PersonalDataIntegrityException($"Stored {field} of '{ownerId}' is sealed, but this store was opened without a personal-data protector.");
        }

        var rest = stored.AsSpan(SealedPrefix.Length);
        var colon = rest.LastIndexOf(':');
        if (colon <= 0)
        {
            throw new PersonalDataIntegrityException($"Stored {field} of '{ownerId}' is malformed; it was not returned.");
        }

        var record = new PersonalDataRecord(ownerId, field, FreeTextPurpose, PersonalDataCategory.Sensitive, rest[..colon].ToString(),
            Convert.FromBase64String(rest[(colon + 1)..].ToString()), default, default);
        return _freeText.Open(record);
    }
}
