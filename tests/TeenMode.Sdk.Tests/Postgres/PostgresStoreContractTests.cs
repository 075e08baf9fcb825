using TeenMode.Testing;

namespace TeenMode.Tests.Postgres;

/// <summary>The store contract against PostgreSQL: every test on a database of its own, created and dropped around it.</summary>
public sealed class PostgresStoreContractTests : StoreContractTests
{
    protected override async Task<StoreUnderTest> CreateStoreAsync()
    {
        var database = await PostgresTestDatabase.CreateAsync();
        return new StoreUnderTest(database.OpenStores(), database.DisposeAsync);
    }
}
