using System.Buffers;
using System.Text.RegularExpressions;
using Newtonsoft.Json.Linq;
using TeenMode.AgeAssurance;

namespace TeenMode.PersonalInfo;

/// <summary>
/// The one set of redaction rules for logs, the audit log and harness evidence: PRC resident identity numbers,
/// mainland mobile numbers, e-mail addresses and the values of secret fields (PIN, password, token …) are masked.
/// Patterns are source-generated once; a call allocates only when something is masked.
/// </summary>
public static partial class Redaction
{
    /// <summary>What replaces a masked value.</summary>
    public const string Mask = "***";

    // Field names whose values are credentials or direct identifiers, wherever they appear (JSON or "name=value" text).
    private static readonly HashSet<string> SecretFieldNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "pin", "guardianPin", "existingGuardianPin", "newPin", "parentPin", "password", "passcode", "secret", "sharedSecret",
        "conformanceKey", "conformanceSecret", "token", "accessToken", "refreshToken", "idToken", "apiKey", "reviewerKey",
        "idCardNumber", "idNumber", "identityNumber", "phone", "phoneNumber", "mobile", "email",

        // One-time guardian binding codes and opaque credential proofs are credentials too.
        "bindingCode", "inviteCode", "proof",
    };

    // Every name the secret-assignment pattern knows contains one of these: a vectorized pre-check before any regex runs.
    private static readonly SearchValues<string> SecretNameParts = SearchValues.Create(
        ["pin", "password", "passcode", "secret", "token", "apikey", "reviewerkey", "conformancekey", "idcardnumber", "idnumber", "identitynumber", "bindingcode", "invitecode", "proof"],
        StringComparison.OrdinalIgnoreCase);

    /// <summary>The field names whose values are always masked (case-insensitive).</summary>
    public static IReadOnlyCollection<string> SecretFields => SecretFieldNames;

    /// <summary>True when a field of this name holds a credential or a direct identifier.</summary>
    public static bool IsSecretField(string name) => name is not null && SecretFieldNames.Contains(name);

    /// <summary>True when <paramref name="text"/> contains something this redactor would mask.</summary>
    public static bool ContainsPersonalData(string? text) =>
        !string.IsNullOrEmpty(text) && (IdNumber().IsMatch(text) || Mobile().IsMatch(text) || Email().IsMatch(text) || SecretAssignment().IsMatch(text));

    /// <summary>
    /// <paramref name="text"/> with identity numbers, mobile numbers, e-mail addresses and <c>secret=value</c> /
    /// <c>"secret": "value"</c> pairs masked. Returns the same instance when nothing was masked.
    /// </summary>
    public static string Text(string text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text;
        }

        // Cheap pre-checks keep the common case (no digits run, no @, no '=' or ':') free of regex work.
        var result = text;
        if (HasDigitRun(result, 11))
        {
            result = IdNumber().Replace(result, Mask);
            result = Mobile().Replace(result, Mask);
        }

        if (result.Contains('@', StringComparison.Ordinal))
        {
            result = Email().Replace(result, Mask);
        }

        if (result.AsSpan().IndexOfAny('=', ':') >= 0 && result.AsSpan().IndexOfAny(SecretNameParts) >= 0)
        {
            result = SecretAssignment().Replace(result, m => m.Groups["value"].Value == Mask ? m.Value : m.Groups["prefix"].Value + Mask);
        }

        return string.Equals(result, text, StringComparison.Ordinal) ? text : result;
    }

    /// <summary>A deep copy of <paramref name="token"/> with secret fields masked and every string value redacted.</summary>
    public static JToken? Json(JToken? token) => Json(token, IsSecretField, Text);

    /// <summary>A deep copy of <paramref name="token"/>: fields for which <paramref name="isSecret"/> holds are masked, other strings pass through <paramref name="text"/>.</summary>
    public static JToken? Json(JToken? token, Func<string, bool> isSecret, Func<string, string> text)
    {
        ArgumentNullException.ThrowIfNull(isSecret);
        ArgumentNullException.ThrowIfNull(text);
        if (token is null)
        {
            return null;
        }

        var copy = token.DeepClone();
        Scrub(copy, isSecret, text);
        return copy;
    }

    /// <summary>Details with secret keys masked and every value redacted; null stays null.</summary>
    public static IReadOnlyDictionary<string, string>? Details(IReadOnlyDictionary<string, string>? details)
    {
        if (details is null || details.Count == 0)
        {
            return details;
        }

        Dictionary<string, string>? changed = null;
        foreach (var (key, value) in details)
        {
            var masked = IsSecretField(key) ? Mask : Text(value);
            if (!ReferenceEquals(masked, value) && !string.Equals(masked, value, StringComparison.Ordinal))
            {
                changed ??= new Dictionary<string, string>(details, StringComparer.Ordinal);
                changed[key] = masked;
            }
        }

        return changed ?? details;
    }

    /// <summary>
    /// True when <paramref name="value"/> is 17 digits followed by their GB 11643 check character (X in either case).
    /// Deliberately only the check character, not region or birth date: in logs anything that looks like a number is
    /// personal data. Redaction does not need it; for input validation use <see cref="ResidentIdentityNumber.Validate"/>.
    /// </summary>
    public static bool IsValidIdNumber(string? value) =>
        value is { Length: ResidentIdentityNumber.Length }
        && ResidentIdentityNumber.TryComputeCheckCharacter(value.AsSpan(0, ResidentIdentityNumber.Length - 1), out var check)
        && char.ToUpperInvariant(value[^1]) == check;

    private static bool HasDigitRun(string text, int length)
    {
        var run = 0;
        foreach (var c in text)
        {
            run = char.IsAsciiDigit(c) ? run + 1 : c is ' ' or '-' && run > 0 ? run : 0;
            if (run >= length)
            {
                return true;
            }
        }

        return false;
    }

    private static void Scrub(JToken token, Func<string, bool> isSecret, Func<string, string> text)
    {
        switch (token)
        {
            case JObject obj:
                foreach (var property in obj.Properties().ToList())
                {
                    if (isSecret(property.Name) && property.Value.Type is not JTokenType.Null)
                    {
                        property.Value = Mask;
                    }
                    else
                    {
                        Scrub(property.Value, isSecret, text);
                    }
                }

                break;
            case JArray array:
                foreach (var item in array)
                {
                    Scrub(item, isSecret, text);
                }

                break;
            case JValue { Type: JTokenType.String } value:
                var original = (string)value!;
                var masked = text(original);
                if (!string.Equals(original, masked, StringComparison.Ordinal))
                {
                    value.Value = masked;
                }

                break;
        }
    }

    // 6-digit region, birth date 18xx–20xx, 3-digit sequence, check digit or X; not inside a longer alphanumeric token.
    [GeneratedRegex(@"(?<![0-9A-Za-z])[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[0-9Xx](?![0-9A-Za-z])", RegexOptions.CultureInvariant)]
    private static partial Regex IdNumber();

    // Mainland mobile: optional +86/0086/86, then 1[3-9] and 9 more digits, optionally grouped 3-4-4 by spaces or hyphens.
    [GeneratedRegex(@"(?<![0-9A-Za-z])(?:(?:\+|00)?86[ -]?)?1[3-9]\d(?:[ -]?\d{4}){2}(?![0-9A-Za-z])", RegexOptions.CultureInvariant)]
    private static partial Regex Mobile();

    [GeneratedRegex(@"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}", RegexOptions.CultureInvariant)]
    private static partial Regex Email();

    // name=value, name: value, "name":"value" (quotes optional) for the secret field names.
    [GeneratedRegex(
        """(?<prefix>(?<![A-Za-z0-9_])["']?(?:pin|guardianPin|existingGuardianPin|newPin|parentPin|password|passcode|secret|sharedSecret|conformanceKey|conformanceSecret|token|accessToken|refreshToken|idToken|apiKey|reviewerKey|idCardNumber|idNumber|identityNumber|bindingCode|inviteCode|proof)["']?\s*[:=]\s*["']?)(?<value>[^\s"',;&}\]]+)""",
        RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex SecretAssignment();
}
