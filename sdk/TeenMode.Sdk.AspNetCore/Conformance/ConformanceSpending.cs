using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using TeenMode.Spending;

namespace TeenMode.AspNetCore.Conformance;

// The conformance driver's refund part (issue 3): the harness decides refund requests as the platform's staff would.
internal static class ConformanceSpending
{
    /// <summary>The staff id the driver decides as.</summary>
    public const string ConformanceRefundReviewer = "conformance-refund-reviewer";

    public static void Map(RouteGroupBuilder group) =>
        group.MapPost("/refund-requests/{refundId}/decide", (string refundId, string? decision, HttpRequest request, IRefundDesk desk, CancellationToken ct) =>
            decision is "approve" or "refuse"
                ? TeenModeSpendingEndpoints.DecideAsync(request, refundId, decision == "approve", actorFromBody: false, desk, ct, ConformanceRefundReviewer)
                : Task.FromResult(Internal.Json.Invalid(new Dictionary<string, string[]> { ["decision"] = ["must be approve or refuse / 须为 approve 或 refuse"] })));
}
