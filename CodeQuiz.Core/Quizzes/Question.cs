namespace CodeQuiz.Core.Quizzes;

public class Question
{
    public int Id { get; set; }
    public int EventId { get; set; }
    public QuizEvent? Event { get; set; }

    /// <summary>1-based number shown to organizers, the audience and participants.</summary>
    public int Position { get; set; }

    public required string Prompt { get; set; }
    public QuestionKind Kind { get; set; }

    /// <summary>Free text: every answer that counts as right.</summary>
    public List<string> AcceptedAnswers { get; set; } = [];

    /// <summary>Multiple choice: the buttons, in order.</summary>
    public List<string> Options { get; set; } = [];

    /// <summary>Multiple choice: zero-based index of the right option.</summary>
    public int? CorrectOption { get; set; }

    public double? NumericAnswer { get; set; }
    public double? Tolerance { get; set; }

    /// <summary>When set, the question closes itself this many seconds after it opened.</summary>
    public int? TimeLimitSeconds { get; set; }

    /// <summary>Shown on the presenter page when the organizer chooses so.</summary>
    public bool ShowPromptOnPresenter { get; set; }

    /// <summary>Deep-link code (t.me/bot?start=CODE): unique across all events, never reused.</summary>
    public required string Code { get; set; }

    public QuestionState State { get; set; } = QuestionState.Draft;
    public DateTimeOffset? OpenedAt { get; set; }
    public DateTimeOffset? ClosedAt { get; set; }

    /// <summary>Message id of the announcement in the event channel, once Telegram has it.</summary>
    public int? ChannelMessageId { get; set; }

    /// <summary>
    /// Seconds the host added while the question was open ("+30 s"), after its time limit; 0 again when the event starts
    /// over, so the limit set in the editor is what the show begins with.
    /// </summary>
    public int ExtraSeconds { get; set; }

    public DateTimeOffset? Deadline => DeadlineOf(OpenedAt, TimeLimitSeconds, ExtraSeconds);

    /// <summary>When a question opened then, with this limit and these extra seconds, runs out; null without a limit.</summary>
    public static DateTimeOffset? DeadlineOf(DateTimeOffset? openedAt, int? timeLimitSeconds, int extraSeconds) =>
        openedAt is { } opened && timeLimitSeconds is { } limit ? opened.AddSeconds(limit + extraSeconds) : null;

    /// <summary>The time limit with the seconds added while open: what participants and the channel are told.</summary>
    public int? TimeAllowedSeconds => TimeLimitSeconds + ExtraSeconds;

    /// <summary>True when both say the same to participants: what an organizer edits, not its place, code or state.</summary>
    public bool SameContentAs(Question other) =>
        Prompt == other.Prompt && Kind == other.Kind && AcceptedAnswers.SequenceEqual(other.AcceptedAnswers) && Options.SequenceEqual(other.Options)
        && CorrectOption == other.CorrectOption && NumericAnswer == other.NumericAnswer && Tolerance == other.Tolerance
        && TimeLimitSeconds == other.TimeLimitSeconds && ShowPromptOnPresenter == other.ShowPromptOnPresenter;

    /// <summary>As a sentence says it ("Question 2 is closed"), not as the enum is spelled: organizers read these in the console.</summary>
    internal string StateName => State == QuestionState.Draft ? "a draft" : State.ToString().ToLowerInvariant();

    /// <summary>Open and taking answers on time: a question whose time ran out is closing itself, not running.</summary>
    public bool IsRunning(DateTimeOffset now) => State == QuestionState.Open && !(Deadline <= now);

    /// <summary>
    /// Moves Draft → Open → Closed; anything else is refused with a clear reason. Given <paramref name="noneRunningAmong"/>
    /// (its event's questions, as they are now), it opens only while none of the others is running: the organizer asked
    /// to open it believing none was, and another organizer opened one meanwhile (<see cref="ChangedMeanwhileException"/>).
    /// </summary>
    public void Open(DateTimeOffset now, IEnumerable<Question>? noneRunningAmong = null)
    {
        if (State != QuestionState.Draft)
            throw new QuestionStateException($"Question {Position} is {StateName}; only a draft question can be opened.");
        if (noneRunningAmong?.FirstOrDefault(q => q.EventId == EventId && q.Id != Id && q.IsRunning(now)) is { } running)
            throw new ChangedMeanwhileException(
                $"Question {running.Position} was opened meanwhile, by another organizer; question {Position} is still a draft, so that both do not take answers unasked.");
        State = QuestionState.Open;
        OpenedAt = now;
    }

