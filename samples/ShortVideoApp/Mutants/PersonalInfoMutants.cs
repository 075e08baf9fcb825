using Microsoft.Extensions.DependencyInjection.Extensions;
using Newtonsoft.Json.Linq;
using TeenMode;
using TeenMode.PersonalInfo;
using TeenMode.Rules;
using TeenMode.Sqlite;

namespace ShortVideoApp;

/// <summary>Broken pieces of personal-information protection used by <see cref="Mutants"/> (issue 5).</summary>
internal static class PersonalInfoMutants
{
    /// <summary>The personal-information mutants.</summary>
    public static IReadOnlyList<MutantInfo> All { get; } =
    [
        new("pi-consent-skipped", "Every purpose counts as consented until a guardian says otherwise, so a child's data is collected without guardian consent.", ["PI-CONSENT-UNDER-14"]),
        new("pi-purpose-unchecked", "Every purpose may collect every declared field, needed or not.", ["PI-PURPOSE-MISMATCH"]),
        new("pi-refusal-blocks-basic", "Refusing any purpose counts as refusing all of them, so the basic features stop working.", ["PI-REFUSAL-KEEPS-BASIC"]),
        new("pi-export-empty", "The access (export) request completes but the export lists no values.", ["PI-EXPORT"]),
        new("pi-deletion-not-done", "A deletion request reports what it deleted, but the values stay stored.", ["PI-DELETION"]),
        new("pi-withdrawal-keeps-data", "Withdrawing consent is recorded, but the data collected for it is kept.", ["PI-WITHDRAWAL-DELETES"]),
    ];

    /// <summary>Applies the mutant called <paramref name="name"/>; false when it is not one of them.</summary>
    public static bool TryApply(IServiceCollection services, string name)
    {
        switch (name)
        {
            case "pi-consent-skipped" or "pi-refusal-blocks-basic" or "pi-deletion-not-done" or "pi-withdrawal-keeps-data":
                services.Replace(ServiceDescriptor.Singleton<IPersonalInfoStore>(sp => new BrokenStore(sp.GetRequiredService<SqlitePersonalInfoStore>(), name)));
                return true;
            case "pi-purpose-unchecked":
                services.Replace(ServiceDescriptor.Singleton(_ => EveryFieldForEveryPurpose()));
                return true;
            case "pi-export-empty":
                var original = services.Last(d => d.ServiceType == typeof(IPersonalInfo));
                services.Replace(ServiceDescriptor.Singleton<IPersonalInfo>(sp => new EmptyExport((IPersonalInfo)original.ImplementationFactory!(sp))));
                return true;
            default:
                return false;
        }
    }

    private static DataInventory EveryFieldForEveryPurpose()
    {
        var root = JObject.Parse(SeedJson.ReadEmbedded($"inventory/{DataInventoryLoader.SampleId}.json"));
        var all = new JArray(root["fields"]!.Select(f => f["name"]!.DeepClone()));
        foreach (var purpose in root["purposes"]!)
        {
            purpose["fields"] = all.DeepClone();
        }

        return DataInventoryLoader.Parse(root.ToString(), "mutant:pi-purpose-unchecked");
    }

    private sealed class BrokenStore(IPersonalInfoStore inner, string fault) : IPersonalInfoStore
    {
        public Task AddConsentAsync(ConsentRecord record, CancellationToken cancellationToken = default) => inner.AddConsentAsync(record, cancellationToken);

        public async Task<IReadOnlyList<ConsentRecord>> GetConsentsAsync(string subjectId, CancellationToken cancellationToken = default)
        {
            var real = await inner.GetConsentsAsync(subjectId, cancellationToken);
            var everyPurpose = new[] { "account", "real-name-verification", "recommendation", "nearby", "personalised-ads" };
            return fault switch
            {
                // A standing "granted" before the real records: any real decision still wins, but silence means yes.
                "pi-consent-skipped" => [new ConsentRecord("mutant", subjectId, "mutant", ConsentDecision.Granted, everyPurpose, new string('0', 64), DateTimeOffset.MinValue), .. real],
                "pi-refusal-blocks-basic" when real.Any(c => c.Decision == ConsentDecision.Refused) =>
                    [.. real, new ConsentRecord("mutant", subjectId, "mutant", ConsentDecision.Refused, everyPurpose, new string('0', 64), DateTimeOffset.MaxValue)],
                _ => real,
            };
        }

