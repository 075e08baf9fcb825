using TeenMode.Rules;
using TeenMode.Spending;

namespace TeenMode.Tests.Core;

public sealed class SpendingPolicyTests
{
    private static readonly SpendingCaps Caps = new(50m, 100m, 300m, SpendingBasis.PlatformDefault, ["REG-MINOR-44"]);
    private readonly SpendingPolicy _policy = new();

    [Theory]
    [InlineData("50.00", "0", "0", "allowed")]
    [InlineData("50.01", "0", "0", "spend-over-transaction-cap")]
    [InlineData("50.00", "50", "50", "allowed")]            // the day reaches its cap exactly
    [InlineData("0.01", "100", "100", "spend-over-daily-cap")]
    [InlineData("0.01", "0", "299.99", "allowed")]          // the month reaches its cap exactly
    [InlineData("0.01", "0", "300", "spend-over-monthly-cap")]
    [InlineData("50.01", "100", "300", "spend-over-transaction-cap")] // the single payment is judged first
    public void Evaluate_ChecksTransactionThenDayThenMonth(string amount, string day, string month, string reason)
    {
        var decision = _policy.Evaluate(Caps, new SpendTotals(decimal.Parse(day, System.Globalization.CultureInfo.InvariantCulture),
            decimal.Parse(month, System.Globalization.CultureInfo.InvariantCulture)), decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture));

        decision.Reason.Value.Should().Be(reason);
        decision.IsAllowed.Should().Be(reason == "allowed");
        decision.RequirementIds.Should().Equal("REG-MINOR-44");
    }

    [Fact]
    public void Evaluate_AZeroCap_RefusesEveryAmountAsNotAllowed_NotAsOverACap()
    {
        var none = new SpendingCaps(0m, 0m, 0m, SpendingBasis.Regulation, ["SH-POLICE-01"]);

        var decision = _policy.Evaluate(none, SpendTotals.Zero, 0.01m);

        decision.Reason.Should().Be(ReasonCode.SpendingNotAllowed);
        decision.RequirementIds.Should().Equal("SH-POLICE-01");
    }

    [Fact]
    public void Tighten_TakesTheLowerCapEachWay_SoAGuardianCannotRaiseOne()
    {
        var guardian = new SpendingCaps(20m, 500m, 100m, SpendingBasis.PlatformDefault, ["CAC-MMD-PARENT-01"]);

        var merged = Caps.Tighten(guardian);

        merged.Should().BeEquivalentTo(new SpendingCaps(20m, 100m, 100m, SpendingBasis.PlatformDefault, ["REG-MINOR-44", "CAC-MMD-PARENT-01"]));
        Caps.Tighten(null).Should().BeSameAs(Caps);
    }
}
