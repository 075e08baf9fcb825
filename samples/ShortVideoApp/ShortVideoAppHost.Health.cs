using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using TeenMode.Health;

namespace ShortVideoApp;

/// <summary>The sample's probes: <c>/healthz</c> (live: the process answers, no store work) and <c>/readyz</c> (ready: store, rule packs, outbox).</summary>
public static partial class ShortVideoAppHost
{
    /// <summary>The liveness probe's path.</summary>
    public const string LivePath = "/healthz";

    /// <summary>The readiness probe's path.</summary>
    public const string ReadyPath = "/readyz";

    private static void ConfigureHealth(WebApplicationBuilder builder) => builder.Services.AddHealthChecks().AddTeenModeHealthChecks();

    private static void MapHealth(WebApplication app)
    {
        // Healthy and Degraded answer 200, Unhealthy 503 (the framework's defaults): a degraded outbox keeps the instance in rotation.
        app.MapHealthChecks(LivePath, new HealthCheckOptions { Predicate = r => r.Tags.Contains(TeenModeHealthChecksBuilderExtensions.LiveTag), ResponseWriter = WriteHealthAsync });
        app.MapHealthChecks(ReadyPath, new HealthCheckOptions { Predicate = r => r.Tags.Contains(TeenModeHealthChecksBuilderExtensions.ReadyTag), ResponseWriter = WriteHealthAsync });
    }

    // Status, fixed descriptions and counts per check: never the exception (it may name a file, a host or a value).
    private static async Task WriteHealthAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        // Written to memory first: the JSON writer flushes synchronously, which Kestrel refuses.
        using var buffer = new MemoryStream();
        await using var json = new Utf8JsonWriter(buffer);
        json.WriteStartObject();
        json.WriteString("status", report.Status.ToString());
        json.WriteNumber("durationMs", Math.Round(report.TotalDuration.TotalMilliseconds, 1));
        json.WriteStartObject("checks");
        foreach (var (name, entry) in report.Entries)
        {
            json.WriteStartObject(name);
            json.WriteString("status", entry.Status.ToString());
            json.WriteString("description", entry.Exception is null ? entry.Description : "检查失败 / check failed");
            json.WriteNumber("durationMs", Math.Round(entry.Duration.TotalMilliseconds, 1));
            if (entry.Data.Count > 0)
            {
                json.WriteStartObject("data");
                foreach (var (key, value) in entry.Data)
                {
                    switch (value)
                    {
                        case int n:
                            json.WriteNumber(key, n);
                            break;
                        case long n:
                            json.WriteNumber(key, n);
                            break;
                        default:
                            json.WriteString(key, Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture));
                            break;
                    }
                }

                json.WriteEndObject();
            }

            json.WriteEndObject();
        }

        json.WriteEndObject();
        json.WriteEndObject();
        await json.FlushAsync(context.RequestAborted);
        buffer.Position = 0;
        await buffer.CopyToAsync(context.Response.Body, context.RequestAborted);
    }
}
