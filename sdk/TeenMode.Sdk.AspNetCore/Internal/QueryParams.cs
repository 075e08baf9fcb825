using System.Globalization;

namespace TeenMode.AspNetCore.Internal;

/// <summary>
/// Query parameters are bound as strings and parsed here, so a malformed value (<c>limit=abc</c>, <c>limit=99999999999</c>)
/// is a 400 <c>invalid-request</c> naming the parameter instead of a framework binding failure.
/// </summary>
internal static class QueryParams
{
    /// <summary>An optional integer (null when absent or empty); adds the error for <paramref name="name"/> when it is not one in range.</summary>
    public static int? Int(string? text, string name, int min, int max, IDictionary<string, string[]> errors)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        if (text.Length <= 11 && int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return value;
        }

        errors[name] = [string.Create(CultureInfo.InvariantCulture, $"must be an integer between {min} and {max} / 须为 {min} 至 {max} 之间的整数")];
        return null;
    }

    /// <summary>An optional boolean <c>true</c> or <c>false</c> (null when absent or empty).</summary>
    public static bool? Bool(string? text, string name, IDictionary<string, string[]> errors)
    {
        switch (text)
        {
            case null or "":
                return null;
            case "true":
                return true;
            case "false":
                return false;
            default:
                errors[name] = ["must be true or false / 须为 true 或 false"];
                return null;
        }
    }
}
