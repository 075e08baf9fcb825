using System.Collections.Concurrent;
using Newtonsoft.Json.Linq;

namespace TeenMode.IntegrationTests;

/// <summary>
/// Heartbeats are group-committed, and a caller is answered only after its batch committed: so an app process killed
/// with SIGKILL in the middle of heartbeat load loses none it acknowledged.
/// </summary>
public sealed class HeartbeatDurabilityTests
{
    private const int Subjects = 20;
    private const int Senders = 16;
    private const string Clock = "2026-03-02T10:00:00";

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task KillDuringHeartbeatLoad_EveryAcknowledgedHeartbeatIsInTheLedgerAfterRestart(string storeName)
    {
        var dir = Directory.CreateTempSubdirectory("teenmode-durability-").FullName;
        var store = await SharedStore.CreateAsync(storeName, dir);
        try
        {
            var acknowledged = new ConcurrentBag<(int Subject, string Device, long Sequence)>();
            var sentPerSubject = new int[Subjects];
            long budget;
            await using (var a = await SampleAppProcess.StartAsync("A", store))
            {
                await a.SetClockAsync(Clock);
                for (var s = 0; s < Subjects; s++)
                {
                    (await a.SendAsync(HttpMethod.Post, "/teenmode/v1/subjects", new JObject { ["id"] = $"kid-{s}", ["birthDate"] = "2009-01-01" }.ToString()))
                        .Status.Should().Be(201);
                }

                budget = await RemainingAsync(a, 0);

                // Senders keep posting until the process dies under them; the kill lands while batches are in flight.
                using var stop = new CancellationTokenSource();
                var senders = Enumerable.Range(0, Senders).Select(sender => Task.Run(async () =>
                {
                    for (long sequence = 1; !stop.IsCancellationRequested; sequence++)
                    {
                        var subject = (int)((sequence * 7) + sender) % Subjects;
                        var body = new JObject { ["deviceId"] = $"device-{sender}", ["sequence"] = sequence, ["seconds"] = 1 }.ToString();
                        Interlocked.Increment(ref sentPerSubject[subject]);
                        try
                        {
                            var (status, _) = await a.SendAsync(HttpMethod.Post, $"/teenmode/v1/subjects/kid-{subject}/heartbeats", body);
                            if (status == 200)
                            {
                                acknowledged.Add((subject, $"device-{sender}", sequence));
                            }
                        }
                        catch (HttpRequestException)
                        {
                            return;
                        }
                    }
                })).ToArray();

                await WaitForAsync(() => acknowledged.Count >= 1500, TimeSpan.FromSeconds(60));
                a.KillNow();
                await Task.WhenAll(senders).WaitAsync(TimeSpan.FromSeconds(60));
                await stop.CancelAsync();
            }

            await using var b = await SampleAppProcess.StartAsync("B", store);
            await b.SetClockAsync(Clock);
            var usedBefore = new long[Subjects];
            for (var s = 0; s < Subjects; s++)
            {
                usedBefore[s] = budget - await RemainingAsync(b, s);
                var acked = acknowledged.Count(h => h.Subject == s);
                usedBefore[s].Should().BeGreaterThanOrEqualTo(acked, $"kid-{s} had {acked} heartbeats of 1 s acknowledged before the kill");
                usedBefore[s].Should().BeLessThanOrEqualTo(sentPerSubject[s], "nothing is counted that was not sent");
            }

            // A replay of an acknowledged heartbeat that the ledger lost would be counted now; none may be.
            foreach (var h in acknowledged)
            {
                var body = new JObject { ["deviceId"] = h.Device, ["sequence"] = h.Sequence, ["seconds"] = 1 }.ToString();
                (await b.SendAsync(HttpMethod.Post, $"/teenmode/v1/subjects/kid-{h.Subject}/heartbeats", body)).Status.Should().Be(200);
            }

            for (var s = 0; s < Subjects; s++)
            {
                (budget - await RemainingAsync(b, s)).Should().Be(usedBefore[s], $"every heartbeat acknowledged for kid-{s} was already in the ledger");
            }

            Console.WriteLine($"durability ({storeName}): {acknowledged.Count} acknowledged before SIGKILL, {sentPerSubject.Sum()} sent, "
                + $"{usedBefore.Sum()} counted after restart; a replay of all acknowledged counted 0 more");
        }
        finally
        {
            await store.DisposeAsync();
            Directory.Delete(dir, recursive: true);
        }
    }

    private static async Task<long> RemainingAsync(SampleAppProcess instance, int subject)
    {
        var (status, body) = await instance.SendAsync(HttpMethod.Get, $"/teenmode/v1/subjects/kid-{subject}/usage");
        status.Should().Be(200, body.ToString());
        return body["remainingSeconds"]!.Value<long>();
    }

    private static async Task WaitForAsync(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            DateTime.UtcNow.Should().BeBefore(deadline, "the load reached its mark in time");
            await Task.Delay(20);
        }
    }
}
