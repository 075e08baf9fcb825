using FluentAssertions;
using TeenMode.PersonalInfo;
using Xunit;

namespace TeenMode.Testing;

public abstract partial class StoreContractTests
{
    private static PersonalDataRecord PiValue(string subject, string field, string purpose, string? keyId = null, byte[]? payload = null, int expiresInDays = 30) =>
        new(subject, field, purpose, PersonalDataCategory.Basic, keyId, payload ?? [1, 2, 3, 0, 255], Start, Start.AddDays(expiresInDays));

    [Fact]
    public async Task PersonalInfo_ValuesRoundTrip_ByteForByte_AndAnUpsertReplaces()
    {
        await using var store = await CreateStoreAsync();
        var sealedValue = PiValue("kid", "id-card-number", "real-name-verification", "key-1", [.. Enumerable.Range(0, 64).Select(i => (byte)i)]) with
        {
            Category = PersonalDataCategory.IdentityNumber,
        };
        await store.PersonalInfo.UpsertValueAsync(PiValue("kid", "nickname", "account"));
        await store.PersonalInfo.UpsertValueAsync(sealedValue);
        await store.PersonalInfo.UpsertValueAsync(PiValue("kid", "nickname", "account", payload: [9]) with { CollectedAt = Start.AddHours(1) });

        var values = await store.PersonalInfo.GetValuesAsync("kid");

        values.Select(v => v.Field).Should().Equal("id-card-number", "nickname");
        values[0].KeyId.Should().Be("key-1");
        values[0].Category.Should().Be(PersonalDataCategory.IdentityNumber);
        values[0].Payload.ToArray().Should().Equal(sealedValue.Payload.ToArray());
        values[1].Payload.ToArray().Should().Equal([9]);
        values[1].KeyId.Should().BeNull();
        values[1].CollectedAt.Should().Be(Start.AddHours(1));
        values[1].ExpiresAt.Should().Be(Start.AddDays(30));
        (await store.PersonalInfo.GetValuesAsync("other")).Should().BeEmpty();
    }

    [Fact]
    public async Task PersonalInfo_DeleteByPurpose_RemovesOnlyThoseAndReturnsThem()
    {
        await using var store = await CreateStoreAsync();
        await store.PersonalInfo.UpsertValueAsync(PiValue("kid", "nickname", "account"));
        await store.PersonalInfo.UpsertValueAsync(PiValue("kid", "watch-history", "recommendation"));
        await store.PersonalInfo.UpsertValueAsync(PiValue("kid", "city", "recommendation"));
        await store.PersonalInfo.UpsertValueAsync(PiValue("sibling", "city", "recommendation"));

        var deleted = await store.PersonalInfo.DeleteValuesAsync("kid", ["recommendation"]);

        deleted.Select(d => (d.SubjectId, d.Field)).Should().Equal(("kid", "city"), ("kid", "watch-history"));
        (await store.PersonalInfo.GetValuesAsync("kid")).Select(v => v.Field).Should().Equal("nickname");
        (await store.PersonalInfo.GetValuesAsync("sibling")).Should().ContainSingle("another subject's data is untouched");
    }

    [Fact]
    public async Task PersonalInfo_DeleteAll_LeavesNothingForTheSubject()
    {
        await using var store = await CreateStoreAsync();
        await store.PersonalInfo.UpsertValueAsync(PiValue("kid", "nickname", "account"));
        await store.PersonalInfo.UpsertValueAsync(PiValue("kid", "id-card-number", "real-name-verification", "key-1"));

        var deleted = await store.PersonalInfo.DeleteValuesAsync("kid");

        deleted.Should().HaveCount(2);
        (await store.PersonalInfo.GetValuesAsync("kid")).Should().BeEmpty();
        (await store.PersonalInfo.DeleteValuesAsync("kid")).Should().BeEmpty();
    }

    [Fact]
    public async Task PersonalInfo_DeleteExpired_RemovesValuesAtOrPastTheirExpiry()
    {
        await using var store = await CreateStoreAsync();
        await store.PersonalInfo.UpsertValueAsync(PiValue("kid", "precise-location", "nearby", expiresInDays: 1));
        await store.PersonalInfo.UpsertValueAsync(PiValue("kid", "nickname", "account", expiresInDays: 2));

        (await store.PersonalInfo.DeleteExpiredValuesAsync(Start.AddDays(1).AddTicks(-1))).Should().BeEmpty();
        (await store.PersonalInfo.DeleteExpiredValuesAsync(Start.AddDays(1))).Select(d => d.Field).Should().Equal("precise-location");
        (await store.PersonalInfo.GetValuesAsync("kid")).Select(v => v.Field).Should().Equal("nickname");
    }

    [Fact]
    public async Task PersonalInfo_ConsentsComeBackInTheOrderTheyWereAdded()
    {
        await using var store = await CreateStoreAsync();
        var hash = new string('a', 64);
        var granted = new ConsentRecord("c1", "kid", "mum", ConsentDecision.Granted, ["account", "recommendation"], hash, Start);
        var withdrawn = new ConsentRecord("c2", "kid", "mum", ConsentDecision.Withdrawn, ["recommendation"], hash, Start);
        await store.PersonalInfo.AddConsentAsync(granted);
        await store.PersonalInfo.AddConsentAsync(new ConsentRecord("c3", "other", "dad", ConsentDecision.Refused, ["nearby"], hash, Start));
        await store.PersonalInfo.AddConsentAsync(withdrawn);

        var consents = await store.PersonalInfo.GetConsentsAsync("kid");

        consents.Select(c => c.Id).Should().Equal("c1", "c2");
        consents[0].Should().BeEquivalentTo(granted);
        consents[1].Decision.Should().Be(ConsentDecision.Withdrawn);
    }

    [Fact]
    public async Task PersonalInfo_RequestsAreSaved_ThenUpdatedWithTheirOutcome()
    {
        await using var store = await CreateStoreAsync();
        var received = new DataSubjectRequestRecord("dsr-1", "kid", DataSubjectRequestKind.Correction, "mum", Start, Start.AddDays(15),
            DataSubjectRequestStatus.Received, null, null, "nickname", "account");
        await store.PersonalInfo.SaveRequestAsync(received);
        var refused = received with
        {
            Status = DataSubjectRequestStatus.Refused,
            CompletedAt = Start.AddMinutes(1),
            RefusalReason = new LocalizedText("无可更正", "nothing to correct"),
        };

        (await store.PersonalInfo.GetRequestAsync("dsr-1")).Should().Be(received);
        await store.PersonalInfo.SaveRequestAsync(refused);

        (await store.PersonalInfo.GetRequestAsync("dsr-1")).Should().Be(refused);
        (await store.PersonalInfo.GetRequestAsync("dsr-2")).Should().BeNull();
    }
}
