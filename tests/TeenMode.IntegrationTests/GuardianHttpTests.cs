using Newtonsoft.Json.Linq;

namespace TeenMode.IntegrationTests;

/// <summary>Guardians and guardian settings over HTTP: binding codes, settings within bounds, features, exempt categories.</summary>
public sealed class GuardianHttpTests
{
    [Fact]
    public async Task Bind_WithoutTheMinorsCode_Answers403_AndBindsNobody()
    {
        await using var app = await StartWithKidAsync();

        var (noCode, body) = await app.SendAsync(HttpMethod.Post, "/teenmode/v1/subjects/kid/guardians", "{\"guardianId\":\"mum\",\"pin\":\"246810\"}");
        var (exit, exitBody) = await app.SendAsync(HttpMethod.Post, "/teenmode/v1/subjects/kid/teen-mode/exit", "{\"guardianPin\":\"246810\"}");

        noCode.Should().Be(403);
        body["reasonCode"]!.ToString().Should().Be("binding-code-invalid");
        exit.Should().Be(403);
        exitBody["reasonCode"]!.ToString().Should().Be("no-guardian-bound");
    }

    [Fact]
    public async Task BindingCode_Is201_WithAnEightDigitCodeAndAnExpiry_AndWorksOnce()
    {
        await using var app = await StartWithKidAsync();

        var (status, start) = await app.SendAsync(HttpMethod.Post, "/teenmode/v1/subjects/kid/guardian-binding-codes");
        var bind = $"{{\"guardianId\":\"mum\",\"pin\":\"246810\",\"bindingCode\":\"{start["bindingCode"]}\"}}";
        var (first, _) = await app.SendAsync(HttpMethod.Post, "/teenmode/v1/subjects/kid/guardians", bind);
        var (again, againBody) = await app.SendAsync(HttpMethod.Post, "/teenmode/v1/subjects/kid/guardians",
            bind.Replace("\"mum\"", "\"dad\"", StringComparison.Ordinal).Replace("}", ",\"existingGuardianPin\":\"246810\"}", StringComparison.Ordinal));

        status.Should().Be(201);
        start["bindingCode"]!.ToString().Should().MatchRegex("^[0-9]{8}$");
        DateTimeOffset.Parse(start["expiresAt"]!.ToString(), System.Globalization.CultureInfo.InvariantCulture)
            .Should().BeCloseTo(DateTimeOffset.Parse("2026-03-04T07:10:00Z", System.Globalization.CultureInfo.InvariantCulture), TimeSpan.FromSeconds(1));
        first.Should().Be(201);
        again.Should().Be(403);
        againBody["reasonCode"]!.ToString().Should().Be("binding-code-invalid");
    }

    [Fact]
    public async Task Unbind_NeedsAGuardiansPin_AndThenTheGuardianCanNoLongerVerify()
    {
        await using var app = await StartWithKidAsync();
        (await app.BindGuardianAsync("kid", "mum", "246810")).Should().Be(201);
        (await app.BindGuardianAsync("kid", "dad", "864200", existingGuardianPin: "246810")).Should().Be(201);

        var (without, withoutBody) = await app.SendAsync(HttpMethod.Post, "/teenmode/v1/subjects/kid/guardians/dad/unbind");
        var (unknown, _) = await app.SendAsync(HttpMethod.Post, "/teenmode/v1/subjects/kid/guardians/stranger/unbind", "{\"guardianPin\":\"246810\"}");
        var (ok, _) = await app.SendAsync(HttpMethod.Post, "/teenmode/v1/subjects/kid/guardians/dad/unbind", "{\"guardianPin\":\"246810\"}");
        var (dadExit, dadExitBody) = await app.SendAsync(HttpMethod.Post, "/teenmode/v1/subjects/kid/teen-mode/exit", "{\"guardianPin\":\"864200\"}");

        without.Should().Be(403);
        withoutBody["reasonCode"]!.ToString().Should().Be("guardian-verification-required");
        unknown.Should().Be(404);
        ok.Should().Be(200);
        dadExit.Should().Be(403);
        dadExitBody["reasonCode"]!.ToString().Should().Be("guardian-verification-failed");
    }

