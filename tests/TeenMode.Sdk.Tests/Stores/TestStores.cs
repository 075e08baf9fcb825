using Microsoft.Extensions.DependencyInjection;
using TeenMode.Testing;

namespace TeenMode.Tests.Stores;

/// <summary>Every store of a package, set up as an app sets it up (AddTeenMode, then Use…), for the contract tests.</summary>
internal static class TestStores
{
    public static StoreUnderTest InMemory()
    {
        var services = new ServiceCollection();
        services.AddTeenMode();
        var provider = services.BuildServiceProvider();
        return StoreUnderTest.From(provider, provider.DisposeAsync);
    }

    public static StoreUnderTest Sqlite(string databasePath, Func<ValueTask>? afterDispose = null)
    {
        var services = new ServiceCollection();
        services.AddTeenMode().UseSqlite(databasePath);
        var provider = services.BuildServiceProvider();
        return StoreUnderTest.From(provider, async () =>
        {
            // Disposing the provider disposes the SqliteDatabase, releasing pooled connections so the file can be deleted.
            await provider.DisposeAsync();
            if (afterDispose is not null)
            {
                await afterDispose();
            }
        });
    }
}
