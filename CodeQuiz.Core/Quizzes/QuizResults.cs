using System.Globalization;
using CodeQuiz.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CodeQuiz.Core.Quizzes;

/// <summary>
/// Rankings, leaderboards and the answers export. Aggregation happens in the database (counts,
/// GROUP BY, ORDER BY update_id with a limit), so a question with 100,000 answers ranks in a
/// fraction of a second; only the few rows shown are read.
/// </summary>
/// <remarks>
/// Ranking: correct on-time answers in Telegram's update_id order. Delay = answer time − opened
/// time, never below zero. Late answers never rank. Leaderboard: most correct answers, then the
/// smallest total delay; in <see cref="ScoringMode.SpeedPoints"/> each correct answer earns
/// <see cref="SpeedPoints"/> and the most points win (ties: more correct, then less delay).
/// </remarks>
public sealed class QuizResults(IDbContextFactory<QuizDbContext> dbs)
{
    public const int DefaultRankingSize = 10, DefaultLeaderboardSize = 100, DistributionSize = 10;
    public const string OtherAnswers = "(other)";

    /// <summary>Speed points for an answer without a time limit reach the minimum after this many seconds.</summary>
    public const int SpeedPointsWindowSeconds = 60;
    public const int SpeedPointsMax = 1000, SpeedPointsMin = 500;

    /// <summary>
    /// Points of a correct answer in speed-points mode: 1000 at once, falling linearly to 500 at the
    /// question's time limit (or 60 s without one) and 500 after that. Integer arithmetic in milliseconds,
    /// identical to what the leaderboard query computes in SQL.
    /// </summary>
    public static int SpeedPoints(long delayMilliseconds, int? timeLimitSeconds)
    {
        long window = (timeLimitSeconds ?? SpeedPointsWindowSeconds) * 1000L;
        var delay = Math.Clamp(delayMilliseconds, 0, window);
        return (int)(SpeedPointsMin + (SpeedPointsMax - SpeedPointsMin) * (window - delay) / window);
    }

    // ---- One question ----

    /// <summary>The question's counts, distribution and the first <paramref name="rankingSize"/> correct answers; null when unknown.</summary>
    public async Task<QuestionResults?> GetQuestionResultsAsync(int questionId, int rankingSize = DefaultRankingSize, CancellationToken cancellationToken = default)
    {
        await using var db = await dbs.CreateDbContextAsync(cancellationToken);
        var question = await db.Questions.AsNoTracking().FirstOrDefaultAsync(q => q.Id == questionId, cancellationToken);
        if (question is null)
            return null;

        var counts = await CountAsync(db, questionId, cancellationToken);
        var total = counts.OnTime;
        var percentCorrect = QuizFormat.PercentOf(counts.Correct, total);
        var ranking = rankingSize > 0 ? await RankingAsync(db, question, rankingSize, cancellationToken) : [];

        return new QuestionResults(questionId, question.State, total, counts.Late,
            // Like the channel post: who took part in time (one answer each), and the people they stand for.
            Participants: total,
            People: counts.People,
            percentCorrect, ranking, await DistributionAsync(db, question, total, counts.Correct, cancellationToken), counts.Correct);
    }

    /// <summary>A question's answers in time and late, the correct ones in time, and the people the answerers in time stand for.</summary>
    public sealed record AnswerCounts(int OnTime, int Late, int Correct, int People);

    public async Task<AnswerCounts> CountAsync(int questionId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbs.CreateDbContextAsync(cancellationToken);
        return await CountAsync(db, questionId, cancellationToken);
    }

    static async Task<AnswerCounts> CountAsync(QuizDbContext db, int questionId, CancellationToken cancellationToken)
    {
        var counts = await CountsQuery(db, questionId).ToListAsync(cancellationToken);
        var late = counts.FirstOrDefault(c => c.Late)?.Count ?? 0;
        if (counts.FirstOrDefault(c => !c.Late) is not { } onTime)
            return new AnswerCounts(0, late, 0, 0);
        return new AnswerCounts(onTime.Count, late, onTime.Correct, onTime.People);
    }

