using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using TeenMode.AntiAddiction;
using TeenMode.ContentPool;
using TeenMode.ParentalControl;
using TeenMode.Reporting;
using TeenMode.Subjects;
using TeenMode.Testing;

namespace TeenMode.Tests.Core;

/// <summary>The SDK wired the way an app wires it, on a fake clock.</summary>
internal sealed class TeenModeHost : IDisposable
{
    /// <summary>Asia/Shanghai has been UTC+8 all year since 1991.</summary>
    public static readonly TimeSpan Shanghai = TimeSpan.FromHours(8);

    public TeenModeHost(DateTimeOffset start, Action<TeenModeOptions>? configure = null, Action<IServiceCollection>? addServices = null)
    {
        // FakeTimeProvider keeps the offset it is given; GetUtcNow must answer in UTC, as TimeProvider.System does.
        Clock = new FakeTimeProvider(start.ToUniversalTime());
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(Clock);
        services.AddTeenMode(o =>
        {
            o.PinIterations = 100_000;
            configure?.Invoke(o);
        });
        addServices?.Invoke(services);
        Services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    public FakeTimeProvider Clock { get; }

    public ServiceProvider Services { get; }

    public ISubjectService Subjects => Services.GetRequiredService<ISubjectService>();

    public IUsageGate Usage => Services.GetRequiredService<IUsageGate>();

    public IGameGate Games => Services.GetRequiredService<IGameGate>();

    public IParentalControl Parental => Services.GetRequiredService<IParentalControl>();

    public IContentPool Content => Services.GetRequiredService<IContentPool>();

    public IContentCatalog Catalog => Services.GetRequiredService<IContentCatalog>();

    public IReportingChannel Reports => Services.GetRequiredService<IReportingChannel>();

    public TeenMode.Audit.IAuditLog Audit => Services.GetRequiredService<TeenMode.Audit.IAuditLog>();

    /// <summary>An instant given as Shanghai wall-clock time.</summary>
    public static DateTimeOffset Local(int year, int month, int day, int hour = 0, int minute = 0, int second = 0) =>
        new(year, month, day, hour, minute, second, Shanghai);

    public async Task<string> RegisterAsync(string id, DateOnly? birthDate = null, bool teenMode = true)
    {
        var subject = await Subjects.RegisterAsync(new SubjectRegistration(id, birthDate, TeenMode: teenMode));
        subject.Should().NotBeNull();
        return id;
    }

    /// <summary>Registers a subject whose real-name check the provider confirmed (online games serve no one else).</summary>
    public async Task<string> RegisterVerifiedAsync(string id, DateOnly birthDate, bool teenMode = true)
    {
        await RegisterAsync(id, birthDate, teenMode);
        (await Services.GetRequiredService<ISubjectStore>().SetRealNameAsync(id, RealNameStatus.Verified, "pi-" + id, birthDate)).Should().BeTrue();
        return id;
    }

    /// <summary>Sends <paramref name="count"/> one-minute heartbeats a minute apart, the clock moving with them.</summary>
    public async Task<Decision> UseForMinutesAsync(string subjectId, int count, string deviceId = "phone", long firstSequence = 1)
    {
        var decision = await Usage.CheckAsync(subjectId);
        for (var i = 0; i < count; i++)
        {
            Clock.Advance(TimeSpan.FromMinutes(1));
            decision = await Usage.RecordHeartbeatAsync(new Heartbeat(subjectId, deviceId, firstSequence + i, 60));
        }

        return decision;
    }

    public void Dispose() => Services.Dispose();
}
