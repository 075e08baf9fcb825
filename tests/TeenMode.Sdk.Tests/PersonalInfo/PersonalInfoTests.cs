using Microsoft.Extensions.DependencyInjection;
using TeenMode.Audit;
using TeenMode.PersonalInfo;

namespace TeenMode.Tests.PersonalInfo;

public sealed class PersonalInfoTests
{
    [Fact]
    public async Task UnderFourteen_NothingIsCollected_UntilABoundGuardianConsentsSeparately()
    {
        using var host = new PersonalInfoHost();
        var kid = await host.ChildAsync("kid", 10);

        var before = await host.Pi.CollectAsync(kid, "nickname", "account", "Xiaoming");
        var stranger = await host.Pi.RecordConsentAsync(new ConsentRequest(kid, "stranger", ConsentDecision.Granted, ["account"], PersonalInfoHost.NoticeHash));
        await host.GrantAsync(kid, "account");
        var after = await host.Pi.CollectAsync(kid, "nickname", "account", "Xiaoming");

        before.Reason.Should().Be(ReasonCode.ConsentRequired);
        before.RequirementIds.Should().Contain(["PIPL-31", "MPL-72"]);
        stranger.Decision.Reason.Should().Be(ReasonCode.NoGuardianBound, "only a bound guardian can consent");
        after.IsAllowed.Should().BeTrue();
        (await host.Store.GetValuesAsync(kid)).Should().ContainSingle();
        var consent = (await host.Store.GetConsentsAsync(kid)).Single();
        consent.Should().BeEquivalentTo(new { GuardianId = "mum", Decision = ConsentDecision.Granted, NoticeHash = PersonalInfoHost.NoticeHash });
        consent.Purposes.Should().Equal("account");
    }

    [Fact]
    public async Task FourteenAndOver_BasicDataNeedsNoGuardianConsent_ButLocationAndAdsAreOffUntilTurnedOn()
    {
        using var host = new PersonalInfoHost();
        var teen = await host.ChildAsync("teen", 15);

        (await host.Pi.CheckCollectionAsync(teen, "nickname", "account")).IsAllowed.Should().BeTrue();
        (await host.Pi.CheckCollectionAsync(teen, "precise-location", "nearby")).Reason.Should().Be(ReasonCode.OffByDefaultForMinors);
        (await host.Pi.CheckCollectionAsync(teen, "watch-history", "personalised-ads")).Reason.Should().Be(ReasonCode.OffByDefaultForMinors);
        (await host.Pi.CheckCollectionAsync(teen, "watch-history", "recommendation")).IsAllowed.Should().BeTrue("recommendation is not off by default");

        await host.GrantAsync(teen, "nearby");

        (await host.Pi.CheckCollectionAsync(teen, "precise-location", "nearby")).IsAllowed.Should().BeTrue();
    }

    [Fact]
    public async Task UnknownAgeInTeenMode_IsTreatedAsUnderFourteen()
    {
        using var host = new PersonalInfoHost();
        await host.Services.GetRequiredService<TeenMode.Subjects.ISubjectService>().RegisterAsync(new TeenMode.Subjects.SubjectRegistration("anon"));

        (await host.Pi.CheckCollectionAsync("anon", "nickname", "account")).Reason.Should().Be(ReasonCode.ConsentRequired);
    }

    [Theory]
    [InlineData("id-card-number", "recommendation", "field-not-needed-for-purpose")]
    [InlineData("shoe-size", "account", "field-not-needed-for-purpose")]
    [InlineData("nickname", "marketing-survey", "purpose-not-declared")]
    public async Task APurposeMismatch_IsRefused_AndNothingIsStored(string field, string purpose, string reason)
    {
        using var host = new PersonalInfoHost();
        var kid = await host.ChildAsync("kid", 10);
        await host.GrantAsync(kid, "account", "recommendation");

        var decision = await host.Pi.CollectAsync(kid, field, purpose, "x");

        decision.Reason.Value.Should().Be(reason);
        (await host.Store.GetValuesAsync(kid)).Should().BeEmpty();
    }

