namespace CodeQuiz.Core.Quizzes;

/// <summary>
/// Opening and closing questions. Both go through the ingest pipeline so that every update
/// Telegram received before a close is decided before the ranking is made. The console and
/// the API use this, never the Question entity's methods directly.
/// </summary>
public interface IQuizLifecycle
{
    /// <summary>
    /// Opens a draft question: announces it in the channel. Throws <see cref="QuestionStateException"/> when not a draft,
    /// <see cref="KeyNotFoundException"/> when unknown. With <paramref name="onlyIfNoneOpen"/> (the organizer saw no other
    /// question of the event open, so was not asked about opening a second one), another question of the event that is open
    /// and running refuses it with <see cref="ChangedMeanwhileException"/>: a co-host opened it meanwhile.
    /// </summary>
    Task<Question> OpenAsync(int questionId, bool onlyIfNoneOpen = false, CancellationToken cancellationToken = default);

    /// <summary>Closes an open question: ranks it and posts the results to the channel.</summary>
    Task<Question> CloseAsync(int questionId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Opens a closed question again (<see cref="Question.Reopen"/>): the answers sent while it was closed count, in
    /// Telegram's order, and its results post in the channel says it is open again until it closes once more, when a new
    /// results post goes out; one nobody answered starts afresh, as opened now. Throws <see cref="QuestionStateException"/>
    /// when it is not closed, or another question of its event is running.
    /// </summary>
    Task<Question> ReopenAsync(int questionId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Takes an open question nobody has answered back to draft (<see cref="Question.Withdraw"/>): opened too early, it waits
    /// for its turn, and can be edited again. Its post in the channel says it was opened too early, and its next opening
    /// posts it anew. Throws <see cref="QuestionStateException"/> when it is not open, or has an answer.
    /// </summary>
    Task<Question> WithdrawAsync(int questionId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes the answers to the event's questions and sets every question back to draft (after a rehearsal, before the
    /// show); questions, codes and settings stay. Throws <see cref="QuestionStateException"/> while one of them is open,
    /// <see cref="KeyNotFoundException"/> when the event is unknown.
    /// </summary>
    Task<EventStartedOver> StartOverAsync(int eventId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Gives an open question with a time limit more time while it runs; answers until the new deadline are on time.
    /// Refused (<see cref="QuestionStateException"/>) for a question that is not open, has no time limit, or would go
    /// past the longest limit. With <paramref name="expectedExtraSeconds"/> (the extra seconds the organizer saw), refused
    /// with <see cref="ChangedMeanwhileException"/> when the question has other extra seconds by then: another organizer's
    /// "+30 s" came first.
    /// </summary>
    Task<Question> ExtendAsync(int questionId, int seconds, int? expectedExtraSeconds = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Leaves a participant out of every ranking (podiums, results posts, leaderboards) from now on, or ranks them again;
    /// their answers still count, and results posts in the channel whose podium changes are corrected. Null when there
    /// is no such participant.
    /// </summary>
    Task<RankingChange?> LeaveOutAsync(long participantId, bool leaveOut, CancellationToken cancellationToken = default);

    /// <summary>Tells the bot that events or questions were created, edited or deleted.</summary>
    void CatalogChanged();
}

/// <summary>An event set back to before its first question: how many questions went back to draft and answers were deleted.</summary>
public sealed record EventStartedOver(int EventId, int Questions, int AnswersDeleted);

/// <summary>A participant left out of the rankings (or ranked again), and how many results posts that corrects.</summary>
public sealed record RankingChange(long ParticipantId, bool LeftOut, int ResultsPostsCorrected);
