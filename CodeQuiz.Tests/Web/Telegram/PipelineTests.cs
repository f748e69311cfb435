using System.Text.Json;
using CodeQuiz.Core.Outbox;
using CodeQuiz.Core.Persistence;
using CodeQuiz.Core.Quizzes;
using CodeQuiz.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CodeQuiz.Tests.Web.Telegram;

/// <summary>From /start CODE to the ranked channel post, through the real webhook, pipeline and SQLite.</summary>
public class PipelineTests : IAsyncLifetime
{
    const string Secret = "pipeline-secret";
    readonly CodeQuizFactory _factory = new();
    TelegramUpdates _telegram = null!;

    public Task InitializeAsync()
    {
        _factory.Settings["Telegram:SecretToken"] = Secret;
        _telegram = new TelegramUpdates(_factory.CreateClient(), Secret);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _factory.DisposeAsync();

    IQuizLifecycle Lifecycle => _factory.Services.GetRequiredService<IQuizLifecycle>();

    async Task<T> DbAsync<T>(Func<QuizDbContext, Task<T>> query)
    {
        await using var db = await _factory.Services.GetRequiredService<IDbContextFactory<QuizDbContext>>().CreateDbContextAsync();
        return await query(db);
    }

    Task<string> ResultsPostAsync(int questionId) => DbAsync(db => db.OutboxMessages
        .Where(m => m.Purpose == OutboxPurpose.ChannelResults && m.QuestionId == questionId)
        .Select(m => m.Text!).SingleAsync());

    [Fact]
    public async Task FreeTextAnswersAreRankedInTelegramsOrderNotInArrivalOrder()
    {
        var (_, questions) = await Seed.EventAsync(_factory.Services, "@codeweek", Seed.FreeText("GoLangQ001", "go", "golang"));
        await Lifecycle.OpenAsync(questions[0].Id);
        foreach (var (user, name) in new[] { (1L, "Ada"), (2L, "Bruno"), (3L, "Chiara"), (4L, "Dieter") })
            await _telegram.SendAsync(user, "/start GoLangQ001", name);

        // Telegram numbered Bruno's answer before Ada's, but Ada's reached us first.
        var bruno = _telegram.Text(2, "  GoLang! ", "Bruno");
        var ada = _telegram.Text(1, "go", "Ada");
        await _telegram.PostAsync(ada);
        await _telegram.PostAsync(bruno);
        await _telegram.SendAsync(3, "rust", "Chiara");
        await _telegram.SendAsync(4, "Gò.", "Dieter");
        await Lifecycle.CloseAsync(questions[0].Id);

        var post = await ResultsPostAsync(questions[0].Id);
        Assert.True(bruno.Id < ada.Id);
        Assert.Matches("🥇[^🥈]*Bruno", post);
        Assert.Matches("🥈[^🥉]*Ada", post);
        Assert.Matches("🥉.*Dieter", post);
        Assert.DoesNotContain("Chiara", post);
        var answers = await DbAsync(db => db.Answers.OrderBy(a => a.ParticipantId).ToListAsync());
        Assert.Equal([true, true, false, true], answers.Select(a => a.IsCorrect));
    }

    [Fact]
    public async Task ACodeTypedWithThePhonesCapitalFindsItsQuestionUnlessTwoCodesDifferOnlyInCapitals()
    {
        var (_, questions) = await Seed.EventAsync(_factory.Services, "@codeweek",
            Seed.FreeText("kotlinQ007", "val"), Seed.FreeText("caseQ00001", "x"), Seed.FreeText("CaseQ00001", "y"));
        foreach (var question in questions)
            await Lifecycle.OpenAsync(question.Id);

        // Read off the presenter screen and typed: the phone made the first letter a capital.
        await _telegram.SendAsync(20, "KotlinQ007", "Ada");
        await _telegram.SendAsync(20, "val", "Ada");
        // Two codes that differ only in capitals: only the exact one is a code, anything else is not guessed at.
        await _telegram.SendAsync(21, "CaseQ00001", "Bruno");
        await _telegram.SendAsync(22, "CASEQ00001", "Chiara");

        var answer = await DbAsync(db => db.Answers.SingleAsync(a => a.ParticipantId == 20));
        Assert.Equal((questions[0].Id, true), (answer.QuestionId, answer.IsCorrect));
        var participants = await DbAsync(db => db.Participants.ToDictionaryAsync(p => p.Id, p => p.CurrentQuestionId));
        Assert.Equal(questions[2].Id, participants[21]);
        Assert.Null(participants[22]);
    }

    [Fact]
    public async Task ACodeInFullWidthOrWithWordsAfterItFindsItsQuestionAndSpendsNoChance()
    {
        var (_, questions) = await Seed.EventAsync(_factory.Services, "@codeweek", Seed.FreeText("kotlinQ007", "val"), Seed.FreeText("swiftQ0001", "let"));
        foreach (var question in questions)
            await Lifecycle.OpenAsync(question.Id);

        // A phone's IME in full-width mode, capitalizing the first letter, with a word after the code.
        await _telegram.SendAsync(40, "/start ＫｏｔｌｉｎＱ００７ please", "Ada");
        await _telegram.SendAsync(40, "val", "Ada");
        // Scanned the second question, then typed the first one's code with the answer after it.
        await _telegram.SendAsync(41, "/start swiftQ0001", "Bruno");
        await _telegram.SendAsync(41, "KotlinQ007 val", "Bruno");
        await _telegram.SendAsync(41, "val", "Bruno");

        var answers = await DbAsync(db => db.Answers.OrderBy(a => a.ParticipantId).Select(a => ValueTuple.Create(a.ParticipantId, a.QuestionId, a.Text, a.IsCorrect)).ToListAsync());
        Assert.Equal([(40L, questions[0].Id, "val", true), (41L, questions[0].Id, "val", true)], answers);
    }

    [Fact]
    public async Task AFullWidthCommandAndStartRegisterWithWordsAfterItSpendNoChance()
    {
        var (_, questions) = await Seed.EventAsync(_factory.Services, "@codeweek", Seed.FreeText("kotlinQ007", "val"), Seed.FreeText("swiftQ0001", "let"));
        foreach (var question in questions)
            await Lifecycle.OpenAsync(question.Id);

        // With the second question current, a phone's IME in full-width mode types the deep-link command for the first.
        await _telegram.SendAsync(50, "/start swiftQ0001", "Ada");
        await _telegram.SendAsync(50, "／ｓｔａｒｔ ＫｏｔｌｉｎＱ００７", "Ada");
        await _telegram.SendAsync(50, "／ｈｅｌｐ", "Ada");
        await _telegram.SendAsync(50, "val", "Ada");
        // "/start register Classe 3B" registers the team named after it; the head count is what comes next.
        await _telegram.SendAsync(51, "/start swiftQ0001", "Bruno");
        await _telegram.SendAsync(51, "/start register Classe 3B", "Bruno");

        var answers = await DbAsync(db => db.Answers.OrderBy(a => a.ParticipantId).Select(a => ValueTuple.Create(a.ParticipantId, a.QuestionId, a.Text, a.IsCorrect)).ToListAsync());
        Assert.Equal([(50L, questions[0].Id, "val", true)], answers);
        var bruno = await DbAsync(db => db.Participants.SingleAsync(p => p.Id == 51));
        Assert.Equal(("Classe 3B", RegistrationStep.AwaitingHeadCount), (bruno.TeamName, bruno.Registration));
    }

    [Fact]
    public async Task ATeamNameOfFortyEmojiIsStoredAndShownOnThePodium()
    {
        var (_, questions) = await Seed.EventAsync(_factory.Services, "@codeweek", Seed.FreeText("TeamQ00002", "go"));
        var snakes = string.Concat(Enumerable.Repeat("🐍", 40));
        await _telegram.SendAsync(42, "/team", "Ada");
        await _telegram.SendAsync(42, snakes, "Ada");
        await _telegram.SendAsync(42, "3", "Ada");
        Assert.Equal(snakes, await DbAsync(db => db.Participants.Where(p => p.Id == 42).Select(p => p.TeamName).SingleAsync()));

        await Lifecycle.OpenAsync(questions[0].Id);
        await _telegram.SendAsync(42, "/start TeamQ00002", "Ada");
        await _telegram.SendAsync(42, "go", "Ada");
        await Lifecycle.CloseAsync(questions[0].Id);

        Assert.Contains(snakes, await ResultsPostAsync(questions[0].Id));
    }

    [Fact]
    public async Task AParticipantLeftOutOfTheRankingsIsOnNoPodiumPostOrLeaderboardButTheirAnswersCount()
    {
        var (quizEvent, questions) = await Seed.EventAsync(_factory.Services, "@codeweek",
            Seed.FreeText("TrollQ0001", "go"), Seed.FreeText("TrollQ0002", "rust"));
        var results = _factory.Services.GetRequiredService<QuizResults>();
        await Lifecycle.OpenAsync(questions[0].Id);
        foreach (var (user, name) in new[] { (31L, "Rude Name"), (32L, "Ada"), (33L, "Bruno") })
        {
            await _telegram.SendAsync(user, "/start TrollQ0001", name);
            await _telegram.SendAsync(user, "go", name);
        }

        // The organizer sees the name among the last answers and leaves it out before the close.
        Assert.Equal(new RankingChange(31, LeftOut: true, ResultsPostsCorrected: 0), await Lifecycle.LeaveOutAsync(31, leaveOut: true));
        Assert.Null(await Lifecycle.LeaveOutAsync(404, leaveOut: true));
        await Lifecycle.CloseAsync(questions[0].Id);

        var post = await ResultsPostAsync(questions[0].Id);
        Assert.Matches("🥇[^🥈]*Ada", post);
        Assert.Matches("🥈[^🥉]*Bruno", post);
        Assert.DoesNotContain("Rude Name", post);
        var first = await results.GetQuestionResultsAsync(questions[0].Id);
        Assert.Equal(["Ada", "Bruno"], first!.Ranking.Select(r => r.Name));
        Assert.Equal(3, first.TotalAnswers); // their answer still counts
        Assert.DoesNotContain("Rude Name", (await results.GetLeaderboardAsync(quizEvent.Id))!.Participants.Select(p => p.Name));

        // Still left out after they talk to the bot again (the conversation copies the participant it changes).
        await Lifecycle.OpenAsync(questions[1].Id);
        await _telegram.SendAsync(31, "/start TrollQ0002", "Rude Name");
        await _telegram.SendAsync(31, "rust", "Rude Name");
        await _telegram.SendAsync(32, "/start TrollQ0002", "Ada");
        await _telegram.SendAsync(32, "rust", "Ada");
        await Lifecycle.CloseAsync(questions[1].Id);
        Assert.DoesNotContain("Rude Name", await ResultsPostAsync(questions[1].Id));
        Assert.NotNull(await DbAsync(db => db.Participants.Where(p => p.Id == 31).Select(p => p.LeftOutAt).SingleAsync()));

        // Ranked again: back on the leaderboard, with both correct answers.
        // They answered both questions first: both results posts get them back on the podium.
        Assert.Equal(new RankingChange(31, LeftOut: false, ResultsPostsCorrected: 2), await Lifecycle.LeaveOutAsync(31, leaveOut: false));
        var board = (await results.GetLeaderboardAsync(quizEvent.Id))!.Participants;
        Assert.Equal(2, board.Single(p => p.Name == "Rude Name").Correct);
    }

    [Fact]
    public async Task MultipleChoiceButtonPressesAreRecordedAndAnsweredFirst()
    {
        var (_, questions) = await Seed.EventAsync(_factory.Services, "@codeweek", Seed.Choice("LoopQ00001", 1, "while", "for", "goto"));
        await Lifecycle.OpenAsync(questions[0].Id);
        await _telegram.SendAsync(10, "/start LoopQ00001", "Ada");
        await _telegram.SendAsync(11, "/start LoopQ00001", "Bruno");

        var presses = new[] { _telegram.Button(11, "a:LoopQ00001:0", firstName: "Bruno"), _telegram.Button(10, "a:LoopQ00001:1", firstName: "Ada") };
        var responses = new List<HttpResponseMessage>();
        foreach (var press in presses)
            responses.Add(await _telegram.PostAsync(press));
        await Lifecycle.CloseAsync(questions[0].Id);

        // Each toast rides in its press's response, with the 200: the outbox makes no call for it, however many press at once.
        foreach (var (press, response, label) in presses.Zip(responses, ["A", "B"]))
        {
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            Assert.Equal("answerCallbackQuery", body.RootElement.GetProperty("method").GetString());
            Assert.Equal(press.CallbackQuery!.Id, body.RootElement.GetProperty("callback_query_id").GetString());
            Assert.Contains($"Answer {label} recorded", body.RootElement.GetProperty("text").GetString());
        }
        Assert.Equal(0, await DbAsync(db => db.OutboxMessages.CountAsync(m => m.Method == OutboxMethod.AnswerCallbackQuery)));
        // The ticked keyboards, which show the choice whether or not a toast was seen, go through the outbox.
        Assert.Equal(2, await DbAsync(db => db.OutboxMessages.CountAsync(m => m.Method == OutboxMethod.EditMessageReplyMarkup)));
        var post = await ResultsPostAsync(questions[0].Id);
        Assert.Contains("🥇", post);
        Assert.Contains("Ada", post);
        Assert.DoesNotContain("Bruno", post);
    }

    [Fact]
    public async Task NumericAnswersAcceptEitherDecimalMark()
    {
        var (_, questions) = await Seed.EventAsync(_factory.Services, "@codeweek", Seed.Numeric("PiQ0000001", 3.14, 0.005));
        await Lifecycle.OpenAsync(questions[0].Id);
        await _telegram.SendAsync(20, "/start PiQ0000001", "Ada");
        await _telegram.SendAsync(21, "/start PiQ0000001", "Bruno");
        await _telegram.SendAsync(20, "3,14", "Ada");
        await _telegram.SendAsync(21, "3.2", "Bruno");
        await Lifecycle.CloseAsync(questions[0].Id);

        var answers = await DbAsync(db => db.Answers.OrderBy(a => a.ParticipantId).Select(a => a.IsCorrect).ToListAsync());
        Assert.Equal([true, false], answers);
        Assert.Matches("🥇.*Ada", await ResultsPostAsync(questions[0].Id));
    }

    [Fact]
    public async Task AnAnswerStandsForThePeopleOfItsTimeInTheLiveCountsTheResultsAndAfterARestart()
    {
        var (_, questions) = await Seed.EventAsync(_factory.Services, "@codeweek", Seed.FreeText("TeamQ00003", "go"), Seed.FreeText("TeamQ00004", "go"));
        await Lifecycle.OpenAsync(questions[0].Id);
        await _telegram.SendAsync(31, "/start TeamQ00003", "Ada");
        await _telegram.SendAsync(31, "go", "Ada");
        await Lifecycle.CloseAsync(questions[0].Id);
        var readings = _factory.Services.GetRequiredService<ResultsReadings>();
        var first = await DbAsync(db => db.Questions.AsNoTracking().SingleAsync(q => q.Id == questions[0].Id));
        var before = await readings.GetAsync(first);
        Assert.Equal((null, 1), (Assert.Single(before!.Ranking).Team, before.People));

        // Her class arrives after the first question, and answers the second with her.
        await _telegram.SendAsync(31, "/team", "Ada");
        await _telegram.SendAsync(31, "Classe 3B", "Ada");
        await _telegram.SendAsync(31, "25", "Ada");
        await Lifecycle.OpenAsync(questions[1].Id);
        await _telegram.SendAsync(31, "/start TeamQ00004", "Ada");
        await _telegram.SendAsync(31, "go", "Ada");
        await Lifecycle.CloseAsync(questions[1].Id);

        // The first question's count stays what the channel post and the projector said; her team is shown by its name now.
        var after = await readings.GetAsync(first);
        Assert.Equal(("Classe 3B", 1), (Assert.Single(after!.Ranking).Team, after.People));
        var second = await readings.GetAsync(await DbAsync(db => db.Questions.AsNoTracking().SingleAsync(q => q.Id == questions[1].Id)));
        Assert.Equal(25, second!.People);
        Assert.Contains("25", await ResultsPostAsync(questions[1].Id));

        // The live counts agree, and so do the counts a restart reads back from the database.
        var live = _factory.Services.GetRequiredService<CodeQuiz.Core.Live.LiveStats>().Current;
        Assert.Equal((1, 25), (live.For(questions[0].Id)!.People, live.For(questions[1].Id)!.People));
        var reloaded = await DbAsync(db => CodeQuiz.Core.Ingest.QuizRuntime.LoadAsync(db, default));
        Assert.Equal((1, 25), (reloaded.TallyOf(questions[0].Id).People, reloaded.TallyOf(questions[1].Id).People));
    }

    [Fact]
    public async Task OfTwoQuestionsOpenedAtTheSameInstantTheBotPointsToTheOneTheScreensShow()
    {
        var (quiz, questions) = await Seed.EventAsync(_factory.Services, "@codeweek",
            Seed.FreeText("SameQ00001", "go"), Seed.FreeText("SameQ00002", "go"), Seed.FreeText("SameQ00003", "go"));
        var at = DateTimeOffset.UtcNow;
        var both = new[] { questions[0].Id, questions[1].Id };
        await DbAsync(db => db.Questions.Where(q => both.Contains(q.Id))
            .ExecuteUpdateAsync(s => s.SetProperty(q => q.State, QuestionState.Open).SetProperty(q => q.OpenedAt, at)));

        var runtime = await DbAsync(db => CodeQuiz.Core.Ingest.QuizRuntime.LoadAsync(db, default));
        var screens = Question.OpenedLast(await DbAsync(db => db.Questions.AsNoTracking().Where(q => q.EventId == quiz.Id).ToListAsync()));

        Assert.Equal(questions[1].Id, screens!.Id);
        Assert.Equal(screens.Id, runtime.FindOpenQuestion(quiz.Id)!.Id);
    }

    [Fact]
    public async Task ATeamCalledLessThanThreeAndCoIsEscapedInTheChannelResults()
    {
        var (_, questions) = await Seed.EventAsync(_factory.Services, "@codeweek", Seed.FreeText("TeamQ00001", "go"));
        await _telegram.SendAsync(30, "/team", "Ada");
        await _telegram.SendAsync(30, "<3 & Co", "Ada");
        await _telegram.SendAsync(30, "25", "Ada");
        Assert.Equal(("<3 & Co", 25), await DbAsync(db => db.Participants.Where(p => p.Id == 30).Select(p => ValueTuple.Create(p.TeamName!, p.HeadCount!.Value)).SingleAsync()));

        await Lifecycle.OpenAsync(questions[0].Id);
        await _telegram.SendAsync(30, "/start TeamQ00001", "Ada");
        await _telegram.SendAsync(30, "go", "Ada");
        await Lifecycle.CloseAsync(questions[0].Id);

        var post = await ResultsPostAsync(questions[0].Id);
        Assert.Contains("&lt;3 &amp; Co", post);
        Assert.DoesNotContain("<3", post);
        Assert.Contains("25", post); // people: the team's head count
    }

    [Fact]
    public async Task ASecondAnswerIsRefusedAndALateOneNeverRanks()
    {
        var (_, questions) = await Seed.EventAsync(_factory.Services, "@codeweek", Seed.FreeText("LateQ00001", "go"));
        await Lifecycle.OpenAsync(questions[0].Id);
        await _telegram.SendAsync(40, "/start LateQ00001", "Ada");
        await _telegram.SendAsync(40, "rust", "Ada");
        await _telegram.SendAsync(40, "go", "Ada");
        await _telegram.SendAsync(41, "/start LateQ00001", "Bruno");
        await Lifecycle.CloseAsync(questions[0].Id);
        await _telegram.SendAsync(41, "go", "Bruno");

        var answers = await DbAsync(db => db.Answers.OrderBy(a => a.UpdateId).ToListAsync());
        Assert.Equal(2, answers.Count);
        Assert.False(answers[0].IsCorrect);
        Assert.True(answers[1].IsLate);
        Assert.DoesNotContain("Bruno", await ResultsPostAsync(questions[0].Id));
        // The live page's last answers mark it, so the host does not look for it on the podium.
        var recent = _factory.Services.GetRequiredService<CodeQuiz.Core.Live.LiveStats>().Current.RecentAnswers;
        Assert.Equal([("Bruno", true), ("Ada", false)], recent.Select(r => (r.Name, r.IsLate)));
    }

    [Fact]
    public async Task SomeoneLeftOutWhoAsksToBeForgottenIsStillLeftOutWhenTheyComeBack()
    {
        var (_, questions) = await Seed.EventAsync(_factory.Services, "@codeweek", Seed.FreeText("ForgetLO01", "go"), Seed.FreeText("ForgetLO02", "rust"));
        await Lifecycle.OpenAsync(questions[0].Id);
        await _telegram.SendAsync(61, "/start ForgetLO01", "Rude Name");
        await _telegram.SendAsync(61, "go", "Rude Name");
        await Lifecycle.LeaveOutAsync(61, leaveOut: true);
        await Lifecycle.CloseAsync(questions[0].Id);

        await _telegram.SendAsync(61, "/forget", "Rude Name");

        // Name, team and answers are gone; the organizers' decision is not.
        var kept = await DbAsync(db => db.Participants.SingleAsync(p => p.Id == 61));
        Assert.Equal(("", null, null), (kept.FirstName, kept.LastName, kept.TeamName));
        Assert.NotNull(kept.LeftOutAt);
        Assert.Equal(0, await DbAsync(db => db.Answers.CountAsync(a => a.ParticipantId == 61)));
        Assert.Contains(await DbAsync(db => db.OutboxMessages.Where(m => m.ChatId == "61").Select(m => m.Text).ToListAsync()),
            text => text!.Contains("left you out of the rankings, and I keep only that"));

        await Lifecycle.OpenAsync(questions[1].Id);
        await _telegram.SendAsync(61, "/start ForgetLO02", "Rude Name");
        await _telegram.SendAsync(61, "rust", "Rude Name");
        await _telegram.SendAsync(62, "/start ForgetLO02", "Ada");
        await _telegram.SendAsync(62, "rust", "Ada");
        await Lifecycle.CloseAsync(questions[1].Id);

        var post = await ResultsPostAsync(questions[1].Id);
        Assert.Matches("🥇[^🥈]*Ada", post);
        Assert.DoesNotContain("Rude Name", post);
        Assert.Equal("Rude Name", await DbAsync(db => db.Participants.Where(p => p.Id == 61).Select(p => p.FirstName).SingleAsync()));
    }

    [Fact]
    public async Task AParticipantWhoAsksToBeForgottenLeavesTheLiveCountsAndTheLastAnswers()
    {
        var (_, questions) = await Seed.EventAsync(_factory.Services, "@codeweek", Seed.FreeText("ForgetQ001", "go"));
        await Lifecycle.OpenAsync(questions[0].Id);
        await _telegram.SendAsync(50, "/start ForgetQ001", "Ada");
        await _telegram.SendAsync(50, "go", "Ada");
        await _telegram.SendAsync(51, "/start ForgetQ001", "Bruno");
        await _telegram.SendAsync(51, "rust", "Bruno");
        var live = _factory.Services.GetRequiredService<CodeQuiz.Core.Live.LiveStats>();
        Assert.Equal(["Bruno", "Ada"], live.Current.RecentAnswers.Select(r => r.Name));

        await _telegram.SendAsync(50, "/forget", "Ada");

        Assert.Equal("Bruno", Assert.Single(live.Current.RecentAnswers).Name);
        var question = Assert.Single(live.Current.Questions, q => q.QuestionId == questions[0].Id);
        Assert.Equal((1, 0), (question.Answers, question.Correct));
        Assert.Equal(51, (await DbAsync(db => db.Answers.SingleAsync())).ParticipantId);
    }

    [Fact]
    public async Task ForgetDeletesEveryAnswerOfTheParticipantLateOnesAndThoseStoredBeforeARestartToo()
    {
        // No index of the answers is led by the participant: /forget finds each answer by its question and update id, as
        // the writer's memory has them, which a restart reads back from the database.
        var (_, questions) = await Seed.EventAsync(_factory.Services, "@codeweek", Seed.FreeText("ForgetAll1", "go"), Seed.FreeText("ForgetAll2", "go"));
        await Lifecycle.OpenAsync(questions[0].Id);
        foreach (var (id, name) in new[] { (52L, "Ada"), (53L, "Bruno") })
        {
            await _telegram.SendAsync(id, "/start ForgetAll1", name);
            await _telegram.SendAsync(id, "go", name);
        }
        await Lifecycle.OpenAsync(questions[1].Id);
        foreach (var (id, name) in new[] { (52L, "Ada"), (53L, "Bruno") })
            await _telegram.SendAsync(id, "/start ForgetAll2", name);
        await Lifecycle.CloseAsync(questions[1].Id);
        foreach (var (id, name) in new[] { (52L, "Ada"), (53L, "Bruno") })
            await _telegram.SendAsync(id, "rust", name); // after the close: stored as late

        var ada = await DbAsync(db => db.Answers.Where(a => a.ParticipantId == 52).OrderBy(a => a.QuestionId)
            .Select(a => ValueTuple.Create(a.QuestionId, a.UpdateId, a.IsLate)).ToListAsync());
        Assert.Equal([false, true], ada.Select(a => a.Item3));
        var reloaded = await DbAsync(db => CodeQuiz.Core.Ingest.QuizRuntime.LoadAsync(db, default));
        Assert.Equal(ada.Select(a => (a.Item1, a.Item2)), reloaded.AnswersOf(52).OrderBy(a => a.QuestionId));

        await _telegram.SendAsync(52, "/forget", "Ada");

        Assert.Equal([53L, 53L], await DbAsync(db => db.Answers.Select(a => a.ParticipantId).ToListAsync()));
        Assert.False(await DbAsync(db => db.Participants.AnyAsync(p => p.Id == 52)));
    }

    [Fact]
    public async Task AfterARestartTheWriterStillChangesLeavesOutAndForgetsEachParticipantsOwnRow()
    {
        // SQLite's participants have no key on the Telegram id: rows go in arrival order and the writer finds each by its
        // rowid, which a restart reads back from the database.
        var directory = Directory.CreateTempSubdirectory("codequiz-restart-").FullName;
        CodeQuizFactory Start()
        {
            var factory = new CodeQuizFactory();
            factory.Settings["Telegram:SecretToken"] = Secret;
            factory.Settings["Database:ConnectionString"] = $"Data Source={Path.Combine(directory, "codequiz.db")}";
            return factory;
        }
        try
        {
            int first, second;
            await using (var before = Start())
            {
                var (_, questions) = await Seed.EventAsync(before.Services, "@codeweek", Seed.FreeText("RowsQ00001", "go"), Seed.FreeText("RowsQ00002", "go"));
                (first, second) = (questions[0].Id, questions[1].Id);
                await before.Services.GetRequiredService<IQuizLifecycle>().OpenAsync(first);
                var telegram = new TelegramUpdates(before.CreateClient(), Secret);
                foreach (var (id, name) in new[] { (63L, "Chiara"), (62L, "Bruno"), (61L, "Ada") })
                    await telegram.SendAsync(id, "/start RowsQ00001", name);
            }

            await using var after = Start();
            var again = new TelegramUpdates(after.CreateClient(), Secret);
            var lifecycle = after.Services.GetRequiredService<IQuizLifecycle>();
            await lifecycle.OpenAsync(second);
            // Telegram numbers on from where it was: the same update ids again would be repeats, and dropped.
            await again.PostAsync(again.Text(62, "/start RowsQ00002", "Bruno", updateId: 600_000_001));
            await again.PostAsync(again.Text(62, "go", "Bruno", updateId: 600_000_002));
            Assert.NotNull(await lifecycle.LeaveOutAsync(63, leaveOut: true));
            await again.PostAsync(again.Text(61, "/forget", "Ada", updateId: 600_000_003));

            await using var connection = new SqliteConnection($"Data Source={Path.Combine(directory, "codequiz.db")};Pooling=False");
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT Id, FirstName, CurrentQuestionId, LeftOutAt IS NOT NULL FROM Participants ORDER BY rowid";
            var rows = new List<(long, string, long?, bool)>();
            await using (var reader = await command.ExecuteReaderAsync())
                while (await reader.ReadAsync())
                    rows.Add((reader.GetInt64(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetInt64(2), reader.GetBoolean(3)));
            Assert.Equal([(63L, "Chiara", (long?)first, true), (62L, "Bruno", second, false)], rows);
            command.CommandText = "SELECT ParticipantId, QuestionId FROM Answers";
            await using (var reader = await command.ExecuteReaderAsync())
            {
                Assert.True(await reader.ReadAsync());
                Assert.Equal((62L, (long)second), (reader.GetInt64(0), reader.GetInt64(1)));
                Assert.False(await reader.ReadAsync());
            }
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            try { Directory.Delete(directory, recursive: true); } catch (IOException) { }
        }
    }

    [Fact]
    public async Task AfterForgetPressingTheTickedButtonOfAnOpenQuestionSaysTheAnswersWereDeletedNotThatItIsAnswered()
    {
        var (_, questions) = await Seed.EventAsync(_factory.Services, "@codeweek", Seed.Choice("ForgetBtn1", 1, "while", "for", "goto"));
        await Lifecycle.OpenAsync(questions[0].Id);
        await _telegram.SendAsync(70, "/start ForgetBtn1", "Ada");
        await _telegram.PostAsync(_telegram.Button(70, "a:ForgetBtn1:1", messageId: 5));
        await _telegram.SendAsync(70, "/forget", "Ada");

        var press = _telegram.Button(70, "d:ForgetBtn1", messageId: 5);
        var response = await _telegram.PostAsync(press);

        using var toast = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(press.CallbackQuery!.Id, toast.RootElement.GetProperty("callback_query_id").GetString());
        Assert.Contains("I deleted your answers as you asked", toast.RootElement.GetProperty("text").GetString());
        Assert.Contains("/start ForgetBtn1", toast.RootElement.GetProperty("text").GetString());
        Assert.Equal(0, await DbAsync(db => db.Participants.CountAsync(p => p.Id == 70)));
        Assert.Equal(0, await DbAsync(db => db.Answers.CountAsync()));
    }

    [Fact]
    public async Task AnEventStartedOverAfterItsRehearsalTakesEveryoneAnswersAgainWithTheSameCodes()
    {
        var (ev, questions) = await Seed.EventAsync(_factory.Services, "@codeweek",
            Seed.FreeText("RehearseQ1", "go"), Seed.FreeText("RehearseQ2", "rust"), Seed.FreeText("RehearseQ3", "zig"));
        var (first, second) = (questions[0].Id, questions[1].Id);
        await Lifecycle.OpenAsync(first);
        await _telegram.SendAsync(1, "/start RehearseQ1", "Ada");
        await _telegram.SendAsync(1, "go", "Ada");
        await Lifecycle.CloseAsync(first);
        await Lifecycle.OpenAsync(second);
        await _telegram.SendAsync(2, "/start RehearseQ2", "Bruno");
        await _telegram.SendAsync(2, "rust", "Bruno");

        // A question still open is closed first: starting over never pulls one away from the crowd.
        var refused = await Assert.ThrowsAsync<QuestionStateException>(() => Lifecycle.StartOverAsync(ev.Id));
        Assert.Contains("Question 2 is open", refused.Message);
        await Lifecycle.CloseAsync(second);
        var counters = _factory.Services.GetRequiredService<OutboxCounters>();
        await DbAsync(async db =>
        {
            // A results post Telegram has not taken yet would announce the rehearsal's podium during the show.
            await db.OutboxMessages.Where(m => m.QuestionId == second).ExecuteUpdateAsync(u => u.SetProperty(m => m.Status, OutboxStatus.Pending));
            // One Telegram refused (the bot was not yet an administrator) would show as a sending error all through it.
            await db.OutboxMessages.Where(m => m.QuestionId == first && m.Purpose == OutboxPurpose.ChannelResults)
                .ExecuteUpdateAsync(u => u.SetProperty(m => m.Status, OutboxStatus.Failed).SetProperty(m => m.LastError, "403: Forbidden"));
            return 0;
        });
        counters.Reset(pending: counters.Pending, failed: 1);
        await DbAsync(db => db.OutboxMessages.Where(m => m.QuestionId == first && m.Purpose == OutboxPurpose.ChannelAnnouncement)
            .ExecuteUpdateAsync(u => u.SetProperty(m => m.Status, OutboxStatus.Sent))); // posted: stays, as the channel keeps it

        var started = await Lifecycle.StartOverAsync(ev.Id);

        Assert.Equal(new EventStartedOver(ev.Id, 3, 2), started);
        var stored = await DbAsync(db => db.Questions.Where(q => q.EventId == ev.Id).OrderBy(q => q.Position).ToListAsync());
        Assert.All(stored, q => Assert.Equal((QuestionState.Draft, null, null), (q.State, q.OpenedAt, q.ClosedAt)));
        Assert.Equal(["RehearseQ1", "RehearseQ2", "RehearseQ3"], stored.Select(q => q.Code));
        Assert.Equal(0, await DbAsync(db => db.Answers.CountAsync()));
        Assert.Equal(0, await DbAsync(db => db.OutboxMessages.CountAsync(m => m.QuestionId == second && m.Status == OutboxStatus.Pending)));
        Assert.Equal(0, await DbAsync(db => db.OutboxMessages.CountAsync(m => m.QuestionId == first && m.Status == OutboxStatus.Failed)));
        Assert.Equal(0, counters.Failed);
        Assert.Equal(1, await DbAsync(db => db.OutboxMessages.CountAsync(m => m.QuestionId == first && m.Status == OutboxStatus.Sent)));
        Assert.Equal(2, await DbAsync(db => db.Participants.CountAsync())); // who registered stays registered
        Assert.DoesNotContain(_factory.Services.GetRequiredService<CodeQuiz.Core.Live.LiveStats>().Current.Questions, q => q.EventId == ev.Id);

        // The show: the same code, the same participant, a first answer again, ranked on its own.
        await Lifecycle.OpenAsync(first);
        await _telegram.SendAsync(1, "/start RehearseQ1", "Ada");
        await _telegram.SendAsync(1, "go", "Ada");
        await Lifecycle.CloseAsync(first);
        var answer = await DbAsync(db => db.Answers.SingleAsync());
        Assert.Equal((first, 1L, true, false), (answer.QuestionId, answer.ParticipantId, answer.IsCorrect, answer.IsLate));
        Assert.Matches("🥇[^🥈]*Ada", await DbAsync(db => db.OutboxMessages
            .Where(m => m.Purpose == OutboxPurpose.ChannelResults && m.QuestionId == first).OrderByDescending(m => m.Id).Select(m => m.Text!).FirstAsync()));
        await Assert.ThrowsAsync<KeyNotFoundException>(() => Lifecycle.StartOverAsync(999_999));
    }
}

public class WebhookReplyTests
{
    [Fact]
    public async Task WithReplyInWebhookResponseTheAcknowledgementRidesInTheResponseBody()
    {
        await using var factory = ReplyingInResponse();
        var telegram = await OpenFreeTextAsync(factory, "ReplyQ0001");

        var response = await telegram.SendAsync(50, "/start ReplyQ0001");

        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("sendMessage", body.RootElement.GetProperty("method").GetString());
        Assert.Equal(50, body.RootElement.GetProperty("chat_id").GetInt64());
        Assert.Equal("html", body.RootElement.GetProperty("parse_mode").GetString(), ignoreCase: true);
        Assert.True(body.RootElement.GetProperty("link_preview_options").GetProperty("is_disabled").GetBoolean()); // as the outbox sends it
        await using var db = await factory.Services.GetRequiredService<IDbContextFactory<QuizDbContext>>().CreateDbContextAsync();
        Assert.Equal(0, await db.OutboxMessages.CountAsync(m => m.ChatId == "50"));
    }

    [Fact]
    public async Task AReplyWhoseRequestTelegramGaveUpOnGoesThroughTheOutboxOnceTheUpdateIsStored()
    {
        await using var factory = ReplyingInResponse();
        var telegram = await OpenFreeTextAsync(factory, "ReplyQ0002");
        await telegram.SendAsync(51, "/start"); // the writer is up

        await PostWhileStorageIsHeldAsync(factory, telegram, telegram.Text(52, "/start ReplyQ0002"));

        // Stored once storage takes writes again; its reply, which no response can carry now, waits in the outbox.
        var replies = await OutboxOnceQueuedAsync(factory, "52");
        Assert.Equal((OutboxMethod.SendMessage, OutboxPurpose.Reply), (Assert.Single(replies).Method, replies[0].Purpose));
        Assert.Equal(1, await ReadAsync(factory, db => db.Participants.CountAsync(p => p.Id == 52)));
    }

    [Fact]
    public async Task AMessageThatNamesNoChatIsStoredAndAcknowledgedWithNothingToCarry()
    {
        // Telegram's updates always name the chat; a body that does not is kept, not answered 503 again and again.
        await using var factory = ReplyingInResponse();
        var telegram = await OpenFreeTextAsync(factory, "ReplyQ0003");
        var update = telegram.Text(57, "go");
        update.Message!.Chat = null!;

        var response = await telegram.PostAsync(update);

        Assert.Equal("", await response.Content.ReadAsStringAsync());
        Assert.Equal(1, await ReadAsync(factory, db => db.ProcessedUpdates.CountAsync(u => u.UpdateId == update.Id)));
    }

    [Fact]
    public async Task AToastWhoseRequestTelegramGaveUpOnGoesThroughTheOutboxOnceThePressIsStored()
    {
        // Toasts ride in the response whatever Outbox:ReplyInWebhookResponse says: the default here.
        await using var factory = new CodeQuizFactory();
        factory.Settings["Telegram:SecretToken"] = "s";
        var (_, questions) = await Seed.EventAsync(factory.Services, null, Seed.Choice("ToastQ0001", 1, "while", "for"));
        await factory.Services.GetRequiredService<IQuizLifecycle>().OpenAsync(questions[0].Id);
        var telegram = new TelegramUpdates(factory.CreateClient(), "s");
        await telegram.SendAsync(56, "/start ToastQ0001"); // the writer is up

        var press = telegram.Button(56, "a:ToastQ0001:1");
        await PostWhileStorageIsHeldAsync(factory, telegram, press);

        var deadline = DateTime.UtcNow.AddSeconds(20);
        List<OutboxMessage> toasts;
        do
        {
            await Task.Delay(50);
            toasts = await ReadAsync(factory, db => db.OutboxMessages.Where(m => m.CallbackQueryId == press.CallbackQuery!.Id).ToListAsync());
        }
        while (toasts.Count == 0 && DateTime.UtcNow < deadline);
        Assert.Equal(OutboxMethod.AnswerCallbackQuery, Assert.Single(toasts).Method);
        Assert.Contains("Answer B recorded", toasts[0].Text);
        Assert.Equal(1, await ReadAsync(factory, db => db.Answers.CountAsync(a => a.ParticipantId == 56)));
    }

    [Fact]
    public async Task AReplyTheWriterHandedToARequestThatThenGaveUpIsQueuedForTheOutbox()
    {
        await using var factory = ReplyingInResponse();
        await new TelegramUpdates(factory.CreateClient(), "s").SendAsync(53, "/start"); // the writer is up
        var telegram = new TelegramUpdates(factory.CreateClient(), "s");

        // The writer decided the reply for the response, and the request's wait ended before the commit answered it.
        var item = new CodeQuiz.Core.Ingest.UpdateItem(telegram.Text(54, "hello"), DateTimeOffset.UtcNow) { MayReplyInResponse = true };
        factory.Services.GetRequiredService<CodeQuiz.Web.Telegram.WebhookReplies>().TakeOver(item);
        var reply = new OutboxMessage { Method = OutboxMethod.SendMessage, Purpose = OutboxPurpose.Reply, ChatId = "54", Text = "Got it" };
        item.Complete(new CodeQuiz.Core.Ingest.IngestOutcome(Duplicate: false, reply));

        Assert.Equal(["Got it"], (await OutboxOnceQueuedAsync(factory, "54")).Select(m => m.Text));
    }

    [Fact]
    public async Task AReplyForTheOutboxThatStorageRefusesIsOfferedAgainUntilItIsStored()
    {
        var logs = new CapturingLoggerProvider();
        await using var factory = ReplyingInResponse();
        factory.ConfigureServices = services => services.AddLogging(b => b.AddProvider(logs).AddFilter<CapturingLoggerProvider>(null, LogLevel.Trace));
        await new TelegramUpdates(factory.CreateClient(), "s").SendAsync(53, "/start"); // the writer is up
        var telegram = new TelegramUpdates(factory.CreateClient(), "s");
        await ReadAsync(factory, db => db.Database.ExecuteSqlRawAsync(
            "CREATE TRIGGER refuse BEFORE INSERT ON OutboxMessages WHEN NEW.ChatId = '55' BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END"));

        // The update is stored, and its reply, handed to a request that gave up, meets a full disk.
        var item = new CodeQuiz.Core.Ingest.UpdateItem(telegram.Text(55, "hello"), DateTimeOffset.UtcNow) { MayReplyInResponse = true };
        factory.Services.GetRequiredService<CodeQuiz.Web.Telegram.WebhookReplies>().TakeOver(item);
        item.Complete(new CodeQuiz.Core.Ingest.IngestOutcome(Duplicate: false,
            new OutboxMessage { Method = OutboxMethod.SendMessage, Purpose = OutboxPurpose.Reply, ChatId = "55", Text = "Got it" }));
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!logs.Entries.Any(e => e.Text.Contains("could not be stored for the outbox", StringComparison.Ordinal)) && DateTime.UtcNow < deadline)
            await Task.Delay(50);
        Assert.Contains(logs.Entries, e => e.Text.Contains("(chat 55)", StringComparison.Ordinal));

        // The disk has room again: the reply is stored, once.
        await ReadAsync(factory, db => db.Database.ExecuteSqlRawAsync("DROP TRIGGER refuse"));
        Assert.Equal(["Got it"], (await OutboxOnceQueuedAsync(factory, "55")).Select(m => m.Text));
        await Task.Delay(2_500); // a second offer, were there one, would be stored by now
        Assert.Single(await ReadAsync(factory, db => db.OutboxMessages.Where(m => m.ChatId == "55").ToListAsync()));
    }

    /// <summary>
    /// Posts the update while storage is held, so that it waits in the queue and Telegram stops waiting for the answer;
    /// then lets storage take writes again.
    /// </summary>
    static async Task PostWhileStorageIsHeldAsync(CodeQuizFactory factory, TelegramUpdates telegram, global::Telegram.Bot.Types.Update update)
    {
        await using var holder = new SqliteConnection($"Data Source={factory.DatabasePath};Pooling=False");
        await holder.OpenAsync();
        await using (var hold = holder.CreateCommand())
        {
            hold.CommandText = "BEGIN IMMEDIATE;";
            await hold.ExecuteNonQueryAsync();
        }
        // Telegram stops waiting once the update is queued, not before: a request given up before its body was read is
        // never queued (Telegram sends it again), and on a loaded machine 500 ms once passed before the body was read.
        using (var gaveUp = new CancellationTokenSource(TimeSpan.FromSeconds(3)))
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => telegram.TryPostAsync(update, gaveUp.Token));
        await using var release = holder.CreateCommand();
        release.CommandText = "ROLLBACK;";
        await release.ExecuteNonQueryAsync();
    }

