using TeenMode.ContentPool;

namespace TeenMode.Tests.Core;

/// <summary>A content import file in JSON is one strict document: nothing after it, no repeated property.</summary>
public sealed class ContentFileStrictJsonTests
{
    private const string Item = """{"id":"a","title":"星空","category":"science","bands":["8-12"],"format":"video","mayAffectMinors":false,"flags":[],"popularity":1}""";

    [Fact]
    public void OneDocument_IsImported()
    {
        var (items, errors) = ContentFile.Read("[" + Item + "]", ContentFileFormat.Json);

        errors.Should().BeEmpty();
        items.Should().ContainSingle(i => i.Id == "a");
    }

    [Theory]
    [InlineData("}}}garbage")]
    [InlineData("[]")]
    [InlineData(" {\"items\":[]}")]
    [InlineData("/* a comment */")]
    public void ContentAfterTheDocument_IsRefused_AndNothingIsRead(string trailing)
    {
        var (items, errors) = ContentFile.Read("[" + Item + "]" + trailing, ContentFileFormat.Json);

        items.Should().BeEmpty();
        errors.Should().ContainSingle().Which.Message.Should().Contain("JSON");
    }

    [Fact]
    public void RepeatedProperty_IsRefused()
    {
        var (items, errors) = ContentFile.Read("""[{"id":"a","id":"b","title":"t","category":"science","bands":["8-12"],"format":"video","mayAffectMinors":false,"flags":[],"popularity":1}]""", ContentFileFormat.Json);

        items.Should().BeEmpty();
        errors.Should().NotBeEmpty();
    }
}
