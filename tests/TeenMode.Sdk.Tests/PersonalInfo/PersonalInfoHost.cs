using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using TeenMode.Audit;
using TeenMode.ParentalControl;
using TeenMode.PersonalInfo;
using TeenMode.Subjects;
using TeenMode.Testing;

namespace TeenMode.Tests.PersonalInfo;

/// <summary>The SDK with the sample inventory, two keys (key-1 current unless told) and a fake clock.</summary>
internal sealed class PersonalInfoHost : IDisposable
{
    public const string NoticeHash = "61f44e6de822eacf47815c5482b5fe1ecacc085952d587c6fd0dfaefdc9a2df5";
    public const string Guardian = "mum";

    public static readonly byte[] Key1 = [.. Enumerable.Range(1, 32).Select(i => (byte)i)];
    public static readonly byte[] Key2 = [.. Enumerable.Range(101, 32).Select(i => (byte)i)];

    public PersonalInfoHost(StoreUnderTest? stores = null, string currentKey = "key-1", Dictionary<string, byte[]>? keys = null)
    {
        Clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 4, 15, 0, 0, TimeSpan.FromHours(8)).ToUniversalTime());
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(Clock);
        if (stores is not null)
        {
            // Every store (subjects, guardians, consents, values) survives into the next host, as a database would.
            foreach (var (type, store) in stores.All)
            {
                services.AddSingleton(type, store);
            }
        }

        services.AddTeenMode(o => o.PinIterations = 100_000)
            .UsePersonalInfo(o => o.InventoryId = DataInventoryLoader.SampleId)
            .UsePersonalDataKeys(new StaticPersonalDataKeyProvider(keys ?? new() { ["key-1"] = Key1 }, currentKey));
        Services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    public FakeTimeProvider Clock { get; }

    public ServiceProvider Services { get; }

    public IPersonalInfo Pi => Services.GetRequiredService<IPersonalInfo>();

    public IPersonalInfoStore Store => Services.GetRequiredService<IPersonalInfoStore>();

    public IAuditLog Audit => Services.GetRequiredService<IAuditLog>();

    /// <summary>Registers a subject of <paramref name="age"/> (half a year past the birthday) with guardian <see cref="Guardian"/> bound.</summary>
    public async Task<string> ChildAsync(string id, int age, bool teenMode = true)
    {
        var birth = new DateOnly(2026 - age, 3, 4).AddDays(-180);
        (await Services.GetRequiredService<ISubjectService>().RegisterAsync(new SubjectRegistration(id, birth, TeenMode: teenMode))).Should().NotBeNull();
        (await Services.GetRequiredService<IParentalControl>().BindAsync(id, Guardian, "246810")).IsAllowed.Should().BeTrue();
        return id;
    }

    public async Task GrantAsync(string subjectId, params string[] purposes) =>
        (await Pi.RecordConsentAsync(new ConsentRequest(subjectId, Guardian, ConsentDecision.Granted, purposes, NoticeHash))).Decision.IsAllowed.Should().BeTrue();

    public void Dispose() => Services.Dispose();
}
