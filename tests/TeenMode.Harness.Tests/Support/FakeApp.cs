using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Newtonsoft.Json.Linq;

namespace TeenMode.Harness.Tests.Support;

/// <summary>
/// A tiny app that speaks just enough of the TeenMode HTTP API for the end-to-end tests. It enforces
/// usage correctly (daytime allowed) but is not idempotent for reports, and offers no content setup.
/// </summary>
internal sealed class FakeApp : IAsyncDisposable
{
    public const string Key = "fake-conformance-key-0123456789abcdef";

    private readonly WebApplication _app;

    private FakeApp(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    /// <summary>How many requests reached <c>POST /slow</c>.</summary>
    public static int SlowCalls => Volatile.Read(ref _slowCalls);

    private static int _slowCalls;

    public static async Task<FakeApp> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var counter = 0;

        app.MapGet("/teenmode/conformance/v1/info", (HttpRequest r) =>
            r.Headers["X-TeenMode-Conformance-Key"] == Key
                ? Json(200, new JObject { ["driver"] = "fake", ["capabilities"] = new JArray("subject-setup", "virtual-clock", "guardian", "reporting"), ["echo"] = Key })
                : Json(401, new JObject { ["reasonCode"] = "conformance-key-required" }, "application/problem+json"));
        app.MapPut("/teenmode/conformance/v1/clock", () => Json(200, new JObject { ["local"] = "2026-03-04T10:00:00" }));
        app.MapPost("/teenmode/conformance/v1/subjects", () =>
            Json(201, new JObject { ["subjectId"] = "fake-" + Interlocked.Increment(ref counter), ["band"] = "12-16" }));
        app.MapPost("/teenmode/v1/subjects/{id}/guardians", () => Json(201, new JObject { ["allowed"] = true, ["reasonCode"] = "allowed" }));
        app.MapPost("/teenmode/v1/subjects/{id}/teen-mode/exit", () =>
            Json(403, new JObject { ["status"] = 403, ["reasonCode"] = "guardian-verification-failed" }, "application/problem+json"));
        app.MapGet("/teenmode/v1/subjects/{id}/usage", () => Json(200, new JObject { ["allowed"] = true, ["outcome"] = "allow", ["reasonCode"] = "allowed" }));
        app.MapPost("/teenmode/v1/reports", () =>
            Json(201, new JObject { ["reportId"] = "r-" + Interlocked.Increment(ref counter), ["status"] = "received" }));
        app.MapPost("/slow", async (HttpContext http) =>
        {
            Interlocked.Increment(ref _slowCalls);
            await Task.Delay(TimeSpan.FromSeconds(10), http.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
            return Json(200, new JObject());
        });
        app.MapGet("/plain", () => Results.Text("<html>not json</html>", "text/html"));

        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new FakeApp(app, new Uri(address + "/"));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static IResult Json(int status, JObject body, string contentType = "application/json") =>
        Results.Text(body.ToString(Newtonsoft.Json.Formatting.None), contentType, statusCode: status);
}
