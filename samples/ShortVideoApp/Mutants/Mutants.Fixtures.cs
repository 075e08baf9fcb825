using Microsoft.Extensions.DependencyInjection.Extensions;
using TeenMode.ContentPool;
using TeenMode.PersonalInfo;
using TeenMode.Sqlite;

namespace ShortVideoApp;

// Mutants that only the app's own data can reveal (issue 12, item 4): the checks that make synthetic items and
// purposes of their own pass, and only the fixture checks, which run over the profile's list of the app's catalog
// items and consent purposes, fail.
public static partial class Mutants
{
    // A property, not a field: Mutants.All (another partial file) reads it during static initialisation.
    private static MutantInfo[] FixtureMutants =>
    [
        new("catalog-import-drops-labels", "The catalog import keeps each item's bands but drops its labels (may affect minors, advertisement, external link, forbidden topic), so the app's own catalog serves what synthetic test items would be refused for.", ["CP-FIXTURE-ITEMS"]),
        new("pi-consent-first-purpose-only", "Guardian consent is checked only for the first purpose the inventory declares (account); every other purpose collects a child's data without it.", ["PI-CONSENT-EVERY-PURPOSE"]),
    ];

    private static bool TryApplyFixtures(IServiceCollection services, string name)
    {
        switch (name)
        {
            case "catalog-import-drops-labels":
                services.Replace(ServiceDescriptor.Singleton<IContentCatalog>(sp => new LabelDroppingImport(sp.GetRequiredService<SqliteContentCatalog>())));
                return true;
            case "pi-consent-first-purpose-only":
                services.Replace(ServiceDescriptor.Singleton<IPersonalInfoStore>(sp =>
                    new FirstPurposeOnlyConsents(sp.GetRequiredService<SqlitePersonalInfoStore>(), sp.GetRequiredService<DataInventory>())));
                return true;
            default:
                return false;
        }
    }

    /// <summary>A batch upsert (the catalog import) loses the labels; an item added on its own (as a test creates one) keeps them.</summary>
    private sealed class LabelDroppingImport(IContentCatalog inner) : IContentCatalog
    {
        public Task<ContentItem?> GetAsync(string itemId, CancellationToken cancellationToken = default) => inner.GetAsync(itemId, cancellationToken);

        public Task UpsertAsync(IEnumerable<ContentItem> items, CancellationToken cancellationToken = default)
        {
            var batch = items.ToList();
            return inner.UpsertAsync(batch.Count > 1 ? batch.Select(i => i with { MayAffectMinors = false, Flags = ContentLabels.None }) : batch, cancellationToken);
        }

        public Task<IReadOnlyList<ContentItem>> QueryAsync(ContentQuery query, CancellationToken cancellationToken = default) =>
            inner.QueryAsync(query, cancellationToken);
    }

    /// <summary>Answers as if every purpose but the inventory's first had a standing consent; a guardian's real decisions still win.</summary>
    private sealed class FirstPurposeOnlyConsents(IPersonalInfoStore inner, DataInventory inventory) : IPersonalInfoStore
    {
        private readonly string[] _unchecked = [.. inventory.Purposes.Skip(1).Select(p => p.Id)];

        public Task AddConsentAsync(ConsentRecord record, CancellationToken cancellationToken = default) => inner.AddConsentAsync(record, cancellationToken);

        public async Task<IReadOnlyList<ConsentRecord>> GetConsentsAsync(string subjectId, CancellationToken cancellationToken = default) =>
        [
            new ConsentRecord("mutant", subjectId, "mutant", ConsentDecision.Granted, _unchecked, new string('0', 64), DateTimeOffset.MinValue),
            .. await inner.GetConsentsAsync(subjectId, cancellationToken).ConfigureAwait(false),
        ];

        public Task UpsertValueAsync(PersonalDataRecord record, CancellationToken cancellationToken = default) => inner.UpsertValueAsync(record, cancellationToken);

        public Task<IReadOnlyList<PersonalDataRecord>> GetValuesAsync(string subjectId, CancellationToken cancellationToken = default) => inner.GetValuesAsync(subjectId, cancellationToken);

        public Task<IReadOnlyList<PersonalDataRecord>> DeleteValuesAsync(string subjectId, IReadOnlyCollection<string>? purposes = null, CancellationToken cancellationToken = default) =>
            inner.DeleteValuesAsync(subjectId, purposes, cancellationToken);

        public Task<IReadOnlyList<PersonalDataRecord>> DeleteExpiredValuesAsync(DateTimeOffset now, CancellationToken cancellationToken = default) =>
            inner.DeleteExpiredValuesAsync(now, cancellationToken);

        public Task SaveRequestAsync(DataSubjectRequestRecord request, CancellationToken cancellationToken = default) => inner.SaveRequestAsync(request, cancellationToken);

        public Task<DataSubjectRequestRecord?> GetRequestAsync(string requestId, CancellationToken cancellationToken = default) => inner.GetRequestAsync(requestId, cancellationToken);
    }
}
