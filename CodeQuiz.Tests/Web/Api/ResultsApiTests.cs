using System.Net;
using System.Text;
using CodeQuiz.Core.Persistence;
using CodeQuiz.Core.Quizzes;
using CodeQuiz.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CodeQuiz.Tests.Web.Api;

public class ResultsApiTests
{
    static readonly DateTimeOffset Opened = new(2026, 11, 29, 10, 0, 0, TimeSpan.Zero);

    /// <summary>An event with closed questions, participants and their answers, written straight to the database.</summary>
    sealed class Show(CodeQuizFactory factory)
    {
        public int EventId { get; private set; }
        public List<int> QuestionIds { get; } = [];

        public async Task EventAsync(ScoringMode scoring, params int?[] timeLimits)
        {
            await using var db = await Db();
            var ev = new QuizEvent { Name = "Code Week final", Scoring = scoring, CreatedAt = Opened.AddDays(-1) };
            for (var i = 0; i < timeLimits.Length; i++)
                ev.Questions.Add(new Question
                {
                    Position = i + 1, Prompt = $"Question {i + 1}", Kind = QuestionKind.FreeText, AcceptedAnswers = ["Go"],
                    Code = $"Q{i + 1}code", State = QuestionState.Closed, OpenedAt = Opened.AddMinutes(10 * i),
                    ClosedAt = Opened.AddMinutes(10 * i + 5), TimeLimitSeconds = timeLimits[i],
                });
            db.Events.Add(ev);
            await db.SaveChangesAsync();
            EventId = ev.Id;
            QuestionIds.AddRange(ev.Questions.OrderBy(q => q.Position).Select(q => q.Id));
        }

        public async Task ParticipantAsync(long id, string first, string? last = null, string? team = null, int? headCount = null, DateTimeOffset? createdAt = null)
        {
            await using var db = await Db();
            db.Participants.Add(new Participant { Id = id, FirstName = first, LastName = last, TeamName = team, HeadCount = headCount, CreatedAt = createdAt ?? Opened });
            await db.SaveChangesAsync();
        }

        /// <summary>An answer to question <paramref name="question"/> (1-based) <paramref name="seconds"/> after it opened.</summary>
        public async Task AnswerAsync(int question, long participant, long updateId, string text, bool correct, double seconds, bool late = false)
        {
            await using var db = await Db();
            db.Answers.Add(new Answer
            {
                QuestionId = QuestionIds[question - 1], ParticipantId = participant, UpdateId = updateId, Text = text,
                IsCorrect = correct, IsLate = late, AnsweredAt = Opened.AddMinutes(10 * (question - 1)).AddSeconds(seconds),
                People = (await db.Participants.FindAsync(participant))?.People ?? 1,
            });
            await db.SaveChangesAsync();
        }

        /// <summary>Makes question <paramref name="question"/> (1-based) a multiple-choice or numeric one.</summary>
        public async Task KindAsync(int question, QuestionKind kind, string[]? options = null, int? correctOption = null, double? numericAnswer = null)
        {
            await using var db = await Db();
            var q = await db.Questions.SingleAsync(q => q.Id == QuestionIds[question - 1]);
            (q.Kind, q.Options, q.CorrectOption, q.NumericAnswer, q.AcceptedAnswers) = (kind, [.. options ?? []], correctOption, numericAnswer, []);
            await db.SaveChangesAsync();
        }

        /// <summary>A button press or a typed letter: the answer names its option.</summary>
        public async Task ChoiceAsync(int question, long participant, long updateId, string text, int option, bool correct, bool late = false)
        {
            await AnswerAsync(question, participant, updateId, text, correct, seconds: updateId % 50, late);
            await using var db = await Db();
            var answer = await db.Answers.SingleAsync(a => a.UpdateId == updateId);
            answer.OptionIndex = option;
            await db.SaveChangesAsync();
        }

        public Task<QuizDbContext> Db() => factory.Services.GetRequiredService<IDbContextFactory<QuizDbContext>>().CreateDbContextAsync();
    }

