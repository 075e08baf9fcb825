using TeenMode.PersonalInfo;

namespace TeenMode.Tests.PersonalInfo;

public sealed class DataInventoryTests
{
    [Fact]
    public void SampleInventory_Loads_WithCategoriesPurposesAndRetention()
    {
        var inventory = DataInventoryLoader.LoadEmbedded(DataInventoryLoader.SampleId);

        inventory.Field("precise-location")!.Category.Should().Be(PersonalDataCategory.PreciseLocation);
        inventory.Field("id-card-number")!.IsSensitive.Should().BeTrue();
        inventory.Field("nickname")!.IsSensitive.Should().BeFalse();
        inventory.Purpose("account")!.Essential.Should().BeTrue();
        inventory.Purpose("personalised-ads")!.OffByDefaultForMinors.Should().BeTrue();
        inventory.Purpose("nearby")!.Retention.Should().Be(TimeSpan.FromDays(1));
    }

    [Fact]
    public void APurposeNeedingAnUndeclaredField_IsReportedWithFileLineColumnAndTheField()
    {
        const string Json = """
            {
              "id": "t", "version": "1", "noticeVersion": "n1",
              "fields": [ { "name": "nickname", "category": "basic" } ],
              "purposes": [
                { "id": "account", "fields": ["nickname", "shoe-size"], "essential": true, "retentionDays": 30 }
              ]
            }
            """;

        var act = () => DataInventoryLoader.Parse(Json, "inv.json");

        var error = act.Should().Throw<TeenModeConfigurationException>().Which;
        error.Message.Should().Contain("inv.json:5:").And.Contain("purposes[account].fields").And.Contain("shoe-size");
    }

    [Fact]
    public void AnUnknownCategory_IsReportedBySchemaWithItsLocation()
    {
        const string Json = """
            {
              "id": "t", "version": "1", "noticeVersion": "n1",
              "fields": [ { "name": "nickname", "category": "gossip" } ],
              "purposes": [ { "id": "account", "fields": ["nickname"], "essential": true, "retentionDays": 30 } ]
            }
            """;

        var act = () => DataInventoryLoader.Parse(Json, "inv.json");

        act.Should().Throw<TeenModeConfigurationException>().Which.Message.Should().Contain("inv.json:3:").And.Contain("category");
    }

    [Fact]
    public void RulePack_CarriesTheGuardianConsentAge_WithItsSource()
    {
        var pack = TeenMode.Rules.RulePackLoader.LoadEmbedded("cn-cac-2024");

        pack.PersonalInfo!.GuardianConsentUnderAge.Value.Should().Be(14);
        pack.PersonalInfo.GuardianConsentUnderAge.RequirementIds.Should().Contain("PIPL-31");
        pack.PersonalInfo.RequestDueBasis!.En.Should().Contain("gives no number");
    }
}
