using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using Xunit.Abstractions;

namespace TeenMode.IntegrationTests;

/// <summary>
/// A generated corpus of hostile requests against every endpoint of the sample app (app API, staff APIs with a valid key,
/// conformance driver with its key): none may answer 5xx, every 4xx is problem+json with a reasonCode and no stack trace,
/// and a rejected request leaves the store byte-for-byte unchanged.
/// </summary>
public sealed class BadInputCorpusTests(ITestOutputHelper output)
{
    private const string ReviewerKey = "corpus-reviewer-key-0123456789abcdef0123";
    private const string Mut = "__MUTATION__";
    private const string Hash = "61f44e6de822eacf47815c5482b5fe1ecacc085952d587c6fd0dfaefdc9a2df5";

    private static readonly string Huge = new('x', 10_000);

    [Fact]
    public async Task EveryBadInput_IsRefusedCleanly_AndChangesNothing()
    {
        await using var app = await SampleApp.StartAsync(configure: o => o.ReviewerKey = ReviewerKey);
        var ids = await SeedAsync(app);
        var cases = Cases(ids).ToList();
        var before = await SnapshotAsync(app);

        // Let background work (authority notice delivery) settle before comparing snapshots.
        for (var i = 0; i < 20; i++)
        {
            await Task.Delay(250);
            var again = await SnapshotAsync(app);
            if (again == before)
            {
                break;
            }

            before = again;
        }

        var failures = new List<string>();
        var byStatus = new SortedDictionary<int, int>();
        var fiveHundreds = 0;
        var byServer = 0;
        foreach (var c in cases)
        {
            var (status, contentType, text) = await SendAsync(app, c);
            byStatus[status] = byStatus.GetValueOrDefault(status) + 1;
            var label = $"{c.Method} {Short(c.Path)} [{c.Label}] → {status}";
            if (status >= 500)
            {
                fiveHundreds++;
                failures.Add($"{label}: 5xx {Short(text)}");
                continue;
            }

            if (text.Contains("   at ", StringComparison.Ordinal) || text.Contains("Exception", StringComparison.Ordinal))
            {
                failures.Add($"{label}: stack-trace marker in {Short(text)}");
            }

            // Kestrel itself refuses a request line over 8 KB (414) and a NUL in the path (400) with an empty answer,
            // before routing: no app code runs, so there is no problem to write and nothing to store.
            if (status is 400 or 414 && text.Length == 0 && contentType is null && c.Label is "id %00" || status == 414 && c.Label.StartsWith("id ", StringComparison.Ordinal))
            {
                byServer++;
            }
            else if (status is >= 400 and < 500)
            {
                if (contentType != "application/problem+json")
                {
                    failures.Add($"{label}: content type {contentType}");
                }
                else if (JObject.Parse(text)["reasonCode"]?.Type != JTokenType.String)
                {
                    failures.Add($"{label}: no reasonCode in {Short(text)}");
                }
            }

            // Refusals that are audited or counted on purpose (403 denials, 429 lockouts) may write; an input rejection never does.
            if (status is >= 400 and < 500 and not 403 and not 429)
            {
                var after = await SnapshotAsync(app);
                if (after != before)
                {
                    failures.Add($"{label}: the store changed");
                    before = after;
                }
            }
            else if (status < 400 || status is 403 or 429)
            {
                output.WriteLine($"accepted or refused by the domain: {label}");
                before = await SnapshotAsync(app);
            }
        }

        output.WriteLine($"bad inputs tried: {cases.Count}");
        output.WriteLine($"5xx answers: {fiveHundreds}");
        output.WriteLine($"refused by Kestrel before the app (URI too long, NUL in path): {byServer}");
        output.WriteLine("by status: " + string.Join(", ", byStatus.Select(p => $"{p.Key}×{p.Value}")));
        foreach (var failure in failures.Take(50))
        {
            output.WriteLine("FAIL " + failure);
        }

        cases.Count.Should().BeGreaterThanOrEqualTo(300);
        fiveHundreds.Should().Be(0);
        failures.Should().BeEmpty();
    }

