using System.Globalization;

namespace TeenMode.PersonalInfo;

/// <summary>
/// Seals free text at rest for a store: report descriptions, refund reasons and staff decision reasons may hold identity
/// or phone numbers, so each is sealed with the personal-data protector, bound to its row id and field. One stored form for
/// every store package, so data moved between stores opens the same way. Without a protector text is stored as is.
/// </summary>
/// <param name="protector">The app's protector, or null to store plain text.</param>
internal sealed class FreeTextSealer(PersonalDataProtector? protector)
{
    // Marks a sealed value; rows written before sealing (or without a protector) are plain text and read as is.
    private const string SealedPrefix = "\u0001tm-sealed:1:";
    private const string Purpose = "free-text";

    /// <summary>The stored form of <paramref name="text"/> for (<paramref name="ownerId"/>, <paramref name="field"/>); null stays null.</summary>
    public string? Seal(string ownerId, string field, string? text)
    {
        if (text is null || protector is null)
        {
            return text;
        }

        var (keyId, payload) = protector.Seal(ownerId, field, Purpose, text);
        return string.Create(CultureInfo.InvariantCulture, $"{SealedPrefix}{keyId}:{Convert.ToBase64String(payload)}");
    }

    /// <summary>The text of a stored value; plain (unsealed) values are returned as they are.</summary>
    /// <exception cref="PersonalDataIntegrityException">The value is sealed but no protector was given, or it is malformed or was tampered with.</exception>
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

        var record = new PersonalDataRecord(ownerId, field, Purpose, PersonalDataCategory.Sensitive, rest[..colon].ToString(),
            Convert.FromBase64String(rest[(colon + 1)..].ToString()), default, default);
        return protector.Open(record);
    }
}