    [Fact]
    public async Task RefusingANonEssentialPurpose_KeepsTheEssentialOnesWorking()
    {
        using var host = new PersonalInfoHost();
        var kid = await host.ChildAsync("kid", 10);
        await host.GrantAsync(kid, "account");
        await host.Pi.RecordConsentAsync(new ConsentRequest(kid, PersonalInfoHost.Guardian, ConsentDecision.Refused, ["recommendation"], PersonalInfoHost.NoticeHash));

        (await host.Pi.CollectAsync(kid, "watch-history", "recommendation", "v1")).Reason.Should().Be(ReasonCode.ConsentRefused);
        (await host.Pi.CollectAsync(kid, "nickname", "account", "Xiaoming")).IsAllowed.Should().BeTrue();
    }

    [Fact]
    public async Task Withdrawal_DeletesOnlyTheDataThatDependedOnIt_AndAuditsNamesNotValues()
    {
        using var host = new PersonalInfoHost();
        var kid = await host.ChildAsync("kid", 10);
        await host.GrantAsync(kid, "account", "recommendation");
        await host.Pi.CollectAsync(kid, "nickname", "account", "Xiaoming");
        await host.Pi.CollectAsync(kid, "watch-history", "recommendation", "secret-watch-list");
        await host.Pi.CollectAsync(kid, "city", "recommendation", "Shanghai");

        var outcome = await host.Pi.WithdrawConsentAsync(kid, PersonalInfoHost.Guardian, ["recommendation"]);

        outcome.Deleted!.Count.Should().Be(2);
        outcome.Deleted.Fields.Should().Equal("city", "watch-history");
        (await host.Store.GetValuesAsync(kid)).Select(v => v.Field).Should().Equal("nickname");
        (await host.Pi.CollectAsync(kid, "city", "recommendation", "Beijing")).Reason.Should().Be(ReasonCode.ConsentWithdrawn);
        var audit = await host.Audit.ReadAsync(subjectId: kid);
        var deletion = audit.Single(e => e.Event.Action == "personal-data-deleted").Event;
        deletion.Details!["count"].Should().Be("2");
        deletion.Details["fields"].Should().Be("city,watch-history");
        deletion.Details["trigger"].Should().Be("consent-withdrawn");
        string.Join("|", audit.SelectMany(e => e.Event.Details?.Values ?? [])).Should().NotContain("secret-watch-list").And.NotContain("Shanghai");
    }

    [Fact]
    public async Task ChildValues_AreSealedAtRest_BoundToSubjectAndField_AndExportedInClear()
    {
        using var host = new PersonalInfoHost();
        var kid = await host.ChildAsync("kid", 10);
        await host.GrantAsync(kid, "account");
        await host.Pi.CollectAsync(kid, "nickname", "account", "Xiaoming");

        var stored = (await host.Store.GetValuesAsync(kid)).Single();
        var export = await host.Pi.ExportAsync(kid);

        stored.KeyId.Should().Be("key-1", "under-14 PI is sensitive PI (PIPL art. 28)");
        System.Text.Encoding.UTF8.GetString(stored.Payload.Span).Should().NotContain("Xiaoming");
        export!.Values.Should().ContainSingle().Which.Should().BeEquivalentTo(new { Field = "nickname", Purpose = "account", Category = "basic", Value = "Xiaoming" });
        export.Consents.Should().ContainSingle();
    }

    [Fact]
    public async Task BasicDataOfAFifteenYearOld_IsStoredPlain_ButAnIdNumberIsSealed()
    {
        using var host = new PersonalInfoHost();
        var teen = await host.ChildAsync("teen", 15);

        await host.Pi.CollectAsync(teen, "nickname", "account", "Xiaohong");
        await host.Pi.CollectAsync(teen, "id-card-number", "real-name-verification", "ID-0001");

        var values = await host.Store.GetValuesAsync(teen);
        values.Single(v => v.Field == "nickname").KeyId.Should().BeNull();
        values.Single(v => v.Field == "id-card-number").KeyId.Should().Be("key-1");
    }

