using TeenMode.Testing;

namespace TeenMode.Tests.Postgres;

/// <summary>The store contract against PostgreSQL: every test on a database of its own, created and dropped around it.</summary>
public sealed class PostgresStoreContractTests : StoreContractTests
{
    protected override async Task<StoreUnderTest> CreateStoreAsync()
    {
        var database = await PostgresStoreDatabase.CreateAsync();
        return StoreUnderTest.Of(database.OpenStores(), database.DisposeAsync);
    }
}
