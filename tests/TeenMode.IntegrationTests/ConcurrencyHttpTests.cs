using System.Globalization;
using Newtonsoft.Json.Linq;
using Xunit.Abstractions;

namespace TeenMode.IntegrationTests;

/// <summary>Anything that counts attempts or spends money holds under 100 parallel requests over HTTP, on SQLite.</summary>
public sealed class ConcurrencyHttpTests(ITestOutputHelper output)
{
    private const int Burst = 100;

    [Fact]
    public async Task OneHundredParallelExits_VerifyAtMostTheLimit_ThenTheLockHolds()
    {
        await using var app = await SampleApp.StartAsync();
        await RegisterAsync(app);
        (await app.BindGuardianAsync("kid", "mum", "246813")).Should().Be(201);

        // 99 wrong PINs and the right one, all at once: the old read-check-record order verified dozens of them.
        var answers = await Task.WhenAll(Enumerable.Range(0, Burst).Select(i => Task.Run(() =>
            app.SendAsync(HttpMethod.Post, "/teenmode/v1/subjects/kid/teen-mode/exit",
                new JObject { ["guardianPin"] = i == Burst / 2 ? "246813" : (100000 + i).ToString(CultureInfo.InvariantCulture) }.ToString()))));

        var verified = answers.Count(a => a.Status == 200 || a.Body["reasonCode"]?.ToString() == "guardian-verification-failed");
        var locked = answers.Count(a => a.Status == 429 && a.Body["reasonCode"]?.ToString() == "guardian-locked-out");
        output.WriteLine($"parallel verification attempts: {Burst}; PINs verified before the lock: {verified} (limit 5); locked out: {locked}");
        verified.Should().BeLessThanOrEqualTo(5, "an attempt is reserved before its PIN is checked (GuardianMaxFailures 5)");
        (verified + locked).Should().Be(Burst, "every attempt is either checked or refused by the lock");
        if (answers.All(a => a.Status != 200))
        {
            var (status, body) = await app.SendAsync(HttpMethod.Post, "/teenmode/v1/subjects/kid/teen-mode/exit", """{"guardianPin":"246813"}""");
            status.Should().Be(429, "during the lock not even the right PIN is checked");
            body["reasonCode"]!.ToString().Should().Be("guardian-locked-out");
            (await app.SendAsync(HttpMethod.Get, "/teenmode/v1/subjects/kid")).Body["teenMode"]!.Value<bool>().Should().BeTrue();
        }
    }

    [Fact]
    public async Task OneHundredParallelSpends_NeverPassTheCap_AndEveryAllowedOneIsRecorded()
    {
        await using var app = await SampleApp.StartAsync();
        await RegisterAsync(app);
        var (_, first) = await app.SendAsync(HttpMethod.Post, "/teenmode/v1/subjects/kid/spends", """{"category":"video","amount":"1.00"}""");
        first["allowed"]!.Value<bool>().Should().BeTrue(first.ToString());
        var cap = Math.Min(Money(first["caps"]!["perDay"]), Money(first["caps"]!["perMonth"]));
        var amount = Math.Min(Money(first["caps"]!["perTransaction"]), Math.Max(1m, decimal.Floor(cap / 20)));
        var room = cap - 1m;

        var answers = await Task.WhenAll(Enumerable.Range(0, Burst).Select(i => Task.Run(() =>
            app.SendAsync(HttpMethod.Post, "/teenmode/v1/subjects/kid/spends",
                $$"""{"category":"video","amount":"{{amount.ToString("0.00", CultureInfo.InvariantCulture)}}"}"""))));

        var allowed = answers.Count(a => a.Status == 200 && a.Body["allowed"]!.Value<bool>());
        output.WriteLine($"parallel spends: {Burst} of {amount} against {room} left: {allowed} allowed");
        answers.Should().OnlyContain(a => a.Status == 200, "a refusal is a decision, not an error");
        allowed.Should().Be((int)decimal.Floor(room / amount), "exactly as many as fit: none past the cap, none lost");
        var (_, statement) = await app.SendAsync(HttpMethod.Get, "/teenmode/v1/subjects/kid/spends");
        Money(statement["total"]).Should().Be(1m + (allowed * amount));
    }

    [Fact]
    public async Task OneHundredParallelTopUps_NeverPassTheMonthlyCap()
    {
        await using var app = await SampleApp.StartAsync();
        await RegisterAsync(app);
        (await app.VerifyRealNameAsync("kid", new DateOnly(2013, 5, 1))).Should().Be(200);
        var (_, first) = await app.SendAsync(HttpMethod.Post, "/teenmode/v1/subjects/kid/games/top-ups", """{"gameCompanyId":"g1","amount":"10.00"}""");
        first["allowed"]!.Value<bool>().Should().BeTrue(first.ToString());
        var cap = Money(first["monthlyCap"]);

        var answers = await Task.WhenAll(Enumerable.Range(0, Burst).Select(i => Task.Run(() =>
            app.SendAsync(HttpMethod.Post, "/teenmode/v1/subjects/kid/games/top-ups", """{"gameCompanyId":"g1","amount":"10.00"}"""))));

        var allowed = answers.Count(a => a.Status == 200 && a.Body["allowed"]!.Value<bool>());
        output.WriteLine($"parallel top-ups: {Burst} of 10.00 against a monthly cap of {cap}: {allowed} allowed after the first");
        answers.Should().OnlyContain(a => a.Status == 200);
        allowed.Should().Be((int)((cap - 10m) / 10m));
        answers.Max(a => Money(a.Body["monthTotal"])).Should().Be(cap);
    }

    [Fact]
    public async Task OneHundredParallelCopiesOfOneReport_StoreItOnce()
    {
        await using var app = await SampleApp.StartAsync();
        await RegisterAsync(app);
        const string Report = """{"reporterKind":"guardian","reporterId":"mum","category":"bullying","targetKind":"user","targetId":"bully-9","subjectId":"kid"}""";

        var answers = await Task.WhenAll(Enumerable.Range(0, Burst).Select(_ => Task.Run(() =>
            app.SendAsync(HttpMethod.Post, "/teenmode/v1/reports", Report, ("Idempotency-Key", "burst-1")))));

        answers.Count(a => a.Status == 201).Should().Be(1);
        answers.Count(a => a.Status == 200).Should().Be(Burst - 1, "the rest are replays of the first receipt");
        answers.Select(a => a.Body["reportId"]!.ToString()).Distinct().Should().ContainSingle();
        (await app.SendAsync(HttpMethod.Get, "/teenmode/v1/subjects/kid/reports")).Body["count"]!.Value<int>().Should().Be(1);
    }

    private static async Task RegisterAsync(SampleApp app) =>
        (await app.SendAsync(HttpMethod.Post, "/teenmode/v1/subjects", """{"id":"kid","birthDate":"2013-05-01"}""")).Status.Should().Be(201);

    private static decimal Money(JToken? token) => decimal.Parse(token!.ToString(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
}
