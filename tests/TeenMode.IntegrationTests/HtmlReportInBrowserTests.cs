using System.Diagnostics;
using FluentAssertions;
using TeenMode.Harness.Cli;
using Xunit;

namespace TeenMode.IntegrationTests;

/// <summary>Renders report.html in headless Chromium, as an auditor opens it. The test command installs Chromium.</summary>
public sealed class HtmlReportInBrowserTests : IDisposable
{
    private const string Chromium = "/usr/bin/chromium";
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("teenmode-browser-");

    public void Dispose() => _dir.Delete(recursive: true);

    [Fact]
    public async Task ReportHtml_InChromium_ShowsTheVerdictAndTheScorecard()
    {
        File.Exists(Chromium).Should().BeTrue($"{Chromium} is needed: run `bash .ci/test.sh`, which installs Debian's chromium package");
        var outDir = Path.Combine(_dir.FullName, "report");
        using (var stdout = new StringWriter())
        using (var stderr = new StringWriter())
        {
            (await Cli.RunAsync(["demo", "--out", outDir], stdout, stderr)).Should().Be(0, stderr.ToString());
        }

        var url = new Uri(Path.Combine(outDir, "report.html")).AbsoluteUri;
        var dom = await ChromiumAsync("--dump-dom", url);
        var screenshot = Path.Combine(_dir.FullName, "report.png");
        await ChromiumAsync($"--screenshot={screenshot}", "--window-size=1280,1600", url);

        dom.Should().Contain("id=\"verdict\"").And.Contain("CONFORMANT").And.Contain("符合");
        dom.Should().Contain("id=\"scorecard\"").And.Contain("防沉迷 / Anti-addiction");
        dom.Should().Contain("id=\"requirements\"");
        new FileInfo(screenshot).Length.Should().BeGreaterThan(20_000, "a rendered page, not a blank one");
        if (Environment.GetEnvironmentVariable("TEENMODE_UPDATE_SCREENSHOT") == "1")
        {
            File.Copy(screenshot, Path.Combine(RepoPaths.Root, "docs", "report-screenshot.png"), overwrite: true);
        }
    }

    private async Task<string> ChromiumAsync(params string[] args)
    {
        var start = new ProcessStartInfo(Chromium)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };

        // The machine has no network: without these flags Chromium keeps trying to reach Google's hosts.
        foreach (var flag in new[]
                 {
                     "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync", "--hide-scrollbars", $"--user-data-dir={Path.Combine(_dir.FullName, "profile")}",
                 })
        {
            start.ArgumentList.Add(flag);
        }

        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        process.ExitCode.Should().Be(0, await errors);
        return await output;
    }
}