    [Fact]
    public async Task ResultsRankCorrectOnTimeAnswersByUpdateIdWithTheDelaySinceOpening()
    {
        await using var factory = ApiTesting.NewFactory();
        var client = await factory.CreateOrganizerClientAsync();
        var show = new Show(factory);
        await show.EventAsync(ScoringMode.CorrectThenDelay, 60);
        await show.ParticipantAsync(1, "Ada", "Lovelace");
        await show.ParticipantAsync(2, "Bob", team: "<3 & Co", headCount: 25);
        await show.ParticipantAsync(3, "Cy");
        await show.ParticipantAsync(4, "Dee");
        await show.ParticipantAsync(5, "Eve");
        // Ada's message is dated later than Bob's, but Telegram received it first: update_id decides.
        await show.AnswerAsync(1, 2, updateId: 105, "Go", correct: true, seconds: 12);
        await show.AnswerAsync(1, 1, updateId: 101, "go", correct: true, seconds: 20);
        await show.AnswerAsync(1, 3, updateId: 103, "Rust", correct: false, seconds: 5);
        await show.AnswerAsync(1, 5, updateId: 104, "Go!", correct: true, seconds: -1);
        await show.AnswerAsync(1, 4, updateId: 100, "Go", correct: true, seconds: 400, late: true);

        var response = await client.GetAsync($"/api/questions/{show.QuestionIds[0]}/results");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var results = await response.ReadJsonAsync();

        Assert.Equal(show.QuestionIds[0], results.GetProperty("questionId").GetInt32());
        Assert.Equal("Closed", results.GetProperty("state").GetString());
        Assert.Equal(4, results.GetProperty("totalAnswers").GetInt32());
        Assert.Equal(1, results.GetProperty("lateAnswers").GetInt32());
        Assert.Equal(4, results.GetProperty("participants").GetInt32());
        Assert.Equal(1 + 25 + 1 + 1, results.GetProperty("people").GetInt32());
        Assert.Equal(75, results.GetProperty("percentCorrect").GetDouble());
        var ranking = results.GetProperty("ranking").EnumerateArray().ToList();
        Assert.Equal(["Ada Lovelace", "Eve", "Bob"], ranking.Select(r => r.GetProperty("name").GetString()));
        Assert.Equal([1, 2, 3], ranking.Select(r => r.GetProperty("rank").GetInt32()));
        Assert.Equal([20.0, 0.0, 12.0], ranking.Select(r => r.GetProperty("delaySeconds").GetDouble()));
        Assert.Equal("<3 & Co", ranking[2].GetProperty("team").GetString());
        var distribution = results.GetProperty("distribution").EnumerateArray().Select(d => (d.GetProperty("answer").GetString(), d.GetProperty("count").GetInt32())).ToList();
        Assert.Equal([("Go", 3), ("Rust", 1)], distribution);

        var top1 = await (await client.GetAsync($"/api/questions/{show.QuestionIds[0]}/results?top=1")).ReadJsonAsync();
        Assert.Single(top1.GetProperty("ranking").EnumerateArray());
        await (await client.GetAsync("/api/questions/999/results")).AssertProblemAsync(404);
        await (await client.GetAsync($"/api/questions/{show.QuestionIds[0]}/results?top=-1")).AssertProblemAsync(400);
    }

    [Fact]
    public async Task TheDistributionShowsTheTenMostCommonAnswersAndCountsTheRestAsOther()
    {
        await using var factory = ApiTesting.NewFactory();
        var client = await factory.CreateOrganizerClientAsync();
        var show = new Show(factory);
        await show.EventAsync(ScoringMode.CorrectThenDelay, [null]);
        long id = 0;
        // Answer k is given by 13 - k people (12, 11, ... 1): twelve different answers.
        for (var k = 1; k <= 12; k++)
            for (var n = 0; n < 13 - k; n++)
            {
                id++;
                await show.ParticipantAsync(id, $"P{id}");
                await show.AnswerAsync(1, id, updateId: 1000 + id, n == 0 ? $"answer {k}." : $"Answer {k}", correct: k == 1, seconds: id);
            }

        var results = await (await client.GetAsync($"/api/questions/{show.QuestionIds[0]}/results")).ReadJsonAsync();

        var distribution = results.GetProperty("distribution").EnumerateArray().Select(d => (d.GetProperty("answer").GetString(), d.GetProperty("count").GetInt32())).ToList();
        Assert.Equal(11, distribution.Count);
        Assert.Equal(("Answer 1", 12), distribution[0]);
        Assert.Equal(("Answer 10", 3), distribution[9]);
        Assert.Equal((QuizResults.OtherAnswers, 2 + 1), distribution[10]);
        Assert.Equal(results.GetProperty("totalAnswers").GetInt32(), distribution.Sum(d => d.Item2));
    }