        public Task UpsertValueAsync(PersonalDataRecord record, CancellationToken cancellationToken = default) => inner.UpsertValueAsync(record, cancellationToken);

        public Task<IReadOnlyList<PersonalDataRecord>> GetValuesAsync(string subjectId, CancellationToken cancellationToken = default) => inner.GetValuesAsync(subjectId, cancellationToken);

        public async Task<IReadOnlyList<PersonalDataRecord>> DeleteValuesAsync(string subjectId, IReadOnlyCollection<string>? purposes = null, CancellationToken cancellationToken = default) =>
            (fault, purposes) switch
            {
                ("pi-deletion-not-done", null) => await inner.GetValuesAsync(subjectId, cancellationToken),
                ("pi-withdrawal-keeps-data", not null) => [],
                _ => await inner.DeleteValuesAsync(subjectId, purposes, cancellationToken),
            };

        public Task<IReadOnlyList<PersonalDataRecord>> DeleteExpiredValuesAsync(DateTimeOffset now, CancellationToken cancellationToken = default) =>
            inner.DeleteExpiredValuesAsync(now, cancellationToken);

        public Task SaveRequestAsync(DataSubjectRequestRecord request, CancellationToken cancellationToken = default) => inner.SaveRequestAsync(request, cancellationToken);

        public Task<DataSubjectRequestRecord?> GetRequestAsync(string requestId, CancellationToken cancellationToken = default) => inner.GetRequestAsync(requestId, cancellationToken);
    }

    private sealed class EmptyExport(IPersonalInfo inner) : IPersonalInfo
    {
        public DataInventory Inventory => inner.Inventory;

        public Task<Decision> CheckCollectionAsync(string subjectId, string field, string purpose, CancellationToken cancellationToken = default) =>
            inner.CheckCollectionAsync(subjectId, field, purpose, cancellationToken);

        public Task<Decision> CollectAsync(string subjectId, string field, string purpose, string value, CancellationToken cancellationToken = default) =>
            inner.CollectAsync(subjectId, field, purpose, value, cancellationToken);

        public Task<ConsentOutcome> RecordConsentAsync(ConsentRequest request, CancellationToken cancellationToken = default) => inner.RecordConsentAsync(request, cancellationToken);

        public Task<ConsentOutcome> WithdrawConsentAsync(string subjectId, string guardianId, IReadOnlyList<string> purposes, CancellationToken cancellationToken = default) =>
            inner.WithdrawConsentAsync(subjectId, guardianId, purposes, cancellationToken);

        public async Task<DataSubjectRequestOutcome?> SubmitRequestAsync(DataSubjectRequestSubmission submission, CancellationToken cancellationToken = default) =>
            await inner.SubmitRequestAsync(submission, cancellationToken) is { } outcome
                ? outcome with { Export = outcome.Export is { } e ? e with { Values = [] } : null }
                : null;

        public Task<DataSubjectRequestRecord?> GetRequestAsync(string subjectId, string requestId, CancellationToken cancellationToken = default) =>
            inner.GetRequestAsync(subjectId, requestId, cancellationToken);

        public async Task<PersonalDataExport?> ExportAsync(string subjectId, CancellationToken cancellationToken = default) =>
            await inner.ExportAsync(subjectId, cancellationToken) is { } e ? e with { Values = [] } : null;

        public Task<int> PurgeExpiredAsync(CancellationToken cancellationToken = default) => inner.PurgeExpiredAsync(cancellationToken);

        public Task<DeletionSummary?> CloseAccountAsync(string subjectId, CancellationToken cancellationToken = default) => inner.CloseAccountAsync(subjectId, cancellationToken);
    }
}
