using System.Globalization;
using System.Text;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace TeenMode.ContentPool;

/// <summary>The catalog file formats.</summary>
public enum ContentFileFormat
{
    /// <summary>The <c>seeds/content</c> JSON format: <c>{ "version": …, "items": [ … ] }</c>.</summary>
    Json,

    /// <summary>CSV with a header row: <c>id,title,category,bands,format,mayAffectMinors,flags,popularity</c>; lists are <c>;</c>-separated.</summary>
    Csv,
}

/// <summary>One problem in an import file.</summary>
/// <param name="Line">The 1-based line where the row (or the field) is.</param>
/// <param name="Field">The field, or <c>(file)</c> for the file as a whole.</param>
/// <param name="Message">Why it is wrong, zh-CN and English.</param>
public sealed record ContentImportError(int Line, string Field, string Message)
{
    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"line {Line}, field {Field}: {Message}");
}

/// <summary>What an import read and stored.</summary>
/// <param name="Items">The valid items read.</param>
/// <param name="Errors">Every problem found, in line order.</param>
/// <param name="Stored">How many items were stored (0 when errors stopped the import).</param>
public sealed record ContentImportResult(IReadOnlyList<ContentItem> Items, IReadOnlyList<ContentImportError> Errors, int Stored)
{
    /// <summary>True when the file had no error.</summary>
    public bool Ok => Errors.Count == 0;
}

/// <summary>Reads and writes catalog files (JSON and CSV) with row-level errors.</summary>
public static class ContentFile
{
    /// <summary>The CSV columns in order.</summary>
    public static IReadOnlyList<string> CsvColumns { get; } = ["id", "title", "category", "bands", "format", "mayAffectMinors", "flags", "popularity"];

    private const int MaxIdLength = 128;
    private const int MaxTitleLength = 200;
    private const string FileField = "(file)";

    private static readonly (ContentLabels Flag, string Name)[] FlagNames =
    [
        (ContentLabels.Advertisement, "advertisement"), (ContentLabels.ExternalLink, "external-link"),
        (ContentLabels.FanFundraising, "fan-fundraising"), (ContentLabels.VoteRanking, "vote-ranking"),
        (ContentLabels.TrafficManipulation, "traffic-manipulation"), (ContentLabels.AllowListed, "allow-listed"),
    ];

    /// <summary>The wire names of a flag set, in a fixed order.</summary>
    public static IReadOnlyList<string> FlagWireNames(ContentLabels flags) =>
        FlagNames.Where(f => (flags & f.Flag) != 0).Select(f => f.Name).ToList();

    /// <summary>Parses one flag wire name such as <c>fan-fundraising</c>.</summary>
    public static bool TryParseFlag(string? name, out ContentLabels flag)
    {
        foreach (var (f, n) in FlagNames)
        {
            if (string.Equals(n, name, StringComparison.Ordinal))
            {
                flag = f;
                return true;
            }
        }

        flag = ContentLabels.None;
        return false;
    }

    /// <summary>The wire name of a format: <c>video</c>, <c>audio</c>, <c>article</c>.</summary>
    public static string FormatWireName(ContentFormat format) => format switch
    {
        ContentFormat.Audio => "audio",
        ContentFormat.Article => "article",
        _ => "video",
    };

    /// <summary>Parses a format wire name.</summary>
    public static bool TryParseFormat(string? name, out ContentFormat format)
    {
        format = name switch
        {
            "video" => ContentFormat.Video,
            "audio" => ContentFormat.Audio,
            "article" => ContentFormat.Article,
            _ => (ContentFormat)(-1),
        };
        return Enum.IsDefined(format);
    }

    /// <summary>Reads every item of a file; invalid rows are left out and reported.</summary>
    /// <param name="text">The file.</param>
    /// <param name="format">JSON or CSV.</param>
    /// <param name="knownBands">When given, a band outside these (e.g. the rule pack's) is an error too.</param>
    public static (IReadOnlyList<ContentItem> Items, IReadOnlyList<ContentImportError> Errors) Read(string text, ContentFileFormat format, IReadOnlyCollection<AgeBand>? knownBands = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        var items = new List<ContentItem>();
        var errors = new List<ContentImportError>();
        var rows = format == ContentFileFormat.Csv ? CsvRows(text, errors) : JsonRows(text, errors);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            if (row.Build(errors, knownBands) is { } item)
            {
                if (seen.TryGetValue(item.Id, out var firstLine))
                {
                    errors.Add(new ContentImportError(row.Line("id"), "id", string.Create(CultureInfo.InvariantCulture,
                        $"重复的内容 id（首次出现在第 {firstLine} 行）/ duplicate id '{item.Id}' (first on line {firstLine})")));
                    continue;
                }

                seen[item.Id] = row.Line("id");
                items.Add(item);
            }
        }

