using Newtonsoft.Json.Linq;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using ShortVideoApp;
using TeenMode.AspNetCore.Conformance;

namespace TeenMode.IntegrationTests;

public sealed class ConformanceDriverTests
{
    [Fact]
    public void Build_InProduction_RefusesToMapTheDriver()
    {
        var act = () => ShortVideoAppHost.Build(new ShortVideoAppOptions
        {
            DatabasePath = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N") + ".db"),
            ConformanceKey = SampleApp.Key,
            EnvironmentName = "Production",
        });

        act.Should().Throw<InvalidOperationException>().WithMessage("*not in 'Production'*");
    }

    // Issue 13: the check was a deny-list, so "Production " (trailing space) opened the clock and setup endpoints.
    [Theory]
    [InlineData("Production ")]
    [InlineData(" production")]
    [InlineData("PRODUCTION")]
    [InlineData("prod")]
    [InlineData("Staging")]
    [InlineData("")]
    public void Build_OutsideTheAllowedEnvironments_RefusesToMapTheDriver(string environment)
    {
        var act = () => ShortVideoAppHost.Build(new ShortVideoAppOptions
        {
            DatabasePath = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N") + ".db"),
            ConformanceKey = SampleApp.Key,
            EnvironmentName = environment,
        });

        act.Should().Throw<InvalidOperationException>().WithMessage("*runs only in the environments*");
    }

    [Theory]
    [InlineData("Testing")]
    [InlineData(" conformance ")]
    [InlineData("development")]
    public void Build_InAnAllowedEnvironment_MapsTheDriver(string environment)
    {
        var act = () => ShortVideoAppHost.Build(new ShortVideoAppOptions
        {
            DatabasePath = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N") + ".db"),
            ConformanceKey = SampleApp.Key,
            EnvironmentName = environment,
        });

        act.Should().NotThrow();
    }

    [Fact]
    public async Task Start_InProductionWithDriverRegisteredButNotMapped_RefusesToStart()
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddTeenMode().AddTeenModeConformanceDriver(o =>
        {
            o.Enabled = true;
            o.SharedSecret = SampleApp.Key;
        });
        await using var app = builder.Build();

        var act = () => app.StartAsync();

        await act.Should().ThrowAsync<InvalidOperationException>().WithMessage("*Production*");
    }

    [Fact]
    public void Map_WithoutTheExplicitOption_Refuses()
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = "Development" });
        builder.Services.AddTeenMode().AddTeenModeConformanceDriver(o => o.SharedSecret = SampleApp.Key);
        var app = builder.Build();

        var act = () => app.MapTeenModeConformanceDriver();

        act.Should().Throw<InvalidOperationException>().WithMessage("*not enabled*");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("short")]
    [InlineData("0123456789abcdef0123456789abcde")] // 31 bytes
    [InlineData("                                ")] // 32 blanks
    public void Map_WithAMissingBlankOrShortSecret_RefusesWithABilingualConfigurationError(string? secret)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = "Development" });
        builder.Services.AddTeenMode().AddTeenModeConformanceDriver(o =>
        {
            o.Enabled = true;
            o.SharedSecret = secret;
        });
        var app = builder.Build();

        var act = () => app.MapTeenModeConformanceDriver();

        act.Should().Throw<TeenModeConfigurationException>().WithMessage("*SharedSecret*32*").WithMessage("*共享密钥*");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("wrong-key-wrong-key-wrong")]
    public async Task Driver_WithoutTheSharedSecret_Answers401(string? key)
    {
        await using var app = await SampleApp.StartAsync();
        app.Client.DefaultRequestHeaders.Remove("X-TeenMode-Conformance-Key");
        if (key is not null)
        {
            app.Client.DefaultRequestHeaders.Add("X-TeenMode-Conformance-Key", key);
        }

        var (status, body) = await app.SendAsync(HttpMethod.Post, "/teenmode/conformance/v1/subjects", "{\"age\":10}");

        status.Should().Be(401);
        body["reasonCode"]!.ToString().Should().Be("conformance-key-required");
    }

    [Fact]
    public async Task Clock_SetInLocalTime_DrivesCurfewDecisions()
    {
        await using var app = await SampleApp.StartAsync();
        var (_, clock) = await app.SendAsync(HttpMethod.Put, "/teenmode/conformance/v1/clock", "{\"local\":\"2026-03-04T21:59:59\"}");
        clock["instant"]!.ToString().Should().Be("2026-03-04T13:59:59.000Z");
        var (_, subject) = await app.SendAsync(HttpMethod.Post, "/teenmode/conformance/v1/subjects", "{\"age\":13}");
        var id = subject["subjectId"]!.ToString();
        subject["band"]!.ToString().Should().Be("12-16");

        var (_, before) = await app.SendAsync(HttpMethod.Get, $"/teenmode/v1/subjects/{id}/usage");
        await app.SendAsync(HttpMethod.Post, "/teenmode/conformance/v1/clock/advance", "{\"seconds\":1}");
        var (_, after) = await app.SendAsync(HttpMethod.Get, $"/teenmode/v1/subjects/{id}/usage");

        before["allowed"]!.Value<bool>().Should().BeTrue();
        after["allowed"]!.Value<bool>().Should().BeFalse();
        after["reasonCode"]!.ToString().Should().Be("curfew");
        after["requirementIds"]!.Values<string>().Should().Contain("CAC-MM-CURFEW-01");
    }
}