    /// <summary>The first <paramref name="size"/> correct on-time answers in Telegram's order, as the channel post ranks them.</summary>
    public async Task<IReadOnlyList<RankedAnswer>> GetRankingAsync(Question question, int size, CancellationToken cancellationToken = default)
    {
        await using var db = await dbs.CreateDbContextAsync(cancellationToken);
        return await RankingAsync(db, question, size, cancellationToken);
    }

    /// <remarks>
    /// The answers first, then their participants in one pass (<see cref="NamesQuery"/>): joined, SQLite would read its
    /// participants once for every answer ranked. An answer of someone left out of the rankings is passed over, and the
    /// next ones are read in its place.
    /// </remarks>
    static async Task<IReadOnlyList<RankedAnswer>> RankingAsync(QuizDbContext db, Question question, int size, CancellationToken cancellationToken)
    {
        var ranking = new List<RankedAnswer>(Math.Min(size, 1000));
        var after = long.MinValue;
        while (ranking.Count < size)
        {
            var wanted = size - ranking.Count;
            var answers = await RankingQuery(db, question.Id, after, wanted).ToListAsync(cancellationToken);
            if (answers.Count == 0)
                break;
            var names = new Dictionary<long, ParticipantNames>();
            await AddNamesAsync(db, [.. answers.Select(a => a.ParticipantId).Distinct()], rankedOnly: true, names, cancellationToken);
            foreach (var a in answers)
                if (names.TryGetValue(a.ParticipantId, out var p))
                    ranking.Add(new RankedAnswer(ranking.Count + 1, Name(p.FirstName, p.LastName), p.TeamName,
                        Seconds(DelayMilliseconds(question.OpenedAt, a.AnsweredAt)), p.Id));
            if (answers.Count < wanted)
                break;
            after = answers[^1].UpdateId;
        }
        return ranking;
    }

    /// <summary>
    /// On-time answers grouped by what they mean: a multiple-choice question lists every option in order, even one
    /// nobody chose ("B" typed and the button pressed count as one); numbers by their value ("2", "2.0" and "2,0"),
    /// labelled by it as the console writes numbers ("2", "15.25"); free text by its spelling folded as the matcher folds
    /// it. The ten most common and every right one however few gave it, so the right rows add up to the correct count;
    /// the rest, all wrong, as "(other)".
    /// </summary>
    static async Task<IReadOnlyList<AnswerCount>> DistributionAsync(QuizDbContext db, Question question, int total, int correct, CancellationToken cancellationToken)
    {
        List<AnswerCount> top;
        if (question.Kind == QuestionKind.MultipleChoice)
        {
            var byOption = await OptionCountsQuery(db, question.Id).ToDictionaryAsync(o => o.Option, o => o.Count, cancellationToken);
            top = [.. question.Options.Take(DistributionSize).Select((text, i) =>
                new AnswerCount(text, byOption.GetValueOrDefault(i), i == question.CorrectOption))];
        }
        else
        {
            var texts = await DistributionQuery(db, question.Id).ToListAsync(cancellationToken);
            // A right spelling few typed ("2,0" among hundreds of numbers) may be missing from the most typed texts: then
            // every right one is read, a second query that happens only so.
            if (texts.Where(t => t.IsCorrect).Sum(t => t.Count) < correct)
                texts = [.. texts.Where(t => !t.IsCorrect), .. await RightTextsQuery(db, question.Id).ToListAsync(cancellationToken)];
            top = texts
                .GroupBy(t => (Meaning: Meaning.Of(question.Kind, t.Text), t.IsCorrect))
                .Select(g => new AnswerCount(Label(question, g.Key.Meaning, g), g.Sum(t => t.Count), g.Key.IsCorrect))
                .OrderByDescending(a => a.Count).ThenBy(a => a.Answer, StringComparer.Ordinal)
                .Where((a, i) => i < DistributionSize || a.IsCorrect)
                .ToList();
        }
        var other = total - top.Sum(a => a.Count);
        if (other > 0)
            top.Add(new AnswerCount(OtherAnswers, other));
        return top;
    }