        return (items, errors.OrderBy(e => e.Line).ToList());
    }

    /// <summary>Writes items as JSON or CSV.</summary>
    public static async Task WriteAsync(TextWriter writer, IAsyncEnumerable<ContentItem> items, ContentFileFormat format, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(items);
        if (format == ContentFileFormat.Csv)
        {
            await writer.WriteLineAsync(string.Join(',', CsvColumns)).ConfigureAwait(false);
            await foreach (var item in items.WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                var fields = new[]
                {
                    item.Id, item.Title, item.Category, string.Join(';', item.SuitableBands.Select(b => b.Id)), FormatWireName(item.Format),
                    item.MayAffectMinors ? "true" : "false", string.Join(';', FlagWireNames(item.Flags)), item.Popularity.ToString(CultureInfo.InvariantCulture),
                };
                await writer.WriteLineAsync(string.Join(',', fields.Select(CsvQuote))).ConfigureAwait(false);
            }

            return;
        }

        var json = new JsonTextWriter(writer) { Formatting = Formatting.Indented, CloseOutput = false };
        await using (json.ConfigureAwait(false))
        {
            await json.WriteStartObjectAsync(cancellationToken).ConfigureAwait(false);
            await json.WritePropertyNameAsync("version", cancellationToken).ConfigureAwait(false);
            await json.WriteValueAsync("export", cancellationToken).ConfigureAwait(false);
            await json.WritePropertyNameAsync("items", cancellationToken).ConfigureAwait(false);
            await json.WriteStartArrayAsync(cancellationToken).ConfigureAwait(false);
            await foreach (var item in items.WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                await ToJson(item).WriteToAsync(json, cancellationToken).ConfigureAwait(false);
            }

            await json.WriteEndArrayAsync(cancellationToken).ConfigureAwait(false);
            await json.WriteEndObjectAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>An item in the JSON file shape.</summary>
    public static JObject ToJson(ContentItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        return new JObject
        {
            ["id"] = item.Id,
            ["title"] = item.Title,
            ["category"] = item.Category,
            ["bands"] = new JArray(item.SuitableBands.Select(b => b.Id)),
            ["format"] = FormatWireName(item.Format),
            ["mayAffectMinors"] = item.MayAffectMinors,
            ["flags"] = new JArray(FlagWireNames(item.Flags)),
            ["popularity"] = item.Popularity,
        };
    }

    private static string CsvQuote(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;

    private static List<Row> JsonRows(string text, List<ContentImportError> errors)
    {
        var rows = new List<Row>();
        JToken root;
        try
        {
            using var reader = new JsonTextReader(new StringReader(text)) { DateParseHandling = DateParseHandling.None, MaxDepth = 64 };
            root = JToken.ReadFrom(reader, new JsonLoadSettings { LineInfoHandling = LineInfoHandling.Load, DuplicatePropertyNameHandling = DuplicatePropertyNameHandling.Error });

            // One document: anything after it is refused, never silently dropped.
            if (reader.Read())
            {
                errors.Add(new ContentImportError(Math.Max(reader.LineNumber, 1), FileField, "JSON 文档之后还有内容 / content after the JSON document"));
                return rows;
            }
        }
        catch (JsonReaderException ex)
        {
            errors.Add(new ContentImportError(Math.Max(ex.LineNumber, 1), FileField, "JSON 格式错误 / malformed JSON: " + ex.Message));
            return rows;
        }

        var array = root is JObject obj ? obj["items"] as JArray : root as JArray;
        if (array is null)
        {
            errors.Add(new ContentImportError(LineOf(root), "items", "缺少 items 数组 / expected an object with an \"items\" array"));
            return rows;
        }

        foreach (var token in array)
        {
            if (token is not JObject itemObject)
            {
                errors.Add(new ContentImportError(LineOf(token), "(item)", "每项须为 JSON 对象 / each item must be a JSON object"));
                continue;
            }

            var row = new Row(LineOf(itemObject));
            foreach (var property in itemObject.Properties())
            {
                var line = LineOf(property);
                switch (property.Name)
                {
                    case "bands" or "flags":
                        if (property.Value is JArray list && list.All(t => t.Type == JTokenType.String))
                        {
                            row.Set(property.Name, string.Join(';', list.Values<string>()), line);
                        }
                        else
                        {
                            row.Error(property.Name, line, "须为字符串数组 / must be an array of strings");
                        }

                        break;
                    case "mayAffectMinors":
                        if (property.Value.Type == JTokenType.Boolean)
                        {
                            row.Set(property.Name, (bool)property.Value ? "true" : "false", line);
                        }
                        else
                        {
                            row.Error(property.Name, line, "须为 true 或 false / must be true or false");
                        }

                        break;
                    case "popularity":
                        if (property.Value.Type == JTokenType.Integer)
                        {
                            row.Set(property.Name, property.Value.ToString(Formatting.None), line);
                        }
                        else
                        {
                            row.Error(property.Name, line, "须为整数 / must be an integer");
                        }

                        break;
                    case "id" or "title" or "category" or "format":
                        if (property.Value.Type == JTokenType.String)
                        {
                            row.Set(property.Name, (string)property.Value!, line);
                        }
                        else
                        {
                            row.Error(property.Name, line, "须为字符串 / must be a string");
                        }

                        break;
                    default:
                        row.Error(property.Name, line, "未知字段 / unknown field");
                        break;
                }
            }

            rows.Add(row);
        }

        return rows;
    }

    private static List<Row> CsvRows(string text, List<ContentImportError> errors)
    {
        var rows = new List<Row>();
        var records = CsvRecords(text, errors);
        if (records.Count == 0)
        {
            errors.Add(new ContentImportError(1, FileField, "缺少表头行 / the header row is missing"));
            return rows;
        }

        var (headerLine, header) = records[0];
        for (var i = 0; i < header.Count; i++)
        {
            if (!CsvColumns.Contains(header[i], StringComparer.Ordinal) || header.IndexOf(header[i]) != i)
            {
                errors.Add(new ContentImportError(headerLine, header[i], "未知或重复的列 / unknown or repeated column"));
            }
        }

        foreach (var required in new[] { "id", "title", "category", "bands" })
        {
            if (!header.Contains(required))
            {
                errors.Add(new ContentImportError(headerLine, required, "缺少必需的列 / required column is missing"));
            }
        }

        if (errors.Count > 0)
        {
            return rows;
        }

        foreach (var (line, fields) in records.Skip(1))
        {
            if (fields.Count == 1 && fields[0].Length == 0)
            {
                continue; // a blank line
            }

            var row = new Row(line);
            if (fields.Count != header.Count)
            {
                row.Error(FileField, line, string.Create(CultureInfo.InvariantCulture, $"应有 {header.Count} 个字段，实有 {fields.Count} 个 / expected {header.Count} fields, found {fields.Count}"));
            }
            else
            {
                for (var i = 0; i < header.Count; i++)
                {
                    // An empty optional cell means "default".
                    if (fields[i].Length > 0 || header[i] is "id" or "title" or "category" or "bands")
                    {
                        row.Set(header[i], fields[i], line);
                    }
                }
            }

            rows.Add(row);
        }

        return rows;
    }

    /// <summary>RFC 4180 records, each with the line it starts on; quoted fields may hold commas, quotes and line breaks.</summary>
    private static List<(int Line, List<string> Fields)> CsvRecords(string text, List<ContentImportError> errors)
    {
        var records = new List<(int, List<string>)>();
        var fields = new List<string>();
        var field = new StringBuilder();
        var line = 1;
        var recordLine = 1;
        var quoted = false;
        var i = text.Length > 0 && text[0] == '\uFEFF' ? 1 : 0;
        for (; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"')
                {
                    if (i + 1 < text.Length && text[i + 1] == '"')
                    {
                        field.Append('"');
                        i++;
                    }
                    else
                    {
                        quoted = false;
                    }
                }
                else
                {
                    line += c == '\n' ? 1 : 0;
                    field.Append(c);
                }
            }
            else if (c == '"' && field.Length == 0)
            {
                quoted = true;
            }
            else if (c == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else if (c is '\r' or '\n')
            {
                if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
                {
                    i++;
                }

                fields.Add(field.ToString());
                field.Clear();
                records.Add((recordLine, fields));
                fields = [];
                line++;
                recordLine = line;
            }
            else
            {
                field.Append(c);
            }
        }

        if (quoted)
        {
            errors.Add(new ContentImportError(recordLine, FileField, "引号未闭合 / a quoted field is not closed"));
        }

        if (field.Length > 0 || fields.Count > 0)
        {
            fields.Add(field.ToString());
            records.Add((recordLine, fields));
        }

        return records;
    }

    private static int LineOf(JToken token) => token is IJsonLineInfo info && info.HasLineInfo() ? info.LineNumber : 1;

    /// <summary>One row's raw fields with their lines; <see cref="Build"/> validates them all and reports each bad field.</summary>
    private sealed class Row(int line)
    {
        private readonly Dictionary<string, (string Value, int Line)> _fields = new(StringComparer.Ordinal);
        private readonly List<ContentImportError> _errors = [];

        public int Line(string field) => _fields.TryGetValue(field, out var f) ? f.Line : line;

        public void Set(string field, string value, int at) => _fields[field] = (value, at);

        public void Error(string field, int at, string message) => _errors.Add(new ContentImportError(at, field, message));

        public ContentItem? Build(List<ContentImportError> errors, IReadOnlyCollection<AgeBand>? knownBands)
        {
            var id = Text("id", MaxIdLength);
            if (id is not null && !IsValidId(id))
            {
                Error("id", Line("id"), "只能含字母、数字及 . _ -，且以字母或数字开头 / use letters, digits, '.', '_' or '-', starting with a letter or digit");
                id = null;
            }

            var title = Text("title", MaxTitleLength);
            var category = Text("category", 32);
            if (category is not null && !ContentCategories.IsKnown(category))
            {
                Error("category", Line("category"), $"未知分类 / unknown category '{category}'; use one of {string.Join(", ", ContentCategories.All)}");
                category = null;
            }

            var bands = new List<AgeBand>();
            if (!_fields.TryGetValue("bands", out var bandText))
            {
                Error("bands", line, "必填（可为空列表）/ is required (may be an empty list)");
            }
            else
            {
                foreach (var part in bandText.Value.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                {
                    if (AgeBand.TryParse(part, out var band) && band.ToAge <= 18)
                    {
                        if (knownBands is not null && !knownBands.Contains(band))
                        {
                            Error("bands", bandText.Line, $"不是规则包中的年龄段 / '{part}' is not a band of the rule pack ({string.Join(", ", knownBands.Select(b => b.Id))})");
                        }
                        else if (!bands.Contains(band))
                        {
                            bands.Add(band);
                        }
                    }
                    else
                    {
                        Error("bands", bandText.Line, $"年龄段无效 / '{part}' is not a band id such as 8-12");
                    }
                }
            }

            var format = ContentFormat.Video;
            if (_fields.TryGetValue("format", out var formatText) && !TryParseFormat(formatText.Value, out format))
            {
                Error("format", formatText.Line, $"须为 video、audio 或 article / '{formatText.Value}' must be video, audio or article");
            }

            var mayAffect = false;
            if (_fields.TryGetValue("mayAffectMinors", out var mayAffectText))
            {
                if (mayAffectText.Value is "true" or "false")
                {
                    mayAffect = mayAffectText.Value == "true";
                }
                else
                {
                    Error("mayAffectMinors", mayAffectText.Line, $"须为 true 或 false / '{mayAffectText.Value}' must be true or false");
                }
            }

            var flags = ContentLabels.None;
            if (_fields.TryGetValue("flags", out var flagText))
            {
                foreach (var part in flagText.Value.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                {
                    if (TryParseFlag(part, out var flag))
                    {
                        flags |= flag;
                    }
                    else
                    {
                        Error("flags", flagText.Line, $"未知标记 / unknown flag '{part}'; use {string.Join(", ", FlagNames.Select(f => f.Name))}");
                    }
                }
            }

            long popularity = 0;
            if (_fields.TryGetValue("popularity", out var popularityText)
                && (!long.TryParse(popularityText.Value, NumberStyles.None, CultureInfo.InvariantCulture, out popularity)))
            {
                Error("popularity", popularityText.Line, $"须为非负整数 / '{popularityText.Value}' must be a whole number of 0 or more");
            }

            errors.AddRange(_errors);
            return _errors.Count == 0 ? new ContentItem(id!, title!, category!, bands, mayAffect, flags, format, popularity) : null;
        }

        private string? Text(string field, int maxLength)
        {
            if (!_fields.TryGetValue(field, out var value) || string.IsNullOrWhiteSpace(value.Value))
            {
                Error(field, Line(field), "必填 / is required");
                return null;
            }

            if (value.Value.Length > maxLength)
            {
                Error(field, value.Line, string.Create(CultureInfo.InvariantCulture, $"过长 / must be at most {maxLength} characters"));
                return null;
            }

            return value.Value;
        }

        private static bool IsValidId(string id)
        {
            if (!char.IsAsciiLetterOrDigit(id[0]))
            {
                return false;
            }

            foreach (var c in id)
            {
                if (!char.IsAsciiLetterOrDigit(c) && c is not '.' and not '_' and not '-')
                {
                    return false;
                }
            }

            return true;
        }
    }
}