    private static async Task<Ids> SeedAsync(SampleApp app)
    {
        (await app.SendAsync(HttpMethod.Put, "/teenmode/conformance/v1/clock", "{\"local\":\"2026-03-04T15:00:00\"}")).Status.Should().Be(200);
        (await app.SendAsync(HttpMethod.Post, "/teenmode/v1/subjects", "{\"id\":\"kid\",\"birthDate\":\"2009-01-01\"}")).Status.Should().Be(201);
        (await app.BindGuardianAsync("kid", "mum", "246810")).Should().Be(201);
        var (spent, spend) = await app.SendAsync(HttpMethod.Post, "/teenmode/v1/subjects/kid/spends", "{\"category\":\"video\",\"amount\":\"30.00\"}");
        spent.Should().Be(200);
        var spendId = spend["spendId"]!.ToString();
        var (filed, refund) = await app.SendAsync(HttpMethod.Post, $"/teenmode/v1/subjects/kid/spends/{spendId}/refund-requests", "{\"guardianId\":\"mum\"}");
        filed.Should().Be(201);
        var (reported, report) = await app.SendAsync(HttpMethod.Post, "/teenmode/v1/reports",
            "{\"reporterKind\":\"minor\",\"reporterId\":\"kid\",\"category\":\"bullying\",\"targetKind\":\"user\",\"targetId\":\"u-9\",\"subjectId\":\"kid\"}",
            ("Idempotency-Key", "seed-1"));
        reported.Should().Be(201);
        var (requested, grant) = await app.SendAsync(HttpMethod.Post, "/teenmode/v1/pi-admin/staff-access/requests",
            "{\"staffId\":\"agent-7\",\"subjectId\":\"kid\",\"purpose\":\"complaint-handling\",\"justification\":\"ticket 881\"}");
        requested.Should().Be(201);
        var (declared, incident) = await app.SendAsync(HttpMethod.Post, "/teenmode/v1/pi-admin/breaches", BreachBody);
        declared.Should().Be(201);
        return new Ids(spendId, refund["refundId"]!.ToString(), report["reportId"]!.ToString(), grant["grantId"]!.ToString(), incident["incidentId"]!.ToString());
    }

    private const string BreachBody = """
        {"actor":"dpo","occurredAt":"2026-03-04T02:00:00Z","categories":["birth-date"],"affectedSubjects":[{"subjectId":"kid","categories":["contact"]}],
         "cause":"export leaked","harm":"phishing","remedies":"revoked","contact":"privacy@example.invalid"}
        """;