    /// <summary>
    /// A number by its value as the console writes numbers, "15.25" (not whichever of "15,25" and "15.25" most people
    /// typed); an accepted answer as the organizer wrote it when the group is one; else the spelling most people typed.
    /// </summary>
    static string Label(Question question, Meaning meaning, IEnumerable<TextCount> spellings) =>
        meaning.Number is { } number ? QuizFormat.Number(number, QuizFormat.English)
        : question.Kind == QuestionKind.FreeText && question.AcceptedAnswers.FirstOrDefault(a => AnswerMatcher.Normalize(a) == meaning.Text) is { } accepted
            ? accepted
            : spellings.OrderByDescending(t => t.Count).First().Text;

    /// <summary>What a typed answer says: its number for a numeric question (<see cref="Text"/> then spells it), else its folded spelling.</summary>
    readonly record struct Meaning(string Text, double? Number)
    {
        /// <summary>A bot's username before the answer ("@CodeQuizBot 42") aside: the answer was judged without it, so it counts with "42".</summary>
        public static Meaning Of(QuestionKind kind, string text)
        {
            var read = AnswerMatcher.AfterBotMention(text) ?? text;
            return kind == QuestionKind.Numeric && AnswerMatcher.TryParseNumber(read, out var value, out _)
                ? new((value + 0.0).ToString("R", CultureInfo.InvariantCulture), value + 0.0) // + 0.0: "-0" is zero too
                : new(AnswerMatcher.Normalize(read), null);
        }
    }

    // ---- The event ----

    /// <summary>Participants and teams of the event, ranked by its scoring mode; null when the event is unknown.</summary>
    public async Task<Leaderboard?> GetLeaderboardAsync(int eventId, int size = DefaultLeaderboardSize, CancellationToken cancellationToken = default)
    {
        await using var db = await dbs.CreateDbContextAsync(cancellationToken);
        var scoring = await db.Events.Where(e => e.Id == eventId).Select(e => (ScoringMode?)e.Scoring).FirstOrDefaultAsync(cancellationToken);
        if (scoring is not { } mode)
            return null;

        // One pass of the database: the first `size` participants in order (there may be 100,000) plus every team member.
        // Whoever has a right answer ranks above everyone without one, so while those fill the board only right answers
        // (and team members' answers, for their people) are added up; a board they do not fill is read again over every answer.
        var sqlite = db.Database.IsSqlite();
        var rows = await db.Database.SqlQueryRaw<ScoreRow>(LeaderboardSql(sqlite, mode, rightOnly: true), eventId, size).ToListAsync(cancellationToken);
        if (rows.Count(r => r.Place > 0) < size)
            rows = await db.Database.SqlQueryRaw<ScoreRow>(LeaderboardSql(sqlite, mode, rightOnly: false), eventId, size).ToListAsync(cancellationToken);
        var top = rows.Where(r => r.Place > 0).OrderBy(r => r.Place);
        var teamRows = rows.Where(r => r.Place == 0);

        var participants = Rank(top.Select(r => new Score(Name(r.FirstName, r.LastName), r.TeamName, (int)(r.HeadCount ?? 1), (int)r.Correct, r.DelayMs, r.Points, r.ParticipantId)), mode)
            .Take(size)
            .Select(x => new LeaderboardEntry(x.Rank, x.Score.Name, x.Score.Team, x.Score.Correct, Seconds(x.Score.DelayMs), Points(x.Score, mode), x.Score.ParticipantId))
            .ToList();

        var members = teamRows.Where(r => !string.IsNullOrWhiteSpace(r.TeamName))
            .GroupBy(r => r.TeamName!.Trim(), StringComparer.OrdinalIgnoreCase)
            .ToList();
        var firstSpelling = await TeamSpellingsAsync(db, members, cancellationToken);
        var teams = Rank(members
                .Select(g => (Name: firstSpelling(g), Members: g))
                .Select(t => new Score(t.Name, t.Name, (int)t.Members.Sum(r => r.HeadCount ?? 1), (int)t.Members.Sum(r => r.Correct),
                    t.Members.Sum(r => r.DelayMs), t.Members.Sum(r => r.Points)))
                .OrderBy(t => t.Name, StringComparer.Ordinal), mode)
            .Take(size)
            .Select(x => new TeamLeaderboardEntry(x.Rank, x.Score.Name, x.Score.HeadCount, x.Score.Correct, Seconds(x.Score.DelayMs), Points(x.Score, mode)))
            .ToList();

        return new Leaderboard(participants, teams);
    }