    [Fact]
    public async Task KeyRotation_OldValuesStillRead_NewWritesUseTheCurrentKey()
    {
        await using var store = TeenMode.Tests.Stores.TestStores.InMemory();
        string kid;
        using (var before = new PersonalInfoHost(store))
        {
            kid = await before.ChildAsync("kid", 10);
            await before.GrantAsync(kid, "account", "recommendation");
            await before.Pi.CollectAsync(kid, "nickname", "account", "Xiaoming");
        }

        using var after = new PersonalInfoHost(store, "key-2", new() { ["key-1"] = PersonalInfoHost.Key1, ["key-2"] = PersonalInfoHost.Key2 });
        await after.Pi.CollectAsync(kid, "city", "recommendation", "Shanghai");

        var values = await store.PersonalInfo.GetValuesAsync(kid);
        values.Single(v => v.Field == "nickname").KeyId.Should().Be("key-1");
        values.Single(v => v.Field == "city").KeyId.Should().Be("key-2");
        (await after.Pi.ExportAsync(kid))!.Values.Select(v => v.Value).Should().BeEquivalentTo(["Xiaoming", "Shanghai"]);
    }

    [Fact]
    public async Task ATamperedCiphertext_IsRejectedWithAClearError_NeverReturned()
    {
        using var host = new PersonalInfoHost();
        var kid = await host.ChildAsync("kid", 10);
        await host.GrantAsync(kid, "account");
        await host.Pi.CollectAsync(kid, "nickname", "account", "Xiaoming");
        var stored = (await host.Store.GetValuesAsync(kid)).Single();
        var bytes = stored.Payload.ToArray();
        bytes[^1] ^= 0x01;
        await host.Store.UpsertValueAsync(stored with { Payload = bytes });

        var act = () => host.Pi.ExportAsync(kid);

        (await act.Should().ThrowAsync<PersonalDataIntegrityException>()).Which.Message.Should().Contain("nickname").And.Contain("integrity").And.NotContain("Xiaoming");
    }

    [Fact]
    public async Task ACiphertextMovedToAnotherSubject_FailsItsIntegrityCheck()
    {
        using var host = new PersonalInfoHost();
        var kid = await host.ChildAsync("kid", 10);
        var other = await host.ChildAsync("other", 10);
        await host.GrantAsync(kid, "account");
        await host.Pi.CollectAsync(kid, "nickname", "account", "Xiaoming");
        var stored = (await host.Store.GetValuesAsync(kid)).Single();
        await host.Store.UpsertValueAsync(stored with { SubjectId = other });

        var act = () => host.Pi.ExportAsync(other);

        await act.Should().ThrowAsync<PersonalDataIntegrityException>();
    }

    [Fact]
    public async Task ASealedValueUnderAnUnknownKey_IsRejected()
    {
        await using var store = TeenMode.Tests.Stores.TestStores.InMemory();
        using (var before = new PersonalInfoHost(store))
        {
            await before.ChildAsync("kid", 10);
            await before.GrantAsync("kid", "account");
            await before.Pi.CollectAsync("kid", "nickname", "account", "Xiaoming");
        }

        using var after = new PersonalInfoHost(store, "key-2", new() { ["key-2"] = PersonalInfoHost.Key2 });

        var act = () => after.Pi.ExportAsync("kid");

        (await act.Should().ThrowAsync<PersonalDataIntegrityException>()).Which.Message.Should().Contain("key-1");
    }

