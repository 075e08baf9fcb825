using TeenMode.Storage;

namespace TeenMode.Sdk.Tests.Stores;

public class GroupCommitterTests
{
    /// <summary>A commit function that records its batches and can be held at the start of a batch.</summary>
    private sealed class Recorder : IDisposable
    {
        private readonly SemaphoreSlim _held = new(0);
        private volatile bool _holding;

        public List<int[]> Batches { get; } = [];

        public TaskCompletionSource FirstStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Exception? Fail { get; set; }

        public void Hold() => _holding = true;

        public void Dispose() => _held.Dispose();

        public void Release()
        {
            _holding = false;
            _held.Release();
        }

        public async Task<IReadOnlyList<int>> CommitAsync(IReadOnlyList<int> items, CancellationToken cancellationToken)
        {
            FirstStarted.TrySetResult();
            if (_holding)
            {
                await _held.WaitAsync(cancellationToken);
            }

            lock (Batches)
            {
                Batches.Add([.. items]);
            }

            return Fail is { } fail ? throw fail : items.Select(i => i * 10).ToArray();
        }
    }

    [Fact]
    public async Task WhileABatchCommits_TheNextCallersAreCommittedTogether_AndEachGetsItsOwnResult()
    {
        using var recorder = new Recorder();
        await using var committer = new GroupCommitter<int, int>(recorder.CommitAsync);
        recorder.Hold();
        var first = committer.EnqueueAsync(1);
        await recorder.FirstStarted.Task;

        var waiting = Enumerable.Range(2, 10).Select(i => committer.EnqueueAsync(i)).ToArray();
        waiting.Should().OnlyContain(t => !t.IsCompleted, "nobody is answered before their batch has committed");
        recorder.Release();

        (await first).Should().Be(10);
        (await Task.WhenAll(waiting)).Should().Equal(Enumerable.Range(2, 10).Select(i => i * 10));
        recorder.Batches.Should().HaveCount(2);
        recorder.Batches[1].Should().Equal(Enumerable.Range(2, 10), "the second batch holds everything that queued meanwhile, in arrival order");
    }

    [Fact]
    public async Task ABatch_IsNeverLargerThanTheMaximum()
    {
        using var recorder = new Recorder();
        await using var committer = new GroupCommitter<int, int>(recorder.CommitAsync, new GroupCommitOptions { MaxBatchSize = 4 });
        recorder.Hold();
        var first = committer.EnqueueAsync(0);
        await recorder.FirstStarted.Task;
        var rest = Enumerable.Range(1, 10).Select(i => committer.EnqueueAsync(i)).ToArray();
        recorder.Release();

        await Task.WhenAll(rest.Append(first));

        recorder.Batches.Select(b => b.Length).Should().Equal(1, 4, 4, 2);
    }

    [Fact]
    public async Task ACallerWhoGaveUpBeforeItsBatchStarted_IsNotWritten()
    {
        using var recorder = new Recorder();
        await using var committer = new GroupCommitter<int, int>(recorder.CommitAsync);
        recorder.Hold();
        var first = committer.EnqueueAsync(1);
        await recorder.FirstStarted.Task;
        using var giveUp = new CancellationTokenSource();
        var abandoned = committer.EnqueueAsync(2, giveUp.Token);
        var kept = committer.EnqueueAsync(3);

        await giveUp.CancelAsync();
        recorder.Release();

        await FluentActions.Awaiting(() => abandoned).Should().ThrowAsync<OperationCanceledException>();
        (await kept).Should().Be(30);
        await first;
        recorder.Batches.SelectMany(b => b).Should().Equal(1, 3);
    }

    [Fact]
    public async Task AFailedCommit_FailsEveryCallerOfThatBatch_AndTheNextBatchStillRuns()
    {
        using var recorder = new Recorder();
        await using var committer = new GroupCommitter<int, int>(recorder.CommitAsync);
        recorder.Hold();
        var first = committer.EnqueueAsync(1);
        await recorder.FirstStarted.Task;
        recorder.Fail = new InvalidOperationException("disk full");
        var failing = Enumerable.Range(2, 3).Select(i => committer.EnqueueAsync(i)).ToArray();
        recorder.Release();

        foreach (var task in failing.Append(first))
        {
            await FluentActions.Awaiting(() => task).Should().ThrowAsync<InvalidOperationException>().WithMessage("disk full");
        }

        recorder.Fail = null;
        (await committer.EnqueueAsync(9)).Should().Be(90);
    }

    [Fact]
    public async Task Disposing_CommitsWhatIsQueued_ThenRefusesNewItems()
    {
        using var recorder = new Recorder();
        var committer = new GroupCommitter<int, int>(recorder.CommitAsync);
        recorder.Hold();
        var first = committer.EnqueueAsync(1);
        await recorder.FirstStarted.Task;
        var queued = Enumerable.Range(2, 5).Select(i => committer.EnqueueAsync(i)).ToArray();

        var disposing = committer.DisposeAsync().AsTask();
        recorder.Release();
        await disposing;

        (await Task.WhenAll(queued)).Should().Equal(20, 30, 40, 50, 60);
        await first;
        FluentActions.Invoking(() => { _ = committer.EnqueueAsync(7); }).Should().Throw<ObjectDisposedException>();
    }

    [Fact]
    public void Options_OutOfRange_AreRefused()
    {
        FluentActions.Invoking(() => new GroupCommitOptions { MaxBatchSize = 0 }.Validate()).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => new GroupCommitOptions { MaxWait = TimeSpan.FromSeconds(2) }.Validate()).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => new GroupCommitOptions { MaxWait = TimeSpan.FromMilliseconds(-1) }.Validate()).Should().Throw<ArgumentOutOfRangeException>();
    }
}