    /// <summary>
    /// How each team is written when its members spell it differently ("Classe 3B", "classe 3B"): as the member who first
    /// wrote to the bot spelled it, on every screen and in every export alike, however the database happens to list them.
    /// Only the members of such teams are looked up.
    /// </summary>
    static async Task<Func<IGrouping<string, ScoreRow>, string>> TeamSpellingsAsync(QuizDbContext db, List<IGrouping<string, ScoreRow>> teams, CancellationToken cancellationToken)
    {
        var mixed = teams.Where(g => g.Select(r => r.TeamName!.Trim()).Distinct(StringComparer.Ordinal).Skip(1).Any())
            .SelectMany(g => g.Select(r => r.ParticipantId))
            .ToList();
        var since = mixed.Count == 0
            ? []
            : await db.Participants.Where(p => EF.Parameter(mixed).Contains(p.Id)).Select(p => new { p.Id, p.CreatedAt }).ToDictionaryAsync(p => p.Id, p => p.CreatedAt, cancellationToken);
        return team => team.OrderBy(r => since.GetValueOrDefault(r.ParticipantId)).ThenBy(r => r.ParticipantId).First().TeamName!.Trim();
    }

    /// <summary>In correct-then-delay mode a point is a correct answer.</summary>
    static int Points(Score score, ScoringMode mode) => mode == ScoringMode.SpeedPoints ? (int)score.Points : score.Correct;

    sealed record Score(string Name, string? Team, int HeadCount, int Correct, long DelayMs, long Points, long ParticipantId = 0);

    /// <summary>
    /// Equal scores share a rank (1, 2, 2, 4) and keep the order they come in: the query's for participants, which also
    /// decides who of a tie makes a short board, so that the console's hundred, the projector's few and the CSV's whole
    /// board list the tied in one order.
    /// </summary>
    static IEnumerable<(int Rank, Score Score)> Rank(IEnumerable<Score> scores, ScoringMode mode)
    {
        var ordered = mode == ScoringMode.SpeedPoints
            ? scores.OrderByDescending(s => s.Points).ThenByDescending(s => s.Correct).ThenBy(s => s.DelayMs)
            : scores.OrderByDescending(s => s.Correct).ThenBy(s => s.DelayMs);
        var rank = 0;
        var index = 0;
        Score? previous = null;
        foreach (var score in ordered)
        {
            index++;
            if (previous is null || score.Correct != previous.Correct || score.DelayMs != previous.DelayMs
                || (mode == ScoringMode.SpeedPoints && score.Points != previous.Points))
                rank = index;
            previous = score;
            yield return (rank, score);
        }
    }

    /// <summary>Per participant over the event's on-time answers: correct count, total delay and speed points of the correct ones.</summary>
    internal sealed class ScoreRow
    {
        public long ParticipantId { get; set; }
        public string FirstName { get; set; } = "";
        public string? LastName { get; set; }
        public string? TeamName { get; set; }
        public long? HeadCount { get; set; }
        public long Correct { get; set; }
        public long DelayMs { get; set; }
        public long Points { get; set; }
        public long Place { get; set; }
    }