    private static IEnumerable<Case> Cases(Ids ids)
    {
        const string V = "/teenmode/v1";
        const string C = "/teenmode/conformance/v1";
        const string P = "/teenmode/v1/pi-admin";
        var specs = new List<Spec>
        {
            // App API: bodies.
            new("POST", $"{V}/subjects", null, """{"id":"new-kid","birthDate":"2014-02-01","declaredBand":"8-12","ageSource":"self-declared","teenMode":true}"""),
            new("POST", $"{V}/subjects/{{ID}}/teen-mode/exit", "kid", """{"guardianPin":"246810"}""", BodyOptional: true),
            new("POST", $"{V}/subjects/{{ID}}/heartbeats", "kid", """{"deviceId":"d1","sequence":1,"seconds":60,"category":"education"}"""),
            new("POST", $"{V}/subjects/{{ID}}/games/top-ups", "kid", """{"gameCompanyId":"g1","amount":"50.00"}"""),
            new("POST", $"{V}/subjects/{{ID}}/guardians", "kid", """{"guardianId":"dad","pin":"135790","bindingCode":"12345678","existingGuardianPin":"246810"}"""),
            new("POST", $"{V}/subjects/kid/guardians/{{ID}}/unbind", "mum", """{"guardianPin":"246810"}""", BodyOptional: true),
            new("PATCH", $"{V}/subjects/{{ID}}/settings", "kid",
                """{"guardianPin":"246810","dailyMinutes":30,"curfew":{"start":"21:00","end":"07:00"},"band":"16-18","exemptCategories":["reading"],"features":{"comments":false},"spendingCaps":{"video":{"perTransaction":"10.00","perDay":"20.00","perMonth":"50.00"}}}"""),
            new("POST", $"{V}/reports", null,
                """{"reporterKind":"minor","reporterId":"kid","category":"bullying","targetKind":"user","targetId":"u-1","description":"d","subjectId":"kid","evidence":["m-1"]}""",
                Headers: [("Idempotency-Key", "corpus-key")]),
            new("POST", $"{V}/subjects/{{ID}}/spends", "kid", """{"category":"video","amount":"5.00","itemId":"v-1"}"""),
            new("POST", $"{V}/subjects/kid/spends/{{ID}}/refund-requests", ids.Spend, """{"guardianId":"mum","reason":"not agreed"}"""),
            new("POST", $"{V}/subjects/{{ID}}/personal-info/values", "kid", """{"field":"nickname","purpose":"account","value":"Xiaoming"}"""),
            new("POST", $"{V}/subjects/{{ID}}/personal-info/consents", "kid", $$"""{"guardianId":"mum","decision":"granted","purposes":["account"],"noticeHash":"{{Hash}}"}"""),
            new("POST", $"{V}/subjects/{{ID}}/personal-info/consents/withdraw", "kid", """{"guardianId":"mum","purposes":["account"]}"""),
            new("POST", $"{V}/subjects/{{ID}}/personal-info/requests", "kid", """{"kind":"correction","requesterId":"mum","field":"nickname","purpose":"account","value":"Xm"}"""),

            // Age assurance (issue 16). Callbacks are unsigned here: every variant must be refused before it is read.
            new("POST", $"{V}/subjects/{{ID}}/real-name", "kid", """{"name":"测试用户","identityNumber":"110105201305010028"}"""),
            new("POST", $"{V}/real-name/callbacks", null, """{"accountId":"kid","status":"verified","playerId":"pi-1"}"""),
            new("POST", $"{V}/subjects/{{ID}}/age-signals", "kid", """{"source":"google-play-age-signals","status":"supervised","lowerAge":13,"upperAge":15}"""),
            new("POST", $"{V}/subjects/{{ID}}/device-minor-mode", "kid", """{"deviceId":"pad","minorMode":true,"source":"harmonyos","lowerAge":12,"upperAge":16}"""),
            new("POST", $"{V}/subjects/{{ID}}/games/sessions", "kid", """{"sessionId":"s-1","deviceId":"phone","event":"log-in"}"""),

            // Staff APIs with a valid key.
            new("POST", $"{V}/review/reports/{{ID}}/triage", ids.Report, """{"actor":"rev-1"}"""),
            new("POST", $"{V}/review/reports/{{ID}}/action", ids.Report, """{"actor":"rev-1","actions":[{"kind":"remove-content","targetId":"c-1"}]}"""),
            new("POST", $"{V}/review/reports/{{ID}}/reject", ids.Report, """{"actor":"rev-1","reason":"no-violation"}"""),
            new("POST", $"{V}/review/reports/{{ID}}/close", ids.Report, """{"actor":"rev-1"}"""),
            new("POST", $"{V}/review/refund-requests/{{ID}}/approve", ids.Refund, """{"actor":"staff-1","reason":"ok"}"""),
            new("POST", $"{V}/review/refund-requests/{{ID}}/refuse", ids.Refund, """{"actor":"staff-1","reason":"no"}"""),
            new("PUT", $"{V}/admin/content/{{ID}}/rating", "edu-001", """{"reviewerId":"r1","bands":["8-12"],"mayAffectMinors":false,"flags":["fan-fundraising"],"reason":"r"}"""),
            new("POST", $"{P}/staff-access/requests", null, """{"staffId":"agent-8","subjectId":"kid","purpose":"complaint-handling","justification":"ticket 882"}"""),
            new("POST", $"{P}/staff-access/requests/{{ID}}/approve", ids.Grant, """{"approverId":"lead-1"}"""),
            new("POST", $"{P}/staff-access/requests/{{ID}}/refuse", ids.Grant, """{"approverId":"lead-1","reason":"not-needed"}"""),
            new("POST", $"{P}/breaches", null, BreachBody),
            new("POST", $"{P}/breaches/{{ID}}/notify", ids.Incident, """{"actor":"dpo"}"""),
            new("POST", $"{P}/breaches/{{ID}}/report", ids.Incident, """{"actor":"dpo"}"""),

            // Conformance driver with its key.
            new("POST", $"{C}/subjects", null, """{"age":13,"birthDate":"2013-01-01","teenMode":true,"realName":"unverified"}""", BodyOptional: true),
            new("POST", $"{C}/content", null, """{"id":"c-new","title":"t","category":"education","bands":["8-12"],"mayAffectMinors":false,"flags":[],"format":"video","popularity":5}"""),
            new("PUT", $"{C}/clock", null, """{"local":"2026-03-04T16:00:00","frozen":true}"""),
            new("PUT", $"{C}/clock", null, """{"instant":"2026-03-04T08:00:00Z"}"""),
            new("POST", $"{C}/clock/advance", null, """{"seconds":60}"""),
            new("POST", $"{C}/logs/probe", null, """{"text":"probe"}"""),
            new("POST", $"{C}/reports/{{ID}}/review?step=action", ids.Report, """{"actions":[{"kind":"remove-content","targetId":"c-1"}]}"""),
            new("POST", $"{C}/refund-requests/{{ID}}/decide?decision=refuse", ids.Refund, """{"reason":"no"}""", BodyOptional: true),

            // GET endpoints: ids and query strings only.
            new("GET", $"{V}/subjects/{{ID}}", "kid", null),
            new("GET", $"{V}/subjects/{{ID}}/usage", "kid", null, Queries: ["category=nope", "category=" + Huge[..300]]),
            new("GET", $"{V}/subjects/{{ID}}/content/edu-001", "kid", null),
            new("GET", $"{V}/subjects/{{ID}}/feed", "kid", null,
                Queries: ["limit=abc", "limit=99999999999", "limit=-1", "limit=0", "limit=1e3", "limit=1&limit=2", "limit=%FF", "q=" + Huge[..500], "category=nope", "cursor=%00%FF"]),
            new("GET", $"{V}/subjects/{{ID}}/hot", "kid", null, Queries: ["limit=abc", "limit=99999999999", "limit=101", "limit= 5"]),
            new("GET", $"{V}/subjects/kid/content/edu-001/placement/{{ID}}", "popup", null),
            new("GET", $"{V}/subjects/{{ID}}/games/play", "kid", null),
            new("GET", $"{V}/subjects/{{ID}}/settings", "kid", null),
            new("GET", $"{V}/subjects/{{ID}}/features/comments", "kid", null),
            new("GET", $"{V}/subjects/kid/features/{{ID}}", "comments", null),
            new("GET", $"{V}/reports/{{ID}}", ids.Report, null, Queries: ["readerId=" + Huge[..500]]),
            new("GET", $"{V}/subjects/{{ID}}/reports", "kid", null),
            new("GET", $"{V}/subjects/{{ID}}/spends", "kid", null,
                Queries: ["since=yesterday", "since=0001-01-01", "until=9999-12-31T23:59:59Z", "since=2026-02-30T00:00:00Z", "since=2026-03-04&until=2026-03-01", "since=" + Huge[..300]]),
            new("GET", $"{V}/refund-requests/{{ID}}", ids.Refund, null),
            new("GET", $"{V}/subjects/{{ID}}/usage-report", "kid", null,
                Queries: ["guardianId=mum&from=2026-02-30", "guardianId=mum&from=0001-01-01", "guardianId=mum&to=9999-12-31", "guardianId=mum&to=9999-12-30",
                    "guardianId=mum&from=2026-03-04&to=2026-01-01", "guardianId=mum&from=03/04/2026", "from=2026-03-01", "guardianId=mum&to=0001-01-01"]),
            new("GET", $"{V}/subjects/{{ID}}/breach-notices", "kid", null),
            new("GET", $"{V}/subjects/{{ID}}/personal-info/collection-check", "kid", null, Queries: ["field=nickname", "purpose=account", "field=" + Huge[..300] + "&purpose=account"]),
            new("GET", $"{V}/subjects/kid/personal-info/requests/{{ID}}", "dsr-nope", null),
            new("GET", $"{V}/review/reports/{{ID}}", ids.Report, null),
            new("GET", $"{V}/review/refund-requests/{{ID}}", ids.Refund, null),
            new("GET", $"{V}/admin/content/export", null, null, Queries: ["format=xml"]),
            new("POST", $"{V}/admin/content/import", null, null, Queries: ["format=xml&reviewerId=r1", "format=json", "format=json&reviewerId=r1&partial=maybe", "format=json&reviewerId=" + Huge[..300]]),
            new("GET", $"{P}/staff-access/requests/{{ID}}", ids.Grant, null),
            new("GET", $"{P}/staff-access/subjects/{{ID}}/data", "kid", null, Queries: ["staffId=", "staffId=" + Huge[..300]]),
            new("GET", $"{P}/breaches/{{ID}}", ids.Incident, null),
            new("GET", $"{P}/breaches/{{ID}}/authority-report", ids.Incident, null),
            new("POST", $"{C}/reports/{{ID}}/review", ids.Report, null, Queries: ["step=explode"]),
            new("POST", $"{C}/refund-requests/{{ID}}/decide", ids.Refund, null, Queries: ["decision=maybe"]),
            new("GET", $"{C}/logs", null, null, Queries: ["contains=" + Huge[..300]]),
        };

        foreach (var spec in specs)
        {
            foreach (var c in IdCases(spec))
            {
                yield return c;
            }

            foreach (var query in spec.Queries ?? [])
            {
                var path = spec.Resolve(spec.Id);
                yield return new Case(spec.Method, path + (path.Contains('?', StringComparison.Ordinal) ? "&" : "?") + query, "query " + Short(query), null, spec.Headers);
            }

            if (spec.Body is not null)
            {
                foreach (var c in BodyCases(spec))
                {
                    yield return c;
                }
            }
        }

        // The import body itself: invalid UTF-8 and broken JSON, without partial: nothing may be stored.
        yield return new Case("POST", $"{V}/admin/content/import?format=json&reviewerId=r1", "import invalid UTF-8", [0x5B, 0x7B, 0x22, 0xC3, 0x28, 0x22, 0x7D, 0x5D], []);
        yield return new Case("POST", $"{V}/admin/content/import?format=json&reviewerId=r1", "import malformed", Encoding.UTF8.GetBytes("[{\"id\":"), []);
        yield return new Case("POST", $"{V}/admin/content/import?format=csv&reviewerId=r1", "import bad csv", Encoding.UTF8.GetBytes("id,title\n\"unterminated"), []);
    }

