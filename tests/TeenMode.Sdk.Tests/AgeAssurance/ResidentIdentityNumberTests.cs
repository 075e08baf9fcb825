using System.Globalization;
using TeenMode.AgeAssurance;
using TeenMode.PersonalInfo;

namespace TeenMode.Tests.AgeAssurance;

public sealed class ResidentIdentityNumberTests
{
    private static readonly DateOnly Today = new(2026, 3, 1);

    private static readonly int[] Provinces =
        [11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83];

    // The example of the standard's annex, by hand: body 11010519491231002, weights 2^(17-i) mod 11 =
    // 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2; sum = 7+9+0+5+0+20+2+9+24+27+7+18+30+5+0+0+4 = 167;
    // 167 mod 11 = 2; check value (12 - 2) mod 11 = 10, written X.
    private const string PublishedExample = "11010519491231002X";

    [Fact]
    public void ComputeCheckCharacter_PublishedExample_IsX()
    {
        ResidentIdentityNumber.ComputeCheckCharacter("11010519491231002").Should().Be('X');
        ResidentIdentityNumber.Validate(PublishedExample, Today).Should().Be(new IdentityNumberCheck(ReasonCode.Allowed, new DateOnly(1949, 12, 31)));
    }

    [Fact]
    public void Validate_GeneratedBodies_OnlyTheComputedCheckCharacterPasses()
    {
        var random = new Random(20260301);
        const string Alphabet = "0123456789X";
        var first = new DateOnly(1900, 1, 1).DayNumber;
        for (var n = 0; n < 2500; n++)
        {
            var birth = DateOnly.FromDayNumber(random.Next(first, Today.DayNumber + 1));
            var body = string.Create(CultureInfo.InvariantCulture,
                $"{Provinces[random.Next(Provinces.Length)]:D2}{random.Next(10000):D4}{birth:yyyyMMdd}{random.Next(1000):D3}");
            var check = ResidentIdentityNumber.ComputeCheckCharacter(body);

            var valid = ResidentIdentityNumber.Validate(body + check, Today);
            valid.IsValid.Should().BeTrue();
            valid.BirthDate.Should().Be(birth);

            foreach (var other in Alphabet.Where(c => c != check))
            {
                ResidentIdentityNumber.Validate(body + other, Today).Reason.Should().Be(ReasonCode.IdentityNumberCheckCharacter);
            }
        }
    }

    [Theory]
    [InlineData("20131307", "month 13")]
    [InlineData("20130000", "month 00")]
    [InlineData("20130300", "day 00")]
    [InlineData("20130230", "30 February")]
    [InlineData("20230229", "29 February in a common year")]
    [InlineData("21000229", "2100 is not a leap year")]
    [InlineData("20130431", "31 April")]
    [InlineData("18991231", "before 1900")]
    public void Validate_ImpossibleBirthDate_IsBirthDate(string yyyyMMdd, string because) =>
        ResidentIdentityNumber.Validate(WithCheck("110105" + yyyyMMdd + "002"), Today).Reason.Should().Be(ReasonCode.IdentityNumberBirthDate, because);

    [Theory]
    [InlineData("20240229")]
    [InlineData("20000229")]
    [InlineData("19000101")]
    public void Validate_RealEdgeDates_AreValid(string yyyyMMdd) =>
        ResidentIdentityNumber.Validate(WithCheck("110105" + yyyyMMdd + "002"), Today).IsValid.Should().BeTrue();

    [Fact]
    public void Validate_BirthDateAfterToday_IsFuture_AndTodayIsFine()
    {
        ResidentIdentityNumber.Validate(WithCheck("11010520260302002"), Today).Reason.Should().Be(ReasonCode.IdentityNumberBirthDateFuture);
        ResidentIdentityNumber.Validate(WithCheck("11010520260301002"), Today).BirthDate.Should().Be(Today);
    }

    [Theory]
    [InlineData("00")]
    [InlineData("10")]
    [InlineData("16")]
    [InlineData("47")]
    [InlineData("99")]
    public void Validate_NotAProvince_IsRegion(string province) =>
        ResidentIdentityNumber.Validate(WithCheck(province + "010520130307002"), Today).Reason.Should().Be(ReasonCode.IdentityNumberRegion);

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("11010520130307002")]
    [InlineData("1101052013030700271")]
    [InlineData("11010520130307002A")]
    [InlineData("1101052013030700a7")]
    [InlineData("11010520130307002 ")]
    [InlineData(" 110105201303070027")]
    [InlineData("110105 01303070027")]
    [InlineData("11010520130307002\t")]
    [InlineData("１10105201303070027")]
    public void Validate_Malformed_IsMalformed(string? text) =>
        ResidentIdentityNumber.Validate(text, Today).Should().Be(new IdentityNumberCheck(ReasonCode.IdentityNumberMalformed, null));

    [Fact]
    public void Validate_LowercaseX_IsAccepted()
    {
        var check = ResidentIdentityNumber.Validate(PublishedExample.ToLowerInvariant(), Today);

        check.IsValid.Should().BeTrue();
        check.BirthDate.Should().Be(new DateOnly(1949, 12, 31));
    }

    [Fact]
    public void Validate_ChecksInOrder_MalformedBeforeRegionBeforeDateBeforeCheckCharacter()
    {
        // Bad region, impossible date and wrong check character at once: region is reported.
        ResidentIdentityNumber.Validate("991305201313070020", Today).Reason.Should().Be(ReasonCode.IdentityNumberRegion);

        // Impossible date and wrong check character: the date is reported.
        ResidentIdentityNumber.Validate("110105201313070020", Today).Reason.Should().Be(ReasonCode.IdentityNumberBirthDate);
    }

    [Fact]
    public void Validate_Result_NeverContainsTheNumber()
    {
        var check = ResidentIdentityNumber.Validate("110105201303070028", Today);

        check.Reason.Should().Be(ReasonCode.IdentityNumberCheckCharacter);
        check.ToString().Should().NotContain("110105");
    }

    [Theory]
    [InlineData("1101052013030700")]
    [InlineData("110105201303070027")]
    [InlineData("1101052013030700A")]
    public void ComputeCheckCharacter_NotSeventeenDigits_Throws_WithoutEchoingTheInput(string text)
    {
        var compute = () => ResidentIdentityNumber.ComputeCheckCharacter(text);

        compute.Should().Throw<ArgumentException>().Which.Message.Should().NotContain("1101052013");
    }

    [Fact]
    public void Redaction_UsesTheSameCheckCharacter_AndStillIgnoresRegionAndDate()
    {
        Redaction.IsValidIdNumber(PublishedExample).Should().BeTrue();
        Redaction.IsValidIdNumber(PublishedExample.ToLowerInvariant()).Should().BeTrue();
        Redaction.IsValidIdNumber("11010519491231002 ").Should().BeFalse();

        // Region 99 and month 13 are not an identity number, yet the check character fits: logs still treat it as one.
        var odd = WithCheck("99010520131307002");
        ResidentIdentityNumber.Validate(odd, Today).IsValid.Should().BeFalse();
        Redaction.IsValidIdNumber(odd).Should().BeTrue();
    }

    private static string WithCheck(string body) => body + ResidentIdentityNumber.ComputeCheckCharacter(body);
}
