using System.Reflection;
using TeenMode.AgeAssurance;
using TeenMode.Rules;

namespace TeenMode.Tests.AgeAssurance;

public sealed class AgeSignalTableTests
{
    private const string Harmony = "harmonyos";
    private const string Apple = "apple-declared-age-range";
    private const string Google = "google-play-age-signals";

    private static readonly AgeSignalTable Table = AgeSignalTable.LoadDefault();
    private static readonly RulePack Pack = RulePackLoader.LoadEmbedded("cn-cac-2024");

    [Fact]
    public void SeedFile_OnDisk_ValidatesAgainstItsSchema_AndMatchesTheEmbeddedCopy()
    {
        var path = SeedPath();

        var load = () => SeedJson.Load(path, "age-signals.schema.json");

        load.Should().NotThrow();
        File.ReadAllText(path).Should().Be(SeedJson.ReadEmbedded("age-signals/os-age-signals.json"));
        AgeSignalTable.Load(path).Sources.Select(s => s.Id).Should().Equal(Harmony, Apple, Google);
    }

    [Fact]
    public void Sources_CiteCatalogRequirements_AndOfficialDocuments()
    {
        Table.BandsPack.Should().Be("cn-cac-2024");
        Table.Source(Harmony)!.RequirementIds.Should().Equal("HW-MP-02");
        Table.Source(Apple)!.RequirementIds.Should().Equal("APPLE-DAR");
        Table.Source(Google)!.RequirementIds.Should().Equal("GOOGLE-PAS");
        Table.Sources.Should().OnlyContain(s => s.DocumentUrl.Scheme == "https" && s.DefaultRanges.Count > 0);
        Table.Sources.SelectMany(s => s.RequirementIds).Should().OnlyContain(id => RequirementCatalog.Default.Contains(id));
        Table.Source(Harmony)!.UpperInclusive.Should().BeFalse();
        Table.Source(Apple)!.UpperInclusive.Should().BeTrue();
        Table.Source(Google)!.UpperInclusive.Should().BeTrue();
    }

