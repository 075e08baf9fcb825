using System.Diagnostics;
using System.Text;

namespace TeenMode.LoadDriver;

/// <summary>
/// Starts the sample app as its own process (<c>dotnet ShortVideoApp.dll …</c>) and waits for its "listening on" line; the
/// load driver and the integration tests' multi-instance and fault tests both start it this way.
/// </summary>
internal static class SampleAppLaunch
{
    /// <summary>
    /// Starts <paramref name="start"/> with its output captured into the returned log. The address is null when the
    /// process exited or did not listen within <paramref name="timeout"/>; the caller then kills it and reports the log.
    /// </summary>
    public static async Task<(Process Process, StringBuilder Log, Uri? Address)> StartAsync(ProcessStartInfo start, TimeSpan timeout)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        var log = new StringBuilder();
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = Process.Start(start) ?? throw new InvalidOperationException($"{start.FileName} did not start");
        void OnLine(object? sender, DataReceivedEventArgs e)
        {
            lock (log)
            {
                log.AppendLine(e.Data);
            }

            var at = e.Data?.IndexOf("listening on ", StringComparison.Ordinal) ?? -1;
            if (at >= 0)
            {
                listening.TrySetResult(new Uri(e.Data![(at + "listening on ".Length)..].Split(' ')[0]));
            }
        }

        process.OutputDataReceived += OnLine;
        process.ErrorDataReceived += OnLine;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            var first = await Task.WhenAny(listening.Task, process.WaitForExitAsync()).WaitAsync(timeout).ConfigureAwait(false);
            return (process, log, first == listening.Task ? await listening.Task.ConfigureAwait(false) : null);
        }
        catch (TimeoutException)
        {
            return (process, log, null);
        }
    }

    /// <summary>Kills the process and its children at once (SIGKILL on Unix), unless it has exited.</summary>
    public static void Kill(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Exited meanwhile.
        }
    }

    /// <summary>What the process wrote so far.</summary>
    public static string Text(StringBuilder log)
    {
        lock (log)
        {
            return log.ToString();
        }
    }
}
