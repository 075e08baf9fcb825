using BenchmarkDotNet.Attributes;
using TeenMode.PersonalInfo;

namespace TeenMode.Benchmarks;

/// <summary>Redacting typical log lines: most hold nothing to mask and should cost next to nothing.</summary>
[MemoryDiagnoser]
public class RedactionBenchmarks
{
    private readonly string _clean = "Request finished HTTP/1.1 POST http://127.0.0.1:5080/teenmode/v1/subjects/synthetic-13efec9efccfb995/heartbeats - 200 83 application/json 1.9321ms";
    private readonly string _personal = "guardian binding for synthetic-13efec9efccfb995: id 110105201303070027, phone 138 0013 8000, mail a.b@example.cn, pin=246810";

    [Benchmark(Baseline = true)]
    public string CleanLine() => Redaction.Text(_clean);

    [Benchmark]
    public string LineWithPersonalData() => Redaction.Text(_personal);
}
