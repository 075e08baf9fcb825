using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Newtonsoft.Json.Linq;
using TeenMode.AspNetCore.Internal;
using TeenMode.ContentPool;

namespace TeenMode.AspNetCore;

/// <summary>The content-pool endpoints: hot list, placements and richness (app API), import, export and rating (admin API).</summary>
public static class TeenModeContentEndpoints
{
    /// <summary>The default prefix of the content admin API.</summary>
    public const string DefaultAdminPrefix = TeenModeEndpointRouteBuilderExtensions.DefaultPrefix + "/admin";

    /// <summary>Import files larger than this are refused.</summary>
    public const int MaxImportBytes = 64 * 1024 * 1024;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static readonly Dictionary<string, ContentPlacement> Placements = new(StringComparer.Ordinal)
    {
        ["home-first-screen"] = ContentPlacement.HomeFirstScreen,
        ["popup"] = ContentPlacement.Popup,
        ["hot-list"] = ContentPlacement.HotList,
    };

    /// <summary>
    /// Maps the content admin API: import (JSON or CSV), export and reviewer rating changes. These change what minors see:
    /// the group requires the policy <see cref="TeenModeAuthorizationOptions.ContentAdminPolicy"/> (default
    /// <see cref="TeenModePolicies.ContentAdmin"/>), which the app registers.
    /// </summary>
    /// <exception cref="TeenModeConfigurationException">The policy is not registered (default policy provider).</exception>
    public static RouteGroupBuilder MapTeenModeContentAdmin(this IEndpointRouteBuilder endpoints, string prefix = DefaultAdminPrefix)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var admin = endpoints.MapGroup(prefix).WithExceptionBoundary().WithTeenModeFailClosed().WithCommonProblems().RequireStaffPolicy(endpoints, o => o.ContentAdminPolicy, "content admin");
        admin.MapPost("/content/import", ImportAsync).Accepts<object>("application/json", "text/csv").WithTags("content").Answers(200, 401, 403).WithMetadata(new StoreFailureFilter.NoDeadline());
        admin.MapGet("/content/export", ExportAsync).WithTags("content").Answers(200, 401, 403).WithMetadata(new StoreFailureFilter.NoDeadline());
        admin.MapPut("/content/{itemId}/rating", ChangeRatingAsync).Body<ChangeRatingBody>().WithTags("content").Answers(200, 401, 403, 404);
        return admin;
    }

    internal static void MapContent(RouteGroupBuilder api)
    {
        api.MapGet("/subjects/{subjectId}/hot", HotListAsync).WithTags("content").Answers(200, 404);
        api.MapGet("/subjects/{subjectId}/content/{itemId}/placement/{placement}", PlacementAsync).WithTags("content").Answers(200, 404);
        api.MapGet("/content/richness", async (IContentCuration curation, CancellationToken ct) => Json.Ok(Of(await curation.GetRichnessAsync(ct)))).WithTags("content").Answers(200);
    }

    private static async Task<IResult> HotListAsync(string subjectId, string? limit, IContentPool pool, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var size = QueryParams.Int(limit, "limit", 1, 100, errors);
        if (errors.Count > 0)
        {
            return Json.Invalid(errors);
        }

        var page = await pool.GetHotListAsync(subjectId, size ?? 20, ct);
        return page is null ? Json.UnknownSubject() : Json.Ok(new { items = page.Items.Select(Dto.Of) });
    }

    private static async Task<IResult> PlacementAsync(string subjectId, string itemId, string placement, IContentPool pool, CancellationToken ct)
    {
        if (!Placements.TryGetValue(placement, out var where))
        {
            return Json.Invalid(new Dictionary<string, string[]> { ["placement"] = [$"must be one of {string.Join(", ", Placements.Keys)} / 位置无效"] });
        }

        var decision = await pool.CheckPlacementAsync(subjectId, itemId, where, ct);
        return decision.Reason == ReasonCode.UnknownSubject ? Json.UnknownSubject() : Json.Ok(Dto.Of(decision));
    }

    private static async Task<IResult> ImportAsync(HttpRequest request, string? format, string? partial, string? reviewerId, IContentCuration curation, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var allowPartial = QueryParams.Bool(partial, "partial", errors) ?? false;
        var fileFormat = ParseFormat(format ?? (request.ContentType?.Contains("csv", StringComparison.OrdinalIgnoreCase) == true ? "csv" : "json"), errors);
        if (string.IsNullOrWhiteSpace(reviewerId) || reviewerId.Length > 128)
        {
            errors["reviewerId"] = ["is required (1 to 128 characters) / 必须提供审核人"];
        }

        if (request.ContentLength is > MaxImportBytes)
        {
            return TooLarge();
        }

        if (errors.Count > 0)
        {
            return Json.Invalid(errors);
        }

        // Read at most the limit, whatever Content-Length claims.
        var buffer = new MemoryStream();
        await using (buffer.ConfigureAwait(false))
        {
            var chunk = new byte[81920];
            int read;
            while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
            {
                if (buffer.Length + read > MaxImportBytes)
                {
                    return TooLarge();
                }

                buffer.Write(chunk, 0, read);
            }

            string text;
            try
            {
                text = StrictUtf8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
            }
            catch (DecoderFallbackException)
            {
                // Never import a title with U+FFFD where the file had bytes that are not UTF-8.
                return Json.Problem(StatusCodes.Status400BadRequest, "invalid-import", "导入文件不是有效的 UTF-8", "The import file is not valid UTF-8",
                    "Nothing was imported; save the file as UTF-8.");
            }

            var result = await curation.ImportAsync(reviewerId!, text, fileFormat!.Value, allowPartial, ct);
            if (!result.Ok && result.Stored == 0)
            {
                return Json.Problem(StatusCodes.Status400BadRequest, "invalid-import", "导入文件有误，未导入任何内容", "The import file has errors; nothing was imported",
                    string.Create(CultureInfo.InvariantCulture, $"{result.Errors.Count} problem(s); see 'errors' (key: line and field). The catalog is unchanged."),
                    ErrorsByLineAndField(result.Errors));
            }

            return Json.Ok(new
            {
                stored = result.Stored,
                rejected = result.Errors.Select(e => new { line = e.Line, field = e.Field, message = e.Message }),
            });
        }
    }

    private static async Task<IResult> ExportAsync(string? format, IContentCuration curation, HttpContext context, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var fileFormat = ParseFormat(format ?? "json", errors);
        if (fileFormat is null)
        {
            return Json.Invalid(errors);
        }

        context.Response.ContentType = fileFormat == ContentFileFormat.Csv ? "text/csv; charset=utf-8" : "application/json; charset=utf-8";
        var writer = new StreamWriter(context.Response.Body, new UTF8Encoding(false));
        await using (writer.ConfigureAwait(false))
        {
            await curation.ExportAsync(writer, fileFormat.Value, ct);
            await writer.FlushAsync(ct);
        }

        return Results.Empty;
    }

    private static async Task<IResult> ChangeRatingAsync(string itemId, HttpRequest request, IContentCuration curation, CancellationToken ct)
    {
        var (body, problem) = await Json.ReadObjectAsync(request);
        if (problem is not null)
        {
            return problem;
        }

        var f = new FieldReader(body!);
        var reviewerId = f.String("reviewerId", maxLength: 128);
        var bands = f.Bands("bands");
        if (bands is null && !f.Errors.ContainsKey("bands"))
        {
            f.Add("bands", "is required (may be empty) / 必填（可为空数组）");
        }

        // A rating is stated whole: a missing flag must not silently clear may-affect or a topic label.
        var mayAffect = f.Boolean("mayAffectMinors");
        if (mayAffect is null && !f.Errors.ContainsKey("mayAffectMinors"))
        {
            f.Add("mayAffectMinors", "is required / 必填");
        }

        if (body!["flags"] is null)
        {
            f.Add("flags", "is required (may be empty) / 必填（可为空数组）");
        }

        var labels = Labels(body!, f);
        var reason = f.String("reason", required: false, maxLength: 200);
        if (!f.Ok)
        {
            return Json.Invalid(f.Errors);
        }

        var changed = await curation.ChangeRatingAsync(new RatingChange(reviewerId!, itemId, bands!, mayAffect!.Value, labels, reason), ct);
        return changed is null
            ? Json.Problem(StatusCodes.Status404NotFound, ReasonCode.ContentNotInPool.Value, "内容不存在", "No such content item")
            : Json.Ok(Dto.Of(changed));
    }

    /// <summary>Reads the optional <c>flags</c> array of wire names.</summary>
    internal static ContentLabels Labels(JObject body, FieldReader f)
    {
        var labels = ContentLabels.None;
        var token = body["flags"];
        if (token is null || token.Type == JTokenType.Null)
        {
            return labels;
        }

        if (token is not JArray array)
        {
            f.Add("flags", "must be an array of flag names / 必须是标记数组");
            return labels;
        }

        foreach (var item in array)
        {
            if (item.Type == JTokenType.String && ContentFile.TryParseFlag((string?)item, out var label))
            {
                labels |= label;
            }
            else
            {
                f.Add("flags", $"'{item}' is not a flag such as fan-fundraising / 标记无效");
            }
        }

        return labels;
    }

    private static ContentFileFormat? ParseFormat(string format, Dictionary<string, string[]> errors)
    {
        switch (format)
        {
            case "json":
                return ContentFileFormat.Json;
            case "csv":
                return ContentFileFormat.Csv;
            default:
                errors["format"] = ["must be json or csv / 格式须为 json 或 csv"];
                return null;
        }
    }

    private static Dictionary<string, string[]> ErrorsByLineAndField(IEnumerable<ContentImportError> errors) =>
        errors.GroupBy(e => string.Create(CultureInfo.InvariantCulture, $"line {e.Line}: {e.Field}"), StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray(), StringComparer.Ordinal);

    private static object Of(RichnessReport r) => new
    {
        rulePackId = r.RulePackId,
        assessed = r.Assessed,
        thresholds = r.Thresholds is { } t
            ? new
            {
                minItemsPerBand = new { value = t.MinItemsPerBand.Value, requirementIds = t.MinItemsPerBand.RequirementIds },
                minItemsPerCategory = new { value = t.MinItemsPerCategory.Value, requirementIds = t.MinItemsPerCategory.RequirementIds },
                minCategoriesPerBand = new { value = t.MinCategoriesPerBand.Value, requirementIds = t.MinCategoriesPerBand.RequirementIds },
            }
            : null,
        thinBands = r.ThinBands.Select(b => b.Id),
        bands = r.Bands.Select(b => new
        {
            band = b.Band.Id,
            items = b.Items,
            byCategory = b.ByCategory,
            coveredCategories = b.CoveredCategories,
            thin = b.Thin,
            reasons = b.Reasons,
        }),
        totalItems = r.TotalItems,
        generatedAt = r.GeneratedAt,
    };


    private static IResult TooLarge() => Json.Problem(StatusCodes.Status413PayloadTooLarge, "body-too-large", "导入文件过大", "The import file is too large",
        string.Create(CultureInfo.InvariantCulture, $"At most {MaxImportBytes} bytes are accepted."));
}
