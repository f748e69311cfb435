using CodeQuiz.Core.Bot;
using CodeQuiz.Core.Live;
using CodeQuiz.Core.Persistence;
using CodeQuiz.Core.Quizzes;
using Microsoft.EntityFrameworkCore;

namespace CodeQuiz.Core.Ingest;

/// <summary>
/// The quiz as the batch writer knows it: events, questions, participants and every answer's mark,
/// held in memory so that deciding an update costs no database round trip. Only the batch writer
/// touches it; it is rebuilt from the database at start and after a failed batch.
/// </summary>
public sealed class QuizRuntime : IConversationState
{
    readonly Dictionary<int, QuizEvent> _events = [];
    readonly Dictionary<int, Question> _questions = [];
    readonly Dictionary<string, Question> _questionsByCode = new(StringComparer.Ordinal);
    readonly Dictionary<string, Question?> _questionsByCodeIgnoringCase = new(StringComparer.OrdinalIgnoreCase); // null: two codes differ only in capitals
    readonly Dictionary<long, Participant> _participants = [];
    readonly Dictionary<int, QuestionTally> _tallies = [];
    readonly Queue<(long ParticipantId, RecentAnswer Answer)> _recent = new(); // who, so that /forget can take them out
    const int RecentCapacity = 20;

    public IReadOnlyCollection<Question> Questions => _questions.Values;
    public IReadOnlyDictionary<int, QuestionTally> Tallies => _tallies;

    public QuizEvent? CurrentEvent { get; private set; }

    public Participant? FindParticipant(long telegramUserId) => _participants.GetValueOrDefault(telegramUserId);

    /// <summary>
    /// The question with this code. A code typed by hand from the presenter screen usually comes with its first letter
    /// capitalized by the phone, so a code with other capitals finds its question too, unless two codes differ only in
    /// capitals (codes made since look-alike-free codes never do).
    /// </summary>
    public Question? FindQuestionByCode(string code) =>
        _questionsByCode.GetValueOrDefault(code) ?? _questionsByCodeIgnoringCase.GetValueOrDefault(code);

    public Question? FindQuestionOneSlipFrom(string typed) => Tokens.QuestionOneSlipFrom(_questions.Values, typed);

    public Question? FindQuestion(int questionId) => _questions.GetValueOrDefault(questionId);
    public QuizEvent? FindEvent(int eventId) => _events.GetValueOrDefault(eventId);

    public Question? FindQuestionAt(int eventId, int position) =>
        _questions.Values.FirstOrDefault(q => q.EventId == eventId && q.Position == position);

    /// <summary>The question the bot points to as open now: the one the live page and the projector show.</summary>
    public Question? FindOpenQuestion(int eventId) => Question.OpenedLast(_questions.Values.Where(q => q.EventId == eventId));

    public bool HasAnswered(int questionId, long participantId) =>
        _tallies.TryGetValue(questionId, out var tally) && tally.Marks.ContainsKey(participantId);

    public bool HasAnsweredAny(long participantId) => _tallies.Values.Any(t => t.Marks.ContainsKey(participantId));

    /// <summary>
    /// Every answer the participant has stored, late ones too, as the answers' index finds them: the question and the
    /// update that carried it. The tallies hold every stored answer (loaded at start, added as each is written).
    /// </summary>
    public List<(int QuestionId, long UpdateId)> AnswersOf(long participantId)
    {
        var answers = new List<(int, long)>();
        foreach (var (questionId, tally) in _tallies)
            if (tally.Marks.TryGetValue(participantId, out var mark))
                answers.Add((questionId, mark.UpdateId));
        return answers;
    }

    public QuestionTally TallyOf(int questionId)
    {
        if (!_tallies.TryGetValue(questionId, out var tally))
            _tallies[questionId] = tally = new QuestionTally();
        return tally;
    }

    public static async Task<QuizRuntime> LoadAsync(QuizDbContext db, CancellationToken cancellationToken)
    {
        var runtime = new QuizRuntime();
        await runtime.ReloadCatalogAsync(db, cancellationToken);
        foreach (var participant in await db.Participants.AsNoTracking().ToListAsync(cancellationToken))
            runtime._participants[participant.Id] = participant;

        var marks = db.Answers.AsNoTracking()
            .Select(a => new { a.QuestionId, a.ParticipantId, a.UpdateId, a.IsCorrect, a.IsLate, a.AnsweredAt, a.People })
            .AsAsyncEnumerable();
        await foreach (var a in marks.WithCancellation(cancellationToken))
            runtime.TallyOf(a.QuestionId).Add(a.ParticipantId, new AnswerMark(a.UpdateId, a.IsCorrect, a.IsLate, a.People, a.AnsweredAt));
        return runtime;
    }