    [Fact]
    public async Task ARightAnswerRarerThanTheTenMostCommonHasItsRowAndOtherCountsOnlyWrongAnswers()
    {
        await using var factory = ApiTesting.NewFactory();
        var client = await factory.CreateOrganizerClientAsync();
        var show = new Show(factory);
        await show.EventAsync(ScoringMode.CorrectThenDelay, [null]);
        // Eleven wrong answers given by two people each, the right one by one.
        long id = 0;
        for (var k = 1; k <= 11; k++)
            for (var n = 0; n < 2; n++)
            {
                await show.ParticipantAsync(++id, $"P{id}");
                await show.AnswerAsync(1, id, updateId: 1000 + id, $"Wrong {k:00}", correct: false, seconds: id);
            }
        await show.ParticipantAsync(++id, $"P{id}");
        await show.AnswerAsync(1, id, updateId: 1000 + id, "go", correct: true, seconds: id);

        var results = await (await client.GetAsync($"/api/questions/{show.QuestionIds[0]}/results")).ReadJsonAsync();

        var distribution = Distribution(results);
        Assert.Equal([.. Enumerable.Range(1, 10).Select(k => ($"Wrong {k:00}", 2, false)), ("Go", 1, true), (QuizResults.OtherAnswers, 2, false)], distribution);
        Assert.Equal(results.GetProperty("totalAnswers").GetInt32(), distribution.Sum(d => d.Item2));
    }

    [Fact]
    public async Task ARightSpellingOutsideTheMostTypedTextsStillCountsAsRight()
    {
        await using var factory = ApiTesting.NewFactory();
        var client = await factory.CreateOrganizerClientAsync();
        var show = new Show(factory);
        await show.EventAsync(ScoringMode.CorrectThenDelay, [null]);
        await show.KindAsync(1, QuestionKind.Numeric, numericAnswer: 2);
        // 300 wrong numbers typed twice each: the right "2,0", typed once, is far from the most typed texts.
        await using (var db = await show.Db())
        {
            for (var id = 1; id <= 601; id++)
            {
                db.Participants.Add(new Participant { Id = id, FirstName = $"P{id}", CreatedAt = Opened });
                db.Answers.Add(new Answer
                {
                    QuestionId = show.QuestionIds[0], ParticipantId = id, UpdateId = id, AnsweredAt = Opened.AddSeconds(id),
                    Text = id <= 600 ? $"{100 + (id + 1) / 2}" : "2,0", IsCorrect = id > 600,
                });
            }
            await db.SaveChangesAsync();
        }

        var results = await (await client.GetAsync($"/api/questions/{show.QuestionIds[0]}/results")).ReadJsonAsync();

        var distribution = Distribution(results);
        Assert.Equal(12, distribution.Count);
        Assert.Equal(("2", 1, true), distribution[10]);
        Assert.Equal((QuizResults.OtherAnswers, 600 - 10 * 2, false), distribution[11]);
    }

    static List<(string?, int, bool)> Distribution(System.Text.Json.JsonElement results) =>
        [.. results.GetProperty("distribution").EnumerateArray()
            .Select(d => (d.GetProperty("answer").GetString(), d.GetProperty("count").GetInt32(), d.GetProperty("isCorrect").GetBoolean()))];

    [Fact]
    public async Task AMultipleChoiceDistributionListsEveryOptionInOrderWithTypedLettersCountedAsTheirOption()
    {
        await using var factory = ApiTesting.NewFactory();
        var client = await factory.CreateOrganizerClientAsync();
        var show = new Show(factory);
        await show.EventAsync(ScoringMode.CorrectThenDelay, [null]);
        await show.KindAsync(1, QuestionKind.MultipleChoice, ["let", "const", "final", "static"], correctOption: 1);
        for (var id = 1; id <= 6; id++) await show.ParticipantAsync(id, $"P{id}");
        await show.ChoiceAsync(1, 1, 101, "const", option: 1, correct: true);
        await show.ChoiceAsync(1, 2, 102, "b", option: 1, correct: true);
        await show.ChoiceAsync(1, 3, 103, "B)", option: 1, correct: true);
        await show.ChoiceAsync(1, 4, 104, "static", option: 3, correct: false);
        await show.ChoiceAsync(1, 5, 105, "a", option: 0, correct: false);
        await show.ChoiceAsync(1, 6, 106, "const", option: 1, correct: true, late: true);

        var results = await (await client.GetAsync($"/api/questions/{show.QuestionIds[0]}/results")).ReadJsonAsync();

        Assert.Equal([("let", 1, false), ("const", 3, true), ("final", 0, false), ("static", 1, false)], Distribution(results));
    }

