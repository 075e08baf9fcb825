using Newtonsoft.Json.Linq;
using TeenMode.Harness.Templating;

namespace TeenMode.Harness.Tests;

public class TemplateTests
{
    private static readonly Dictionary<string, JToken> Vars = new(StringComparer.Ordinal)
    {
        ["age"] = 13,
        ["on"] = true,
        ["bands"] = new JArray("8-12"),
        ["name"] = "小明 kid",
        ["nothing"] = JValue.CreateNull(),
    };

    [Fact]
    public void ExactReference_KeepsTheVariablesJsonType()
    {
        var result = Template.Expand(JObject.Parse("""{ "age": "${age}", "teenMode": "${on}", "bands": "${bands}", "x": "${nothing}" }"""), Vars)!;

        result["age"]!.Type.Should().Be(JTokenType.Integer);
        result["teenMode"]!.Type.Should().Be(JTokenType.Boolean);
        result["bands"].Should().BeOfType<JArray>().Which.Should().ContainSingle();
        result["x"]!.Type.Should().Be(JTokenType.Null);
    }

    [Fact]
    public void EmbeddedReference_IsInterpolatedAsText()
    {
        Template.Expand(new JValue("age=${age}, on=${on}, ${name}"), Vars)!.ToString().Should().Be("age=13, on=true, 小明 kid");
    }

    [Fact]
    public void PathEncoding_AppliesToInterpolatedValuesOnly()
    {
        Template.ExpandString("/subjects/${name}/usage", Vars, Uri.EscapeDataString).Should().Be("/subjects/%E5%B0%8F%E6%98%8E%20kid/usage");
    }

    [Fact]
    public void OptionalReference_OmitsThePropertyWhenUndefined()
    {
        var result = Template.Expand(JObject.Parse("""{ "age": "${age?}", "birthDate": "${birthDate?}", "list": ["${gone?}", 1] }"""), Vars)!;

        result.ToString(Newtonsoft.Json.Formatting.None).Should().Be("""{"age":13,"list":[1]}""");
    }

    [Fact]
    public void UndefinedRequiredReference_Throws()
    {
        var act = () => Template.Expand(new JValue("${missing}"), Vars);

        act.Should().Throw<TemplateException>().WithMessage("*'${missing}'*");
    }

    [Fact]
    public void DoubleDollar_IsALiteral()
    {
        Template.ExpandString("cost $${age}", Vars).Should().Be("cost ${age}");
        Template.References(new JValue("$${age} ${on}")).Select(r => r.Name).Should().Equal("on");
    }
}
