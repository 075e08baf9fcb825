using TeenMode.Rules;
using TeenMode.Subjects;

namespace TeenMode.ContentPool;

internal sealed class ContentPoolService(ISubjectStore subjects, IContentCatalog catalog, RulePack pack, TimeProvider time) : IContentPool
{
    public async Task<Decision> CheckAsync(string subjectId, string itemId, CancellationToken cancellationToken = default)
    {
        var subject = await subjects.GetAsync(subjectId, cancellationToken).ConfigureAwait(false);
        if (subject is null)
        {
            return Decision.Deny(ReasonCode.UnknownSubject);
        }

        var item = await catalog.GetAsync(itemId, cancellationToken).ConfigureAwait(false);
        if (!subject.TeenMode)
        {
            return item is null ? Decision.Deny(ReasonCode.ContentNotInPool) : new Decision(Outcome.Allow, ReasonCode.TeenModeOff, [], DecisionDetails.None);
        }

        if (item is null || item.MayAffectMinors || item.SuitableBands.Count == 0)
        {
            return Decision.Deny(ReasonCode.ContentNotInPool, RequirementIds.ContentPool);
        }

        var band = SubjectService.Resolve(subject, pack, time.GetUtcNow()).Rules.Band;
        return item.IsServableTo(band)
            ? Decision.Allow()
            : Decision.Deny(ReasonCode.ContentNotSuitableForBand, RequirementIds.ContentPool);
    }

    public async Task<ContentPage?> GetFeedAsync(string subjectId, string? cursor, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var subject = await subjects.GetAsync(subjectId, cancellationToken).ConfigureAwait(false);
        if (subject is null)
        {
            return null;
        }

        Func<ContentItem, bool> filter = static _ => true;
        if (subject.TeenMode)
        {
            var band = SubjectService.Resolve(subject, pack, time.GetUtcNow()).Rules.Band;
            filter = item => item.IsServableTo(band);
        }

        // Ask for one more than the page so we know whether another page follows.
        var items = await catalog.ListAsync(cursor, limit + 1, filter, cancellationToken).ConfigureAwait(false);
        return items.Count > limit
            ? new ContentPage(items.Take(limit).ToList(), items[limit - 1].Id)
            : new ContentPage(items, null);
    }
}
