using Microsoft.Extensions.DependencyInjection;
using Newtonsoft.Json.Linq;
using TeenMode.Audit;

namespace TeenMode.IntegrationTests;

/// <summary>The content-pool HTTP surface of issue 4 on the sample app (SQLite).</summary>
public sealed class ContentApiTests
{
    private const string Import = "/teenmode/v1/admin/content/import?reviewerId=reviewer-1";

    [Fact]
    public async Task Import_MalformedCsv_Answers400NamingLineAndField_AndLeavesTheCatalogUnchanged()
    {
        await using var app = await SampleApp.StartAsync();
        var before = await ExportAsync(app, "json");
        const string csv = "id,title,category,bands\nv0001,改掉的标题,music,0-3\nnew-1,新条目,gossip,8-12\nnew-2,新条目二,science,8-99x\n";

        var (status, problem) = await app.SendAsync(HttpMethod.Post, Import + "&format=csv", csv);

        status.Should().Be(400);
        problem["reasonCode"]!.ToString().Should().Be("invalid-import");
        problem["title"]!.ToString().Should().Contain("未导入").And.Contain("nothing was imported");
        var errors = (JObject)problem["errors"]!;
        errors.Properties().Select(p => p.Name).Should().BeEquivalentTo("line 3: category", "line 4: bands");
        errors["line 3: category"]![0]!.ToString().Should().Contain("gossip");
        (await ExportAsync(app, "json")).Should().Be(before, "a failed import changes nothing");
    }

    [Fact]
    public async Task Import_ValidJson_IsServedAndExportedAsCsv_AndAudited()
    {
        await using var app = await SampleApp.StartAsync();
        const string json = """{ "version": "1", "items": [ { "id": "a-new", "title": "新的科普：磁悬浮列车", "category": "science", "bands": ["8-12"], "format": "video" } ] }""";

        var (status, body) = await app.SendAsync(HttpMethod.Post, Import + "&format=json", json);

        status.Should().Be(200);
        body["stored"]!.Value<int>().Should().Be(1);
        await app.SendAsync(HttpMethod.Post, "/teenmode/v1/subjects", "{\"id\":\"kid\",\"birthDate\":\"2016-06-01\"}");
        var (_, feed) = await app.SendAsync(HttpMethod.Get, "/teenmode/v1/subjects/kid/feed?q=" + Uri.EscapeDataString("磁悬浮"));
        feed["items"]!.Select(i => i["id"]!.ToString()).Should().Equal("a-new");
        (await ExportAsync(app, "csv")).Should().StartWith("id,title,category,bands,format,mayAffectMinors,flags,popularity")
            .And.Contain("a-new,新的科普：磁悬浮列车,science,8-12,video,false,,0");
        var audit = await app.App.Services.GetRequiredService<IAuditLog>().ReadAsync();
        audit.Should().Contain(e => e.Event.Action == "content-imported" && e.Event.Actor == "reviewer:reviewer-1");
    }

    [Fact]
    public async Task RatingChange_ByAReviewer_TakesEffectAndIsAudited()
    {
        await using var app = await SampleApp.StartAsync();
        await app.SendAsync(HttpMethod.Post, "/teenmode/v1/subjects", "{\"id\":\"baby\",\"birthDate\":\"2025-01-01\"}");
        (await app.SendAsync(HttpMethod.Get, "/teenmode/v1/subjects/baby/content/v0001")).Body["allowed"]!.Value<bool>().Should().BeTrue();

        var (status, item) = await app.SendAsync(HttpMethod.Put, "/teenmode/v1/admin/content/v0001/rating",
            """{ "reviewerId": "r-9", "bands": ["3-8"], "mayAffectMinors": false, "flags": [], "reason": "re-rated" }""");

        status.Should().Be(200);
        item["bands"]!.Values<string>().Should().Equal("3-8");
        var (_, decision) = await app.SendAsync(HttpMethod.Get, "/teenmode/v1/subjects/baby/content/v0001");
        decision["reasonCode"]!.ToString().Should().Be("content-not-suitable-for-band");
        var audit = await app.App.Services.GetRequiredService<IAuditLog>().ReadAsync();
        audit.Should().ContainSingle(e => e.Event.Action == "content-rating-changed").Which.Event.Target.Should().Be("v0001");
    }

