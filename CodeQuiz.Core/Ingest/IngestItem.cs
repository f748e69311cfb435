using CodeQuiz.Core.Quizzes;
using Telegram.Bot.Types;

namespace CodeQuiz.Core.Ingest;

/// <summary>Work for the batch writer. Each item completes only after the transaction holding it committed.</summary>
public abstract class IngestItem
{
    public abstract void Fail(Exception error);
}

/// <summary>How an update ended: stored, or recognised as a repeat; optionally a reply for the webhook response body.</summary>
public readonly record struct IngestOutcome(bool Duplicate, Outbox.OutboxMessage? WebhookReply = null);

public sealed class UpdateItem(Update update, DateTimeOffset receivedAt) : IngestItem
{
    readonly TaskCompletionSource<IngestOutcome> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    int _requestGaveUp;

    public Update Update { get; } = update;
    public DateTimeOffset ReceivedAt { get; } = receivedAt;

    /// <summary>Set by the webhook when its response body may carry a reply to the update's own chat.</summary>
    public bool MayReplyInResponse { get; init; }

    /// <summary>
    /// Set by the webhook: its response body may carry the answer to a button press (the toast). A toast Telegram never
    /// shows costs nothing (the ticked keyboard, sent through the outbox, shows the choice all the same), so it needs no
    /// setting; sent at once with the 200, it spares the outbox a call per press when a crowd presses together.
    /// </summary>
    public bool MayAnswerButtonInResponse { get; init; }

    /// <summary>The response body may carry a call of some kind.</summary>
    public bool MayAnswerInResponse => MayReplyInResponse || MayAnswerButtonInResponse;

    /// <summary>
    /// The webhook request stopped waiting (Telegram gave up on it, or its wait timed out): no response body carries a reply
    /// any more, so the writer puts it in the outbox with the update's other messages.
    /// </summary>
    public bool RequestGaveUp => Volatile.Read(ref _requestGaveUp) != 0;
    public void GiveUpWaiting() => Volatile.Write(ref _requestGaveUp, 1);

    public Task<IngestOutcome> Completion => _done.Task;
    public void Complete(IngestOutcome outcome) => _done.TrySetResult(outcome);
    public override void Fail(Exception error) => _done.TrySetException(error);
}

/// <summary>
/// A reply (or a button's toast) the writer handed to a webhook request that stopped waiting before the update was stored:
/// it goes out through the outbox, as it would have without the webhook response.
/// </summary>
public sealed class UnsentReplyItem(Outbox.OutboxMessage reply) : IngestItem
{
    readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Outbox.OutboxMessage Reply { get; } = reply;

    public Task Completion => _done.Task;
    public void Complete() => _done.TrySetResult();
    public override void Fail(Exception error) => _done.TrySetException(error);
}

/// <summary>A body that passed the secret check but is not an update we understand.</summary>
public sealed class DeadLetterItem(string body, string reason, DateTimeOffset receivedAt) : IngestItem
{
    readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string Body { get; } = body;
    public string Reason { get; } = reason;
    public DateTimeOffset ReceivedAt { get; } = receivedAt;

    public Task Completion => _done.Task;
    public void Complete() => _done.TrySetResult();
    public override void Fail(Exception error) => _done.TrySetException(error);
}

public enum LifecycleAction { Open, Close, Extend, Reopen, Withdraw }

/// <summary>An organizer's open, close, reopen, withdraw or "+30 s" (<see cref="Seconds"/>), ordered with the updates around it.</summary>
public sealed class LifecycleItem(int questionId, LifecycleAction action, int seconds = 0) : IngestItem
{
    readonly TaskCompletionSource<Question> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int QuestionId { get; } = questionId;
    public LifecycleAction Action { get; } = action;
    public int Seconds { get; } = seconds;

    /// <summary>An extend: the extra seconds the organizer saw, so a co-host's extend that came first is not added to.</summary>
    public int? ExpectedExtraSeconds { get; init; }

    /// <summary>An open asked for while the organizer saw no other question of the event running.</summary>
    public bool OnlyIfNoneOpen { get; init; }

    /// <summary>When it was made, just before it was queued (<see cref="System.Diagnostics.Stopwatch"/>'s clock): a close's time is logged.</summary>
    public long QueuedAt { get; } = System.Diagnostics.Stopwatch.GetTimestamp();

    public Task<Question> Completion => _done.Task;
    public void Complete(Question question) => _done.TrySetResult(question);
    public override void Fail(Exception error) => _done.TrySetException(error);
}

/// <summary>An organizer leaves a participant out of the rankings, or ranks them again, in order with the updates around it.</summary>
public sealed class LeaveOutItem(long participantId, bool leaveOut) : IngestItem
{
    readonly TaskCompletionSource<RankingChange?> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public long ParticipantId { get; } = participantId;
    public bool LeaveOut { get; } = leaveOut;

    /// <summary>Null when there is no such participant.</summary>
    public Task<RankingChange?> Completion => _done.Task;
    public void Complete(RankingChange? change) => _done.TrySetResult(change);
    public override void Fail(Exception error) => _done.TrySetException(error);
}

/// <summary>An organizer's "start over" of an event, ordered with the updates around it.</summary>
public sealed class StartOverItem(int eventId) : IngestItem
{
    readonly TaskCompletionSource<EventStartedOver> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int EventId { get; } = eventId;

    public Task<EventStartedOver> Completion => _done.Task;
    public void Complete(EventStartedOver result) => _done.TrySetResult(result);
    public override void Fail(Exception error) => _done.TrySetException(error);
}