    public static TheoryData<string, int?, int?, string> DefaultRanges()
    {
        var data = new TheoryData<string, int?, int?, string>();
        foreach (var source in AgeSignalTable.LoadDefault().Sources)
        {
            foreach (var range in source.DefaultRanges)
            {
                data.Add(source.Id, range.Lower, range.Upper, range.Band);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(DefaultRanges))]
    public void EveryDefaultRange_MapsAsTheSeedSays(string source, int? lower, int? upper, string expected)
    {
        var mapping = Table.Map(new AgeSignal(source, RangeStatus(source), lower, upper), Pack);

        if (expected == "adult")
        {
            mapping.Should().Be(new AgeSignalMapping(AgeSignalTreatment.Adult, null, ReasonCode.AgeSignalAdult, Table.Source(source)!.RequirementIds));
        }
        else
        {
            mapping.Treatment.Should().Be(AgeSignalTreatment.Band);
            mapping.Band!.Value.Id.Should().Be(expected);
            mapping.Reason.Should().Be(ReasonCode.Allowed);
        }
    }

    [Fact]
    public void ExactBands_MapToThemselves_ForEverySource()
    {
        foreach (var rules in Pack.Bands)
        {
            var band = rules.Band;
            Band(Harmony, band.FromAge, band.ToAge).Should().Be(band, "HarmonyOS reports [from, to) with the upper age excluded");
            Band(Google, band.FromAge, band.ToAge - 1).Should().Be(band, "Google's upper age is inclusive");
            Band(Apple, band.FromAge, band.ToAge - 1).Should().Be(band, "Apple's upper age is inclusive");
        }
    }

    [Fact]
    public void RangesStraddlingABoundary_TakeTheYoungerBand_AtEveryBoundaryOfThePack()
    {
        foreach (var rules in Pack.Bands)
        {
            var band = rules.Band;
            var boundary = band.ToAge;
            Band(Google, boundary - 1, boundary).Should().Be(band);
            Band(Apple, boundary - 1, boundary + 1).Should().Be(band);
            Band(Harmony, boundary - 1, boundary + 1).Should().Be(band);
            Band(Google, band.FromAge, boundary + 2).Should().Be(band, "a range reaching into older bands still starts in this one");
        }
    }

    [Theory]
    [InlineData(Harmony, 12, 16, "12-16")]
    [InlineData(Google, 12, 15, "12-16")]
    [InlineData(Google, 12, 16, "12-16")]
    [InlineData(Apple, 15, 16, "12-16")]
    [InlineData(Google, 13, 15, "12-16")]
    [InlineData(Apple, 10, 13, "8-12")]
    [InlineData(Google, 0, 12, "0-3")]
    [InlineData(Google, 16, 17, "16-18")]
    [InlineData(Harmony, 16, 18, "16-18")]
    [InlineData(Apple, 16, null, "16-18")]
    [InlineData(Apple, null, 12, "0-3")]
    [InlineData(Google, 17, null, "16-18")]
    public void KnownRanges_MapToTheExpectedBand(string source, int? lower, int? upper, string expected) =>
        Band(source, lower, upper)!.Value.Id.Should().Be(expected);

    [Theory]
    [InlineData(Google, "verified", null, null)]
    [InlineData(Google, "supervised", 18, null)]
    [InlineData(Apple, "sharing", 18, null)]
    [InlineData(Apple, "sharing", 21, 25)]
    [InlineData(Harmony, "on", 18, 19)]
    public void AdultSignals_AreAdult_WithNoBand(string source, string status, int? lower, int? upper)
    {
        var mapping = Table.Map(new AgeSignal(source, status, lower, upper), Pack);

        mapping.Treatment.Should().Be(AgeSignalTreatment.Adult);
        mapping.Band.Should().BeNull();
        mapping.Reason.Should().Be(ReasonCode.AgeSignalAdult);
    }

    [Theory]
    [InlineData(Apple, "declined-sharing", "APPLE-DAR")]
    [InlineData(Google, "unknown", "GOOGLE-PAS")]
    [InlineData(Harmony, "unavailable", "HW-MP-02")]
    public void DeclinedOrUnknown_IsTheMostProtectiveBand(string source, string status, string requirement)
    {
        var mapping = Table.Map(new AgeSignal(source, status), Pack);

        mapping.Treatment.Should().Be(AgeSignalTreatment.Declined);
        mapping.Band.Should().Be(Pack.MostProtective.Band);
        mapping.Reason.Should().Be(ReasonCode.AgeSignalDeclined);
        mapping.RequirementIds.Should().Equal(requirement);
    }

    [Fact]
    public void HarmonyMinorModeOff_ChangesNothing()
    {
        var mapping = Table.Map(new AgeSignal(Harmony, "off"), Pack);

        mapping.Should().Be(new AgeSignalMapping(AgeSignalTreatment.None, null, ReasonCode.Allowed, Table.Source(Harmony)!.RequirementIds));
    }

    [Theory]
    [InlineData("SUPERVISED_APPROVAL_PENDING")]
    [InlineData("supervised-approval-denied")]
    [InlineData("Supervised")]
    public void GoogleStatuses_AcceptTheApiSpelling(string status) =>
        Table.Map(new AgeSignal(Google, status, 13, 15), Pack).Band!.Value.Id.Should().Be("12-16");

    [Theory]
    [InlineData("android-oem", "on", null, null, "source")]
    [InlineData("", "on", null, null, "source")]
    [InlineData("HarmonyOS", "on", 12, 16, "source")]
    [InlineData(Harmony, "sharing", 12, 16, "status")]
    [InlineData(Apple, "declinedSharing", null, null, "status")]
    [InlineData(Google, "declared", 13, 15, "status")]
    [InlineData(Google, "", 13, 15, "status")]
    [InlineData(Google, "supervised", -1, 15, "lowerAge")]
    [InlineData(Google, "supervised", 13, -1, "upperAge")]
    [InlineData(Google, "supervised", 151, null, "lowerAge")]
    [InlineData(Apple, "sharing", 13, 200, "upperAge")]
    [InlineData(Google, "supervised", 15, 13, "upperAge")]
    [InlineData(Apple, "sharing", 16, 15, "upperAge")]
    [InlineData(Harmony, "on", 12, 12, "upperAge")]
    [InlineData(Harmony, "on", null, 16, "lowerAge")]
    [InlineData(Harmony, "on", 12, null, "upperAge")]
    [InlineData(Google, "supervised", null, 15, "lowerAge")]
    [InlineData(Google, "verified", -5, null, "lowerAge")]
    public void InvalidSignals_NameTheField_WithoutThrowing(string source, string status, int? lower, int? upper, string field)
    {
        var ok = Table.TryMap(new AgeSignal(source, status, lower, upper), Pack, out var mapping, out var error);

        ok.Should().BeFalse();
        mapping.Should().BeNull();
        error!.Field.Should().Be(field);
        error.Message.ZhCn.Should().NotBeNullOrWhiteSpace();
        error.Message.En.Should().NotBeNullOrWhiteSpace();
    }

    [Fact]
    public void Map_InvalidSignal_ThrowsArgumentException_NamingTheField()
    {
        var map = () => Table.Map(new AgeSignal(Google, "supervised", 15, 13), Pack);

        map.Should().Throw<ArgumentException>().WithMessage("upperAge:*");
    }

    [Fact]
    public void Load_MissingFile_ThrowsConfigurationException()
    {
        var load = () => AgeSignalTable.Load(Path.Combine(Path.GetTempPath(), "no-such-age-signals.json"));

        load.Should().Throw<TeenModeConfigurationException>().WithMessage("*cannot read*");
    }

    [Theory]
    [InlineData("\"treatment\": \"declined\"", "\"treatment\": \"ignore\"", "treatment")]
    [InlineData("\"upperBound\": \"exclusive\"", "\"upperBound\": \"half-open\"", "upperBound")]
    [InlineData("[\"HW-MP-02\"]", "[\"HW-MP-99\"]", "unknown requirement id 'HW-MP-99'")]
    [InlineData("\"band\": \"12-16\" },\n        { \"lower\": 16", "\"band\": \"16-12\" },\n        { \"lower\": 16", "'16-12' is not a band id")]
    [InlineData("\"id\": \"google-play-age-signals\"", "\"id\": \"harmonyos\"", "declared twice")]
    public void Parse_BadSeed_ThrowsConfigurationException_NamingTheProblem(string find, string replace, string expected)
    {
        var json = SeedJson.ReadEmbedded("age-signals/os-age-signals.json");
        json.Should().Contain(find);

        var parse = () => AgeSignalTable.Parse(json.Replace(find, replace, StringComparison.Ordinal), "bad.json");

        parse.Should().Throw<TeenModeConfigurationException>().Which.Message.Should().Contain(expected).And.Contain("bad.json:");
    }

    private static AgeBand? Band(string source, int? lower, int? upper)
    {
        var mapping = Table.Map(new AgeSignal(source, RangeStatus(source), lower, upper), Pack);
        mapping.Treatment.Should().Be(AgeSignalTreatment.Band);
        return mapping.Band;
    }

    private static string RangeStatus(string source) =>
        AgeSignalTable.LoadDefault().Source(source)!.Statuses.First(s => s.Treatment == AgeSignalStatusTreatment.Range).Status;

    private static string SeedPath()
    {
        var projectDirectory = typeof(AgeSignalTableTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "SourceRoot").Value!;
        return Path.GetFullPath(Path.Combine(projectDirectory, "..", "..", "seeds", "age-signals", "os-age-signals.json"));
    }
}
