namespace CodeQuiz.Core.Ingest;

/// <summary>
/// Tells a reader of the database when what it has read is on disk. The batch writer commits without waiting for the
/// disk (<see cref="GroupCommit"/>), so another connection can read a batch's rows a moment before the write-ahead log
/// holding them is flushed. The outbox sender waits here before sending what it read: a reply, or a channel's results
/// post, never goes out for an update or a close that a power cut could still take back.
/// </summary>
public sealed class DurableLog
{
    GroupCommit? _groupCommit;

    /// <summary>Set by the batch writer once it commits through group commit; null when every commit waits for the disk itself.</summary>
    internal void Use(GroupCommit? groupCommit) => Volatile.Write(ref _groupCommit, groupCommit);

    /// <summary>
    /// Completes once everything committed before the call is on disk. Throws <see cref="LogNotDurableException"/> when
    /// the log cannot be flushed (until CodeQuiz is restarted) or the writer has stopped.
    /// </summary>
    public Task OnDiskAsync(CancellationToken cancellationToken) =>
        Volatile.Read(ref _groupCommit) is { } groupCommit ? groupCommit.FlushedAsync().WaitAsync(cancellationToken) : Task.CompletedTask;
}
