using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace TeenMode.AgeAssurance;

/// <summary>
/// Registers the app's real-name provider. The provider is registered as its own type; <see cref="IRealNameVerifier"/>
/// resolves to the SDK's resilient wrapper around it (timeout, retry, circuit breaker). With no provider registered,
/// <see cref="IRealNameVerifier"/> answers Unavailable to every call.
/// </summary>
public static class RealNameServiceCollectionExtensions
{
    /// <summary>
    /// Uses <typeparamref name="TVerifier"/> (a singleton, resolved by the container) as the real-name provider.
    /// Works before or after <c>AddTeenMode</c>; a later call picks a different provider.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is null.</exception>
    /// <exception cref="ArgumentException"><typeparamref name="TVerifier"/> is an interface or abstract.</exception>
    public static IServiceCollection AddTeenModeRealNameVerifier<TVerifier>(this IServiceCollection services, Action<RealNameVerificationOptions>? configure = null)
        where TVerifier : class, IRealNameVerifier
    {
        ArgumentNullException.ThrowIfNull(services);
        if (typeof(TVerifier).IsInterface || typeof(TVerifier).IsAbstract)
        {
            throw new ArgumentException($"TVerifier must be a concrete class, not {typeof(TVerifier).Name}.", nameof(TVerifier));
        }

        // TryAdd: an app may have registered the provider itself (with its own dependencies); that registration wins.
        services.TryAddSingleton<TVerifier>();
        return Use(services, sp => sp.GetRequiredService<TVerifier>(), configure);
    }

    /// <summary>
    /// Uses the provider <paramref name="factory"/> creates (once, as a singleton registered as <typeparamref name="TVerifier"/>).
    /// Works before or after <c>AddTeenMode</c>; a later call picks a different provider.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> or <paramref name="factory"/> is null.</exception>
    /// <exception cref="ArgumentException"><typeparamref name="TVerifier"/> is <see cref="IRealNameVerifier"/> itself.</exception>
    public static IServiceCollection AddTeenModeRealNameVerifier<TVerifier>(this IServiceCollection services, Func<IServiceProvider, TVerifier> factory,
        Action<RealNameVerificationOptions>? configure = null)
        where TVerifier : class, IRealNameVerifier
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(factory);
        if (typeof(TVerifier) == typeof(IRealNameVerifier))
        {
            // IRealNameVerifier is the wrapper's slot; the provider needs a type of its own.
            throw new ArgumentException("TVerifier must be the provider's own type, not IRealNameVerifier.", nameof(TVerifier));
        }

        services.RemoveAll<TVerifier>();
        services.AddSingleton(factory);
        return Use(services, sp => sp.GetRequiredService<TVerifier>(), configure);
    }

    // AddTeenMode's part: the fail-closed default and the wrapper, each only if nothing is there yet.
    internal static void AddRealNameDefaults(IServiceCollection services)
    {
        services.AddOptions<RealNameVerificationOptions>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<UnconfiguredRealNameVerifier>();
        services.TryAddSingleton(new RealNameProvider(sp => sp.GetRequiredService<UnconfiguredRealNameVerifier>()));
        services.TryAddSingleton<IRealNameVerifier>(sp => new ResilientRealNameVerifier(
            sp.GetRequiredService<RealNameProvider>().Resolve(sp),
            sp.GetRequiredService<IOptions<RealNameVerificationOptions>>().Value,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<ILogger<ResilientRealNameVerifier>>()));
    }

    private static IServiceCollection Use(IServiceCollection services, Func<IServiceProvider, IRealNameVerifier> resolve, Action<RealNameVerificationOptions>? configure)
    {
        // The app's explicit choice replaces the default whether AddTeenMode ran before or after.
        services.RemoveAll<RealNameProvider>();
        services.AddSingleton(new RealNameProvider(resolve));
        if (configure is not null)
        {
            services.Configure(configure);
        }

        AddRealNameDefaults(services);
        return services;
    }
}

/// <summary>Which service the resilient wrapper wraps; one per container.</summary>
internal sealed class RealNameProvider(Func<IServiceProvider, IRealNameVerifier> resolve)
{
    public Func<IServiceProvider, IRealNameVerifier> Resolve { get; } = resolve;
}
