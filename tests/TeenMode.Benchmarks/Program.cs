using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using TeenMode.Benchmarks.Peers;

// `peers`: the Cedar and Casbin comparison (agreement, then interleaved timing), outside BenchmarkDotNet.
if (args.Length > 0 && args[0] == "peers")
{
    return PeerComparison.Run(args[1..]);
}

// BenchmarkDotNet's short job (1 launch, 3 warm-ups, 3 iterations): the machine is shared, and the load takes about a second.
// In-process: a generated benchmark project would inherit the repository's warnings-as-errors build settings.
var config = ManualConfig.Create(DefaultConfig.Instance)
    .AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance))
    .AddDiagnoser(MemoryDiagnoser.Default);
BenchmarkSwitcher.FromAssembly(typeof(TeenMode.Benchmarks.ContentIndexBenchmarks).Assembly).Run(args, config);
return 0;