    [Theory]
    [InlineData(QuestionKind.Numeric, "2", "@CodeQuizBot 2", "4", "@somethingbot: 4")]
    [InlineData(QuestionKind.FreeText, "gio", "@CodeQuizBot gio", "pippo", "@CodeQuizBot Pippo")]
    public async Task AnAnswerAfterABotsUsernameCountsInTheDistributionWithTheSameAnswerTypedAlone(
        QuestionKind kind, string right, string rightMentioned, string wrong, string wrongMentioned)
    {
        await using var factory = ApiTesting.NewFactory();
        var client = await factory.CreateOrganizerClientAsync();
        var show = new Show(factory);
        await show.EventAsync(ScoringMode.CorrectThenDelay, [null]);
        if (kind == QuestionKind.Numeric)
            await show.KindAsync(1, QuestionKind.Numeric, numericAnswer: 2);
        string[] typed = [right, right, rightMentioned, wrong, wrongMentioned];
        for (var i = 0; i < typed.Length; i++)
        {
            await show.ParticipantAsync(i + 1, $"P{i + 1}");
            await show.AnswerAsync(1, i + 1, 300 + i, typed[i], correct: i < 3, seconds: i);
        }

        var results = await (await client.GetAsync($"/api/questions/{show.QuestionIds[0]}/results")).ReadJsonAsync();

        var distribution = Distribution(results);
        Assert.Equal([(3, true), (2, false)], distribution.Select(d => (d.Item2, d.Item3)));
        Assert.Equal(right, distribution[0].Item1, ignoreCase: true);
    }

    [Fact]
    public async Task ANumericDistributionCountsEachValueOnceHoweverItWasWritten()
    {
        await using var factory = ApiTesting.NewFactory();
        var client = await factory.CreateOrganizerClientAsync();
        var show = new Show(factory);
        await show.EventAsync(ScoringMode.CorrectThenDelay, [null]);
        await show.KindAsync(1, QuestionKind.Numeric, numericAnswer: 2);
        string[] typed = ["2", "2", "2.0", "2,0", " +2 ", "4", "4.00", "1 000", "1000"];
        for (var i = 0; i < typed.Length; i++)
        {
            await show.ParticipantAsync(i + 1, $"P{i + 1}");
            await show.AnswerAsync(1, i + 1, 200 + i, typed[i], correct: i < 5, seconds: i);
        }

        var results = await (await client.GetAsync($"/api/questions/{show.QuestionIds[0]}/results")).ReadJsonAsync();

        // Each labelled by its value as the console writes numbers, not by the spelling most people typed.
        Assert.Equal([("2", 5, true), ("1000", 2, false), ("4", 2, false)], Distribution(results));
    }

    [Fact]
    public async Task TheLeaderboardRanksByCorrectAnswersThenTotalDelayAndAddsUpTeams()
    {
        await using var factory = ApiTesting.NewFactory();
        var client = await factory.CreateOrganizerClientAsync();
        var show = new Show(factory);
        await show.EventAsync(ScoringMode.CorrectThenDelay, null, 30);
        await show.ParticipantAsync(1, "Ada", team: "Liceo Galilei", headCount: 20);
        await show.ParticipantAsync(2, "Bob", team: "liceo galilei", headCount: 5);
        await show.ParticipantAsync(3, "Cy", team: "<3 & Co", headCount: 12);
        await show.ParticipantAsync(4, "Dee");
        await show.AnswerAsync(1, 1, 10, "Go", true, 10);
        await show.AnswerAsync(2, 1, 20, "Go", true, 10);     // Ada: 2 correct, 20 s
        await show.AnswerAsync(1, 3, 11, "Go", true, 4);
        await show.AnswerAsync(2, 3, 21, "Go", true, 5);      // Cy: 2 correct, 9 s
        await show.AnswerAsync(1, 2, 12, "Go", true, 1);      // Bob: 1 correct, 1 s
        await show.AnswerAsync(2, 2, 22, "C", false, 2);
        await show.AnswerAsync(1, 4, 13, "Go", true, 2);      // Dee: 1 correct, 2 s, and a late one that never counts
        await show.AnswerAsync(2, 4, 99, "Go", true, 600, late: true);

        var board = await (await client.GetAsync($"/api/events/{show.EventId}/leaderboard")).ReadJsonAsync();

        var people = board.GetProperty("participants").EnumerateArray().ToList();
        Assert.Equal(["Cy", "Ada", "Bob", "Dee"], people.Select(p => p.GetProperty("name").GetString()));
        Assert.Equal([2, 2, 1, 1], people.Select(p => p.GetProperty("correct").GetInt32()));
        Assert.Equal([9.0, 20.0, 1.0, 2.0], people.Select(p => p.GetProperty("totalDelaySeconds").GetDouble()));
        Assert.Equal([1, 2, 3, 4], people.Select(p => p.GetProperty("rank").GetInt32()));
        Assert.Equal([2, 2, 1, 1], people.Select(p => p.GetProperty("points").GetInt32()));
        Assert.Equal("<3 & Co", people[0].GetProperty("team").GetString());

        var teams = board.GetProperty("teams").EnumerateArray().ToList();
        Assert.Equal(["Liceo Galilei", "<3 & Co"], teams.Select(t => t.GetProperty("team").GetString()));
        Assert.Equal([25, 12], teams.Select(t => t.GetProperty("headCount").GetInt32()));
        Assert.Equal([3, 2], teams.Select(t => t.GetProperty("correct").GetInt32()));
        Assert.Equal(21.0, teams[0].GetProperty("totalDelaySeconds").GetDouble());

        await (await client.GetAsync("/api/events/999/leaderboard")).AssertProblemAsync(404);
    }