    /// <summary>
    /// Raw SQL because the delay is a per-row difference of two timestamps, which SQLite stores as
    /// Unix milliseconds and SQL Server as datetimeoffset; everything else is the same on both.
    /// </summary>
    /// <remarks>
    /// Two parts over one aggregate per participant: the first <c>{1}</c> in order (Place 1…), and every team member
    /// (Place 0), whose teams are added up in code. Only the first ones are sorted, keeping <c>{1}</c> rows at a time:
    /// numbering all 300,000 participants of a big event to keep a hundred took most of the query's time.
    /// With <paramref name="rightOnly"/> the aggregate is over right answers alone, so it has only the participants with
    /// one; the team members without one are added from the participants, against the sets of who answered the event's
    /// questions and who answered one right (read once each by question: no index of the answers is led by the participant).
    /// </remarks>
    static string LeaderboardSql(bool sqlite, ScoringMode mode, bool rightOnly)
    {
        var raw = sqlite ? "(a.AnsweredAt - q.OpenedAt)" : "DATEDIFF_BIG(millisecond, q.OpenedAt, a.AnsweredAt)";
        var delay = $"(CASE WHEN {raw} < 0 THEN 0 ELSE {raw} END)";
        var window = $"(CAST(COALESCE(q.TimeLimitSeconds, {SpeedPointsWindowSeconds}) AS BIGINT) * 1000)";
        var capped = $"(CASE WHEN {delay} > {window} THEN {window} ELSE {delay} END)";
        var points = $"({SpeedPointsMin} + ({SpeedPointsMax - SpeedPointsMin} * ({window} - {capped})) / {window})";
        var order = mode == ScoringMode.SpeedPoints
            ? "Points DESC, Correct DESC, DelayMs ASC, FirstName, LastName, ParticipantId"
            : "Correct DESC, DelayMs ASC, FirstName, LastName, ParticipantId";
        // SQLite would compute a CTE named twice twice; SQL Server has no MATERIALIZED, and no LIMIT but TOP.
        var (materialized, top, limit) = sqlite ? ("MATERIALIZED ", "", " LIMIT {1}") : ("", "TOP ({1}) ", "");
        // Grouping by the participant id alone, then joining names, keeps the GROUP BY on one integer column.
        return $"""
            WITH s AS {materialized}(
                SELECT a.ParticipantId AS ParticipantId,
                       CAST(SUM(CASE WHEN a.IsCorrect = 1 THEN 1 ELSE 0 END) AS BIGINT) AS Correct,
                       CAST(SUM(CASE WHEN a.IsCorrect = 1 THEN {delay} ELSE 0 END) AS BIGINT) AS DelayMs,
                       CAST(SUM(CASE WHEN a.IsCorrect = 1 THEN {points} ELSE 0 END) AS BIGINT) AS Points
                FROM Answers a
                JOIN Questions q ON q.Id = a.QuestionId
                WHERE q.EventId = {"{0}"} AND a.IsLate = 0{(rightOnly ? RightOrTeamMember : "")} AND q.OpenedAt IS NOT NULL
                GROUP BY a.ParticipantId
            ),
            scored AS (
                SELECT s.ParticipantId AS ParticipantId, p.FirstName AS FirstName, p.LastName AS LastName,
                       p.TeamName AS TeamName, CAST(p.HeadCount AS BIGINT) AS HeadCount,
                       s.Correct AS Correct, s.DelayMs AS DelayMs, s.Points AS Points
                FROM s
                JOIN Participants p ON p.Id = s.ParticipantId
                WHERE p.LeftOutAt IS NULL
            )
            SELECT ranked.*, CAST(ROW_NUMBER() OVER (ORDER BY {order}) AS BIGINT) AS Place
            FROM (SELECT {top}* FROM scored{(rightOnly ? " WHERE Correct > 0" : "")} ORDER BY {order}{limit}) ranked
            UNION ALL
            SELECT scored.*, CAST(0 AS BIGINT) AS Place FROM scored WHERE TeamName IS NOT NULL AND TeamName <> ''
            """;
    }

    /// <summary>
    /// For the right answers' leaderboard: the right answers, and every answer of a team member, so that members who answered
    /// in time but never right still stand for their people, with nothing added up. Who is a team member is one list read
    /// once; the answers are read once, as for the whole board.
    /// </summary>
    const string RightOrTeamMember =
        " AND (a.IsCorrect = 1 OR a.ParticipantId IN (SELECT m.Id FROM Participants m WHERE m.TeamName IS NOT NULL AND m.TeamName <> ''))";