    [Fact]
    public async Task DeletionRequest_LeavesNoValue_CarriesAReceiptWithDueDate_AndIsAudited()
    {
        using var host = new PersonalInfoHost();
        var kid = await host.ChildAsync("kid", 10);
        await host.GrantAsync(kid, "account", "real-name-verification");
        await host.Pi.CollectAsync(kid, "nickname", "account", "Xiaoming");
        await host.Pi.CollectAsync(kid, "id-card-number", "real-name-verification", "ID-0001");

        var outcome = await host.Pi.SubmitRequestAsync(new DataSubjectRequestSubmission(kid, DataSubjectRequestKind.Deletion, PersonalInfoHost.Guardian));

        outcome!.Request.Status.Should().Be(DataSubjectRequestStatus.Completed);
        outcome.Request.DueAt.Should().Be(outcome.Request.ReceivedAt.AddDays(15), "the rule pack sets 15 days (its own figure; the law says promptly)");
        outcome.Deleted!.Count.Should().Be(2);
        outcome.Deleted.Categories.Should().Equal("basic", "identity-number");
        (await host.Pi.ExportAsync(kid))!.Values.Should().BeEmpty();
        (await host.Pi.ExportAsync(kid))!.Consents.Should().NotBeEmpty("consent records are kept as proof of the lawful basis");
        (await host.Pi.GetRequestAsync(kid, outcome.Request.Id)).Should().Be(outcome.Request);
        (await host.Pi.GetRequestAsync("other", outcome.Request.Id)).Should().BeNull("a receipt is only read for its own subject");
        (await host.Audit.ReadAsync(subjectId: kid)).Select(e => e.Event.Action).Should().Contain(["personal-data-deleted", "data-subject-request-completed"]);
    }

    [Fact]
    public async Task ARequestFromSomeoneWhoIsNeitherTheUserNorAGuardian_IsRefusedWithAWrittenReason()
    {
        using var host = new PersonalInfoHost();
        var kid = await host.ChildAsync("kid", 10);
        await host.GrantAsync(kid, "account");
        await host.Pi.CollectAsync(kid, "nickname", "account", "Xiaoming");

        var outcome = await host.Pi.SubmitRequestAsync(new DataSubjectRequestSubmission(kid, DataSubjectRequestKind.Deletion, "stranger"));

        outcome!.Request.Status.Should().Be(DataSubjectRequestStatus.Refused);
        outcome.Request.RefusalReason!.En.Should().Contain("neither the user nor a bound guardian");
        outcome.Request.RefusalReason.ZhCn.Should().NotBeNullOrWhiteSpace();
        (await host.Store.GetValuesAsync(kid)).Should().ContainSingle("a refused deletion deletes nothing");
    }

    [Fact]
    public async Task Correction_ReplacesTheValue_AndAMissingValueIsRefusedWithAReason()
    {
        using var host = new PersonalInfoHost();
        var kid = await host.ChildAsync("kid", 10);
        await host.GrantAsync(kid, "account");
        await host.Pi.CollectAsync(kid, "nickname", "account", "Xiaoming");

        var done = await host.Pi.SubmitRequestAsync(new DataSubjectRequestSubmission(kid, DataSubjectRequestKind.Correction, kid, "nickname", "account", "Xiaoming2"));
        var refused = await host.Pi.SubmitRequestAsync(new DataSubjectRequestSubmission(kid, DataSubjectRequestKind.Correction, kid, "avatar", "account", "a.png"));

        done!.Request.Status.Should().Be(DataSubjectRequestStatus.Completed);
        (await host.Pi.ExportAsync(kid))!.Values.Single().Value.Should().Be("Xiaoming2");
        refused!.Request.Status.Should().Be(DataSubjectRequestStatus.Refused);
        refused.Request.RefusalReason!.En.Should().Contain("nothing to correct");
    }

    [Fact]
    public async Task RetentionPurge_RemovesOnlyExpiredValues()
    {
        using var host = new PersonalInfoHost();
        var teen = await host.ChildAsync("teen", 15);
        await host.GrantAsync(teen, "nearby");
        await host.Pi.CollectAsync(teen, "precise-location", "nearby", "31.23,121.47");
        await host.Pi.CollectAsync(teen, "nickname", "account", "Xiaohong");

        host.Clock.Advance(TimeSpan.FromHours(23));
        (await host.Pi.PurgeExpiredAsync()).Should().Be(0);
        host.Clock.Advance(TimeSpan.FromHours(1));
        (await host.Pi.PurgeExpiredAsync()).Should().Be(1, "the nearby purpose keeps data for one day");

        (await host.Store.GetValuesAsync(teen)).Select(v => v.Field).Should().Equal("nickname");
        var audit = await host.Audit.ReadAsync(subjectId: teen);
        audit[^1].Event.Details!["trigger"].Should().Be("retention-expired");
    }

