using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Newtonsoft.Json.Linq;
using TeenMode.AspNetCore.Internal;
using TeenMode.ParentalControl;
using TeenMode.Rules;

namespace TeenMode.AspNetCore;

/// <summary>Guardians and guardian settings (issue 3): two-sided binding, unbinding, settings, feature checks.</summary>
internal static partial class TeenModeGuardianEndpoints
{
    public static void MapGuardians(RouteGroupBuilder api)
    {
        api.MapPost("/subjects/{subjectId}/guardian-binding-codes", StartBindingAsync).WithTags("guardians").Answers(201, 403, 404);
        api.MapPost("/subjects/{subjectId}/guardians", BindAsync).Body<BindGuardianBody>().WithTags("guardians").Answers(201, 403, 404, 409, 429);
        api.MapPost("/subjects/{subjectId}/guardians/{guardianId}/unbind", UnbindAsync).Body<GuardianProofBody>().WithTags("guardians").Answers(200, 403, 404, 429);
        api.MapGet("/subjects/{subjectId}/settings", async (string subjectId, IGuardianSettings settings, CancellationToken ct) =>
            await settings.GetEffectiveAsync(subjectId, ct) is { } effective ? Json.Ok(Of(effective)) : Json.UnknownSubject()).WithTags("guardians").Answers(200, 404);
        api.MapPatch("/subjects/{subjectId}/settings", UpdateSettingsAsync).Body<UpdateSettingsBody>().WithTags("guardians").Answers(200, 403, 404, 429);
        api.MapGet("/subjects/{subjectId}/features/{feature}", CheckFeatureAsync).WithTags("guardians").Answers(200, 404);
    }

    /// <summary>A denial as problem+json: 404 unknown subject, 429 locked out, 403 otherwise.</summary>
    internal static IResult Denied(Decision decision, DateTimeOffset now)
    {
        if (decision.Reason == ReasonCode.UnknownSubject)
        {
            return Json.UnknownSubject();
        }

        if (decision.Reason == ReasonCode.GuardianLockedOut && decision.Details.RetryAt is { } retryAt)
        {
            return Json.TooSoon(decision.Reason.Value, "验证失败次数过多，请稍后再试", "Too many failed verifications; try again later", retryAt, now);
        }

        return Json.Problem(StatusCodes.Status403Forbidden, decision.Reason.Value, "操作被拒绝", "The action was refused",
            $"Reason: {decision.Reason.Value}; requirements: {string.Join(", ", decision.RequirementIds)}.");
    }