    // ---- Export ----

    public static readonly IReadOnlyList<string> AnswersCsvColumns =
        ["question", "code", "participant", "team", "headCount", "answer", "correct", "late", "delaySeconds", "updateId", "answeredAt", "participantId"];

    /// <summary>Every answer of the event, one CSV row each, by question then Telegram order; false when the event is unknown.</summary>
    public async Task<bool> WriteAnswersCsvAsync(int eventId, TextWriter writer, CancellationToken cancellationToken = default, CsvStyle style = CsvStyle.Comma)
    {
        await using var db = await dbs.CreateDbContextAsync(cancellationToken);
        if (!await db.Events.AnyAsync(e => e.Id == eventId, cancellationToken))
            return false;
        var separator = Csv.SeparatorOf(style);
        await Csv.WriteRecordAsync(writer, AnswersCsvColumns, cancellationToken: cancellationToken, separator: separator);
        var questions = await db.Questions.AsNoTracking().Where(q => q.EventId == eventId).OrderBy(q => q.Position).ThenBy(q => q.Id)
            .Select(q => new { q.Id, q.Position, q.Code, q.OpenedAt }).ToListAsync(cancellationToken);
        // Every participant is read once, after their first answer: read with each answer, SQLite would go through its
        // participants once for every row (no index on the Telegram id: see the ParticipantsInArrivalOrder migration).
        var names = new Dictionary<long, ParticipantNames>();
        foreach (var q in questions)
        {
            var position = q.Position.ToString(CultureInfo.InvariantCulture);
            var after = long.MinValue;
            while (true)
            {
                // One question at a time walks the (QuestionId, UpdateId) index: no sort of the whole event.
                var rows = await AnswerRowsQuery(db, q.Id, after, AnswersCsvChunk).ToListAsync(cancellationToken);
                List<long> unknown = [.. rows.Select(r => r.ParticipantId).Where(id => !names.ContainsKey(id)).Distinct()];
                if (unknown.Count > 0)
                    await AddNamesAsync(db, unknown, rankedOnly: false, names, cancellationToken);
                foreach (var r in rows)
                {
                    if (!names.TryGetValue(r.ParticipantId, out var p))
                        continue; // forgotten (/forget) in the meantime, with their answers
                    // Names and answers are participants' text: guarded against spreadsheet formulas.
                    await Csv.WriteRecordAsync(writer,
                    [
                        position,
                        q.Code,
                        Name(p.FirstName, p.LastName),
                        p.TeamName,
                        // The people the answer stood for when it came, as the question's count adds them: for a team, or one who was.
                        p.TeamName != null || r.People != 1 ? r.People.ToString(CultureInfo.InvariantCulture) : null,
                        r.Text,
                        r.IsCorrect ? "true" : "false",
                        r.IsLate ? "true" : "false",
                        Csv.Decimal(Seconds(DelayMilliseconds(q.OpenedAt, r.AnsweredAt)), style),
                        r.UpdateId.ToString(CultureInfo.InvariantCulture),
                        r.AnsweredAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
                        r.ParticipantId.ToString(CultureInfo.InvariantCulture),
                    ], protectFormulas: true, cancellationToken, separator);
                }
                await writer.FlushAsync(cancellationToken);
                if (rows.Count < AnswersCsvChunk)
                    break;
                after = rows[^1].UpdateId;
            }
        }
        await writer.FlushAsync(cancellationToken);
        return true;
    }

    /// <summary>Answers the export reads at a time, and then the participants among them it has not met yet.</summary>
    internal const int AnswersCsvChunk = 5000;

    public static readonly IReadOnlyList<string> LeaderboardCsvColumns =
        ["rank", "name", "team", "correct", "totalDelaySeconds", "points", "participantId"];

    public static readonly IReadOnlyList<string> TeamLeaderboardCsvColumns =
        ["rank", "team", "people", "correct", "totalDelaySeconds", "points"];