    static CodeQuizFactory ReplyingInResponse()
    {
        var factory = new CodeQuizFactory();
        factory.Settings["Telegram:SecretToken"] = "s";
        factory.Settings["Outbox:ReplyInWebhookResponse"] = "true";
        return factory;
    }

    /// <summary>An open free-text question answered by "go"; Telegram's side of the webhook.</summary>
    static async Task<TelegramUpdates> OpenFreeTextAsync(CodeQuizFactory factory, string code)
    {
        var (_, questions) = await Seed.EventAsync(factory.Services, null, Seed.FreeText(code, "go"));
        await factory.Services.GetRequiredService<IQuizLifecycle>().OpenAsync(questions[0].Id);
        return new TelegramUpdates(factory.CreateClient(), "s");
    }

    /// <summary>The chat's outbox rows, read until there are some (or 20 s have passed).</summary>
    static async Task<List<OutboxMessage>> OutboxOnceQueuedAsync(CodeQuizFactory factory, string chatId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        List<OutboxMessage> rows;
        do
        {
            await Task.Delay(50);
            rows = await ReadAsync(factory, db => db.OutboxMessages.Where(m => m.ChatId == chatId).ToListAsync());
        }
        while (rows.Count == 0 && DateTime.UtcNow < deadline);
        return rows;
    }

    static async Task<T> ReadAsync<T>(CodeQuizFactory factory, Func<QuizDbContext, Task<T>> read)
    {
        await using var db = await factory.Services.GetRequiredService<IDbContextFactory<QuizDbContext>>().CreateDbContextAsync();
        return await read(db);
    }
}