    private static async Task<IResult> StartBindingAsync(string subjectId, IParentalControl control, TimeProvider time, CancellationToken ct)
    {
        var start = await control.StartGuardianBindingAsync(subjectId, ct);
        return start.Decision.IsAllowed
            ? Json.Ok(new { bindingCode = start.Code, expiresAt = start.ExpiresAt!.Value.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture) }, StatusCodes.Status201Created)
            : Denied(start.Decision, time.GetUtcNow());
    }

    private static async Task<IResult> BindAsync(string subjectId, HttpRequest request, IParentalControl control, TimeProvider time, CancellationToken ct)
    {
        var (body, problem) = await Json.ReadObjectAsync(request);
        if (problem is not null)
        {
            return problem;
        }

        var f = new FieldReader(body!);
        var guardianId = f.String("guardianId", maxLength: 128);
        var pin = f.String("pin", maxLength: 64);

        // Optional on the wire so that a missing code is refused like a wrong one (403 binding-code-invalid).
        var code = f.String("bindingCode", required: false, maxLength: 32);
        var existing = Credential(body!, f, "existingGuardianPin", "existingGuardianCredential");
        if (pin is not null && !PinHasher.IsWellFormed(pin))
        {
            f.Add("pin", "must be 4 to 16 digits / PIN 须为 4 至 16 位数字");
        }

        if (!f.Ok)
        {
            return Json.Invalid(f.Errors);
        }

        var decision = await control.BindGuardianAsync(subjectId, guardianId!, pin!, code, existing, ct);
        return decision.IsAllowed ? Json.Ok(Dto.Of(decision), StatusCodes.Status201Created) : Denied(decision, time.GetUtcNow());
    }

    private static async Task<IResult> UnbindAsync(string subjectId, string guardianId, HttpRequest request, IParentalControl control, TimeProvider time, CancellationToken ct)
    {
        var (body, problem) = await Json.ReadObjectAsync(request, optional: true);
        if (problem is not null)
        {
            return problem;
        }

        var f = new FieldReader(body!);
        var credential = Credential(body!, f, "guardianPin", "credential");
        if (!f.Ok)
        {
            return Json.Invalid(f.Errors);
        }

        var decision = await control.UnbindGuardianAsync(subjectId, guardianId, credential, ct);
        if (decision.Reason == ReasonCode.GuardianNotBound)
        {
            return Json.Problem(StatusCodes.Status404NotFound, decision.Reason.Value, "该监护人未绑定", "That guardian is not bound");
        }

        return decision.IsAllowed ? Json.Ok(Dto.Of(decision)) : Denied(decision, time.GetUtcNow());
    }

    private static async Task<IResult> CheckFeatureAsync(string subjectId, string feature, IFeatureGate gate, RulePack pack, CancellationToken ct)
    {
        if (pack.Guardian?.Features.ContainsKey(feature) != true)
        {
            var known = pack.Guardian?.Features.Keys ?? [];
            return Json.Problem(StatusCodes.Status404NotFound, ReasonCode.UnknownFeature.Value, "没有这项功能", "No such feature",
                $"Known features: {string.Join(", ", known.Order(StringComparer.Ordinal))}.");
        }

        var decision = await gate.CheckAsync(subjectId, feature, ct);
        return decision.Reason == ReasonCode.UnknownSubject ? Json.UnknownSubject() : Json.Ok(Dto.Of(decision));
    }

    [GeneratedRegex(@"^(0|[1-9][0-9]{0,8})(\.[0-9]{1,2})?$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 100)]
    private static partial Regex MoneyText();

    [GeneratedRegex(@"^([01][0-9]|2[0-3]):[0-5][0-9]$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 100)]
    private static partial Regex ClockText();

    private static async Task<IResult> UpdateSettingsAsync(string subjectId, HttpRequest request, IGuardianSettings settings, RulePack pack, TimeProvider time, CancellationToken ct)
    {
        var (body, problem) = await Json.ReadObjectAsync(request);
        if (problem is not null)
        {
            return problem;
        }

        var f = new FieldReader(body!);
        var credential = Credential(body!, f, "guardianPin", "credential");
        var changes = new List<Func<GuardianSettings, GuardianSettings>>();
        ReadChanges(body!, f, pack, changes);
        if (!f.Ok)
        {
            return Json.Invalid(f.Errors);
        }

        var result = await settings.UpdateAsync(subjectId, credential, current => changes.Aggregate(current, (s, change) => change(s)), ct);
        if (result.Decision.IsAllowed)
        {
            return Json.Ok(Of(result.Effective!));
        }

        if (result.Violation is { } v)
        {
            return Json.Problem(StatusCodes.Status422UnprocessableEntity, result.Decision.Reason.Value, "设置超出规则允许的范围，未作任何更改",
                "The setting is outside the rule pack's bounds; nothing was changed", $"{v.Message.En} / {v.Message.ZhCn}",
                new Dictionary<string, string[]> { [v.Field] = [$"{v.Message.En} / {v.Message.ZhCn}"] });
        }

        return Denied(result.Decision, time.GetUtcNow());
    }

    // Present with a value: set it; present as null: back to the pack default; absent: unchanged.
    private static void ReadChanges(JObject body, FieldReader f, RulePack pack, List<Func<GuardianSettings, GuardianSettings>> changes)
    {
        var categories = pack.Guardian?.AppCategories ?? [];
        var spendingCategories = pack.Spending?.Categories ?? categories;
        if (body.ContainsKey("dailyMinutes"))
        {
            var minutes = f.Integer("dailyMinutes", required: false, 0, 1440);
            changes.Add(s => s with { DailyMinutes = (int?)minutes });
        }

        if (body.ContainsKey("curfew"))
        {
            ClockWindow? window = null;
            if (body["curfew"] is JObject c)
            {
                var start = c["start"]?.Type == JTokenType.String ? (string)c["start"]! : null;
                var end = c["end"]?.Type == JTokenType.String ? (string)c["end"]! : null;
                if (start is null || end is null || !ClockText().IsMatch(start) || !ClockText().IsMatch(end))
                {
                    f.Add("curfew", "must be {\"start\": \"HH:mm\", \"end\": \"HH:mm\"} or null / 禁用时段格式应为 HH:mm");
                }
                else
                {
                    window = new ClockWindow(GuardianSettingsText.Clock(start), GuardianSettingsText.Clock(end));
                }
            }
            else if (body["curfew"]!.Type != JTokenType.Null)
            {
                f.Add("curfew", "must be an object with start and end, or null / 须为含 start、end 的对象或 null");
            }

            changes.Add(s => s with { Curfew = window });
        }

        if (body.ContainsKey("band"))
        {
            var text = f.String("band", required: false, maxLength: 8);
            AgeBand? band = null;
            if (text is not null)
            {
                if (AgeBand.TryParse(text, out var parsed))
                {
                    band = parsed;
                }
                else
                {
                    f.Add("band", "must be a band id such as \"8-12\", or null / 年龄段无效");
                }
            }

            changes.Add(s => s with { Band = band });
        }

        if (body.ContainsKey("exemptCategories"))
        {
            var list = new List<string>();
            if (body["exemptCategories"] is JArray array)
            {
                foreach (var item in array)
                {
                    var name = item.Type == JTokenType.String ? (string)item! : null;
                    if (name is null || !categories.Contains(name, StringComparer.Ordinal))
                    {
                        f.Add("exemptCategories", $"'{item}' is not one of {string.Join(", ", categories)} / 应用类别无效");
                    }
                    else if (!list.Contains(name, StringComparer.Ordinal))
                    {
                        list.Add(name);
                    }
                }
            }
            else if (body["exemptCategories"]!.Type != JTokenType.Null)
            {
                f.Add("exemptCategories", "must be an array of app categories, or null / 须为应用类别数组或 null");
            }

            changes.Add(s => s with { ExemptCategories = list });
        }

        if (body.ContainsKey("features"))
        {
            if (body["features"] is JObject features)
            {
                foreach (var p in features.Properties())
                {
                    if (pack.Guardian?.Features.ContainsKey(p.Name) != true)
                    {
                        f.Add("features." + p.Name, "is not a known feature / 没有这项功能");
                    }
                    else if (p.Value.Type is not (JTokenType.Boolean or JTokenType.Null))
                    {
                        f.Add("features." + p.Name, "must be true, false or null / 须为 true、false 或 null");
                    }
                    else
                    {
                        var name = p.Name;
                        bool? on = p.Value.Type == JTokenType.Null ? null : (bool)p.Value;
                        changes.Add(s =>
                        {
                            var next = new Dictionary<string, bool>(s.Features, StringComparer.Ordinal);
                            if (on is { } value)
                            {
                                next[name] = value;
                            }
                            else
                            {
                                next.Remove(name);
                            }

                            return s with { Features = next };
                        });
                    }
                }
            }
            else
            {
                f.Add("features", "must be an object of feature → true/false/null / 须为功能开关对象");
            }
        }

        if (body.ContainsKey("spendingCaps"))
        {
            if (body["spendingCaps"] is JObject caps)
            {
                foreach (var p in caps.Properties())
                {
                    var category = p.Name;
                    if (!spendingCategories.Contains(category, StringComparer.Ordinal))
                    {
                        f.Add("spendingCaps." + category, $"is not one of {string.Join(", ", spendingCategories)} / 消费类别无效");
                        continue;
                    }

                    GuardianSpendingCaps? value = null;
                    if (p.Value is JObject c)
                    {
                        value = new GuardianSpendingCaps(Money(c, "perTransaction", category, f), Money(c, "perDay", category, f), Money(c, "perMonth", category, f));
                    }
                    else if (p.Value.Type != JTokenType.Null)
                    {
                        f.Add("spendingCaps." + category, "must be {perTransaction, perDay, perMonth} or null / 须为上限对象或 null");
                        continue;
                    }

                    changes.Add(s =>
                    {
                        var next = new Dictionary<string, GuardianSpendingCaps>(s.SpendingCaps, StringComparer.Ordinal);
                        if (value is not null)
                        {
                            next[category] = value;
                        }
                        else
                        {
                            next.Remove(category);
                        }

                        return s with { SpendingCaps = next };
                    });
                }
            }
            else
            {
                f.Add("spendingCaps", "must be an object of app category → caps / 须为按应用类别的上限对象");
            }
        }
    }

    private static decimal? Money(JObject caps, string name, string category, FieldReader f)
    {
        var token = caps[name];
        if (token is null || token.Type == JTokenType.Null)
        {
            return null;
        }

        // Money travels as text ("50.00"), never as a JSON number.
        if (token.Type != JTokenType.String || !MoneyText().IsMatch((string)token!))
        {
            f.Add($"spendingCaps.{category}.{name}", "must be an amount as text with at most two decimals, e.g. \"50.00\", or null / 金额须为文本，最多两位小数");
            return null;
        }

        return decimal.Parse((string)token!, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
    }

    /// <summary>A PIN field, or a credential object {kind, proof}; null when neither is given.</summary>
    internal static GuardianCredential? Credential(JObject body, FieldReader f, string pinField, string credentialField)
    {
        var pin = f.String(pinField, required: false, maxLength: 64);
        if (body[credentialField] is JObject c)
        {
            var kind = c["kind"]?.Type == JTokenType.String ? (string)c["kind"]! : null;
            var proof = c["proof"]?.Type == JTokenType.String ? (string)c["proof"]! : null;
            if (kind is not { Length: > 0 and <= 32 } || proof is not { Length: > 0 and <= 4096 })
            {
                f.Add(credentialField, "must be {\"kind\": \"pin|face|…\", \"proof\": \"…\"} / 凭证格式无效");
                return null;
            }

            return new GuardianCredential(kind, proof);
        }

        if (body[credentialField] is { Type: not JTokenType.Null })
        {
            f.Add(credentialField, "must be an object {kind, proof} / 凭证须为对象");
        }

        return pin is null ? null : GuardianCredential.Pin(pin);
    }

    private static object Of(EffectiveSettings e) => new
    {
        subjectId = e.SubjectId,
        teenMode = e.TeenMode,
        band = e.Rules.Band.Id,
        dailyMinutes = e.Rules.DailyMinutes.Value,
        curfew = new { start = GuardianSettingsText.Clock(e.Rules.Curfew.Start), end = GuardianSettingsText.Clock(e.Rules.Curfew.End) },
        exemptCategories = e.ExemptCategories.Order(StringComparer.Ordinal),
        features = e.Features.OrderBy(p => p.Key, StringComparer.Ordinal).ToDictionary(p => p.Key, p => p.Value),
        spendingCaps = e.SpendingCaps.OrderBy(p => p.Key, StringComparer.Ordinal).ToDictionary(p => p.Key, p => new
        {
            perTransaction = MoneyText(p.Value.PerTransaction),
            perDay = MoneyText(p.Value.PerDay),
            perMonth = MoneyText(p.Value.PerMonth),
        }),
        version = e.Guardian.Version,
        updatedAt = e.Guardian.UpdatedAt,
        updatedBy = e.Guardian.UpdatedBy,
    };

    private static string? MoneyText(decimal? value) => value?.ToString("0.00", CultureInfo.InvariantCulture);


    private static class GuardianSettingsText
    {
        public static string Clock(TimeOnly t) => t.ToString("HH:mm", CultureInfo.InvariantCulture);

        public static TimeOnly Clock(string text) => TimeOnly.ParseExact(text, "HH:mm", CultureInfo.InvariantCulture);
    }
}
