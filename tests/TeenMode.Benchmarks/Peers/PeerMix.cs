using System.Globalization;
using System.Text;
using TeenMode.Rules;

namespace TeenMode.Benchmarks.Peers;

/// <summary>One request of the comparison: the whole input of the usage decision.</summary>
/// <param name="Band">Index into the pack's bands.</param>
/// <param name="TeenMode">Whether teen mode is on.</param>
/// <param name="LocalSecond">Local time of day, in seconds since local midnight (the pack's time zone).</param>
/// <param name="UsedSeconds">Use counted today; the SDK counts seconds, not minutes.</param>
internal readonly record struct PeerRequest(int Band, bool TeenMode, int LocalSecond, long UsedSeconds);

/// <summary>The fixed-seed request mix that all three engines decide.</summary>
internal static class PeerMix
{
    /// <summary>The mix size the comparison publishes.</summary>
    public const int DefaultCount = 10_000;

    /// <summary>The seed; any change makes a different mix, so figures are only comparable for one seed.</summary>
    public const ulong Seed = 0x7EE2_15;

    private static readonly int SecondsPerDay = (int)TimeSpan.FromDays(1).TotalSeconds;

    /// <summary>
    /// Bands uniform; teen mode on for 9 in 10; a quarter of the times exactly on or next to a curfew edge or
    /// midnight, the rest uniform over the day; a quarter of the use exactly on or next to the band's budget, the
    /// rest uniform from nothing to twice the budget. The edges are where an off-by-one would show.
    /// </summary>
    public static PeerRequest[] Generate(RulePack pack, int count)
    {
        ArgumentNullException.ThrowIfNull(pack);
        var random = new SplitMix64(Seed);
        var requests = new PeerRequest[count];
        for (var i = 0; i < count; i++)
        {
            var band = random.Below(pack.Bands.Count);
            var rules = pack.Bands[band];
            var budget = (long)rules.DailyMinutes.Value * 60;
            var teenMode = random.Below(10) != 0;

            var start = SecondOf(rules.Curfew.Start);
            var end = SecondOf(rules.Curfew.End);
            int[] timeEdges = [start - 1, start, start + 1, end - 1, end, end + 1, 0, SecondsPerDay - 1];
            var localSecond = random.Below(4) == 0
                ? (timeEdges[random.Below(timeEdges.Length)] + SecondsPerDay) % SecondsPerDay
                : random.Below(SecondsPerDay);

            long[] useEdges = [budget - 1, budget, budget + 1, 0];
            var used = random.Below(4) == 0
                ? Math.Max(0, useEdges[random.Below(useEdges.Length)])
                : random.Below((int)(2 * budget) + 1);
            requests[i] = new PeerRequest(band, teenMode, localSecond, used);
        }

        return requests;
    }

    /// <summary>Seconds since midnight.</summary>
    public static int SecondOf(TimeOnly time) => (int)time.ToTimeSpan().TotalSeconds;

    /// <summary>The mix as the node side reads it: band ids, then [band, teenMode 0/1, localSecond, usedSeconds] rows.</summary>
    public static string ToJson(RulePack pack, IReadOnlyList<PeerRequest> requests)
    {
        ArgumentNullException.ThrowIfNull(pack);
        ArgumentNullException.ThrowIfNull(requests);
        var json = new StringBuilder(requests.Count * 24);
        json.Append("{\"bands\":[").AppendJoin(',', pack.Bands.Select(b => $"\"{b.Band.Id}\"")).Append("],\"requests\":[");
        for (var i = 0; i < requests.Count; i++)
        {
            var r = requests[i];
            json.Append(i == 0 ? "[" : ",[")
                .Append(CultureInfo.InvariantCulture, $"{r.Band},{(r.TeenMode ? 1 : 0)},{r.LocalSecond},{r.UsedSeconds}]");
        }

        return json.Append("]}").ToString();
    }

    // SplitMix64: a few lines, the same sequence on every runtime (System.Random's seeded sequence is not promised).
    private struct SplitMix64(ulong state)
    {
        private ulong _state = state;

        public int Below(int bound)
        {
            unchecked
            {
                _state += 0x9E3779B97F4A7C15;
                var z = _state;
                z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
                z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
                return (int)((z ^ (z >> 31)) % (ulong)bound);
            }
        }
    }
}
