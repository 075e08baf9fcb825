using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using TeenMode.Spending;
using TeenMode.Storage;

namespace TeenMode;

public static partial class TeenModeServiceCollectionExtensions
{
    /// <summary>Settings of the refund process (due date on receipts); not regulatory numbers.</summary>
    public static ITeenModeBuilder ConfigureSpending(this ITeenModeBuilder builder, Action<SpendingOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.Configure(configure);
        return builder;
    }

    // Spending caps outside games and refunds (issue 3): the pack's caps, lowered by a guardian's. A host may register its own ISpendingCapsSource first.
    private static void AddSpending(IServiceCollection services)
    {
        services.AddOptions<SpendingOptions>();
        services.TryAddSingleton<ISpendingPolicy, SpendingPolicy>();
        services.TryAddSingleton<ISpendingCapsSource, GuardianSpendingCapsSource>();
        services.TryAddSingleton<ISpendingGate, SpendingGate>();
        services.TryAddSingleton<IRefundDesk, RefundDesk>();
    }
}