    [Fact]
    public async Task Settings_Defaults_ComeFromThePack()
    {
        await using var app = await StartWithKidAsync();

        var (status, s) = await app.SendAsync(HttpMethod.Get, "/teenmode/v1/subjects/kid/settings");

        status.Should().Be(200);
        s["band"]!.ToString().Should().Be("12-16");
        s["dailyMinutes"]!.Value<int>().Should().Be(60);
        s["curfew"]!["start"]!.ToString().Should().Be("22:00");
        s["curfew"]!["end"]!.ToString().Should().Be("06:00");
        s["exemptCategories"]!.Values<string>().Should().Contain(["calls", "emergency", "education"]).And.NotContain("game");
        s["features"]!["stranger-dm"]!.Value<bool>().Should().BeFalse();
        s["features"]!["live-tipping"]!.Value<bool>().Should().BeFalse();
        s["features"]!["comments"]!.Value<bool>().Should().BeTrue();
        s["version"]!.Value<long>().Should().Be(0);
    }

    [Fact]
    public async Task Settings_OutOfBounds_Answers422NamingTheField_AndChangesNothing()
    {
        await using var app = await StartWithKidAsync();
        await app.BindGuardianAsync("kid", "mum", "246810");

        var (tooMany, tooManyBody) = await Patch(app, "{\"guardianPin\":\"246810\",\"dailyMinutes\":121}");
        var (dm, dmBody) = await Patch(app, "{\"guardianPin\":\"246810\",\"features\":{\"stranger-dm\":true}}");
        var (gameExempt, gameBody) = await Patch(app, "{\"guardianPin\":\"246810\",\"exemptCategories\":[\"game\"]}");
        var (olderBand, bandBody) = await Patch(app, "{\"guardianPin\":\"246810\",\"band\":\"16-18\"}");
        var (_, after) = await app.SendAsync(HttpMethod.Get, "/teenmode/v1/subjects/kid/settings");

        tooMany.Should().Be(422);
        tooManyBody["reasonCode"]!.ToString().Should().Be("setting-out-of-bounds");
        tooManyBody["errors"]!["dailyMinutes"]!.ToString().Should().Contain("120");
        dm.Should().Be(422);
        dmBody["errors"]!["features.stranger-dm"]!.ToString().Should().Contain("stranger-dm");
        gameExempt.Should().Be(422);
        gameBody["errors"]!["exemptCategories"]!.ToString().Should().Contain("game");
        olderBand.Should().Be(422);
        bandBody["errors"]!["band"]!.ToString().Should().NotBeEmpty();
        after["dailyMinutes"]!.Value<int>().Should().Be(60);
        after["band"]!.ToString().Should().Be("12-16");
        after["version"]!.Value<long>().Should().Be(0);
    }

    [Fact]
    public async Task Settings_WithinBounds_NeedTheGuardian_ThenApplyToUsageAtOnce()
    {
        await using var app = await StartWithKidAsync();
        await app.BindGuardianAsync("kid", "mum", "246810");

        var (noPin, noPinBody) = await Patch(app, "{\"dailyMinutes\":30}");
        var (ok, s) = await Patch(app, "{\"guardianPin\":\"246810\",\"dailyMinutes\":30,\"curfew\":{\"start\":\"21:00\",\"end\":\"07:00\"},\"exemptCategories\":[\"reading\"],\"spendingCaps\":{\"live-streaming\":{\"perTransaction\":\"0.00\",\"perDay\":null,\"perMonth\":\"20.00\"}}}");
        var (_, usage) = await app.SendAsync(HttpMethod.Get, "/teenmode/v1/subjects/kid/usage");
        await app.SendAsync(HttpMethod.Put, "/teenmode/conformance/v1/clock", "{\"local\":\"2026-03-04T21:30:00\"}");
        var (_, evening) = await app.SendAsync(HttpMethod.Get, "/teenmode/v1/subjects/kid/usage");
        var (_, reading) = await app.SendAsync(HttpMethod.Get, "/teenmode/v1/subjects/kid/usage?category=reading");

        noPin.Should().Be(403);
        noPinBody["reasonCode"]!.ToString().Should().Be("guardian-verification-required");
        ok.Should().Be(200);
        s["dailyMinutes"]!.Value<int>().Should().Be(30);
        s["exemptCategories"]!.Values<string>().Should().Contain("reading");
        s["spendingCaps"]!["live-streaming"]!["perMonth"]!.ToString().Should().Be("20.00");
        s["spendingCaps"]!["live-streaming"]!["perDay"]!.Type.Should().Be(JTokenType.Null);
        s["updatedBy"]!.ToString().Should().Be("mum");
        usage["remainingSeconds"]!.Value<long>().Should().Be(30 * 60);
        evening["reasonCode"]!.ToString().Should().Be("curfew", "the guardian's curfew starts at 21:00");
        reading["allowed"]!.Value<bool>().Should().BeTrue();
        reading["reasonCode"]!.ToString().Should().Be("exempt-category");
    }