    [Fact]
    public async Task ATeamSpelledDifferentlyByItsMembersIsWrittenAsItsFirstMemberWroteItInTheApiAndTheCsv()
    {
        await using var factory = ApiTesting.NewFactory();
        var client = await factory.CreateOrganizerClientAsync();
        var show = new Show(factory);
        await show.EventAsync(ScoringMode.CorrectThenDelay, [null]);
        // The teacher wrote to the bot first; two pupils, whose Telegram ids are lower, typed the class's name their way.
        await show.ParticipantAsync(900, "Prof", team: "Classe 3B", headCount: 20, createdAt: Opened.AddMinutes(-30));
        await show.ParticipantAsync(3, "Ugo", team: "classe 3B", createdAt: Opened.AddMinutes(-10));
        await show.ParticipantAsync(4, "Ida", team: "CLASSE 3B ", createdAt: Opened.AddMinutes(-5));
        await show.AnswerAsync(1, 3, 1, "Go", true, 1);
        await show.AnswerAsync(1, 4, 2, "Go", true, 2);
        await show.AnswerAsync(1, 900, 3, "Go", false, 3);

        var board = await (await client.GetAsync($"/api/events/{show.EventId}/leaderboard")).ReadJsonAsync();
        var csv = await client.GetStringAsync($"/api/events/{show.EventId}/team-leaderboard.csv");

        var team = Assert.Single(board.GetProperty("teams").EnumerateArray());
        Assert.Equal(("Classe 3B", 22, 2), (team.GetProperty("team").GetString(), team.GetProperty("headCount").GetInt32(), team.GetProperty("correct").GetInt32()));
        Assert.StartsWith("1,Classe 3B,22,", csv.Split('\n')[1]);
    }

    [Fact]
    public async Task AShortLeaderboardCountsTeamMembersWithoutARightAnswerAndFillsUpWithThoseWithoutOne()
    {
        // A board that those with a right answer fill is added up from the right answers alone: the team members who only
        // answered wrong still stand for their people, and a longer board still lists those without a right answer.
        await using var factory = ApiTesting.NewFactory();
        var client = await factory.CreateOrganizerClientAsync();
        var show = new Show(factory);
        await show.EventAsync(ScoringMode.CorrectThenDelay, null, null);
        await show.ParticipantAsync(1, "Ada", team: "Liceo Galilei", headCount: 20);
        await show.ParticipantAsync(2, "Bob", team: "liceo galilei", headCount: 5);
        await show.ParticipantAsync(3, "Cy");
        await show.ParticipantAsync(4, "Dee");
        await show.ParticipantAsync(5, "Eve", team: "Liceo Galilei", headCount: 3);
        await show.ParticipantAsync(6, "Fay", team: "Liceo Galilei", headCount: 7);
        await show.AnswerAsync(1, 1, 10, "Go", true, 10);     // Ada: 1 right, 10 s
        await show.AnswerAsync(1, 2, 11, "C", false, 2);      // Bob: wrong only, his 5 people count for the team
        await show.AnswerAsync(1, 3, 12, "Go", true, 4);
        await show.AnswerAsync(2, 3, 20, "Go", true, 3);      // Cy: 2 right
        await show.AnswerAsync(2, 4, 21, "C", false, 1);      // Dee: wrong only
        await show.AnswerAsync(2, 5, 99, "Go", true, 900, late: true); // Eve: late only, no part of the event's board
        await show.AnswerAsync(2, 6, 22, "C", false, 1);      // Fay: wrong, and left out below
        await using (var db = await factory.Services.GetRequiredService<IDbContextFactory<QuizDbContext>>().CreateDbContextAsync())
            await db.Participants.Where(p => p.Id == 6).ExecuteUpdateAsync(u => u.SetProperty(p => p.LeftOutAt, Opened));

        var shortBoard = await (await client.GetAsync($"/api/events/{show.EventId}/leaderboard?top=2")).ReadJsonAsync();
        var longBoard = await (await client.GetAsync($"/api/events/{show.EventId}/leaderboard?top=4")).ReadJsonAsync();

        foreach (var board in new[] { shortBoard, longBoard })
        {
            var team = Assert.Single(board.GetProperty("teams").EnumerateArray());
            Assert.Equal(("Liceo Galilei", 25, 1), (team.GetProperty("team").GetString(), team.GetProperty("headCount").GetInt32(), team.GetProperty("correct").GetInt32()));
        }
        var first = shortBoard.GetProperty("participants").EnumerateArray().ToList();
        Assert.Equal(["Cy", "Ada"], first.Select(p => p.GetProperty("name").GetString()));
        var all = longBoard.GetProperty("participants").EnumerateArray().ToList();
        Assert.Equal(["Cy", "Ada", "Bob", "Dee"], all.Select(p => p.GetProperty("name").GetString()));
        Assert.Equal([1, 2, 3, 3], all.Select(p => p.GetProperty("rank").GetInt32()));
        Assert.Equal([2, 1, 0, 0], all.Select(p => p.GetProperty("correct").GetInt32()));
    }