    public void Close(DateTimeOffset now)
    {
        if (State != QuestionState.Open)
            throw new QuestionStateException($"Question {Position} is {StateName}; only an open question can be closed.");
        State = QuestionState.Closed;
        ClosedAt = now;
    }

    /// <summary>The least time a question with a time limit has left once it is reopened.</summary>
    public const int ReopenSeconds = 30;

    /// <summary>
    /// Closed → Open again: a close by mistake (the host was still speaking) is undone. It keeps its opening time, so delays
    /// stay measured from the first opening. With a time limit it runs until its deadline, and at least
    /// <see cref="ReopenSeconds"/> from now (the seconds added count as extra time, as "+30 s" does). A question nobody
    /// answered (<paramref name="answered"/> false: opened by mistake and closed at once, say) starts afresh instead, as
    /// opened now with its whole time limit. Refused while another question of <paramref name="eventQuestions"/> is
    /// running: the projector and the bot would move off that one.
    /// </summary>
    public void Reopen(DateTimeOffset now, IEnumerable<Question> eventQuestions, bool answered = true)
    {
        if (State != QuestionState.Closed)
            throw new QuestionStateException($"Question {Position} is {StateName}; only a closed question can be reopened.");
        if (eventQuestions.FirstOrDefault(q => q.EventId == EventId && q.Id != Id && q.IsRunning(now)) is { } running)
            throw new QuestionStateException($"Question {running.Position} is open; close it before reopening question {Position}.");
        if (!answered)
        {
            State = QuestionState.Open;
            (OpenedAt, ClosedAt, ExtraSeconds) = (now, null, 0);
            return;
        }
        var extra = ExtraSeconds;
        if (OpenedAt is { } opened && TimeLimitSeconds is { } limit)
        {
            var needed = (int)Math.Ceiling((now.AddSeconds(ReopenSeconds) - opened).TotalSeconds) - limit;
            extra = Math.Max(extra, needed);
            if (limit + extra > QuestionRules.TimeLimitMax)
                throw new QuestionStateException(
                    $"Question {Position} was opened more than {QuestionRules.TimeLimitMax / 60} minutes ago, the longest a question with a time limit can run; it cannot be reopened.");
        }
        State = QuestionState.Open;
        ClosedAt = null;
        ExtraSeconds = extra;
    }

    /// <summary>
    /// Open → Draft again, as if never opened: opened too early (before the host introduced it, or the wrong one), it waits
    /// for its turn. Only while nobody has answered it (<paramref name="answers"/>): an answer taken is never thrown away,
    /// so a question someone answered is closed instead.
    /// </summary>
    public void Withdraw(int answers)
    {
        if (State != QuestionState.Open)
            throw new QuestionStateException($"Question {Position} is {StateName}; only an open question can be taken back to draft.");
        if (answers > 0)
            throw new QuestionStateException(answers == 1
                ? $"Question {Position} has an answer already, so it cannot go back to draft: close it, or let it run."
                : $"Question {Position} has {answers} answers already, so it cannot go back to draft: close it, or let it run.");
        State = QuestionState.Draft;
        (OpenedAt, ClosedAt, ExtraSeconds) = (null, null, 0);
    }

    /// <summary>Back to a draft that was never opened: the event starts over after a rehearsal.</summary>
    public void StartOver()
    {
        if (State == QuestionState.Open)
            throw new QuestionStateException($"Question {Position} is open; close it before starting the event over.");
        State = QuestionState.Draft;
        OpenedAt = null;
        ClosedAt = null;
        ExtraSeconds = 0;
    }