    private static IEnumerable<Case> IdCases(Spec spec)
    {
        if (spec.Id is null)
        {
            return [];
        }

        var body = spec.Body is null ? null : Encoding.UTF8.GetBytes(spec.Body);
        return new[] { "nobody-corpus", new string('y', 4000), Huge, "%00", "..%2F..%2Fetc" }
            .Select(id => new Case(spec.Method, spec.Resolve(id), "id " + Short(id), spec.Method == "GET" ? null : body, spec.Headers));
    }

    private static IEnumerable<Case> BodyCases(Spec spec)
    {
        var path = spec.Resolve(spec.Id);
        var valid = spec.Body!;
        Case Text(string label, string text) => new(spec.Method, path, label, Encoding.UTF8.GetBytes(text), spec.Headers);
        Case Bytes(string label, byte[] bytes) => new(spec.Method, path, label, bytes, spec.Headers);

        var inner = valid.TrimEnd()[1..^1];
        yield return Text("malformed: open brace", "{");
        yield return Text("malformed: missing value", "{\"a\":");
        yield return Text("malformed: missing colon", "{\"a\" 1}");
        yield return Text("malformed: single quotes", "{'a':'b'}");
        yield return Text("malformed: unquoted key", "{a:1}");
        yield return Text("malformed: trailing comma", "{" + inner + ",}");
        yield return Text("malformed: comment", "/* c */" + valid);
        yield return Text("malformed: NaN", "{\"a\":NaN}");
        yield return Text("truncated", valid[..(valid.Length / 2)]);
        yield return Text("root array", "[" + valid + "]");
        yield return Text("root string", "\"text\"");
        yield return Text("root number", "42");
        yield return Text("root null", "null");
        if (!spec.BodyOptional)
        {
            yield return Text("empty body", string.Empty);
        }

        yield return Text("trailing garbage", valid + "}}}garbage");
        yield return Text("second object", valid + "{}");
        yield return Text("trailing word", valid + " x");
        var firstProperty = JObject.Parse(valid).Properties().First();
        yield return Text("duplicate key", "{" + firstProperty.ToString(Formatting.None) + "," + inner + "}");
        yield return Text("duplicate nested key", "{\"nested\":{\"k\":1,\"k\":2}," + inner + "}");
        yield return Text("lone surrogate key", "{\"\\udc00k\":1," + inner + "}");
        yield return Text("lone surrogate nested key", "{\"n\":[{\"a\\ud800\":1}]," + inner + "}");
        yield return Text("deep nesting 200", "{\"a\":" + string.Concat(Enumerable.Repeat("[", 200)) + string.Concat(Enumerable.Repeat("]", 200)) + "," + inner + "}");
        yield return Text("1 MB body", "{\"pad\":\"" + new string('a', 1024 * 1024) + "\"," + inner + "}");
        yield return Bytes("invalid UTF-8 bytes", [.. Encoding.UTF8.GetBytes("{\"pad\":\""), 0xC3, 0x28, 0xFF, 0xFE, .. Encoding.UTF8.GetBytes("\"," + inner + "}")]);
        yield return Bytes("overlong UTF-8", [.. Encoding.UTF8.GetBytes("{\"pad\":\""), 0xC0, 0xAF, .. Encoding.UTF8.GetBytes("\"," + inner + "}")]);
        yield return Bytes("CESU surrogate bytes", [.. Encoding.UTF8.GetBytes("{\"pad\":\""), 0xED, 0xA0, 0x80, .. Encoding.UTF8.GetBytes("\"," + inner + "}")]);

        // Every leaf, at any depth, replaced by values of the wrong type, out of range, huge or impossible.
        var tree = JObject.Parse(valid);
        foreach (var leaf in tree.Descendants().OfType<JValue>().ToList())
        {
            var leafPath = leaf.Path;
            foreach (var raw in Replacements(leaf))
            {
                var copy = (JObject)tree.DeepClone();
                ((JValue)copy.SelectToken(leafPath)!).Value = Mut;
                var text = copy.ToString(Formatting.None).Replace("\"" + Mut + "\"", raw, StringComparison.Ordinal);
                yield return Text($"{leafPath} = {Short(raw)}", text);
            }
        }
    }

