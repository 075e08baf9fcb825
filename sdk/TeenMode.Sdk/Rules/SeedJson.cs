using System.Collections.Concurrent;
using System.Reflection;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using NJsonSchema;
using NJsonSchema.Validation;

namespace TeenMode.Rules;

/// <summary>
/// Reads a seed JSON file (rule pack, catalog, suite, profile), checks it against its schema
/// and reports every problem with file, line and column.
/// </summary>
public static class SeedJson
{
    private static readonly ConcurrentDictionary<string, JsonSchema> Schemas = new(StringComparer.Ordinal);

    /// <summary>Parses <paramref name="json"/> and validates it against the embedded schema named <paramref name="schemaName"/>.</summary>
    /// <param name="json">The document text.</param>
    /// <param name="file">The file name used in error messages.</param>
    /// <param name="schemaName">The schema file name in <c>seeds/schemas</c>, e.g. <c>rule-pack.schema.json</c>.</param>
    /// <exception cref="TeenModeConfigurationException">The text is not JSON or does not match the schema.</exception>
    public static JObject Parse(string json, string file, string schemaName)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(file);
        JToken token;
        try
        {
            using var reader = new JsonTextReader(new StringReader(json)) { DateParseHandling = DateParseHandling.None, MaxDepth = 64 };
            token = JToken.ReadFrom(reader, new JsonLoadSettings { LineInfoHandling = LineInfoHandling.Load, DuplicatePropertyNameHandling = DuplicatePropertyNameHandling.Error });
            if (reader.Read() && reader.TokenType != JsonToken.Comment)
            {
                throw new JsonReaderException("Additional text found after the end of the JSON document.", reader.Path, reader.LineNumber, reader.LinePosition, null);
            }
        }
        catch (JsonReaderException ex)
        {
            throw new TeenModeConfigurationException([new SeedError(file, ex.LineNumber, ex.LinePosition, "invalid JSON: " + StripLocation(ex.Message))]);
        }

        var errors = new List<SeedError>();
        foreach (var error in GetSchema(schemaName).Validate(token))
        {
            Flatten(error, file, token, errors);
        }

        if (errors.Count > 0)
        {
            throw new TeenModeConfigurationException(errors.DistinctBy(e => e.ToString()).OrderBy(e => e.Line).ThenBy(e => e.Column).ToList());
        }

        if (token is not JObject obj)
        {
            throw new TeenModeConfigurationException([At(file, token, "the document must be a JSON object")]);
        }

        return obj;
    }

    /// <summary>Reads a file and parses it as <see cref="Parse"/> does.</summary>
    public static JObject Load(string path, string schemaName)
    {
        ArgumentNullException.ThrowIfNull(path);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new TeenModeConfigurationException([new SeedError(path, 0, 0, "cannot read file: " + ex.Message)]);
        }

        return Parse(text, path, schemaName);
    }

    /// <summary>A located error for <paramref name="token"/>.</summary>
    public static SeedError At(string file, JToken? token, string message)
    {
        var info = (IJsonLineInfo?)token;
        return info is { } li && li.HasLineInfo()
            ? new SeedError(file, li.LineNumber, li.LinePosition, message)
            : new SeedError(file, 0, 0, message);
    }

    /// <summary>Reads an embedded seed (e.g. <c>rules/cn-cac-2024.json</c>) shipped inside the SDK.</summary>
    public static string ReadEmbedded(string relativePath)
    {
        ArgumentNullException.ThrowIfNull(relativePath);
        var name = "TeenMode.Seeds." + relativePath.Replace('/', '.');
        using var stream = typeof(SeedJson).Assembly.GetManifestResourceStream(name)
            ?? throw new TeenModeConfigurationException($"No embedded seed '{relativePath}'. Known: {string.Join(", ", EmbeddedNames())}");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>The embedded seeds' relative paths.</summary>
    public static IEnumerable<string> EmbeddedNames()
    {
        const string Prefix = "TeenMode.Seeds.";
        return typeof(SeedJson).Assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(Prefix, StringComparison.Ordinal))
            .Select(n =>
            {
                var rest = n[Prefix.Length..];
                var dot = rest.IndexOf('.', StringComparison.Ordinal);
                return rest[..dot] + "/" + rest[(dot + 1)..];
            });
    }

    private static JsonSchema GetSchema(string schemaName) =>
        Schemas.GetOrAdd(schemaName, static name =>
            JsonSchema.FromJsonAsync(ReadEmbedded("schemas/" + name)).GetAwaiter().GetResult());

    private static void Flatten(ValidationError error, string file, JToken root, List<SeedError> sink)
    {
        if (error is ChildSchemaValidationError child && child.Errors.Count > 0)
        {
            foreach (var inner in child.Errors.SelectMany(e => e.Value))
            {
                Flatten(inner, file, root, sink);
            }

            return;
        }

        var path = string.IsNullOrEmpty(error.Path) ? "#" : error.Path;
        var what = error.Kind switch
        {
            ValidationErrorKind.PropertyRequired => $"missing required property '{error.Property}'",
            ValidationErrorKind.NoAdditionalPropertiesAllowed => $"unknown property '{error.Property}'",
            _ => $"{Describe(error.Kind)} ({error.Kind})",
        };
        var line = error.HasLineInfo ? error.LineNumber : 0;
        var column = error.HasLineInfo ? error.LinePosition : 0;
        sink.Add(new SeedError(file, line, column, $"{path}: {what}"));
    }

    private static string Describe(ValidationErrorKind kind)
    {
        var text = kind.ToString();
        var chars = new List<char>(text.Length + 8);
        foreach (var c in text)
        {
            if (char.IsUpper(c) && chars.Count > 0)
            {
                chars.Add(' ');
            }

            chars.Add(char.ToLowerInvariant(c));
        }

        return new string(chars.ToArray());
    }

    private static string StripLocation(string message)
    {
        var at = message.IndexOf(" Path '", StringComparison.Ordinal);
        if (at < 0)
        {
            at = message.IndexOf(", line ", StringComparison.Ordinal);
        }

        return at > 0 ? message[..at] : message;
    }
}
