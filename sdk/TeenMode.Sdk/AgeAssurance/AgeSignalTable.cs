using System.Diagnostics.CodeAnalysis;
using Newtonsoft.Json.Linq;
using TeenMode.Rules;

namespace TeenMode.AgeAssurance;

/// <summary>
/// Maps OS age signals (HarmonyOS minors' mode, Apple Declared Age Range, Google Play Age Signals) onto a rule pack's
/// bands, using the tables in <c>seeds/age-signals/os-age-signals.json</c>. Pure: no clock, no I/O after loading.
/// </summary>
public sealed class AgeSignalTable
{
    /// <summary>The seed's file name in <c>seeds/age-signals</c>.</summary>
    public const string DefaultFile = "os-age-signals.json";

    private const string Schema = "age-signals.schema.json";

    // Sanity bound on input ages, not a rule: anything above it is a client bug, reported as a field error.
    private const int MaxAge = 150;

    private static readonly Lazy<AgeSignalTable> Default = new(() =>
        Parse(SeedJson.ReadEmbedded("age-signals/" + DefaultFile), "seeds/age-signals/" + DefaultFile));

    private readonly Dictionary<string, AgeSignalSource> _sources;

    private AgeSignalTable(string id, string version, string bandsPack, IReadOnlyList<AgeSignalSource> sources)
    {
        Id = id;
        Version = version;
        BandsPack = bandsPack;
        Sources = sources;
        _sources = sources.ToDictionary(s => s.Id, StringComparer.Ordinal);
    }

    /// <summary>The table id.</summary>
    public string Id { get; }

    /// <summary>The table version.</summary>
    public string Version { get; }

    /// <summary>The rule pack the seed's documented <see cref="AgeSignalDefaultRange.Band"/> values refer to.</summary>
    public string BandsPack { get; }

    /// <summary>Every source, in seed order.</summary>
    public IReadOnlyList<AgeSignalSource> Sources { get; }

    /// <summary>The table shipped inside the SDK (parsed once).</summary>
    /// <exception cref="TeenModeConfigurationException">The shipped seed is invalid.</exception>
    public static AgeSignalTable LoadDefault() => Default.Value;

    /// <summary>Loads a table from a file.</summary>
    /// <exception cref="TeenModeConfigurationException">The file cannot be read or is invalid.</exception>
    public static AgeSignalTable Load(string path, RequirementCatalog? catalog = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new TeenModeConfigurationException([new SeedError(path, 0, 0, "cannot read age-signal table: " + ex.Message)]);
        }