    private static List<string> Replacements(JValue leaf)
    {
        var hugeText = "\"" + Huge + "\"";
        switch (leaf.Type)
        {
            case JTokenType.Integer:
                return ["\"12\"", "1.5", "1e400", "99999999999999999999999", "-99999999999999999999999", "-1", "-9223372036854775809", hugeText, "false", "[1]"];
            case JTokenType.Boolean:
                return ["\"yes\"", "1", "[]", "{}", "\"\\ud800\""];
            default:
                var text = leaf.ToString(CultureInfo.InvariantCulture);
                var list = new List<string> { "42", "true", "[]", "{}", "1e400", "99999999999999999999999", "-1", hugeText, "\"\\ud800\"", "\"a\\udc00b\"" };
                if (text.Length >= 10 && char.IsAsciiDigit(text[0]) && text[4] == '-')
                {
                    list.AddRange(["\"2026-02-30\"", "\"0001-01-01\"", "\"9999-12-31\"", "\"9999-12-30\"", "\"2026-13-01T00:00:00Z\"", "\"0001-01-01T00:00:00\"", "\"9999-12-31T23:59:59Z\""]);
                }

                return list;
        }
    }

    private static async Task<(int Status, string? ContentType, string Text)> SendAsync(SampleApp app, Case c)
    {
        using var request = new HttpRequestMessage(new HttpMethod(c.Method), c.Path.TrimStart('/'));
        if (c.Body is not null)
        {
            request.Content = new ByteArrayContent(c.Body);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }

        request.Headers.TryAddWithoutValidation("X-Reviewer-Key", ReviewerKey);
        foreach (var (name, value) in c.Headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var response = await app.Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, response.Content.Headers.ContentType?.MediaType, text);
    }