    /// <summary>
    /// The whole leaderboard of the event, participants or teams, one CSV row each in rank order (the console shows the
    /// first <see cref="DefaultLeaderboardSize"/>); false when the event is unknown.
    /// </summary>
    public async Task<bool> WriteLeaderboardCsvAsync(int eventId, bool teams, TextWriter writer, CancellationToken cancellationToken = default, CsvStyle style = CsvStyle.Comma)
    {
        if (await GetLeaderboardAsync(eventId, int.MaxValue, cancellationToken) is not { } leaderboard)
            return false;
        var separator = Csv.SeparatorOf(style);
        await Csv.WriteRecordAsync(writer, teams ? TeamLeaderboardCsvColumns : LeaderboardCsvColumns, cancellationToken: cancellationToken, separator: separator);
        string Number(double value) => Csv.Decimal(value, style);
        static string Whole(long value) => value.ToString(CultureInfo.InvariantCulture);
        // Names and team names are participants' text: guarded against spreadsheet formulas.
        IEnumerable<IEnumerable<string?>> rows = teams
            ? leaderboard.Teams.Select(t => new[] { Whole(t.Rank), t.Team, Whole(t.HeadCount), Whole(t.Correct), Number(t.TotalDelaySeconds), Whole(t.Points) })
            : leaderboard.Participants.Select(p => new[] { Whole(p.Rank), p.Name, p.Team, Whole(p.Correct), Number(p.TotalDelaySeconds), Whole(p.Points), Whole(p.ParticipantId) });
        var written = 0;
        foreach (var row in rows)
        {
            await Csv.WriteRecordAsync(writer, row, protectFormulas: true, cancellationToken, separator);
            if (++written % 1000 == 0)
                await writer.FlushAsync(cancellationToken);
        }
        await writer.FlushAsync(cancellationToken);
        return true;
    }

    // The queries, apart so a test can check that both providers translate them.

    /// <summary>The answers in time or late, the correct ones, and the people they stood for as they answered.</summary>
    internal sealed record CountRow(bool Late, int Count, int Correct, int People);

    internal static IQueryable<CountRow> CountsQuery(QuizDbContext db, int questionId) =>
        db.Answers.Where(a => a.QuestionId == questionId)
            .GroupBy(a => a.IsLate)
            .Select(g => new CountRow(g.Key, g.Count(), g.Count(a => a.IsCorrect), g.Sum(a => a.People)));

    internal sealed record RankRow(long UpdateId, long ParticipantId, DateTimeOffset AnsweredAt);

    /// <summary>The first <paramref name="size"/> correct on-time answers after update <paramref name="after"/>, in Telegram's order.</summary>
    internal static IQueryable<RankRow> RankingQuery(QuizDbContext db, int questionId, long after, int size) =>
        db.Answers.Where(a => a.QuestionId == questionId && !a.IsLate && a.IsCorrect && a.UpdateId > after)
            .OrderBy(a => a.UpdateId)
            .Select(a => new RankRow(a.UpdateId, a.ParticipantId, a.AnsweredAt))
            .Take(size);

    internal sealed record ParticipantNames(long Id, string FirstName, string? LastName, string? TeamName);

    /// <summary>
    /// The participants among <paramref name="ids"/> (with <paramref name="rankedOnly"/>, not those left out of the rankings),
    /// in one pass of the table. The ids go as one parameter, however many there are.
    /// </summary>
    internal static IQueryable<ParticipantNames> NamesQuery(QuizDbContext db, IReadOnlyList<long> ids, bool rankedOnly) =>
        db.Participants.AsNoTracking()
            .Where(p => EF.Parameter(ids).Contains(p.Id) && (!rankedOnly || p.LeftOutAt == null))
            .Select(p => new ParticipantNames(p.Id, p.FirstName, p.LastName, p.TeamName));