    [Fact]
    public async Task InSpeedPointsModeFasterCorrectAnswersEarnMorePoints()
    {
        await using var factory = ApiTesting.NewFactory();
        var client = await factory.CreateOrganizerClientAsync();
        var show = new Show(factory);
        await show.EventAsync(ScoringMode.SpeedPoints, 20, null);
        await show.ParticipantAsync(1, "Ada");
        await show.ParticipantAsync(2, "Bob");
        await show.ParticipantAsync(3, "Cy");
        await show.AnswerAsync(1, 1, 10, "Go", true, 0);      // 1000
        await show.AnswerAsync(2, 1, 20, "Go", true, 90);     // past the 60 s window: 500
        await show.AnswerAsync(1, 2, 11, "Go", true, 10);     // half of 20 s: 750
        await show.AnswerAsync(2, 2, 21, "Go", true, 15);     // a quarter of 60 s: 875
        await show.AnswerAsync(1, 3, 12, "Go", true, 1);      // 975, and wrong on question 2
        await show.AnswerAsync(2, 3, 22, "C", false, 1);

        var people = (await (await client.GetAsync($"/api/events/{show.EventId}/leaderboard")).ReadJsonAsync()).GetProperty("participants").EnumerateArray().ToList();

        // Points, not the number of correct answers, decide: Bob (2 correct) beats Cy only on points.
        Assert.Equal(["Bob", "Ada", "Cy"], people.Select(p => p.GetProperty("name").GetString()));
        Assert.Equal([1625, 1500, 975], people.Select(p => p.GetProperty("points").GetInt32()));
    }

    [Fact]
    public async Task TheAnswersCsvHasOneRowPerAnswerAndDisarmsSpreadsheetFormulas()
    {
        await using var factory = ApiTesting.NewFactory();
        var client = await factory.CreateOrganizerClientAsync();
        var show = new Show(factory);
        await show.EventAsync(ScoringMode.CorrectThenDelay, null, null);
        await show.ParticipantAsync(1, "=HYPERLINK(\"http://evil\")", team: "Rossi, Bianchi & Co", headCount: 3);
        await show.ParticipantAsync(2, "Bob");
        await show.AnswerAsync(1, 1, 10, "Go", true, 3.5);
        await show.AnswerAsync(1, 2, 11, "line one\nline two", false, 4);
        await show.AnswerAsync(2, 1, 20, "@SUM(A1)", false, 9, late: true);
        // Bob registers a team after answering: his answer stood for one person, as the question's count says.
        await using (var db = await show.Db())
            await db.Participants.Where(p => p.Id == 2).ExecuteUpdateAsync(u => u.SetProperty(p => p.TeamName, "Late Team").SetProperty(p => p.HeadCount, 7));

        var response = await client.GetAsync($"/api/events/{show.EventId}/answers.csv");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        var text = Encoding.UTF8.GetString(await response.Content.ReadAsByteArrayAsync()).TrimStart('\uFEFF');

        var records = new List<Csv.Record>();
        await foreach (var record in Csv.ReadAsync(new StringReader(text)))
            records.Add(record);
        Assert.Equal(QuizResults.AnswersCsvColumns, records[0].Fields);
        Assert.Equal(1 + 3, records.Count);
        Assert.Equal(["1", "Q1code", "'=HYPERLINK(\"http://evil\")", "Rossi, Bianchi & Co", "3", "Go", "true", "false", "3.5", "10", "2026-11-29T10:00:03.500Z", "1"], records[1].Fields);
        Assert.Equal(["Bob", "Late Team", "1", "line one\nline two"], records[2].Fields.Skip(2).Take(4));
        Assert.Equal(["2", "'@SUM(A1)", "true"], new[] { records[3].Fields[0], records[3].Fields[5], records[3].Fields[7] });

        await (await client.GetAsync("/api/events/999/answers.csv")).AssertProblemAsync(404);
    }