    // Every row of every table, hashed: the audit chain, subjects, usage, reports, spends, grants, incidents.
    private static async Task<string> SnapshotAsync(SampleApp app)
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = app.DatabasePath, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = connection.CreateCommand())
        {
            list.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name";
            await using var reader = await list.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                tables.Add(reader.GetString(0));
            }
        }

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var table in tables)
        {
            var rows = new List<string>();
            await using var select = connection.CreateCommand();
#pragma warning disable CA2100 // table names come from sqlite_master
            select.CommandText = $"SELECT * FROM \"{table}\"";
#pragma warning restore CA2100
            await using var reader = await select.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                var row = new StringBuilder();
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    row.Append(reader.IsDBNull(i) ? "∅" : Convert.ToString(reader.GetValue(i) is byte[] b ? Convert.ToHexString(b) : reader.GetValue(i), CultureInfo.InvariantCulture)).Append('\u001f');
                }

                rows.Add(row.ToString());
            }

            rows.Sort(StringComparer.Ordinal);
            hash.AppendData(Encoding.UTF8.GetBytes(table + "\n" + string.Join("\n", rows) + "\n\n"));
        }

        return Convert.ToHexString(hash.GetHashAndReset());
    }

    private static string Short(string text) => text.Length > 60 ? string.Concat(text.AsSpan(0, 57), "…") : text;

    private sealed record Ids(string Spend, string Refund, string Report, string Grant, string Incident);

    private sealed record Spec(string Method, string Template, string? Id, string? Body, bool BodyOptional = false, (string, string)[]? Headers = null, string[]? Queries = null)
    {
        public (string, string)[] Headers { get; } = Headers ?? [];

        public string Resolve(string? id) => id is null ? Template : Template.Replace("{ID}", id, StringComparison.Ordinal);
    }

    private sealed record Case(string Method, string Path, string Label, byte[]? Body, (string Name, string Value)[] Headers);
}

