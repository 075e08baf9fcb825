using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using TeenMode.AntiAddiction;
using TeenMode.AspNetCore.Internal;

namespace TeenMode.AspNetCore;

/// <summary>The online-game endpoints (issue 3): may a minor play now, and game top-ups against the NPPA caps.</summary>
internal static partial class TeenModeGameEndpoints
{
    public static void MapGames(RouteGroupBuilder api)
    {
        api.MapGet("/subjects/{subjectId}/games/play", async (string subjectId, IGameGate gate, CancellationToken ct) =>
        {
            var decision = await gate.CheckPlayAsync(subjectId, ct);
            return decision.Reason == ReasonCode.UnknownSubject ? Json.UnknownSubject() : Json.Ok(Dto.Of(decision));
        }).WithTags("games").Answers(200, 404);
        api.MapPost("/subjects/{subjectId}/games/top-ups", TopUpAsync).Body<GameTopUpBody>().WithTags("games").Answers(200, 403, 404, 409);
    }

    // Money travels as text ("50.00"), never as a JSON number, so no binary float ever touches it.
    [GeneratedRegex(@"^(0|[1-9][0-9]{0,8})(\.[0-9]{1,2})?$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 100)]
    private static partial Regex MoneyText();

    private static async Task<IResult> TopUpAsync(string subjectId, HttpRequest request, IGameGate gate, CancellationToken ct)
    {
        var (body, problem) = await Json.ReadObjectAsync(request);
        if (problem is not null)
        {
            return problem;
        }

        var f = new FieldReader(body!);
        var company = f.String("gameCompanyId", maxLength: 128);
        var amountText = f.String("amount", maxLength: 16);
        decimal amount = 0;
        if (amountText is not null)
        {
            if (!MoneyText().IsMatch(amountText) || (amount = decimal.Parse(amountText, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture)) <= 0)
            {
                f.Add("amount", "must be a positive amount as text with at most two decimals, e.g. \"50.00\" / 金额须为正数文本，最多两位小数，如 \"50.00\"");
            }
        }

        // Optional, but a client that may retry a payment should send one: the retry is then counted once.
        var key = request.Headers["Idempotency-Key"].ToString();
        if (key.Length > 200)
        {
            f.Add("Idempotency-Key", "header must be at most 200 characters / Idempotency-Key 请求头最多 200 个字符");
        }

        if (!f.Ok)
        {
            return Json.Invalid(f.Errors);
        }

        var result = await gate.TopUpAsync(new GameTopUp(subjectId, company!, amount, key.Length == 0 ? null : key), ct);
        if (result.Decision.Reason == ReasonCode.IdempotencyKeyReused)
        {
            return Json.Problem(StatusCodes.Status409Conflict, ReasonCode.IdempotencyKeyReused.Value, "幂等键已用于另一笔充值", "The idempotency key was used for another top-up",
                "Use a new Idempotency-Key for a new payment; nothing was counted.");
        }

        if (result.Replayed)
        {
            request.HttpContext.Response.Headers["Idempotent-Replayed"] = "true";
        }

        if (result.Decision.Reason == ReasonCode.UnknownSubject)
        {
            return Json.UnknownSubject();
        }

        var d = result.Decision;
        return Json.Ok(new
        {
            outcome = WireNames.Of(d.Outcome),
            allowed = d.IsAllowed,
            reasonCode = d.Reason.Value,
            requirementIds = d.RequirementIds,
            month = result.Month,
            monthTotal = Money(result.MonthTotal),
            monthlyCap = Money(result.MonthlyCap),
        });
    }

    private static string? Money(decimal? value) => value?.ToString("0.00", CultureInfo.InvariantCulture);

}
