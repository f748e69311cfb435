using CodeQuiz.Core.Quizzes;

namespace CodeQuiz.Core.Ingest;

/// <summary>
/// Opens, closes, reopens, withdraws and extends questions, and starts events over, through the ingest queue, in order with the updates around them.
/// Each of those is told to <see cref="CatalogChanges"/> too, so an event page open elsewhere shows the questions' new state.
/// </summary>
public sealed class PipelineLifecycle(IngestQueue queue, BatchWriter writer, CatalogChanges changes) : IQuizLifecycle
{
    public Task<Question> OpenAsync(int questionId, bool onlyIfNoneOpen = false, CancellationToken cancellationToken = default) =>
        RunAsync(new LifecycleItem(questionId, LifecycleAction.Open) { OnlyIfNoneOpen = onlyIfNoneOpen }, cancellationToken);

    public Task<Question> CloseAsync(int questionId, CancellationToken cancellationToken = default) =>
        RunAsync(new LifecycleItem(questionId, LifecycleAction.Close), cancellationToken);

    public Task<Question> ReopenAsync(int questionId, CancellationToken cancellationToken = default) =>
        RunAsync(new LifecycleItem(questionId, LifecycleAction.Reopen), cancellationToken);

    public Task<Question> WithdrawAsync(int questionId, CancellationToken cancellationToken = default) =>
        RunAsync(new LifecycleItem(questionId, LifecycleAction.Withdraw), cancellationToken);

    public Task<Question> ExtendAsync(int questionId, int seconds, int? expectedExtraSeconds = null, CancellationToken cancellationToken = default) =>
        RunAsync(new LifecycleItem(questionId, LifecycleAction.Extend, seconds) { ExpectedExtraSeconds = expectedExtraSeconds }, cancellationToken);

    public async Task<EventStartedOver> StartOverAsync(int eventId, CancellationToken cancellationToken = default)
    {
        var item = new StartOverItem(eventId);
        await queue.EnqueueAsync(item, cancellationToken);
        return await WhenDone(item.Completion, _ => changes.Publish(new CatalogChanged(eventId, EventItself: false, StartedOver: true)))
            .WaitAsync(cancellationToken);
    }

    public async Task<RankingChange?> LeaveOutAsync(long participantId, bool leaveOut, CancellationToken cancellationToken = default)
    {
        var item = new LeaveOutItem(participantId, leaveOut);
        await queue.EnqueueAsync(item, cancellationToken);
        return await item.Completion.WaitAsync(cancellationToken);
    }

    public void CatalogChanged() => writer.CatalogChanged();

    async Task<Question> RunAsync(LifecycleItem item, CancellationToken cancellationToken)
    {
        // A close during a flood must not be refused like a webhook would be: wait for room in the queue.
        await queue.EnqueueAsync(item, cancellationToken);
        return await WhenDone(item.Completion, question => changes.Publish(new CatalogChanged(question.EventId, EventItself: false)))
            .WaitAsync(cancellationToken);
    }

    /// <summary>
    /// Tells the pages once the change is written, whether or not the one who asked for it still waits: once queued it is
    /// written all the same, and pages left unaware would show the question open, and refuse Start over, until reloaded.
    /// </summary>
    static async Task<T> WhenDone<T>(Task<T> completion, Action<T> changed)
    {
        var done = await completion;
        changed(done);
        return done;
    }
}
