using System.Text;
using TeenMode.Harness.Running;

namespace TeenMode.Harness.Reporting;

/// <summary>Where the reports of one run were written.</summary>
public sealed record ReportFiles(string Directory, string Json, string Html, string JUnit, string Ctrf, string Markdown)
{
    /// <summary>Every file, in a fixed order.</summary>
    public IReadOnlyList<string> All => [Json, Html, JUnit, Ctrf, Markdown];
}

/// <summary>Writes the five report formats of a run into one folder.</summary>
public static class ReportWriter
{
    /// <summary>The file names, fixed so that CI steps can find them.</summary>
    public const string JsonName = "report.json", HtmlName = "report.html", JUnitName = "junit.xml", CtrfName = "ctrf.json", MarkdownName = "summary.md";

    /// <summary>Writes every format into <paramref name="directory"/> (created when missing).</summary>
    public static async Task<ReportFiles> WriteAsync(RunReport report, string directory, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(directory);
        var full = Path.GetFullPath(directory);
        Directory.CreateDirectory(full);
        var files = new ReportFiles(full,
            Path.Combine(full, JsonName), Path.Combine(full, HtmlName), Path.Combine(full, JUnitName), Path.Combine(full, CtrfName), Path.Combine(full, MarkdownName));
        var utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
        await File.WriteAllTextAsync(files.Json, ReportJson.Serialize(report), utf8, cancellationToken).ConfigureAwait(false);
        await File.WriteAllTextAsync(files.Html, HtmlReport.Render(report), utf8, cancellationToken).ConfigureAwait(false);
        await File.WriteAllTextAsync(files.JUnit, JUnitReport.Render(report), utf8, cancellationToken).ConfigureAwait(false);
        await File.WriteAllTextAsync(files.Ctrf, CtrfReport.Render(report), utf8, cancellationToken).ConfigureAwait(false);
        await File.WriteAllTextAsync(files.Markdown, MarkdownReport.Render(report), utf8, cancellationToken).ConfigureAwait(false);
        return files;
    }
}
