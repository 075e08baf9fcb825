using System.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using TeenMode;
using TeenMode.Reporting;

namespace ShortVideoApp;

/// <summary>The sample's OpenTelemetry wiring: the TeenMode source and meters and ASP.NET Core; OTLP export only when configured.</summary>
public static partial class ShortVideoAppHost
{
    private static void ConfigureTelemetry(WebApplicationBuilder builder, ShortVideoAppOptions options)
    {
        var otel = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("ShortVideoApp"))
            .WithTracing(t => t
                .AddSource(TeenModeTelemetry.SourceName)
                .AddAspNetCoreInstrumentation(o => o.EnrichWithHttpResponse = (activity, _) => ToRouteOnly(activity)))
            .WithMetrics(m => m
                .AddMeter(TeenModeTelemetry.MeterName, ReportingMetrics.MeterName)
                .AddAspNetCoreInstrumentation());

        if (options.OtlpEndpoint is { } endpoint)
        {
            var protocol = string.Equals(options.OtlpProtocol, "http/protobuf", StringComparison.OrdinalIgnoreCase)
                ? OtlpExportProtocol.HttpProtobuf : OtlpExportProtocol.Grpc;
            otel.UseOtlpExporter(protocol, endpoint);
        }
    }

    // Paths name subjects, guardians and reports (/teenmode/v1/subjects/{subjectId}/...): a span keeps the route template
    // only, and no query string (it may carry a guardian or reader id).
    private static void ToRouteOnly(Activity activity)
    {
        activity.SetTag("url.path", activity.GetTagItem("http.route") as string ?? "(unmatched)");
        activity.SetTag("url.query", null);
    }
}