    [Fact]
    public async Task Settings_BadInput_Answers400NamingEachField()
    {
        await using var app = await StartWithKidAsync();

        var (status, body) = await Patch(app, "{\"guardianPin\":\"246810\",\"dailyMinutes\":\"lots\",\"curfew\":{\"start\":\"9pm\"},\"exemptCategories\":[\"homework\"],\"features\":{\"teleport\":true},\"spendingCaps\":{\"live-streaming\":{\"perDay\":12.5}}}");

        status.Should().Be(400);
        var errors = (JObject)body["errors"]!;
        errors.Properties().Select(p => p.Name).Should().Contain(["dailyMinutes", "curfew", "exemptCategories", "features.teleport", "spendingCaps.live-streaming.perDay"]);
        errors["curfew"]!.ToString().Should().Contain("HH:mm");
    }

    [Fact]
    public async Task Features_StrangerDmOffInTeenMode_OnInNormalMode_UnknownIs404()
    {
        await using var app = await StartWithKidAsync();
        await app.SendAsync(HttpMethod.Post, "/teenmode/v1/subjects", "{\"id\":\"adult-mode\",\"birthDate\":\"2013-01-01\",\"teenMode\":false}");

        var (_, teen) = await app.SendAsync(HttpMethod.Get, "/teenmode/v1/subjects/kid/features/stranger-dm");
        var (_, normal) = await app.SendAsync(HttpMethod.Get, "/teenmode/v1/subjects/adult-mode/features/stranger-dm");
        var (unknown, unknownBody) = await app.SendAsync(HttpMethod.Get, "/teenmode/v1/subjects/kid/features/teleport");

        teen["allowed"]!.Value<bool>().Should().BeFalse();
        teen["reasonCode"]!.ToString().Should().Be("feature-disabled");
        teen["requirementIds"]!.Values<string>().Should().Contain("CAC-MM-SOCIAL-01");
        normal["allowed"]!.Value<bool>().Should().BeTrue();
        normal["reasonCode"]!.ToString().Should().Be("teen-mode-off");
        unknown.Should().Be(404);
        unknownBody["reasonCode"]!.ToString().Should().Be("unknown-feature");
        unknownBody["detail"]!.ToString().Should().Contain("stranger-dm");
    }

    [Fact]
    public async Task Heartbeat_UnknownCategory_Answers400_AndCountsNothing()
    {
        await using var app = await StartWithKidAsync();

        var (status, body) = await app.SendAsync(HttpMethod.Post, "/teenmode/v1/subjects/kid/heartbeats", "{\"deviceId\":\"p\",\"sequence\":1,\"seconds\":60,\"category\":\"homework\"}");
        var (_, usage) = await app.SendAsync(HttpMethod.Get, "/teenmode/v1/subjects/kid/usage");

        status.Should().Be(400);
        body["errors"]!["category"]!.ToString().Should().Contain("education");
        usage["remainingSeconds"]!.Value<long>().Should().Be(3600);
    }

    private static Task<(int Status, JObject Body)> Patch(SampleApp app, string json) =>
        app.SendAsync(HttpMethod.Patch, "/teenmode/v1/subjects/kid/settings", json);

    private static async Task<SampleApp> StartWithKidAsync()
    {
        var app = await SampleApp.StartAsync();
        await app.SendAsync(HttpMethod.Put, "/teenmode/conformance/v1/clock", "{\"local\":\"2026-03-04T15:00:00\"}");
        await app.SendAsync(HttpMethod.Post, "/teenmode/v1/subjects", "{\"id\":\"kid\",\"birthDate\":\"2013-01-01\"}");
        return app;
    }
}
