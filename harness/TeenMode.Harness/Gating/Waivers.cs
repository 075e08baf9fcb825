using System.Globalization;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using TeenMode.Rules;

namespace TeenMode.Harness.Gating;

/// <summary>An accepted, time-limited exception: a failure of <see cref="CheckId"/> does not fail the gate until <see cref="Expires"/> has passed.</summary>
/// <param name="CheckId">The check (all its cases).</param>
/// <param name="Reason">Why it is accepted for now.</param>
/// <param name="Owner">Who answers for it.</param>
/// <param name="Expires">The last day (UTC) on which it applies.</param>
public sealed record Waiver(string CheckId, string Reason, string Owner, DateOnly Expires);

/// <summary>Reads a waivers file: <c>{ "waivers": [ { "checkId", "reason", "owner", "expires": "yyyy-MM-dd" } ] }</c>.</summary>
public static class WaiverLoader
{
    /// <summary>Loads and checks a waivers file.</summary>
    /// <exception cref="TeenModeConfigurationException">The file is unreadable or invalid; every problem names file, line and column.</exception>
    public static IReadOnlyList<Waiver> Load(string path) => Parse(Suites.SuiteLoader.ReadFile(path), path);

    /// <summary>Parses and checks waivers.</summary>
    /// <exception cref="TeenModeConfigurationException">The text is invalid; every problem names file, line and column.</exception>
    public static IReadOnlyList<Waiver> Parse(string json, string file)
    {
        ArgumentNullException.ThrowIfNull(json);
        JToken root;
        try
        {
            using var reader = new JsonTextReader(new StringReader(json)) { DateParseHandling = DateParseHandling.None };
            root = JToken.ReadFrom(reader, new JsonLoadSettings { LineInfoHandling = LineInfoHandling.Load });
        }
        catch (JsonReaderException ex)
        {
            throw new TeenModeConfigurationException([new SeedError(file, ex.LineNumber, ex.LinePosition, "JSON 语法错误 / JSON syntax error: " + ex.Message)]);
        }

        var errors = new List<SeedError>();
        var waivers = new List<Waiver>();
        if (root is not JObject { } obj || obj["waivers"] is not JArray list)
        {
            throw new TeenModeConfigurationException([SeedJson.At(file, root, "需要对象 {\"waivers\": [...]} / expected an object with a \"waivers\" array")]);
        }

        foreach (var item in list)
        {
            if (item is not JObject w)
            {
                errors.Add(SeedJson.At(file, item, "每项豁免须为对象 / each waiver must be an object"));
                continue;
            }

            var checkId = Text(w, "checkId");
            var reason = Text(w, "reason");
            var owner = Text(w, "owner");
            var expiresText = Text(w, "expires");
            var expires = default(DateOnly);
            if (expiresText is not null && !DateOnly.TryParseExact(expiresText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out expires))
            {
                errors.Add(SeedJson.At(file, w["expires"], $"'expires' 须为 yyyy-MM-dd 日期 / 'expires' must be a yyyy-MM-dd date, got '{expiresText}'"));
                continue;
            }

            if (checkId is null || reason is null || owner is null || expiresText is null)
            {
                continue;
            }

            waivers.Add(new Waiver(checkId, reason, owner, expires));

            string? Text(JObject o, string name)
            {
                if (o[name] is JValue { Type: JTokenType.String } v && ((string)v!).Trim().Length > 0)
                {
                    return (string)v!;
                }

                errors.Add(SeedJson.At(file, o[name] ?? o, $"'{name}' 为必填的非空字符串 / '{name}' is a required non-empty string"));
                return null;
            }
        }

        foreach (var dup in waivers.GroupBy(w => w.CheckId, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            errors.Add(new SeedError(file, 0, 0, $"检查 {dup.Key} 有多条豁免 / more than one waiver for check {dup.Key}"));
        }

        if (errors.Count > 0)
        {
            throw new TeenModeConfigurationException(errors);
        }

        return waivers;
    }
}