    /// <summary>
    /// More time for an open question with a time limit, while its time runs; at most
    /// <see cref="QuestionRules.TimeLimitMax"/> in all. Given <paramref name="expectedExtraSeconds"/> (the
    /// <see cref="ExtraSeconds"/> the organizer saw), it is refused when another organizer's extra time came first: host and
    /// co-host both hear "thirty more seconds!", and both clicks must not make it a minute.
    /// </summary>
    public void Extend(int seconds, DateTimeOffset now, int? expectedExtraSeconds = null)
    {
        if (State != QuestionState.Open || Deadline is not { } deadline)
            throw new QuestionStateException(State == QuestionState.Open
                ? $"Question {Position} has no time limit, so there is no time to add."
                : $"Question {Position} is {StateName}; only an open question can be given more time.");
        if (deadline <= now)
            throw new QuestionStateException($"Question {Position}'s time is up; it is being closed.");
        if (expectedExtraSeconds is { } expected && expected != ExtraSeconds)
            throw new ChangedMeanwhileException(ExtraSeconds > expected
                ? $"Question {Position} was already given more time, by another organizer: {TimeAllowedSeconds} seconds in all now, {(int)Math.Ceiling((deadline - now).TotalSeconds)} left. Nothing was added."
                : $"Question {Position}'s time was changed since it was read: {ExtraSeconds} extra seconds now, not {expected}. Nothing was added.");
        var room = QuestionRules.TimeLimitMax - TimeAllowedSeconds!.Value;
        if (room < 1)
            throw new QuestionStateException($"Question {Position} already has the longest time allowed, {QuestionRules.TimeLimitMax} seconds.");
        if (seconds < 1 || seconds > room)
            throw new QuestionStateException($"Question {Position} can be given between 1 and {room} more seconds.");
        ExtraSeconds += seconds;
    }

    /// <summary>A detached copy, for handing the pipeline's state to other threads.</summary>
    public Question Copy() => (Question)MemberwiseClone();

    /// <summary>
    /// Of an event's open questions, the one opened last: what the live page and the projector show. Two opened at the
    /// same instant (one batch of the pipeline) go by their place in the event, the later one taken, on both alike.
    /// </summary>
    public static Question? OpenedLast(IEnumerable<Question> questions) => Last(questions, QuestionState.Open, q => q.OpenedAt);

    /// <summary>
    /// Of an event's closed questions, the one closed last, whose podium the live page and the projector show. Two closed
    /// at the same instant (their time limits ran out together) go by their place in the event, the later one taken.
    /// </summary>
    public static Question? ClosedLast(IEnumerable<Question> questions) => Last(questions, QuestionState.Closed, q => q.ClosedAt);

    static Question? Last(IEnumerable<Question> questions, QuestionState state, Func<Question, DateTimeOffset?> at) =>
        questions.Where(q => q.State == state).OrderBy(at).ThenBy(q => q.Position).ThenBy(q => q.Id).LastOrDefault();

    /// <summary>The right answer as the console and the API show it ("3.14").</summary>
    public string CorrectAnswerText => CorrectAnswerIn(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The right answer in a language's texts: a number takes its decimal mark ("3,14" in Italian), as delays do.</summary>
    public string CorrectAnswerIn(System.Globalization.CultureInfo culture) => Kind switch
    {
        QuestionKind.FreeText => AcceptedAnswers.FirstOrDefault() ?? "",
        QuestionKind.MultipleChoice => CorrectOption is int i && i >= 0 && i < Options.Count ? Options[i] : "",
        QuestionKind.Numeric => NumericAnswer is { } number ? QuizFormat.Number(number, culture) : "",
        _ => "",
    };

    /// <summary>
    /// The right answer as the bot's messages name it: a multiple-choice option with the letter the prompt, the channel post
    /// and the buttons list it by ("B) for"), as the late button press's toast already did.
    /// </summary>
    public string CorrectAnswerLabelledIn(System.Globalization.CultureInfo culture) =>
        Kind == QuestionKind.MultipleChoice && CorrectOption is int i && i >= 0 && i < Options.Count
            ? OptionLabelled(i)
            : CorrectAnswerIn(culture);

    /// <summary>An option as the prompt and its buttons list it, "B) for": what participants read and the host reads out.</summary>
    public string OptionLabelled(int index) => $"{QuestionRules.OptionLabel(index)}) {Options[index]}";
}

public enum QuestionKind { FreeText, MultipleChoice, Numeric }

public enum QuestionState { Draft, Open, Closed }

public class QuestionStateException(string message) : InvalidOperationException(message);

/// <summary>
/// A step asked for on a view of the show another organizer has since changed (a second "+30 s", a second question opened
/// at the same moment): nothing was done, and the organizer is told what happened instead.
/// </summary>
public sealed class ChangedMeanwhileException(string message) : QuestionStateException(message);
