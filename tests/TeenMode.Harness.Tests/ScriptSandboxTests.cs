using System.Diagnostics;
using System.Globalization;
using Newtonsoft.Json.Linq;
using TeenMode.Harness.Scripting;

namespace TeenMode.Harness.Tests;

public class ScriptSandboxTests
{
    private static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-03-04T23:30:00+08:00", CultureInfo.InvariantCulture);
    private readonly ScriptSandbox _sandbox = new(new TimeLibrary(Shanghai, () => Now));

    private JToken Eval(string expression, params (string Name, JToken Value)[] scope) =>
        _sandbox.Evaluate(expression, scope.ToDictionary(s => s.Name, s => s.Value));

    [Theory]
    [InlineData("tm.instant('2026-03-04T22:00:00')", "2026-03-04T22:00:00+08:00")]
    [InlineData("tm.utc('2026-03-04T22:00:00')", "2026-03-04T14:00:00Z")]
    [InlineData("tm.local('2026-03-04T14:00:00Z')", "2026-03-04T22:00:00")]
    [InlineData("tm.local(1772632800000)", "2026-03-04T22:00:00")]
    [InlineData("tm.today()", "2026-03-04")]
    [InlineData("tm.now()", "2026-03-04T23:30:00+08:00")]
    [InlineData("tm.addSeconds('2026-03-04T21:59:59', 1)", "2026-03-04T22:00:00+08:00")]
    [InlineData("tm.yuan(5001)", "50.01")]
    [InlineData("tm.birthDateForAge(16)", "2009-09-03")]
    public void TimeAndMoneyHelpers(string expression, string expected) => Eval(expression).ToString().Should().Be(expected);

    [Fact]
    public void NumbersComeBackAsIntegers_WhenWhole()
    {
        Eval("tm.fen('50.01')").Type.Should().Be(JTokenType.Integer);
        Eval("tm.fen('50.01')").Value<long>().Should().Be(5001);
        Eval("tm.epochMillis('2026-03-04T22:00:00')").Value<long>().Should().Be(1772632800000);
        Eval("[1, 2.5]").Should().BeEquivalentTo(JArray.Parse("[1, 2.5]"));
    }

    [Fact]
    public void TheScopeIsThere_WithDottedNamesAsObjects()
    {
        Eval("subject.token + ':' + age", ("subject.token", "t1"), ("age", 13)).ToString().Should().Be("t1:13");
        Eval("status === 403 ? body.error.code : 'OK'", ("status", 403), ("body", JObject.Parse("""{"error":{"code":"PIN_WRONG"}}"""))).ToString().Should().Be("PIN_WRONG");
    }

    [Theory]
    [InlineData("tm.fen('1.234')", "two decimals")]
    [InlineData("tm.birthDateForAge(12.5)", "whole number")]
    [InlineData("tm.instant('not a time')", "not a time")]
    [InlineData("undefinedName + 1", "undefinedName")]
    public void Mistakes_AreScriptExceptionsThatSayWhat(string expression, string says)
    {
        var act = () => Eval(expression);

        act.Should().Throw<ScriptException>().Which.Message.Should().Contain(says).And.Contain(expression);
    }

    [Theory]
    [InlineData("(() => { while (true) {} })()", "statements")]
    [InlineData("(function f() { return f(); })()", "recursed")]
    [InlineData("(() => { let a = []; for (let i = 0; i < 9000; i++) { a.push(new Array(1000).fill(i)); } return a.length; })()", "")]
    public void Limits_StopRunawayExpressionsQuickly(string expression, string says)
    {
        var watch = Stopwatch.StartNew();
        var act = () => Eval(expression);

        act.Should().Throw<ScriptException>().Which.Message.Should().Contain(says.Length > 0 ? says : "failed");
        watch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(5));
    }

    [Theory]
    [InlineData("typeof System")]
    [InlineData("typeof require")]
    [InlineData("typeof importNamespace")]
    [InlineData("typeof fetch")]
    [InlineData("typeof setTimeout")]
    public void TheHostIsOutOfReach(string expression) => Eval(expression).ToString().Should().Be("undefined");

    [Fact]
    public void SyntaxErrors_AreFoundWithoutRunning()
    {
        ScriptSandbox.SyntaxError("tm.fen(amount").Should().NotBeNullOrEmpty();
        ScriptSandbox.SyntaxError("teenMode === true").Should().BeNull();
    }
}