    [Fact]
    public async Task TheLeaderboardCsvsHoldTheWholeRankingForExcelWithNamesQuotedAndFormulasDisarmed()
    {
        await using var factory = ApiTesting.NewFactory();
        var client = await factory.CreateOrganizerClientAsync();
        var show = new Show(factory);
        await show.EventAsync(ScoringMode.CorrectThenDelay, [null]);
        await show.ParticipantAsync(1, "=HYPERLINK(\"http://evil\")", team: "-Rossi, \"Bianchi\"\nCo", headCount: 3);
        await show.ParticipantAsync(2, "Zoë", "Ärger");
        await show.AnswerAsync(1, 1, 1, "Go", true, 1);
        await show.AnswerAsync(1, 2, 2, "Go", true, 2);
        // More than the console shows: the prizes may go further down.
        var more = QuizResults.DefaultLeaderboardSize;
        for (var i = 0; i < more; i++)
        {
            await show.ParticipantAsync(100 + i, $"P{i}");
            await show.AnswerAsync(1, 100 + i, 100 + i, "Go", true, 3 + i);
        }

        async Task<List<IReadOnlyList<string>>> DownloadAsync(string file)
        {
            var response = await client.GetAsync($"/api/events/{show.EventId}/{file}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal($"codequiz-event-{show.EventId}-{file}", response.Content.Headers.ContentDisposition?.FileNameStar);
            var bytes = await response.Content.ReadAsByteArrayAsync();
            Assert.Equal(Encoding.UTF8.GetPreamble(), bytes[..3]); // what makes Excel read the accents as UTF-8
            var records = new List<IReadOnlyList<string>>();
            await foreach (var record in Csv.ReadAsync(new StringReader(Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3))))
                records.Add(record.Fields);
            return records;
        }

        var people = await DownloadAsync("leaderboard.csv");
        Assert.Equal(QuizResults.LeaderboardCsvColumns, people[0]);
        Assert.Equal(1 + 2 + more, people.Count);
        Assert.Equal(["1", "'=HYPERLINK(\"http://evil\")", "'-Rossi, \"Bianchi\"\nCo", "1", "1", "1", "1"], people[1]);
        Assert.Equal(["2", "Zoë Ärger", "", "1", "2", "1", "2"], people[2]);
        Assert.Equal([$"{2 + more}", $"P{more - 1}"], people[^1].Take(2));

        var teams = await DownloadAsync("team-leaderboard.csv");
        Assert.Equal(QuizResults.TeamLeaderboardCsvColumns, teams[0]);
        Assert.Equal(["1", "'-Rossi, \"Bianchi\"\nCo", "3", "1", "1", "1"], Assert.Single(teams.Skip(1)));

        await (await client.GetAsync("/api/events/999/leaderboard.csv")).AssertProblemAsync(404);
        await (await client.GetAsync("/api/events/999/team-leaderboard.csv")).AssertProblemAsync(404);
    }

    [Fact]
    public async Task TiedParticipantsComeInTheSameOrderInAShortLeaderboardAndInTheWholeOne()
    {
        await using var factory = ApiTesting.NewFactory();
        var client = await factory.CreateOrganizerClientAsync();
        var show = new Show(factory);
        await show.EventAsync(ScoringMode.CorrectThenDelay, [null]);
        // Tied on everything. By first name "Ann" comes before "Ann B"; by the whole name "Ann B" comes before "Ann Zeta".
        await show.ParticipantAsync(1, "Ann B");
        await show.ParticipantAsync(2, "Ann", "Zeta");
        await show.AnswerAsync(1, 1, 1, "Go", true, 5);
        await show.AnswerAsync(1, 2, 2, "Go", true, 5);

        async Task<List<string>> NamesAsync(int top) =>
            [.. (await (await client.GetAsync($"/api/events/{show.EventId}/leaderboard?top={top}")).ReadJsonAsync())
                .GetProperty("participants").EnumerateArray().Select(p => p.GetProperty("name").GetString()!)];
        var csv = await client.GetStringAsync($"/api/events/{show.EventId}/leaderboard.csv");
        var csvNames = csv.Split("\r\n").Skip(1).Where(l => l.Length > 0).Select(l => l.Split(',')[1]).ToList();

        // The console's first hundred, the projector's first rows and the CSV's first rows are the same people.
        var whole = await NamesAsync(2);
        Assert.Equal(whole, csvNames);
        Assert.Equal(whole.Take(1), await NamesAsync(1));
    }

