using TeenMode.AntiAddiction;
using TeenMode.ContentPool;
using TeenMode.ParentalControl;
using TeenMode.Reporting;
using TeenMode.Subjects;

namespace TeenMode.Testing;

/// <summary>
/// The five store interfaces a <see cref="StoreContractTests"/> run exercises, plus the clean-up that
/// runs when the test ends (e.g. deleting a temporary database).
/// </summary>
public sealed class StoreUnderTest : IAsyncDisposable
{
    private readonly Func<ValueTask>? _cleanup;

    /// <summary>Wraps five store implementations, which may be one object or several.</summary>
    /// <exception cref="ArgumentNullException">A store is null.</exception>
    public StoreUnderTest(ISubjectStore subjects, IUsageLedgerStore ledger, IGuardianStore guardians, IContentCatalog content,
        IReportStore reports, Func<ValueTask>? cleanup = null)
    {
        ArgumentNullException.ThrowIfNull(subjects);
        ArgumentNullException.ThrowIfNull(ledger);
        ArgumentNullException.ThrowIfNull(guardians);
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(reports);
        Subjects = subjects;
        Ledger = ledger;
        Guardians = guardians;
        Content = content;
        Reports = reports;
        _cleanup = cleanup;
    }

    /// <summary>The subject store.</summary>
    public ISubjectStore Subjects { get; }

    /// <summary>The usage ledger.</summary>
    public IUsageLedgerStore Ledger { get; }

    /// <summary>The guardian store.</summary>
    public IGuardianStore Guardians { get; }

    /// <summary>The content catalog.</summary>
    public IContentCatalog Content { get; }

    /// <summary>The report store.</summary>
    public IReportStore Reports { get; }

    /// <summary>Wraps one object that implements all five store interfaces.</summary>
    public static StoreUnderTest For<TStore>(TStore store, Func<ValueTask>? cleanup = null)
        where TStore : ISubjectStore, IUsageLedgerStore, IGuardianStore, IContentCatalog, IReportStore =>
        new(store, store, store, store, store, cleanup);

    /// <summary>Runs the clean-up given at construction.</summary>
    public ValueTask DisposeAsync() => _cleanup?.Invoke() ?? ValueTask.CompletedTask;
}
