using System.Threading.Channels;

namespace TeenMode.Storage;

/// <summary>How a <see cref="GroupCommitter{TItem, TResult}"/> forms batches.</summary>
public sealed class GroupCommitOptions
{
    /// <summary>The most items one transaction commits. Default 256.</summary>
    public int MaxBatchSize { get; set; } = 256;

    /// <summary>
    /// How long the writer waits for more items after the first one of a batch arrives, before it commits what it has.
    /// Default zero: a batch is whatever queued while the previous one was committing, so an idle store adds no delay
    /// and a busy one batches by itself. At most one second.
    /// </summary>
    public TimeSpan MaxWait { get; set; } = TimeSpan.Zero;

    /// <summary>Throws when a value is unusable.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The batch size is not between 1 and 10,000, or the wait is negative or over a second.</exception>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxBatchSize, 1, nameof(MaxBatchSize));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(MaxBatchSize, 10_000, nameof(MaxBatchSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxWait, TimeSpan.Zero, nameof(MaxWait));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(MaxWait, TimeSpan.FromSeconds(1), nameof(MaxWait));
    }
}

/// <summary>
/// Group commit: one writer takes the items that callers queue concurrently and commits them together, one transaction
/// per batch, so a store pays one commit (one fsync, one round trip) for many writes. A caller's task completes only
/// after its batch committed, so an acknowledged write survives a crash as well as one written alone.
/// </summary>
/// <remarks>
/// Items are handed to the commit function in arrival order. A caller that gives up (its token fires) before its batch
/// starts is left out of it; one that gives up later may still be written, which is why the writes must be idempotent
/// (a heartbeat retried with the same sequence is not counted twice). When a commit throws, every caller of that batch
/// gets the exception. Dispose to commit what is queued and stop the writer.
/// </remarks>
/// <typeparam name="TItem">What a caller writes.</typeparam>
/// <typeparam name="TResult">What a caller gets back once its batch committed.</typeparam>
internal sealed class GroupCommitter<TItem, TResult> : IAsyncDisposable, IDisposable
{
    private readonly Func<IReadOnlyList<TItem>, CancellationToken, Task<IReadOnlyList<TResult>>> _commit;
    private readonly int _maxBatchSize;
    private readonly TimeSpan _maxWait;
    private readonly TimeProvider _time;
    private readonly Channel<Entry> _queue = Channel.CreateUnbounded<Entry>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lazy<Task> _writer;

    /// <summary>Creates the queue; the writer starts with the first item.</summary>
    /// <param name="commit">Writes a batch in one transaction and returns one result per item, in order.</param>
    /// <param name="options">Batch size and wait; defaults when null.</param>
    /// <param name="time">Times <see cref="GroupCommitOptions.MaxWait"/>; the system clock when null.</param>
    public GroupCommitter(Func<IReadOnlyList<TItem>, CancellationToken, Task<IReadOnlyList<TResult>>> commit, GroupCommitOptions? options = null,
        TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(commit);
        options ??= new GroupCommitOptions();
        options.Validate();
        _commit = commit;
        _maxBatchSize = options.MaxBatchSize;
        _maxWait = options.MaxWait;
        _time = time ?? TimeProvider.System;
        _writer = new Lazy<Task>(() => Task.Run(WriteAsync), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>Queues <paramref name="item"/> and completes when its batch has committed.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired first (the item may still be written).</exception>
    /// <exception cref="ObjectDisposedException">The queue was disposed.</exception>
    public Task<TResult> EnqueueAsync(TItem item, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var entry = new Entry(item, cancellationToken);
        ObjectDisposedException.ThrowIf(!_queue.Writer.TryWrite(entry), this);

        _ = _writer.Value;
        return cancellationToken.CanBeCanceled ? entry.Completion.Task.WaitAsync(cancellationToken) : entry.Completion.Task;
    }

    /// <summary>Commits what is queued, then stops the writer.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        if (_writer.IsValueCreated)
        {
            await _writer.Value.ConfigureAwait(false);
        }
    }

    /// <summary>Commits what is queued, then stops the writer.</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private async Task WriteAsync()
    {
        var batch = new List<Entry>(_maxBatchSize);
        var items = new List<TItem>(_maxBatchSize);
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            Take(reader, batch);
            if (_maxWait > TimeSpan.Zero && batch.Count < _maxBatchSize)
            {
                await TopUpAsync(reader, batch).ConfigureAwait(false);
            }

            if (batch.Count == 0)
            {
                continue;
            }

            items.Clear();
            foreach (var entry in batch)
            {
                items.Add(entry.Item);
            }

            try
            {
                // Once started, a batch runs to its end whatever its callers do: the result must match what was written.
                var results = await _commit(items, CancellationToken.None).ConfigureAwait(false);
                if (results.Count != batch.Count)
                {
                    throw new InvalidOperationException($"The commit returned {results.Count} results for {batch.Count} items.");
                }

                for (var i = 0; i < batch.Count; i++)
                {
                    batch[i].Completion.TrySetResult(results[i]);
                }
            }
            catch (Exception ex)
            {
                foreach (var entry in batch)
                {
                    entry.Completion.TrySetException(ex);
                }
            }

            batch.Clear();
        }
    }

    private void Take(ChannelReader<Entry> reader, List<Entry> batch)
    {
        while (batch.Count < _maxBatchSize && reader.TryRead(out var entry))
        {
            // A caller that already gave up gets no write it was told failed.
            if (entry.CancellationToken.IsCancellationRequested)
            {
                entry.Completion.TrySetCanceled(entry.CancellationToken);
            }
            else
            {
                batch.Add(entry);
            }
        }
    }

    private async Task TopUpAsync(ChannelReader<Entry> reader, List<Entry> batch)
    {
        using var deadline = new CancellationTokenSource(_maxWait, _time);
        try
        {
            while (batch.Count < _maxBatchSize && await reader.WaitToReadAsync(deadline.Token).ConfigureAwait(false))
            {
                Take(reader, batch);
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            // The wait is over: commit what there is.
        }
    }

    private sealed class Entry(TItem item, CancellationToken cancellationToken)
    {
        public TItem Item { get; } = item;

        public CancellationToken CancellationToken { get; } = cancellationToken;

        public TaskCompletionSource<TResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
