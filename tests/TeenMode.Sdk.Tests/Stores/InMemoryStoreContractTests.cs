using TeenMode.Testing;

namespace TeenMode.Tests.Stores;

public sealed class InMemoryStoreContractTests : StoreContractTests
{
    protected override Task<StoreUnderTest> CreateStoreAsync() => Task.FromResult(TestStores.InMemory());
}