    [Fact]
    public async Task AccountClosure_DeletesTheSubjectsData()
    {
        using var host = new PersonalInfoHost();
        var kid = await host.ChildAsync("kid", 10);
        await host.GrantAsync(kid, "account");
        await host.Pi.CollectAsync(kid, "nickname", "account", "Xiaoming");

        var deleted = await host.Pi.CloseAccountAsync(kid);

        deleted!.Count.Should().Be(1);
        (await host.Store.GetValuesAsync(kid)).Should().BeEmpty();
        (await host.Pi.CloseAccountAsync("nobody")).Should().BeNull();
    }

    [Fact]
    public async Task ABadNoticeHash_IsAProgrammingError_NamingTheField()
    {
        using var host = new PersonalInfoHost();
        var kid = await host.ChildAsync("kid", 10);

        var act = () => host.Pi.RecordConsentAsync(new ConsentRequest(kid, PersonalInfoHost.Guardian, ConsentDecision.Granted, ["account"], "v1"));

        (await act.Should().ThrowAsync<ArgumentException>()).Which.Message.Should().Contain("notice hash");
    }
}

public sealed class PersonalInfoFailClosedTests
{
    [Fact]
    public async Task WhenTheStoreIsDown_CollectionIsRefusedWithStoreUnavailable()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IPersonalInfoStore, DownStore>();
        services.AddTeenMode(o => o.PinIterations = 100_000).UsePersonalInfo(o => o.InventoryId = DataInventoryLoader.SampleId);
        await using var sp = services.BuildServiceProvider();
        await sp.GetRequiredService<TeenMode.Subjects.ISubjectService>().RegisterAsync(new TeenMode.Subjects.SubjectRegistration("teen", new DateOnly(2010, 1, 1)));
        var pi = sp.GetRequiredService<IPersonalInfo>();

        (await pi.CheckCollectionAsync("teen", "nickname", "account")).Reason.Should().Be(ReasonCode.StoreUnavailable);
        (await pi.CollectAsync("teen", "nickname", "account", "Xiaohong")).Reason.Should().Be(ReasonCode.StoreUnavailable);
    }

    private sealed class DownStore : IPersonalInfoStore
    {
        public Task AddConsentAsync(ConsentRecord record, CancellationToken cancellationToken = default) => throw new IOException("down");

        public Task<IReadOnlyList<ConsentRecord>> GetConsentsAsync(string subjectId, CancellationToken cancellationToken = default) => throw new IOException("down");

        public Task UpsertValueAsync(PersonalDataRecord record, CancellationToken cancellationToken = default) => throw new IOException("down");

        public Task<IReadOnlyList<PersonalDataRecord>> GetValuesAsync(string subjectId, CancellationToken cancellationToken = default) => throw new IOException("down");

        public Task<IReadOnlyList<PersonalDataRecord>> DeleteValuesAsync(string subjectId, IReadOnlyCollection<string>? purposes = null, CancellationToken cancellationToken = default) =>
            throw new IOException("down");

        public Task<IReadOnlyList<PersonalDataRecord>> DeleteExpiredValuesAsync(DateTimeOffset now, CancellationToken cancellationToken = default) => throw new IOException("down");

        public Task SaveRequestAsync(DataSubjectRequestRecord request, CancellationToken cancellationToken = default) => throw new IOException("down");

        public Task<DataSubjectRequestRecord?> GetRequestAsync(string requestId, CancellationToken cancellationToken = default) => throw new IOException("down");
    }
}