/// <summary>The strict reader's answers, one defect each, with the reason code and the field path.</summary>
public sealed class StrictReaderTests
{
    [Theory]
    [InlineData("{\"id\":\"u1\",\"birthDate\":\"2013-01-01\"}}}}garbage", "invalid-json", null)]
    [InlineData("{\"id\":\"u1\",\"id\":\"u2\"}", "invalid-json", "id")]
    [InlineData("{\"id\":\"u1\",\"x\":{\"a\":[{\"k\":1,\"k\":2}]}}", "invalid-json", "x.a[0].k")]
    [InlineData("{\"id\":\"u\\ud800\"}", "invalid-request", "id")]
    [InlineData("{\"id\":\"u1\",\"x\":[{\"\\udc00\":1}]}", "invalid-request", "x[0].\\udc00")]
    [InlineData("{\"id\":\"u1\",\"birthDate\":\"0001-01-01\"}", "invalid-request", "birthDate")]
    [InlineData("{\"id\":\"u1\",\"birthDate\":\"2026-02-30\"}", "invalid-request", "birthDate")]
    [InlineData("{\"id\":\"u1\",\"birthDate\":\"2099-01-01\"}", "invalid-request", "birthDate")]
    [InlineData("{\"id\":\"u1\",}", "invalid-json", null)]
    [InlineData("{\"id\":'u1'}", "invalid-json", null)]
    public async Task CreateSubject_RefusesWithTheReasonAndPath_AndStoresNothing(string body, string reasonCode, string? path)
    {
        await using var app = await SampleApp.StartAsync();

        var (status, problem) = await app.SendAsync(HttpMethod.Post, "/teenmode/v1/subjects", body);
        var (u1, _) = await app.SendAsync(HttpMethod.Get, "/teenmode/v1/subjects/u1");

        status.Should().Be(400);
        problem["reasonCode"]!.ToString().Should().Be(reasonCode);
        if (path is not null)
        {
            ((JObject)problem["errors"]!).Properties().Select(p => p.Name).Should().Contain(path);
        }

        if (reasonCode == "invalid-json" && path is null)
        {
            problem["detail"]!.ToString().Should().Contain("line 1, column");
        }

        u1.Should().Be(404, "nothing was stored");
    }