        return Parse(text, path, catalog);
    }

    /// <summary>Parses a table from text.</summary>
    /// <exception cref="TeenModeConfigurationException">The table is invalid.</exception>
    public static AgeSignalTable Parse(string json, string file, RequirementCatalog? catalog = null)
    {
        catalog ??= RequirementCatalog.Default;
        var root = SeedJson.Parse(json, file, Schema);
        var errors = new List<SeedError>();
        var sources = new List<AgeSignalSource>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var token in (JArray)root["sources"]!)
        {
            var id = (string)token["id"]!;
            if (!ids.Add(id))
            {
                errors.Add(SeedJson.At(file, token["id"], $"sources[].id: source '{id}' is declared twice"));
            }

            catalog.CheckIds(file, token["requirementIds"], errors);
            var statuses = new List<AgeSignalStatus>();
            foreach (var s in (JArray)token["statuses"]!)
            {
                var status = (string)s["status"]!;
                if (statuses.Exists(x => x.Status == status))
                {
                    errors.Add(SeedJson.At(file, s["status"], $"sources[{id}].statuses: '{status}' is listed twice"));
                }

                statuses.Add(new AgeSignalStatus(status, (string?)s["apiName"], ParseTreatment((string)s["treatment"]!), Text(s["meaning"]!)));
            }

            var ranges = new List<AgeSignalDefaultRange>();
            foreach (var r in (JArray)token["defaultRanges"]!)
            {
                var lower = (int?)r["lower"];
                var upper = (int?)r["upper"];
                var band = (string)r["band"]!;
                if (band != "adult" && !AgeBand.TryParse(band, out _))
                {
                    errors.Add(SeedJson.At(file, r["band"], $"sources[{id}].defaultRanges: '{band}' is not a band id"));
                }

                ranges.Add(new AgeSignalDefaultRange(lower, upper, band));
            }

            var url = (string)token["document"]!["url"]!;
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
            {
                errors.Add(SeedJson.At(file, token["document"]!["url"], $"sources[{id}].document.url: not an absolute URL"));
            }

            sources.Add(new AgeSignalSource(
                id,
                Text(token["title"]!),
                (string)token["document"]!["name"]!,
                uri!,
                token["requirementIds"]!.Values<string>().Select(v => v!).ToArray(),
                (string)token["upperBound"]! == "inclusive",
                (string)token["lowerAbsent"]! == "required",
                (string)token["upperAbsent"]! == "required",
                statuses,
                ranges));
        }

        if (errors.Count > 0)
        {
            throw new TeenModeConfigurationException(errors.OrderBy(e => e.Line).ThenBy(e => e.Column).ToList());
        }

        return new AgeSignalTable((string)root["id"]!, (string)root["version"]!, (string)root["bandsPack"]!, sources);
    }

    /// <summary>The source <paramref name="id"/>, or null.</summary>
    public AgeSignalSource? Source(string id) => _sources.GetValueOrDefault(id);

    /// <summary>Maps a signal that is known to be valid.</summary>
    /// <exception cref="ArgumentException">The signal is invalid; the message names the field. Use <see cref="TryMap"/> for client input.</exception>
    public AgeSignalMapping Map(AgeSignal signal, RulePack pack) =>
        TryMap(signal, pack, out var mapping, out var error)
            ? mapping
            : throw new ArgumentException(error.ToString(), nameof(signal));

    /// <summary>
    /// Maps <paramref name="signal"/> onto <paramref name="pack"/>. The range is normalised to [lower, upperExclusive);
    /// a lower age at or over the pack's adult age is <see cref="AgeSignalTreatment.Adult"/>; otherwise the band is the
    /// pack band containing the lower age, so a range straddling a band boundary takes the younger, more protective band.
    /// Invalid input gives false and the field at fault (for a 400), never an exception.
    /// </summary>
    public bool TryMap(AgeSignal signal, RulePack pack, [NotNullWhen(true)] out AgeSignalMapping? mapping, [NotNullWhen(false)] out AgeSignalFieldError? error)
    {
        ArgumentNullException.ThrowIfNull(signal);
        ArgumentNullException.ThrowIfNull(pack);
        mapping = null;
        var source = signal.Source is null ? null : Source(signal.Source);
        if (source is null)
        {
            error = Error("source",
                $"未知的年龄信号来源，可选：{string.Join("、", _sources.Keys)}",
                $"unknown age-signal source; expected one of {string.Join(", ", _sources.Keys)}");
            return false;
        }

        var status = FindStatus(source, signal.Status);
        if (status is null)
        {
            var known = string.Join(", ", source.Statuses.Select(s => s.Status));
            error = Error("status", $"来源 {source.Id} 没有该状态，可选：{known}", $"unknown status for source {source.Id}; expected one of {known}");
            return false;
        }

        if ((CheckAge(signal.LowerAge, "lowerAge") ?? CheckAge(signal.UpperAge, "upperAge")) is { } ageError)
        {
            error = ageError;
            return false;
        }

        int? upperExclusive = signal.UpperAge is { } upper ? (source.UpperInclusive ? upper + 1 : upper) : null;
        if (signal.LowerAge is { } givenLower && upperExclusive <= givenLower)
        {
            error = source.UpperInclusive
                ? Error("upperAge", "不能小于 lowerAge", "must not be less than lowerAge")
                : Error("upperAge", "必须大于 lowerAge（上限不含）", "must be greater than lowerAge (the upper bound is exclusive)");
            return false;
        }

        var ids = source.RequirementIds;
        switch (status.Treatment)
        {
            case AgeSignalStatusTreatment.None:
                mapping = new AgeSignalMapping(AgeSignalTreatment.None, null, ReasonCode.Allowed, ids);
                break;
            case AgeSignalStatusTreatment.Declined:
                mapping = new AgeSignalMapping(AgeSignalTreatment.Declined, pack.MostProtective.Band, ReasonCode.AgeSignalDeclined, ids);
                break;
            case AgeSignalStatusTreatment.Adult:
                mapping = new AgeSignalMapping(AgeSignalTreatment.Adult, null, ReasonCode.AgeSignalAdult, ids);
                break;
            default:
                if (signal.LowerAge is null && source.LowerRequired)
                {
                    error = Error("lowerAge", $"状态 {status.Status} 必须提供", $"is required for status {status.Status}");
                    return false;
                }

                if (signal.UpperAge is null && source.UpperRequired)
                {
                    error = Error("upperAge", $"状态 {status.Status} 必须提供", $"is required for status {status.Status}");
                    return false;
                }

                // Only the lower bound decides: the youngest age the user may be is the one to protect.
                var lower = signal.LowerAge ?? 0;
                var adultAge = pack.Bands[^1].Band.ToAge;
                mapping = lower >= adultAge
                    ? new AgeSignalMapping(AgeSignalTreatment.Adult, null, ReasonCode.AgeSignalAdult, ids)
                    : new AgeSignalMapping(AgeSignalTreatment.Band, pack.ForAge(lower)!.Band, ReasonCode.Allowed, ids);
                break;
        }

        error = null;
        return true;
    }

    private static AgeSignalStatus? FindStatus(AgeSignalSource source, string? status)
    {
        if (string.IsNullOrEmpty(status) || status.Length > 64)
        {
            return null;
        }

        // Accept the OS spelling too (SUPERVISED_APPROVAL_PENDING): case-insensitive, '_' reads as '-'.
        Span<char> normal = stackalloc char[status.Length];
        for (var i = 0; i < status.Length; i++)
        {
            normal[i] = status[i] == '_' ? '-' : char.ToLowerInvariant(status[i]);
        }

        foreach (var s in source.Statuses)
        {
            if (normal.SequenceEqual(s.Status))
            {
                return s;
            }
        }

        return null;
    }

    private static AgeSignalFieldError? CheckAge(int? age, string field) => age switch
    {
        < 0 => Error(field, "不能为负数", "must not be negative"),
        > MaxAge => Error(field, $"不能大于 {MaxAge}", $"must be at most {MaxAge}"),
        _ => null,
    };

    private static AgeSignalFieldError Error(string field, string zhCn, string en) => new(field, new LocalizedText(zhCn, en));

    private static AgeSignalStatusTreatment ParseTreatment(string text) => text switch
    {
        "range" => AgeSignalStatusTreatment.Range,
        "adult" => AgeSignalStatusTreatment.Adult,
        "declined" => AgeSignalStatusTreatment.Declined,
        _ => AgeSignalStatusTreatment.None,
    };

    private static LocalizedText Text(JToken token) => new((string)token["zh-CN"]!, (string)token["en"]!);
}
