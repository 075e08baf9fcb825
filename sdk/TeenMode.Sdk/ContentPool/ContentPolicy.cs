using TeenMode.Rules;

namespace TeenMode.ContentPool;

/// <summary>The content rules of the rule pack: band suitability, forbidden topics, ads and links, may-affect notices.</summary>
public sealed class ContentPolicy(RulePack pack) : IContentPolicy
{
    /// <inheritdoc />
    public Decision Evaluate(ContentItem? item, AgeBand? teenBand)
    {
        if (teenBand is not { } band)
        {
            if (item is null)
            {
                return Decision.Deny(ReasonCode.ContentNotInPool);
            }

            return item.MayAffectMinors
                ? Decision.AllowWithNotice(ReasonCode.MayAffectMinorsNotice, RequirementIds.MayAffectNotice)
                : new Decision(Outcome.Allow, ReasonCode.TeenModeOff, [], DecisionDetails.None);
        }

        if (item is null || item.SuitableBands.Count == 0)
        {
            return Decision.Deny(ReasonCode.ContentNotInPool, RequirementIds.ContentPool);
        }

        // Topic and flag rules come first: a suitability label does not make a forbidden item servable.
        if (item.HasForbiddenTopic)
        {
            return Decision.Deny(ReasonCode.ForbiddenTopic, RequirementIds.ForbiddenTopics);
        }

        if (item.MayAffectMinors)
        {
            return Decision.Deny(ReasonCode.ContentNotInPool, [.. RequirementIds.ContentPool, .. RequirementIds.ProminentPlacement]);
        }

        if (item.IsUnreviewedCommercialOrExternal)
        {
            return (item.Flags & ContentLabels.Advertisement) != 0
                ? Decision.Deny(ReasonCode.AdvertisementBlocked, RequirementIds.Advertising)
                : Decision.Deny(ReasonCode.ExternalLinkBlocked, RequirementIds.ExternalLinks);
        }

        return item.SuitableBands.Contains(band)
            ? Decision.Allow()
            : Decision.Deny(ReasonCode.ContentNotSuitableForBand, RequirementIds.ContentPool);
    }

    /// <inheritdoc />
    public Decision EvaluatePlacement(ContentItem item, ContentPlacement placement, AgeBand? teenBand)
    {
        ArgumentNullException.ThrowIfNull(item);
        if (item.MayAffectMinors)
        {
            return Decision.Deny(ReasonCode.ProminentPlacementForbidden, RequirementIds.ProminentPlacement);
        }

        var open = Evaluate(item, teenBand);
        return open.IsAllowed ? Decision.Allow() : open;
    }

    /// <inheritdoc />
    public bool IsAudioFirst(AgeBand band) => pack.ContentPool?.AudioFirstBands.Contains(band) ?? false;
}