    [Theory]
    [InlineData("99999999999999999999999")]
    [InlineData("-99999999999999999999999")]
    [InlineData("9223372036854775808")]
    public async Task Heartbeat_SequenceBeyondLong_IsOutOfRange(string sequence)
    {
        await using var app = await SampleApp.StartAsync();
        await app.SendAsync(HttpMethod.Post, "/teenmode/v1/subjects", "{\"id\":\"kid\",\"birthDate\":\"2013-01-01\"}");

        var (status, problem) = await app.SendAsync(HttpMethod.Post, "/teenmode/v1/subjects/kid/heartbeats", $"{{\"deviceId\":\"d1\",\"sequence\":{sequence},\"seconds\":60}}");

        status.Should().Be(400);
        problem["reasonCode"]!.ToString().Should().Be("invalid-request");
        problem["errors"]!["sequence"]!.ToString().Should().Contain("out of range");
    }

    [Fact]
    public async Task InvalidUtf8_IsInvalidJson()
    {
        await using var app = await SampleApp.StartAsync();
        using var content = new ByteArrayContent([.. "{\"id\":\"u"u8.ToArray(), 0xC3, 0x28, .. "\"}"u8.ToArray()]);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");

        using var response = await app.Client.PostAsync("teenmode/v1/subjects", content);

        ((int)response.StatusCode).Should().Be(400);
        (await response.Content.ReadAsStringAsync()).Should().Contain("\"reasonCode\":\"invalid-json\"").And.Contain("UTF-8");
    }

    [Theory]
    [InlineData("/teenmode/v1/subjects/kid/feed?limit=abc", "limit")]
    [InlineData("/teenmode/v1/subjects/kid/feed?limit=99999999999", "limit")]
    [InlineData("/teenmode/v1/subjects/kid/hot?limit=abc", "limit")]
    [InlineData("/teenmode/v1/subjects/kid/usage-report?guardianId=mum&from=0001-01-01", "from")]
    [InlineData("/teenmode/v1/subjects/kid/usage-report?guardianId=mum&to=9999-12-30", "to")]
    [InlineData("/teenmode/v1/subjects/kid/spends?since=0001-01-01", "since")]
    public async Task BadQuery_Is400ProblemNamingTheParameter(string path, string parameter)
    {
        await using var app = await SampleApp.StartAsync();
        await app.SendAsync(HttpMethod.Post, "/teenmode/v1/subjects", "{\"id\":\"kid\",\"birthDate\":\"2013-01-01\"}");

        var (status, problem) = await app.SendAsync(HttpMethod.Get, path);

        status.Should().Be(400);
        problem["reasonCode"]!.ToString().Should().Be("invalid-request");
        problem["errors"]![parameter].Should().NotBeNull();
    }
}
