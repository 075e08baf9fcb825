using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

// BenchmarkDotNet's short job (1 launch, 3 warm-ups, 3 iterations): the machine is shared, and the load takes about a second.
// In-process: a generated benchmark project would inherit the repository's warnings-as-errors build settings.
var config = ManualConfig.Create(DefaultConfig.Instance)
    .AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance))
    .AddDiagnoser(MemoryDiagnoser.Default);
BenchmarkSwitcher.FromAssembly(typeof(TeenMode.Benchmarks.ContentIndexBenchmarks).Assembly).Run(args, config);
