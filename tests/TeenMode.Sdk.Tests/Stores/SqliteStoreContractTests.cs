using TeenMode.Sqlite;
using TeenMode.Testing;

namespace TeenMode.Tests.Stores;

public sealed class SqliteStoreContractTests : StoreContractTests
{
    protected override Task<StoreUnderTest> CreateStoreAsync()
    {
        var database = new TempDatabase();
        var store = new SqliteTeenModeStore(database.Path);
        return Task.FromResult(StoreUnderTest.For(store, () =>
        {
            // Release pooled connections first, or the file stays open and cannot be deleted on every OS.
            store.Dispose();
            database.Dispose();
            return ValueTask.CompletedTask;
        }));
    }
}
