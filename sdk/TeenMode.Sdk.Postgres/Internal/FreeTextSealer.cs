using System.Globalization;
using TeenMode.PersonalInfo;

namespace TeenMode.Postgres.Internal;

/// <summary>
/// Free text a minor or guardian writes (report descriptions, refund reasons) and staff decision reasons may hold identity
/// or phone numbers: it is sealed with the personal-data protector, bound to its row id and field. The stored form is the
/// SQLite store's, so data moved between the two stores opens the same way.
/// </summary>
internal sealed class FreeTextSealer(PersonalDataProtector? protector)
{
    // Marks a sealed value; rows written without a protector are plain text and read as is.
    private const string SealedPrefix = "\u0001tm-sealed:1:";
    private const string FreeTextPurpose = "free-text";

    public string? Seal(string ownerId, string field, string? text)
    {
        if (text is null || protector is null)
        {
            return text;
        }

        var (keyId, payload) = protector.Seal(ownerId, field, FreeTextPurpose, text);
        return string.Create(CultureInfo.InvariantCulture, $"{SealedPrefix}{keyId}:{Convert.ToBase64String(payload)}");
    }

    public string? Open(string ownerId, string field, string? stored)
    {
        if (stored is null || !stored.StartsWith(SealedPrefix, StringComparison.Ordinal))
        {
            return stored;
        }

        if (protector is null)
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
        return protector.Open(record);
    }
}
