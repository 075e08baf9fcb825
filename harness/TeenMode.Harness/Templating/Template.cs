using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace TeenMode.Harness.Templating;

/// <summary>A reference to a variable found in a template.</summary>
/// <param name="Name">The variable name.</param>
/// <param name="Optional">True for <c>${name?}</c>: a missing variable omits the value instead of failing.</param>
/// <param name="Token">The string token that holds the reference (for line and column).</param>
public sealed record VariableReference(string Name, bool Optional, JToken Token);

/// <summary>Thrown when a template names a variable that is not defined.</summary>
public sealed class TemplateException : Exception
{
    public TemplateException()
    {
    }

    public TemplateException(string message)
        : base(message)
    {
    }

    public TemplateException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// Expands <c>${var}</c> in JSON templates. A string that is exactly <c>${var}</c> becomes the variable's
/// JSON value with its type; elsewhere the value is interpolated as text. <c>${var?}</c> is optional:
/// when undefined, the property or array element holding it is omitted. <c>$${</c> is a literal <c>${</c>.
/// </summary>
public static partial class Template
{
    /// <summary>Names that must look like identifiers.</summary>
    public static bool IsValidName(string name) => NameRegex().IsMatch(name);

    /// <summary>Expands a JSON template; returns null when the whole value is an undefined optional reference.</summary>
    /// <exception cref="TemplateException">A required variable is undefined.</exception>
    public static JToken? Expand(JToken template, IReadOnlyDictionary<string, JToken> variables, Func<string, string>? encode = null)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(variables);
        switch (template)
        {
            case JObject obj:
                var outObj = new JObject();
                foreach (var property in obj.Properties())
                {
                    if (Expand(property.Value, variables, encode) is { } value)
                    {
                        outObj[property.Name] = value;
                    }
                }

                return outObj;
            case JArray array:
                var outArray = new JArray();
                foreach (var item in array)
                {
                    if (Expand(item, variables, encode) is { } value)
                    {
                        outArray.Add(value);
                    }
                }

                return outArray;
            case JValue { Type: JTokenType.String } value:
                var text = (string)value!;
                var whole = WholeRegex().Match(text);
                if (whole.Success)
                {
                    var name = whole.Groups["name"].Value;
                    if (variables.TryGetValue(name, out var v))
                    {
                        return v.DeepClone();
                    }

                    return whole.Groups["opt"].Success ? null : throw Undefined(name);
                }

                return new JValue(ExpandString(text, variables, encode));
            default:
                return template.DeepClone();
        }
    }

    /// <summary>Interpolates every reference in <paramref name="text"/>; an undefined optional one becomes empty.</summary>
    /// <exception cref="TemplateException">A required variable is undefined.</exception>
    public static string ExpandString(string text, IReadOnlyDictionary<string, JToken> variables, Func<string, string>? encode = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(variables);
        if (!text.Contains('$', StringComparison.Ordinal))
        {
            return text;
        }

        return RefRegex().Replace(text, m =>
        {
            if (m.Value == "$${")
            {
                return "${";
            }

            var name = m.Groups["name"].Value;
            if (!variables.TryGetValue(name, out var v))
            {
                return m.Groups["opt"].Success ? string.Empty : throw Undefined(name);
            }

            var s = AsText(v);
            return encode is null ? s : encode(s);
        });
    }

    /// <summary>The text form of a value: strings as they are, null as empty, everything else as compact JSON.</summary>
    public static string AsText(JToken value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.Type switch
        {
            JTokenType.String => (string)value!,
            JTokenType.Null or JTokenType.Undefined => string.Empty,
            JTokenType.Boolean => (bool)value ? "true" : "false",
            JTokenType.Integer or JTokenType.Float => Convert.ToString(((JValue)value).Value, CultureInfo.InvariantCulture) ?? string.Empty,
            _ => value.ToString(Formatting.None),
        };
    }

    /// <summary>Every variable reference in a template, in document order.</summary>
    public static IEnumerable<VariableReference> References(JToken? template)
    {
        if (template is null)
        {
            yield break;
        }

        if (template is JValue { Type: JTokenType.String } value)
        {
            foreach (Match m in RefRegex().Matches((string)value!))
            {
                if (m.Value != "$${")
                {
                    yield return new VariableReference(m.Groups["name"].Value, m.Groups["opt"].Success, value);
                }
            }

            yield break;
        }

        foreach (var child in template.Children())
        {
            var inner = child is JProperty p ? p.Value : child;
            foreach (var r in References(inner))
            {
                yield return r;
            }
        }
    }

    /// <summary>References in a plain string (e.g. a path or header template).</summary>
    public static IEnumerable<string> References(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return RefRegex().Matches(text).Where(m => m.Value != "$${").Select(m => m.Groups["name"].Value);
    }

    private static TemplateException Undefined(string name) =>
        new(new StringBuilder().Append("变量未定义 / undefined variable '${").Append(name).Append("}'").ToString());

    [GeneratedRegex(@"\$\$\{|\$\{(?<name>[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_-]*)*)(?<opt>\?)?\}", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex RefRegex();

    [GeneratedRegex(@"^\$\{(?<name>[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_-]*)*)(?<opt>\?)?\}$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex WholeRegex();

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex NameRegex();
}