    [Fact]
    public async Task RatingChange_BadFields_Answers400NamingThem_AndChangesNothing()
    {
        await using var app = await SampleApp.StartAsync();

        var (status, problem) = await app.SendAsync(HttpMethod.Put, "/teenmode/v1/admin/content/v0001/rating",
            """{ "reviewerId": "r-9", "bands": ["8-12"], "flags": ["gossip"] }""");

        status.Should().Be(400);
        problem["title"]!.ToString().Should().Contain("请求无效").And.Contain("invalid");
        ((JObject)problem["errors"]!).Properties().Select(p => p.Name).Should().BeEquivalentTo("flags", "mayAffectMinors");
        (await app.SendAsync(HttpMethod.Put, "/teenmode/v1/admin/content/missing/rating", """{ "reviewerId": "r", "bands": [], "mayAffectMinors": false, "flags": [] }""")).Status.Should().Be(404);
        (await app.App.Services.GetRequiredService<IAuditLog>().ReadAsync()).Should().NotContain(e => e.Event.Action == "content-rating-changed");
    }

    [Fact]
    public async Task AdminApi_WithoutTheKey_Answers401()
    {
        await using var app = await SampleApp.StartAsync();
        using var anonymous = new HttpClient { BaseAddress = app.App.BaseAddress };

        using var response = await anonymous.GetAsync(new Uri("teenmode/v1/admin/content/export", UriKind.Relative));

        ((int)response.StatusCode).Should().Be(401);
    }

    [Fact]
    public async Task Richness_OfTheSamplePool_ListsEveryBand_AndNoneIsThin()
    {
        await using var app = await SampleApp.StartAsync();

        var (status, report) = await app.SendAsync(HttpMethod.Get, "/teenmode/v1/content/richness");

        status.Should().Be(200);
        report["assessed"]!.Value<bool>().Should().BeTrue();
        report["thinBands"]!.Should().BeEmpty();
        report["bands"]!.Select(b => b["band"]!.ToString()).Should().Equal("0-3", "3-8", "8-12", "12-16", "16-18");
        report["thresholds"]!["minItemsPerBand"]!["requirementIds"]!.Values<string>().Should().Contain("CAC-MM-CONTENT-01");
    }

    [Fact]
    public async Task HotListAndPlacement_KeepMayAffectItemsOut_AndBadParametersAreNamed()
    {
        await using var app = await SampleApp.StartAsync();
        await app.SendAsync(HttpMethod.Post, "/teenmode/v1/subjects", "{\"id\":\"adult-mode\",\"birthDate\":\"2010-06-01\",\"teenMode\":false}");

        var (_, hot) = await app.SendAsync(HttpMethod.Get, "/teenmode/v1/subjects/adult-mode/hot?limit=50");
        var (_, popup) = await app.SendAsync(HttpMethod.Get, "/teenmode/v1/subjects/adult-mode/content/v0342/placement/popup");
        var (badStatus, bad) = await app.SendAsync(HttpMethod.Get, "/teenmode/v1/subjects/adult-mode/content/v0342/placement/banner");
        var (badCategoryStatus, badCategory) = await app.SendAsync(HttpMethod.Get, "/teenmode/v1/subjects/adult-mode/feed?category=gossip");

        hot["items"]!.Should().HaveCount(50).And.OnlyContain(i => !i["mayAffectMinors"]!.Value<bool>());
        popup["reasonCode"]!.ToString().Should().Be("prominent-placement-forbidden");
        badStatus.Should().Be(400);
        bad["errors"]!["placement"]!.Values<string>().Should().NotBeEmpty("the problem names the bad field and says why");
        badCategoryStatus.Should().Be(400);
        badCategory["errors"]!["category"]!.Values<string>().Should().NotBeEmpty();
    }

    private static async Task<string> ExportAsync(SampleApp app, string format)
    {
        using var response = await app.Client.GetAsync(new Uri($"teenmode/v1/admin/content/export?format={format}", UriKind.Relative));
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsStringAsync();
    }
}
