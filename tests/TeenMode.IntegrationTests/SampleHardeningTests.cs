using System.Diagnostics;
using ShortVideoApp;

namespace TeenMode.IntegrationTests;

/// <summary>Issue 13: the sample app as an operator runs it — staff keys, environment, shutdown.</summary>
public sealed class SampleHardeningTests
{
    [Theory]
    [InlineData("")]
    [InlineData("k")]
    [InlineData("0123456789abcdef0123456789abcde")] // 31 bytes
    public void Build_WithAWeakReviewerKey_RefusesToStart(string key)
    {
        var act = () => ShortVideoAppHost.Build(new ShortVideoAppOptions
        {
            DatabasePath = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N") + ".db"),
            ReviewerKey = key,
        });

        act.Should().Throw<ArgumentException>().WithMessage("*at least 32 bytes*");
    }

    [Fact]
    public void Options_DefaultToProduction()
    {
        new ShortVideoAppOptions().EnvironmentName.Should().Be("Production");
    }

    [Fact]
    public async Task SigTerm_StopsAccepting_FinishesTheRequestInFlight_AndExitsCleanly()
    {
        var dir = Directory.CreateTempSubdirectory("teenmode-sigterm-").FullName;
        try
        {
            var dll = Path.Combine(AppContext.BaseDirectory, "ShortVideoApp.dll");
            File.Exists(dll).Should().BeTrue("the sample is built beside the tests");
            var start = new ProcessStartInfo("dotnet")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var arg in new[] { dll, "--db", Path.Combine(dir, "app.db"), "--urls", "http://127.0.0.1:0" })
            {
                start.ArgumentList.Add(arg);
            }

            start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
            start.Environment.Remove("TEENMODE_CONFORMANCE_KEY");
            using var process = Process.Start(start)!;
            var output = new System.Text.StringBuilder();
            var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
            process.OutputDataReceived += (_, e) =>
            {
                lock (output)
                {
                    output.AppendLine(e.Data);
                }

                var at = e.Data?.IndexOf("listening on ", StringComparison.Ordinal) ?? -1;
                if (at >= 0)
                {
                    listening.TrySetResult(new Uri(e.Data![(at + "listening on ".Length)..].Split(' ')[0]));
                }
            };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            try
            {
                var baseAddress = await listening.Task.WaitAsync(TimeSpan.FromSeconds(60));

                // A request in flight: its headers and half its body are sent before the signal, the rest after it.
                const string Body = """{"id":"late-kid","birthDate":"2013-05-01"}""";
                using var tcp = new System.Net.Sockets.TcpClient();
                await tcp.ConnectAsync(baseAddress.Host, baseAddress.Port);
                var stream = tcp.GetStream();
                var head = $"POST /teenmode/v1/subjects HTTP/1.1\r\nHost: {baseAddress.Authority}\r\nContent-Type: application/json\r\nContent-Length: {Body.Length}\r\n\r\n";
                await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(head + Body[..10]));
                await stream.FlushAsync();
                await Task.Delay(300);

                var sent = Stopwatch.StartNew();
                using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
                {
                    await kill.WaitForExitAsync();
                }

                await Task.Delay(500);
                using (var client = new HttpClient { Timeout = TimeSpan.FromSeconds(10) })
                {
                    var refused = async () => await client.GetAsync(new Uri(baseAddress, "/teenmode/v1/subjects/late-kid"));
                    await refused.Should().ThrowAsync<HttpRequestException>("a stopping app accepts no new connection");
                }

                await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(Body[10..]));
                await stream.FlushAsync();
                using var reader = new StreamReader(stream, System.Text.Encoding.UTF8);
                var statusLine = await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(20));
                statusLine.Should().StartWith("HTTP/1.1 201", "the request in flight when the signal came is finished and answered");

                await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
                sent.Stop();
                Console.WriteLine($"SIGTERM to exit (one request in flight for 0.5 s of it): {sent.ElapsedMilliseconds} ms");

                process.ExitCode.Should().Be(0, "a SIGTERM is a graceful stop, not a crash");
                lock (output)
                {
                    output.ToString().Should().Contain("ShortVideoApp stopped", "the app ran its shutdown path");
                }
            }
            finally
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                }
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