    /// <summary>Takes in events and questions that organizers created, edited or deleted.</summary>
    public async Task ReloadCatalogAsync(QuizDbContext db, CancellationToken cancellationToken)
    {
        var events = await db.Events.AsNoTracking().ToListAsync(cancellationToken);
        var questions = await db.Questions.AsNoTracking().ToListAsync(cancellationToken);
        _events.Clear();
        _questions.Clear();
        _questionsByCode.Clear();
        _questionsByCodeIgnoringCase.Clear();
        foreach (var e in events) _events[e.Id] = e;
        foreach (var q in questions)
        {
            _questions[q.Id] = q;
            _questionsByCode[q.Code] = q;
            _questionsByCodeIgnoringCase[q.Code] = _questionsByCodeIgnoringCase.ContainsKey(q.Code) ? null : q;
        }
        UpdateCurrentEvent();
    }

    public void UpdateCurrentEvent()
    {
        var latestOpened = _questions.Values.Where(q => q.OpenedAt is not null).MaxBy(q => q.OpenedAt);
        CurrentEvent = latestOpened is not null && _events.TryGetValue(latestOpened.EventId, out var e)
            ? e
            : _events.Values.MaxBy(x => x.Id);
    }

    /// <summary>Applies a decision the conversation made; the same decision is written in the batch's transaction.</summary>
    public void Apply(BotDecision decision, DateTimeOffset receivedAt)
    {
        if (decision.Participant is { } participant)
            _participants[participant.Id] = participant;

        if (decision.ForgetParticipantId is { } forgotten)
        {
            // Someone left out keeps only that (as in the database): coming back, they are still off every podium.
            if (_participants.GetValueOrDefault(forgotten) is { LeftOutAt: { } leftOut } p)
                _participants[forgotten] = new Participant { Id = forgotten, FirstName = "", CreatedAt = p.CreatedAt, LeftOutAt = leftOut };
            else
                _participants.Remove(forgotten);
            foreach (var tally in _tallies.Values)
                tally.Remove(forgotten);
            KeepRecent(r => r.ParticipantId != forgotten); // the live page's "last answers" no longer names them
        }

        if (decision.Answer is { } answer)
        {
            var who = _participants.GetValueOrDefault(answer.ParticipantId);
            TallyOf(answer.QuestionId).Add(answer.ParticipantId,
                new AnswerMark(answer.UpdateId, answer.IsCorrect, answer.IsLate, answer.People, answer.AnsweredAt), receivedAt);
            _recent.Enqueue((answer.ParticipantId, new RecentAnswer(answer.QuestionId, who?.DisplayName ?? "?", who?.TeamName, answer.Text, answer.IsCorrect, answer.AnsweredAt, answer.ParticipantId, answer.IsLate)));
            while (_recent.Count > RecentCapacity) _recent.Dequeue();
        }
    }

    /// <summary>Counts a reopened question's late answers as on time, in its tally and in the live page's last answers.</summary>
    public void CountLateOnTime(int questionId)
    {
        if (!_tallies.TryGetValue(questionId, out var tally) || tally.Late == 0) return;
        tally.CountLateOnTime();
        var kept = _recent.Select(r => r.Answer.QuestionId == questionId && r.Answer.IsLate ? (r.ParticipantId, r.Answer with { IsLate = false }) : r).ToList();
        _recent.Clear();
        foreach (var r in kept) _recent.Enqueue(r);
    }

    /// <summary>Forgets every answer to these questions (the event started over).</summary>
    public void ForgetAnswers(IReadOnlyCollection<int> questionIds)
    {
        foreach (var id in questionIds)
            _tallies.Remove(id);
        KeepRecent(r => !questionIds.Contains(r.Answer.QuestionId));
    }

    void KeepRecent(Func<(long ParticipantId, RecentAnswer Answer), bool> keep)
    {
        var kept = _recent.Where(keep).ToList();
        _recent.Clear();
        foreach (var r in kept) _recent.Enqueue(r);
    }

    /// <summary>
    /// Whether the participant's answer to the question is among its first <paramref name="top"/> correct on-time ones,
    /// whether or not they are left out themselves: the results post's podium may name them. Cheap for most
    /// participants: three earlier correct answers settle it.
    /// </summary>
    public bool MayBeOnPodium(int questionId, long participantId, int top = 3)
    {
        if (!_tallies.TryGetValue(questionId, out var tally)
            || !tally.Marks.TryGetValue(participantId, out var own) || !own.IsCorrect || own.IsLate)
            return false;
        var earlier = 0;
        foreach (var (who, mark) in tally.Marks)
            if (mark.UpdateId < own.UpdateId && mark.IsCorrect && !mark.IsLate && _participants.GetValueOrDefault(who)?.LeftOutAt is null
                && ++earlier >= top)
                return false;
        return true;
    }

