using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using TeenMode.PersonalInfo;
using TeenMode.Postgres;

namespace TeenMode;

/// <summary>Registers the PostgreSQL stores as the SDK's stores.</summary>
public static class PostgresTeenModeBuilderExtensions
{
    /// <summary>
    /// Stores every teen-mode state in the PostgreSQL database of <paramref name="connectionString"/>, replacing the
    /// in-memory stores that <c>AddTeenMode</c> registers. Call it after <c>AddTeenMode</c>.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="connectionString"/> is empty.</exception>
    public static ITeenModeBuilder UsePostgres(this ITeenModeBuilder builder, string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        return builder.UsePostgres(options => options.ConnectionString = connectionString);
    }

    /// <summary>
    /// Stores every teen-mode state in PostgreSQL as <paramref name="configure"/> describes, replacing the in-memory
    /// stores that <c>AddTeenMode</c> registers. Call it after <c>AddTeenMode</c>. The schema is migrated on first use;
    /// call <see cref="PostgresDatabase.MigrateAsync"/> (a singleton) at start-up to fail early.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="configure"/> is null.</exception>
    /// <exception cref="ArgumentException">An option is unusable.</exception>
    public static ITeenModeBuilder UsePostgres(this ITeenModeBuilder builder, Action<PostgresTeenModeStoreOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        var options = new PostgresTeenModeStoreOptions();
        configure(options);
        options.Validate();

        var services = builder.Services;

        // Registered by factory so the container disposes it (closing the pool) on shutdown.
        services.RemoveAll<PostgresDatabase>();
        services.AddSingleton(_ => new PostgresDatabase(options));

        // AddTeenMode used TryAdd for the in-memory defaults; RemoveAll drops them (and any earlier Use… store).
        foreach (var store in PostgresTeenModeStores.All)
        {
            services.RemoveAll(store.ServiceType);
            services.AddSingleton(store.ServiceType, sp => store.Create(sp.GetRequiredService<PostgresDatabase>(), sp.GetService<PersonalDataProtector>()));
        }

        return builder;
    }
}
