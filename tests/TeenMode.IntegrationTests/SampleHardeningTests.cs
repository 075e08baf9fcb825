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
    public async Task SigTerm_StopsTheProcessGracefully()
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
            var listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            process.OutputDataReceived += (_, e) =>
            {
                lock (output)
                {
                    output.AppendLine(e.Data);
                }

                if (e.Data?.Contains("listening on", StringComparison.Ordinal) == true)
                {
                    listening.TrySetResult();
                }
            };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            try
            {
                await listening.Task.WaitAsync(TimeSpan.FromSeconds(60));

                var sent = Stopwatch.StartNew();
                using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
                {
                    await kill.WaitForExitAsync();
                }

                await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
                sent.Stop();
                Console.WriteLine($"SIGTERM to exit: {sent.ElapsedMilliseconds} ms");

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
