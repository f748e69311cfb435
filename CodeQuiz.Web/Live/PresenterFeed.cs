using System.Collections.Concurrent;
using System.Globalization;
using CodeQuiz.Core.Live;
using CodeQuiz.Core.Persistence;
using CodeQuiz.Core.Quizzes;
using CodeQuiz.Core.Telegram;
using CodeQuiz.Web.Components.Pages.Qr;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CodeQuiz.Web.Live;

/// <summary>
/// Builds the <see cref="PresenterView"/> of an event from its presenter token: the open question with live counts,
/// the podium of the question that just closed, or the leaderboard. Used by the page (first render) and the hub.
/// </summary>
public sealed class PresenterFeed(
    IDbContextFactory<QuizDbContext> contexts,
    QuizResults results,
    LiveStats live,
    BotLinks links,
    TimeProvider time,
    IOptionsMonitor<PresenterOptions> options)
{
    // Results of a closed question and the leaderboard only change when a question closes (late answers never rank),
    // so they are computed once, not four times a second for every screen; and when an organizer leaves a participant out
    // of the rankings, so each is kept with the rankings' version it was computed under, taken before reading: one read
    // before a leave-out and stored after it (a screen joining while the broadcaster reads) is never shown again.
    // A question reopened and closed again has new results: they are kept with the close they belong to.
    readonly ConcurrentDictionary<int, (DateTimeOffset ClosedAt, int RankingsVersion, ClosedResults Results)> _closed = new();
    // And by the scoring mode it was ranked in: the organizers may switch to speed points between questions, and the screen
    // then says "pts" beside each row. And by the rows asked for: Presenter:LeaderboardRows changed in appsettings.json
    // while the server runs shows at once, not after the next close.
    // And by the last close: a question reopened and closed again leaves as many closed as before, with more answers.
    readonly ConcurrentDictionary<int, (int ClosedCount, DateTimeOffset? LastClosedAt, int RankingsVersion, ScoringMode Scoring, int Size, IReadOnlyList<PresenterStanding> Rows)> _leaderboards = new();

    sealed record ClosedResults(PresenterCounts Counts, IReadOnlyList<PresenterWinner> Podium, IReadOnlyList<PresenterBar> Distribution);

    /// <summary>The view for a presenter token, or null when no event has that token (never had, or regenerated).</summary>
    public async Task<PresenterView?> FindAsync(string? token, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 64)
            return null;

        var version = live.RankingsVersion;

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var quiz = await db.Events.AsNoTracking()
            .Where(e => e.PresenterToken == token)
            .Select(e => new { e.Id, e.Name, e.Scoring, e.Language })
            .FirstOrDefaultAsync(cancellationToken);
        if (quiz is null)
            return null;

        var questions = await db.Questions.AsNoTracking().Where(q => q.EventId == quiz.Id).ToListAsync(cancellationToken);
        var now = time.GetUtcNow();
        var settings = options.CurrentValue;

        if (Question.OpenedLast(questions) is { } open)
        {
            var counts = live.Current.For(open.Id) is { } stats
                ? new PresenterCounts(stats.Answers, stats.People, stats.Correct)
                : await CountAsync(open.Id, cancellationToken);
            return new PresenterView(quiz.Name, quiz.Scoring, PresenterPhase.Open, questions.Count, Describe(open, closed: false, quiz.Language),
                counts, [], [], [], now, Language: quiz.Language);
        }

        var lastClosed = Question.ClosedLast(questions);
        if (lastClosed is { ClosedAt: { } closedAt } && now - closedAt < TimeSpan.FromSeconds(settings.PodiumSeconds))
        {
            var closed = _closed.TryGetValue(lastClosed.Id, out var cached) && cached.RankingsVersion == version && cached.ClosedAt == closedAt
                ? cached.Results
                : (_closed[lastClosed.Id] = (closedAt, version, await ResultsAsync(db, lastClosed, quiz.Language, cancellationToken))).Results;
            return new PresenterView(quiz.Name, quiz.Scoring, PresenterPhase.Closed, questions.Count, Describe(lastClosed, closed: true, quiz.Language),
                closed.Counts, closed.Podium, closed.Distribution, [], now, Language: quiz.Language);
        }

        var closedCount = questions.Count(q => q.State == QuestionState.Closed);
        var lastClosedAt = lastClosed?.ClosedAt;
        var board = _leaderboards.TryGetValue(quiz.Id, out var known) && known.ClosedCount == closedCount && known.LastClosedAt == lastClosedAt
                && known.RankingsVersion == version && known.Scoring == quiz.Scoring && known.Size == settings.LeaderboardRows
            ? known.Rows
            : (_leaderboards[quiz.Id] = (closedCount, lastClosedAt, version, quiz.Scoring, settings.LeaderboardRows,
                await LeaderboardAsync(quiz.Id, settings.LeaderboardRows, cancellationToken))).Rows;
        return new PresenterView(quiz.Name, quiz.Scoring, PresenterPhase.Between, questions.Count,
            lastClosed is null ? null : Describe(lastClosed, closed: true, quiz.Language), PresenterCounts.None, [], [], board, now,
            RegisterLink: lastClosed is null ? links.ForRegistration() : null, Language: quiz.Language);
    }

    /// <summary>The deep link a phone camera opens: the bot's chat with the question's code.</summary>
    public string DeepLink(string code) => links.ForQuestion(code);

    PresenterQuestion Describe(Question q, bool closed, string language) => new(
        q.Id, q.Position, q.Code, DeepLink(q.Code),
        q.ShowPromptOnPresenter ? q.Prompt : null,
        q.OpenedAt, q.Deadline,
        closed ? q.CorrectAnswerLabelledIn(Numbers(language)) : null);

    /// <summary>The screen's numbers: in Italian for an Italian event ("15,25"), as its texts are, else in English.</summary>
    static CultureInfo Numbers(string language) => language == "it" ? QuizFormat.Italian : QuizFormat.English;

    static IQueryable<Answer> OnTime(QuizDbContext db, int questionId) =>
        db.Answers.AsNoTracking().Where(a => a.QuestionId == questionId && !a.IsLate);

    async Task<PresenterCounts> CountAsync(int questionId, CancellationToken cancellationToken)
    {
        var counts = await results.CountAsync(questionId, cancellationToken);
        return counts.OnTime == 0 ? PresenterCounts.None : new PresenterCounts(counts.OnTime, counts.People, counts.Correct);
    }

    async Task<ClosedResults> ResultsAsync(QuizDbContext db, Question question, string language, CancellationToken cancellationToken)
    {
        var counts = await CountAsync(question.Id, cancellationToken);

        // The same ranking as the API and the channel post: Telegram's update_id order, delays from the opening.
        // Ten places, whose delays decide the podium's decimals as they do on the console and in the channel.
        var ranked = await results.GetRankingAsync(question, size: QuizFormat.RankingRows, cancellationToken);
        var decimals = QuizFormat.RankingDecimals(ranked.Select(r => r.DelaySeconds));
        List<PresenterWinner> podium = [.. ranked.Take(3).Select((r, i) => new PresenterWinner(r.Rank, r.Name, r.Team, r.DelaySeconds, decimals[i]))];

        List<PresenterBar> bars;
        if (question.Kind == QuestionKind.MultipleChoice)
        {
            var byOption = await OnTime(db, question.Id)
                .Where(a => a.OptionIndex != null)
                .GroupBy(a => a.OptionIndex!.Value)
                .Select(g => new { Option = g.Key, Count = g.Count() })
                .ToDictionaryAsync(x => x.Option, x => x.Count, cancellationToken);
            // Lettered as on the phones, "B) for": the host can say "the answer was B".
            bars = [.. question.Options.Select((_, i) => new PresenterBar(question.OptionLabelled(i), byOption.GetValueOrDefault(i), i == question.CorrectOption))];
        }
        else
        {
            // Free text is typed by the audience: the projector shows only the organizer's answer and a count of the rest.
            bars =
            [
                new PresenterBar(question.CorrectAnswerIn(Numbers(language)), counts.Correct, IsCorrect: true),
                new PresenterBar(language == "it" ? "Altre risposte" : "Other answers", counts.Answers - counts.Correct, IsCorrect: false),
            ];
        }
        return new ClosedResults(counts, podium, bars);
    }

    /// <summary>
    /// The event's leaderboard by its scoring mode, as the API reports it; only people who scored. Read as far as the
    /// console shows it, whose rows decide the totals' decimals (<see cref="QuizFormat.TotalDecimals"/>).
    /// </summary>
    async Task<IReadOnlyList<PresenterStanding>> LeaderboardAsync(int eventId, int rows, CancellationToken cancellationToken)
    {
        var board = await results.GetLeaderboardAsync(eventId, Math.Max(rows, QuizFormat.LeaderboardRows), cancellationToken);
        if (board is null)
            return [];
        var decimals = QuizFormat.TotalDecimals(board.Participants.Select(p => (p.Correct, p.TotalDelaySeconds)));
        return [.. board.Participants.Take(rows).Select((p, i) => (Row: p, Decimals: decimals[i])).Where(x => x.Row.Correct > 0)
            .Select(x => new PresenterStanding(x.Row.Rank, x.Row.Name, x.Row.Team, x.Row.Correct, x.Row.TotalDelaySeconds, x.Row.Points, x.Decimals))];
    }
}
