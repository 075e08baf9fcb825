using Newtonsoft.Json.Linq;
using TeenMode.PersonalInfo;

namespace TeenMode.Harness.Running;

/// <summary>
/// Masks secrets and credentials in evidence: reports are shared with auditors and CI logs,
/// so PINs, passwords and the conformance key must never appear in them. Field names and personal-data patterns
/// (identity and phone numbers, e-mail addresses) are the SDK's <see cref="Redaction"/> rules, the same as in app logs.
/// </summary>
public sealed class Redactor
{
    /// <summary>What replaces a redacted value.</summary>
    public const string Mask = Redaction.Mask;

    private static readonly HashSet<string> DefaultFields = new(Redaction.SecretFields, StringComparer.OrdinalIgnoreCase)
    {
        // A report's free text may hold personal data.
        "description",
    };

    private static readonly HashSet<string> DefaultHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Authorization", "Proxy-Authorization", "Cookie", "Set-Cookie", "X-Api-Key", "X-TeenMode-Conformance-Key", "X-Reviewer-Key",
    };

    private readonly List<string> _secretValues;
    private readonly HashSet<string> _headers;

    /// <summary>Creates a redactor.</summary>
    /// <param name="secretValues">Values masked wherever they appear (e.g. the conformance key).</param>
    /// <param name="sensitiveHeaders">Extra header names whose values are always masked.</param>
    public Redactor(IEnumerable<string>? secretValues = null, IEnumerable<string>? sensitiveHeaders = null)
    {
        // Very short values would mask unrelated text; they are caught by field and header names instead.
        _secretValues = (secretValues ?? []).Where(v => v.Length >= 4).Distinct(StringComparer.Ordinal).OrderByDescending(v => v.Length).ToList();
        _headers = new HashSet<string>(DefaultHeaders, StringComparer.OrdinalIgnoreCase);
        _headers.UnionWith(sensitiveHeaders ?? []);
    }

    /// <summary>A redactor that also masks <paramref name="values"/> (e.g. one request's PINs); this one is unchanged.</summary>
    public Redactor WithValues(IEnumerable<string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var extra = values.Where(v => v.Length >= 4 && !_secretValues.Contains(v, StringComparer.Ordinal)).ToList();
        return extra.Count == 0 ? this : new Redactor(_secretValues.Concat(extra), _headers);
    }

    /// <summary>True when a JSON field of this name holds a credential.</summary>
    public static bool IsSensitiveField(string name) => DefaultFields.Contains(name);

    /// <summary>A deep copy of <paramref name="token"/> with credential fields and secret values masked.</summary>
    public JToken? Json(JToken? token)
    {
        if (token is null)
        {
            return null;
        }

        var copy = token.DeepClone();
        Scrub(copy);
        return copy;
    }

    /// <summary>Masks secret values and personal data (identity and phone numbers, e-mail addresses, <c>pin=…</c>) inside free text.</summary>
    public string Text(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (var secret in _secretValues)
        {
            text = text.Replace(secret, Mask, StringComparison.Ordinal);
        }

        return Redaction.Text(text);
    }

    /// <summary>The value to record for a header.</summary>
    public string Header(string name, string value) => _headers.Contains(name) ? Mask : Text(value);

    private void Scrub(JToken token)
    {
        switch (token)
        {
            case JObject obj:
                foreach (var property in obj.Properties().ToList())
                {
                    if (IsSensitiveField(property.Name) && property.Value.Type is not JTokenType.Null)
                    {
                        property.Value = Mask;
                    }
                    else
                    {
                        Scrub(property.Value);
                    }
                }

                break;
            case JArray array:
                foreach (var item in array)
                {
                    Scrub(item);
                }

                break;
            case JValue { Type: JTokenType.String } value:
                var text = (string)value!;
                var masked = Text(text);
                if (!ReferenceEquals(text, masked) && text != masked)
                {
                    value.Value = masked;
                }

                break;
        }
    }
}
