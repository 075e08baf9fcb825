using TeenMode.Testing;

namespace TeenMode.Tests.Stores;

public sealed class SqliteStoreContractTests : StoreContractTests
{
    protected override Task<StoreUnderTest> CreateStoreAsync()
    {
        var database = new TempDatabase();
        return Task.FromResult(TestStores.Sqlite(database.Path, () =>
        {
            database.Dispose();
            return ValueTask.CompletedTask;
        }));
    }
}
