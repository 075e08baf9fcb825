using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using TeenMode.Audit;
using TeenMode.Reporting;
using TeenMode.Rules;
using TeenMode.Subjects;
using TeenMode.Testing;

namespace TeenMode.Tests.Reporting;

/// <summary>The SDK with the reporting channel on a fake clock and a scriptable authority sink (or, when told, the webhook).</summary>
internal sealed class ReportingHost : IDisposable
{
    public ReportingHost(DateTimeOffset start, Action<IServiceCollection>? configure = null, Action<ITeenModeBuilder>? teenMode = null)
    {
        Clock = new FakeTimeProvider(start.ToUniversalTime());
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(Clock);
        var builder = services.AddTeenMode(o => o.PinIterations = 100_000);
        services.AddSingleton<IAuthoritySink>(Sink);

        // In-round retries wait on the clock; the fake clock does not move by itself.
        services.Configure<AuthorityDispatchOptions>(o => o.RetriesPerRound = 0);
        configure?.Invoke(services);
        teenMode?.Invoke(builder);
        Services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    public FakeTimeProvider Clock { get; }

    public ScriptedSink Sink { get; } = new();

    public ServiceProvider Services { get; }

    public IReportingChannel Channel => Services.GetRequiredService<IReportingChannel>();

    public IReportReview Review => Services.GetRequiredService<IReportReview>();

    public IAuthorityNoticeDispatcher Dispatcher => Services.GetRequiredService<IAuthorityNoticeDispatcher>();

    public IReportWorkflowStore Workflow => Services.GetRequiredService<IReportWorkflowStore>();

    public IAuditLog Audit => Services.GetRequiredService<IAuditLog>();

    public ReportingRules Rules => Services.GetRequiredService<RulePack>().Reporting!;

    public async Task<string> RegisterMinorAsync(string id)
    {
        (await Services.GetRequiredService<ISubjectService>().RegisterAsync(new SubjectRegistration(id, new DateOnly(2014, 1, 1), TeenMode: true))).Should().NotBeNull();
        return id;
    }

    public void Dispose() => Services.Dispose();

    /// <summary>Refuses the first <see cref="RefuseNext"/> deliveries, then accepts; records every idempotency key it accepted.</summary>
    internal sealed class ScriptedSink : IAuthoritySink
    {
        private readonly Lock _lock = new();

        public int RefuseNext { get; set; }

        public List<string> AcceptedKeys { get; } = [];

        public int Calls { get; private set; }

        public Task<AuthorityDelivery> DeliverAsync(AuthorityNotice notice, CancellationToken cancellationToken = default)
        {
            lock (_lock)
            {
                Calls++;
                if (RefuseNext > 0)
                {
                    RefuseNext--;
                    return Task.FromResult(new AuthorityDelivery(false, "HTTP 503"));
                }

                AcceptedKeys.Add(notice.IdempotencyKey);
                return Task.FromResult(AuthorityDelivery.Ok);
            }
        }
    }
}