    [Fact]
    public async Task WithSeparatorSemicolonTheCsvsHaveSemicolonsAndDecimalCommasForExcelInItalian()
    {
        await using var factory = ApiTesting.NewFactory();
        var client = await factory.CreateOrganizerClientAsync();
        var show = new Show(factory);
        await show.EventAsync(ScoringMode.CorrectThenDelay, [null]);
        await show.ParticipantAsync(1, "Ada", team: "Rossi; Bianchi, Verdi", headCount: 3);
        await show.AnswerAsync(1, 1, 10, "3,14", true, 3.5);

        async Task<string> DownloadAsync(string file)
        {
            var response = await client.GetAsync($"/api/events/{show.EventId}/{file}?separator=semicolon");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
            return Encoding.UTF8.GetString(await response.Content.ReadAsByteArrayAsync()).TrimStart('\uFEFF');
        }

        // Excel set to Italian splits on semicolons and reads 3,5 as a number; a semicolon inside a field is quoted.
        var answers = (await DownloadAsync("answers.csv")).Split("\r\n");
        Assert.Equal(string.Join(';', QuizResults.AnswersCsvColumns), answers[0]);
        Assert.StartsWith("1;Q1code;Ada;\"Rossi; Bianchi, Verdi\";3;3,14;true;false;3,5;10;2026-11-29T10:00:03.500Z;1", answers[1]);
        var people = (await DownloadAsync("leaderboard.csv")).Split("\r\n");
        Assert.Equal(string.Join(';', QuizResults.LeaderboardCsvColumns), people[0]);
        Assert.Equal("1;Ada;\"Rossi; Bianchi, Verdi\";1;3,5;1;1", people[1]);
        var teams = (await DownloadAsync("team-leaderboard.csv")).Split("\r\n");
        Assert.Equal("1;\"Rossi; Bianchi, Verdi\";3;1;3,5;1", teams[1]);

        // What CodeQuiz reads back is the same as from the comma file.
        var records = new List<Csv.Record>();
        await foreach (var record in Csv.ReadAsync(new StringReader(string.Join("\r\n", answers))))
            records.Add(record);
        Assert.Equal("Rossi; Bianchi, Verdi", records[1].Fields[3]);

        var wrong = await (await client.GetAsync($"/api/events/{show.EventId}/answers.csv?separator=tab")).AssertProblemAsync(400);
        Assert.Contains("semicolon", wrong.GetProperty("errors").GetProperty("separator")[0].GetString());
        await (await client.GetAsync($"/api/events/{show.EventId}/leaderboard.csv?separator=%3B")).AssertProblemAsync(400);
    }

    [Fact]
    public async Task AParticipantInTheRankingIsLeftOutByTheirIdAndRankedAgain()
    {
        await using var factory = ApiTesting.NewFactory();
        factory.Settings["Telegram:SecretToken"] = "results-secret";
        var client = await factory.CreateOrganizerClientAsync();
        var telegram = new TelegramUpdates(factory.CreateClient(), "results-secret");
        var (_, questions) = await Seed.EventAsync(factory.Services, null, Seed.FreeText("ApiTroll01", "go"));
        var id = questions[0].Id;
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync($"/api/questions/{id}/open", null)).StatusCode);
        foreach (var (user, name) in new[] { (41L, "Rude Name"), (42L, "Ada") })
        {
            await telegram.SendAsync(user, "/start ApiTroll01", name);
            await telegram.SendAsync(user, "go", name);
        }
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync($"/api/questions/{id}/close", null)).StatusCode);
        async Task<List<(string Name, long Id)>> RankingAsync() =>
            [.. (await (await client.GetAsync($"/api/questions/{id}/results")).ReadJsonAsync()).GetProperty("ranking").EnumerateArray()
                .Select(r => (r.GetProperty("name").GetString()!, r.GetProperty("participantId").GetInt64()))];
        Assert.Equal([("Rude Name", 41L), ("Ada", 42L)], await RankingAsync());

        var leftOut = await client.PostAsync("/api/participants/41/leave-out", null);
        Assert.Equal(HttpStatusCode.OK, leftOut.StatusCode);
        var change = await leftOut.ReadJsonAsync();
        Assert.Equal((41L, true, 0), (change.GetProperty("participantId").GetInt64(), change.GetProperty("leftOut").GetBoolean(),
            change.GetProperty("resultsPostsCorrected").GetInt32())); // the event has no channel
        Assert.Equal([("Ada", 42L)], await RankingAsync());
        var unknown = await (await client.PostAsync("/api/participants/404/leave-out", null)).AssertProblemAsync(404);
        Assert.Contains("404", unknown.GetProperty("detail").GetString());

        Assert.False((await (await client.PostAsync("/api/participants/41/rank-again", null)).ReadJsonAsync()).GetProperty("leftOut").GetBoolean());
        Assert.Equal([("Rude Name", 41L), ("Ada", 42L)], await RankingAsync());
    }
}
