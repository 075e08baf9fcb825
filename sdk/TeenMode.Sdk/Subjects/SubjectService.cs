using TeenMode.Rules;

namespace TeenMode.Subjects;

internal sealed class SubjectService(ISubjectStore store, RulePack pack, TimeProvider time) : ISubjectService
{
    public async Task<Subject?> RegisterAsync(SubjectRegistration registration, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(registration);
        ArgumentException.ThrowIfNullOrWhiteSpace(registration.Id);
        var subject = new Subject(registration.Id, registration.BirthDate, registration.DeclaredBand,
            registration.BirthDate is null && registration.DeclaredBand is null ? AgeSource.Unknown : registration.AgeSource,
            registration.TeenMode, time.GetUtcNow());
        return await store.TryAddAsync(subject, cancellationToken).ConfigureAwait(false) ? subject : null;
    }

    public async Task<SubjectStatus?> GetStatusAsync(string subjectId, CancellationToken cancellationToken = default)
    {
        var subject = await store.GetAsync(subjectId, cancellationToken).ConfigureAwait(false);
        return subject is null ? null : Resolve(subject, pack, time.GetUtcNow());
    }

    /// <summary>The band that applies to <paramref name="subject"/> at <paramref name="now"/>.</summary>
    internal static SubjectStatus Resolve(Subject subject, RulePack pack, DateTimeOffset now)
    {
        // A real-name check that is pending or failed casts doubt on the declared age: the most protective band until verified.
        if (subject.RealName is RealNameStatus.Pending or RealNameStatus.Failed)
        {
            return new SubjectStatus(subject, null, pack.MostProtective);
        }

        if (subject.BirthDate is { } birth)
        {
            var age = RulePack.AgeOn(birth, DateOnly.FromDateTime(pack.ToLocal(now)));

            // An adult who keeps teen mode on gets the oldest band's rules.
            return new SubjectStatus(subject, age, pack.ForAge(Math.Max(age, 0)) ?? pack.Bands[^1]);
        }

        if (subject.DeclaredBand is { } band && pack.ForBand(band) is { } declared)
        {
            return new SubjectStatus(subject, null, declared);
        }

        return new SubjectStatus(subject, null, pack.MostProtective);
    }
}