    /// <summary>Adds the participants among <paramref name="ids"/> to <paramref name="names"/>, the first row of each.</summary>
    static async Task AddNamesAsync(QuizDbContext db, IReadOnlyList<long> ids, bool rankedOnly, Dictionary<long, ParticipantNames> names, CancellationToken cancellationToken)
    {
        await foreach (var p in NamesQuery(db, ids, rankedOnly).AsAsyncEnumerable().WithCancellation(cancellationToken))
            names.TryAdd(p.Id, p);
    }

    internal sealed record TextCount(string Text, bool IsCorrect, int Count);

    /// <summary>Enough exact texts to fold variants ("Gio", "giò.") into the ten most common answers.</summary>
    internal static IQueryable<TextCount> DistributionQuery(QuizDbContext db, int questionId) =>
        db.Answers.Where(a => a.QuestionId == questionId && !a.IsLate)
            .GroupBy(a => new { a.Text, a.IsCorrect })
            .Select(g => new { g.Key.Text, g.Key.IsCorrect, Count = g.Count() })
            .OrderByDescending(x => x.Count).ThenBy(x => x.Text)
            .Take(DistributionSize * 20)
            .Select(x => new TextCount(x.Text, x.IsCorrect, x.Count));

    /// <summary>Every right text, however few typed it: what <see cref="DistributionQuery"/> may leave out.</summary>
    internal static IQueryable<TextCount> RightTextsQuery(QuizDbContext db, int questionId) =>
        db.Answers.Where(a => a.QuestionId == questionId && !a.IsLate && a.IsCorrect)
            .GroupBy(a => a.Text)
            .Select(g => new TextCount(g.Key, true, g.Count()));

    internal sealed record OptionCount(int Option, int Count);

    internal static IQueryable<OptionCount> OptionCountsQuery(QuizDbContext db, int questionId) =>
        db.Answers.Where(a => a.QuestionId == questionId && !a.IsLate && a.OptionIndex != null)
            .GroupBy(a => a.OptionIndex!.Value)
            .Select(g => new OptionCount(g.Key, g.Count()));

    internal sealed record AnswerRow(long ParticipantId, int People, string Text, bool IsCorrect, bool IsLate, long UpdateId, DateTimeOffset AnsweredAt);

    /// <summary>The question's next <paramref name="size"/> answers after update <paramref name="after"/>, in Telegram's order.</summary>
    internal static IQueryable<AnswerRow> AnswerRowsQuery(QuizDbContext db, int questionId, long after, int size) =>
        db.Answers.AsNoTracking()
            .Where(a => a.QuestionId == questionId && a.UpdateId > after)
            .OrderBy(a => a.UpdateId)
            .Select(a => new AnswerRow(a.ParticipantId, a.People, a.Text, a.IsCorrect, a.IsLate, a.UpdateId, a.AnsweredAt))
            .Take(size);

    internal static string LeaderboardSqlFor(QuizDbContext db, ScoringMode mode = ScoringMode.SpeedPoints, bool rightOnly = false) =>
        LeaderboardSql(db.Database.IsSqlite(), mode, rightOnly);

    static string Name(string firstName, string? lastName) => Participant.DisplayNameOf(firstName, lastName);

    /// <summary>
    /// Between the two times to the millisecond each, as SQLite stores them and as SQL Server's DATEDIFF_BIG counts them
    /// in the leaderboard: the results post, ranked from the pipeline's memory (whose clock has ticks), then gives the
    /// delays the console, the projector and the API read from the database, "4.8 s" in all rather than "4.7 s" in one.
    /// </summary>
    static long DelayMilliseconds(DateTimeOffset? openedAt, DateTimeOffset answeredAt) =>
        openedAt is { } opened ? Math.Max(0, answeredAt.ToUnixTimeMilliseconds() - opened.ToUnixTimeMilliseconds()) : 0;

    /// <summary>An answer's delay in seconds, to the millisecond, as every ranking gives it.</summary>
    internal static double DelaySeconds(DateTimeOffset? openedAt, DateTimeOffset answeredAt) => Seconds(DelayMilliseconds(openedAt, answeredAt));

    static double Seconds(long milliseconds) => Math.Round(milliseconds / 1000.0, 3);
}
