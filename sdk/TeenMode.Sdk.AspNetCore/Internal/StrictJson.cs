using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace TeenMode.AspNetCore.Internal;

/// <summary>
/// The strict syntax pass every request body goes through before it is read: RFC 8259 JSON in valid UTF-8, one value,
/// no duplicate property names, no lone UTF-16 surrogates in any string.
/// </summary>
internal static class StrictJson
{
    /// <summary>The deepest nesting accepted; TeenMode bodies are two or three levels deep.</summary>
    public const int MaxDepth = 32;

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Returns the decoded text, or the problem (<c>invalid-json</c> or <c>invalid-request</c>) that explains why it is refused.</summary>
    public static (string? Text, IResult? Problem) Check(ReadOnlySpan<byte> bytes)
    {
        // A UTF-8 byte-order mark is harmless; anything else that is not UTF-8 is refused, never replaced by U+FFFD.
        if (bytes.StartsWith("\uFEFF"u8))
        {
            bytes = bytes[3..];
        }

        string text;
        try
        {
            text = Utf8.GetString(bytes);
        }
        catch (DecoderFallbackException ex)
        {
            return (null, Json.MalformedJson(string.Create(CultureInfo.InvariantCulture, $"The body is not valid UTF-8 (near byte {Math.Max(0, ex.Index)}).")));
        }

        var surrogates = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var frames = new List<Frame>();
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { MaxDepth = MaxDepth, CommentHandling = JsonCommentHandling.Disallow, AllowTrailingCommas = false });
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                    case JsonTokenType.StartArray:
                        NextElement(frames);
                        frames.Add(new Frame(reader.TokenType == JsonTokenType.StartArray));
                        break;
                    case JsonTokenType.EndObject:
                    case JsonTokenType.EndArray:
                        frames.RemoveAt(frames.Count - 1);
                        break;
                    case JsonTokenType.PropertyName:
                        var top = frames[^1];
                        if (!TryGetString(ref reader, out var name))
                        {
                            // The escaped text as sent is the only faithful way to name such a key.
                            top.Property = Encoding.UTF8.GetString(reader.ValueSpan);
                            surrogates[PathOf(frames)] = ["property name holds a lone UTF-16 surrogate / 属性名含有不成对的 UTF-16 代理项"];
                        }
                        else if (!top.Names!.Add(name))
                        {
                            top.Property = name;
                            var path = PathOf(frames);
                            return (null, Json.Problem(StatusCodes.Status400BadRequest, "invalid-json", "JSON 含有重复的属性名", "Duplicate property name in the JSON",
                                $"Property '{path}' appears more than once; send each property once.",
                                new Dictionary<string, string[]> { [path] = ["appears more than once / 重复出现"] }));
                        }
                        else
                        {
                            top.Property = name;
                        }

                        break;
                    case JsonTokenType.String:
                        NextElement(frames);
                        if (!TryGetString(ref reader, out _))
                        {
                            surrogates[PathOf(frames)] = ["holds a lone UTF-16 surrogate / 含有不成对的 UTF-16 代理项"];
                        }

                        break;
                    default:
                        NextElement(frames);
                        break;
                }
            }
        }
        catch (JsonException ex)
        {
            return (null, Json.MalformedJson(string.Create(CultureInfo.InvariantCulture,
                $"Malformed JSON at line {(ex.LineNumber ?? 0) + 1}, column {(ex.BytePositionInLine ?? 0) + 1}: {Reason(ex)}")));
        }

        return surrogates.Count > 0 ? (null, Json.Invalid(surrogates)) : (text, null);
    }

    private static bool TryGetString(ref Utf8JsonReader reader, out string value)
    {
        try
        {
            value = reader.GetString()!;
            return true;
        }
        catch (InvalidOperationException)
        {
            // System.Text.Json refuses an escaped lone surrogate (e.g. "\ud800") when unescaping.
            value = string.Empty;
            return false;
        }
    }

    private static void NextElement(List<Frame> frames)
    {
        if (frames.Count > 0 && frames[^1].IsArray)
        {
            frames[^1].Index++;
        }
    }

    private static string PathOf(List<Frame> frames)
    {
        var path = new StringBuilder();
        foreach (var frame in frames)
        {
            if (frame.IsArray)
            {
                path.Append(CultureInfo.InvariantCulture, $"[{frame.Index}]");
            }
            else if (frame.Property is not null)
            {
                path.Append(path.Length > 0 ? "." : string.Empty).Append(frame.Property);
            }
        }

        return path.Length > 0 ? path.ToString() : "$";
    }

    // The reader's message says what was wrong at that place (and names no request data beyond one character).
    private static string Reason(JsonException ex)
    {
        var message = ex.Message;
        var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }

    private sealed class Frame(bool isArray)
    {
        public bool IsArray { get; } = isArray;

        public int Index { get; set; } = -1;

        public string? Property { get; set; }

        public HashSet<string>? Names { get; } = isArray ? null : new(StringComparer.Ordinal);
    }
}
