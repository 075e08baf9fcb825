using TeenMode.LoadDriver;

// Usage: dotnet run -c Release --project tests/TeenMode.LoadDriver -- run|matrix|perf [options]   (--help lists them)
// Ctrl+C or SIGTERM stops after the requests in flight are answered; the apps and the throwaway database are removed either way.
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};
using var term = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, context =>
{
    context.Cancel = true;
    stop.Cancel();
});

try
{
    return await LoadDriverCli.RunAsync(args, Console.Out, Console.Error, stop.Token);
}
catch (OperationCanceledException) when (stop.IsCancellationRequested)
{
    await Console.Error.WriteLineAsync("teenmode-load: 已中止 / stopped");
    return 130;
}