    /// <summary>
    /// The first correct on-time answers in Telegram's order, with names, for the results post: its podium, and the places
    /// below that decide the podium's decimals.
    /// </summary>
    public QuestionResults ResultsOf(Question question, int top = QuizFormat.RankingRows)
    {
        var tally = TallyOf(question.Id);
        var ranking = tally.Marks
            .Where(m => m.Value.IsCorrect && !m.Value.IsLate && _participants.GetValueOrDefault(m.Key)?.LeftOutAt is null)
            .OrderBy(m => m.Value.UpdateId)
            .Take(top)
            .Select((m, i) =>
            {
                var who = _participants.GetValueOrDefault(m.Key);
                return new RankedAnswer(i + 1, who?.DisplayName ?? "?", who?.TeamName,
                    QuizResults.DelaySeconds(question.OpenedAt, m.Value.AnsweredAt), m.Key); // as the database ranks it
            })
            .ToList();
        return new QuestionResults(question.Id, question.State, tally.Answers, tally.Late, tally.Answers, tally.People,
            QuizFormat.PercentOf(tally.Correct, tally.Answers), ranking, [], tally.Correct);
    }

    public LiveSnapshot Snapshot(DateTimeOffset now, int outboxBacklog, int outboxFailed)
    {
        var live = _questions.Values
            .Where(q => q.State == QuestionState.Open || (q.State == QuestionState.Closed && _tallies.ContainsKey(q.Id)))
            .Select(q =>
            {
                var t = TallyOf(q.Id);
                return new LiveQuestion(q.Id, q.EventId, t.Answers, t.Answers, t.People, t.Correct, t.AnswersPerSecond(now), t.Late);
            })
            .ToList();
        return new LiveSnapshot(now, live, [.. _recent.Reverse().Select(r => r.Answer)], outboxBacklog, outboxFailed);
    }
}

/// <summary>What the ranking and the counters need to know of one answer.</summary>
public readonly record struct AnswerMark(long UpdateId, bool IsCorrect, bool IsLate, int People, DateTimeOffset AnsweredAt);

/// <summary>Running counts of one question's answers.</summary>
public sealed class QuestionTally
{
    readonly Dictionary<long, AnswerMark> _marks = [];
    readonly long[] _perSecond = new long[RateWindowSeconds + 1];
    readonly long[] _second = new long[RateWindowSeconds + 1];
    const int RateWindowSeconds = 5;

    public IReadOnlyDictionary<long, AnswerMark> Marks => _marks;

    /// <summary>On-time answers (one per participant).</summary>
    public int Answers { get; private set; }
    public int Correct { get; private set; }
    public int Late { get; private set; }
    public int People { get; private set; }

    /// <summary>When the answer count was last edited into the channel post, and the count it showed.</summary>
    public DateTimeOffset LastChannelCountAt { get; set; }
    public int LastChannelCount { get; set; }

    /// <param name="receivedAt">When it arrived, for the answers-per-second rate (Telegram's date may lag on retries).</param>
    public void Add(long participantId, AnswerMark mark, DateTimeOffset? receivedAt = null)
    {
        if (!_marks.TryAdd(participantId, mark)) return;
        Count(mark, +1);
        var second = (receivedAt ?? mark.AnsweredAt).ToUnixTimeSeconds();
        var slot = (int)(second % _second.Length);
        if (_second[slot] != second) { _second[slot] = second; _perSecond[slot] = 0; }
        _perSecond[slot]++;
    }

    public void Remove(long participantId)
    {
        if (_marks.Remove(participantId, out var mark))
            Count(mark, -1);
    }

    /// <summary>Every late answer becomes an on-time one (the question was reopened).</summary>
    public void CountLateOnTime()
    {
        foreach (var (participantId, mark) in _marks.Where(m => m.Value.IsLate).ToList())
        {
            Count(mark, -1);
            _marks[participantId] = mark with { IsLate = false };
            Count(_marks[participantId], +1);
        }
    }

    void Count(AnswerMark mark, int sign)
    {
        if (mark.IsLate) { Late += sign; return; }
        Answers += sign;
        People += sign * mark.People;
        if (mark.IsCorrect) Correct += sign;
    }

    /// <summary>Answers per second over the last few whole seconds.</summary>
    public double AnswersPerSecond(DateTimeOffset now)
    {
        var current = now.ToUnixTimeSeconds();
        long total = 0;
        for (var i = 0; i < _second.Length; i++)
            if (_second[i] < current && _second[i] >= current - RateWindowSeconds)
                total += _perSecond[i];
        return (double)total / RateWindowSeconds;
    }
}
