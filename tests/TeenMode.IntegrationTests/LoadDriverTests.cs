using TeenMode.LoadDriver;

namespace TeenMode.IntegrationTests;

/// <summary>The load driver's core (tests/TeenMode.LoadDriver) on a short bounded run, and its loopback-only rule.</summary>
public sealed class LoadDriverTests
{
    private static readonly StoreConfig Sqlite = new(StoreConfig.Sqlite, 1);

    [Fact]
    public async Task TwoHundredHeartbeatsAtConcurrency8_LedgerHoldsExactlyTheAcknowledged_AndCurfewRefusesEveryMinor()
    {
        await using var app = await SampleApp.StartAsync();
        using var session = new LoadSession([app.App.BaseAddress], SampleApp.Key, subjects: 20, maxConcurrency: 8, TimeSpan.FromSeconds(10));
        await session.PrepareAsync();

        var heartbeats = await session.RunAsync(Sqlite, new CellSpec(Scenario.Heartbeats, 8, TimeSpan.FromSeconds(10), MaxRequests: 200, Warmup: TimeSpan.Zero));
        heartbeats.Requests.Should().Be(200, "the count bound stops the run before the time bound");
        heartbeats.ErrorCount.Should().Be(0, string.Join(", ", heartbeats.Errors));
        heartbeats.Ledger!.Ok.Should().BeTrue(heartbeats.Ledger.Describe());
        heartbeats.Ledger.Acknowledged.Should().Be(200);
        heartbeats.Ledger.Counted.Should().Be(200);

        var curfew = await session.RunAsync(Sqlite, new CellSpec(Scenario.UsageCurfew, 8, TimeSpan.FromSeconds(10), MaxRequests: 100, Warmup: TimeSpan.Zero));
        curfew.Requests.Should().Be(100);
        curfew.Errors.Should().BeEmpty("every minor is refused at 23:00 with reason curfew");
        curfew.Failed.Should().BeFalse();
    }

    [Theory]
    [InlineData("http://10.0.0.1:5080/")]
    [InlineData("http://192.168.1.10/")]
    [InlineData("http://8.8.8.8/")]
    [InlineData("http://example.com/")]
    [InlineData("http://127.0.0.1.nip.io/")]
    [InlineData("http://[::ffff:10.0.0.1]/")]
    public async Task NonLoopbackTarget_IsRefusedWithExit2_BeforeAnyRequest(string target)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var code = await LoadDriverCli.RunAsync(["run", "--target", target, "--key", SampleApp.Key, "--duration", "1"], output, error);

        code.Should().Be(LoadDriverCli.BadArguments);
        error.ToString().Should().Contain("拒绝").And.Contain("refused: load goes to loopback only");
        output.ToString().Should().NotContain("registering", "nothing is sent");
        var construct = () => new LoadSession([new Uri(target)], SampleApp.Key, 1, 1, TimeSpan.FromSeconds(1));
        construct.Should().Throw<UsageException>("the core refuses it too");
    }

    [Theory]
    [InlineData("http://127.0.0.1:5080")]
    [InlineData("http://127.9.9.9:5080/")]
    [InlineData("http://localhost:5080/")]
    [InlineData("http://[::1]:5080/")]
    public void LoopbackTarget_IsAccepted(string target) =>
        LoopbackTarget.Parse(target).AbsoluteUri.Should().EndWith("/");
}
