using System.Net;
using System.Net.Sockets;
using TeenMode.Harness.Profiling;
using TeenMode.Harness.Suites;

namespace TeenMode.Harness.Tests.Support;

internal static class TestSuites
{
    /// <summary>Wraps checks (a JSON array body) into a suite document.</summary>
    public static string Document(string checks) => $$"""
        {
          "formatVersion": 2, "id": "test-suite",
          "version": "1",
          "title": { "zh-CN": "测试", "en": "Test" },
          "checks": [{{checks}}]
        }
        """;

    public static Suite Parse(string checks) => SuiteLoader.Parse(Document(checks), "test.json");

    /// <summary>A check skeleton with the given steps (and optional parameters JSON).</summary>
    public static string Check(string id, string steps, string capabilities = "", string? parameters = null, string function = "anti-addiction") => $$"""
        {
          "id": "{{id}}",
          "title": { "zh-CN": "检查 {{id}}", "en": "Check {{id}}" },
          "function": "{{function}}",
          "severity": "critical",
          "requirementIds": ["CAC-MM-CURFEW-01"],
          "capabilities": [{{capabilities}}],
          {{(parameters is null ? "" : $"\"parameters\": {parameters},")}}
          "steps": [{{steps}}]
        }
        """;

    public static AppProfile Profile => ProfileLoader.LoadBuiltin();

    /// <summary>A loopback port nothing listens on (bound once, then released).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
