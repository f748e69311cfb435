using System.Collections.Concurrent;
using CodeQuiz.Core.Live;
using CodeQuiz.Core.Persistence;
using CodeQuiz.Core.Quizzes;
using CodeQuiz.Core.Telegram;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CodeQuiz.Web.Live;

/// <summary>
/// Builds the <see cref="PresenterView"/> of an event from its presenter token: the open question with live counts,
/// the podium of the question that just closed, or the leaderboard. Used by the page (first render) and the hub.
/// </summary>
public sealed class PresenterFeed(
    IDbContextFactory<QuizDbContext> contexts,
    LiveStats live,
    BotIdentity bot,
    TimeProvider time,
    IOptionsMonitor<PresenterOptions> options)
{
    // Results of a closed question and the leaderboard only change when a question closes (late answers never rank),
    // so they are computed once, not four times a second for every screen.
    readonly ConcurrentDictionary<int, ClosedResults> _closed = new();
    readonly ConcurrentDictionary<int, (int ClosedCount, IReadOnlyList<PresenterStanding> Rows)> _leaderboards = new();

    sealed record ClosedResults(PresenterCounts Counts, IReadOnlyList<RankedAnswer> Podium, IReadOnlyList<PresenterBar> Distribution);

    /// <summary>The view for a presenter token, or null when no event has that token (never had, or regenerated).</summary>
    public async Task<PresenterView?> FindAsync(string? token, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 64)
            return null;

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var quiz = await db.Events.AsNoTracking()
            .Where(e => e.PresenterToken == token)
            .Select(e => new { e.Id, e.Name })
            .FirstOrDefaultAsync(cancellationToken);
        if (quiz is null)
            return null;

        var questions = await db.Questions.AsNoTracking().Where(q => q.EventId == quiz.Id).ToListAsync(cancellationToken);
        var now = time.GetUtcNow();
        var settings = options.CurrentValue;

        if (questions.Where(q => q.State == QuestionState.Open).MaxBy(q => q.OpenedAt) is { } open)
        {
            var counts = live.Current.For(open.Id) is { } stats
                ? new PresenterCounts(stats.Answers, stats.People, stats.Correct)
                : await CountAsync(db, open.Id, cancellationToken);
            return new PresenterView(quiz.Name, PresenterPhase.Open, questions.Count, Describe(open, closed: false),
                counts, [], [], [], now);
        }

        var lastClosed = questions.Where(q => q.State == QuestionState.Closed).MaxBy(q => q.ClosedAt);
        if (lastClosed is { ClosedAt: { } closedAt } && now - closedAt < TimeSpan.FromSeconds(settings.PodiumSeconds))
        {
            var results = _closed.TryGetValue(lastClosed.Id, out var cached)
                ? cached
                : _closed[lastClosed.Id] = await ResultsAsync(db, lastClosed, cancellationToken);
            return new PresenterView(quiz.Name, PresenterPhase.Closed, questions.Count, Describe(lastClosed, closed: true),
                results.Counts, results.Podium, results.Distribution, [], now);
        }

        var closedCount = questions.Count(q => q.State == QuestionState.Closed);
        var board = _leaderboards.TryGetValue(quiz.Id, out var known) && known.ClosedCount == closedCount
            ? known.Rows
            : (_leaderboards[quiz.Id] = (closedCount, await LeaderboardAsync(db, quiz.Id, settings.LeaderboardRows, cancellationToken))).Rows;
        return new PresenterView(quiz.Name, PresenterPhase.Between, questions.Count,
            lastClosed is null ? null : Describe(lastClosed, closed: true), PresenterCounts.None, [], [], board, now);
    }

    /// <summary>The deep link a phone camera opens: the bot's chat with the question's code.</summary>
    public string DeepLink(string code) => $"https://t.me/{bot.UsernameOrPlaceholder}?start={Uri.EscapeDataString(code)}";

    PresenterQuestion Describe(Question q, bool closed) => new(
        q.Id, q.Position, q.Code, DeepLink(q.Code),
        q.ShowPromptOnPresenter ? q.Prompt : null,
        q.OpenedAt, q.Deadline,
        closed ? q.CorrectAnswerText : null);

    static IQueryable<Answer> OnTime(QuizDbContext db, int questionId) =>
        db.Answers.AsNoTracking().Where(a => a.QuestionId == questionId && !a.IsLate);

    static async Task<PresenterCounts> CountAsync(QuizDbContext db, int questionId, CancellationToken cancellationToken)
    {
        var answers = await OnTime(db, questionId).CountAsync(cancellationToken);
        if (answers == 0)
            return PresenterCounts.None;
        var correct = await OnTime(db, questionId).CountAsync(a => a.IsCorrect, cancellationToken);
        var people = await OnTime(db, questionId).SumAsync(a => a.Participant!.HeadCount ?? 1, cancellationToken);
        return new PresenterCounts(answers, people, correct);
    }

    static async Task<ClosedResults> ResultsAsync(QuizDbContext db, Question question, CancellationToken cancellationToken)
    {
        var counts = await CountAsync(db, question.Id, cancellationToken);

        // Telegram's update_id is the order it received answers in: the fair order even when we were slow.
        var first = await OnTime(db, question.Id)
            .Where(a => a.IsCorrect)
            .OrderBy(a => a.UpdateId)
            .Take(3)
            .Select(a => new { a.Participant!.FirstName, a.Participant.LastName, a.Participant.TeamName, a.AnsweredAt })
            .ToListAsync(cancellationToken);
        var opened = question.OpenedAt ?? DateTimeOffset.MinValue;
        var podium = first
            .Select((a, i) => new RankedAnswer(i + 1, FullName(a.FirstName, a.LastName), a.TeamName,
                Math.Max(0, (a.AnsweredAt - opened).TotalSeconds)))
            .ToList();

        List<PresenterBar> bars;
        if (question.Kind == QuestionKind.MultipleChoice)
        {
            var byOption = await OnTime(db, question.Id)
                .Where(a => a.OptionIndex != null)
                .GroupBy(a => a.OptionIndex!.Value)
                .Select(g => new { Option = g.Key, Count = g.Count() })
                .ToDictionaryAsync(x => x.Option, x => x.Count, cancellationToken);
            bars = [.. question.Options.Select((text, i) => new PresenterBar(text, byOption.GetValueOrDefault(i), i == question.CorrectOption))];
        }
        else
        {
            // Free text is typed by the audience: the projector shows only the organizer's answer and a count of the rest.
            bars =
            [
                new PresenterBar(question.CorrectAnswerText, counts.Correct, IsCorrect: true),
                new PresenterBar("Other answers", counts.Answers - counts.Correct, IsCorrect: false),
            ];
        }
        return new ClosedResults(counts, podium, bars);
    }

    /// <summary>Correct answers first, then the smallest cumulative delay, over the closed questions.</summary>
    static async Task<IReadOnlyList<PresenterStanding>> LeaderboardAsync(QuizDbContext db, int eventId, int rows, CancellationToken cancellationToken)
    {
        var correct = await (
                from a in db.Answers.AsNoTracking()
                join q in db.Questions.AsNoTracking() on a.QuestionId equals q.Id
                where q.EventId == eventId && q.State == QuestionState.Closed && a.IsCorrect && !a.IsLate
                select new { a.ParticipantId, a.AnsweredAt, q.OpenedAt, a.Participant!.FirstName, a.Participant.LastName, a.Participant.TeamName })
            .ToListAsync(cancellationToken);
        return correct
            .GroupBy(a => a.ParticipantId)
            .Select(g => new
            {
                First = g.First(),
                Correct = g.Count(),
                Delay = g.Sum(a => Math.Max(0, (a.AnsweredAt - (a.OpenedAt ?? a.AnsweredAt)).TotalSeconds)),
            })
            .OrderByDescending(x => x.Correct).ThenBy(x => x.Delay)
            .Take(rows)
            .Select((x, i) => new PresenterStanding(i + 1, FullName(x.First.FirstName, x.First.LastName), x.First.TeamName, x.Correct, x.Delay))
            .ToList();
    }

    static string FullName(string first, string? last) => string.IsNullOrEmpty(last) ? first : $"{first} {last}";
}
