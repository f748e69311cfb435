using CodeQuiz.Core.Persistence;
using CodeQuiz.Core.Quizzes;
using CodeQuiz.Tests.Infrastructure;
using CodeQuiz.Web.Rehearsal;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CodeQuiz.Tests.Web.Rehearsal;

/// <summary>The whole rehearsal on a real port: the crowd, the simulator's webhook delivery, the real bot and its outbox.</summary>
public class RehearsalEndToEndTests
{
    /// <summary>Starts the app on a real port, where the simulator delivers once the bot has set its webhook.</summary>
    static async Task<TelegramSimulator> StartWithTheSimulatorsWebhookAsync(CodeQuizFactory factory)
    {
        factory.UseKestrel(0);
        factory.StartServer();
        var simulator = factory.Services.GetRequiredService<TelegramSimulator>();
        await simulator.WaitUntilAsync(() => simulator.Status.WebhookUrl is not null, TimeSpan.FromSeconds(20));
        return simulator;
    }

    [Fact]
    public async Task AnOutageDrillHoldsEveryUpdateAndMessageAndEverythingGoesThroughAfterIt()
    {
        await using var factory = new CodeQuizFactory();
        var simulator = await StartWithTheSimulatorsWebhookAsync(factory);
        var counters = factory.Services.GetRequiredService<CodeQuiz.Core.Outbox.OutboxCounters>();
        var (_, questions) = await Seed.EventAsync(factory.Services, "@codeweek_rehearsal", Seed.FreeText("DRILLQ0001", "go"));
        var ada = new SimUser(5_550_001, "Ada");

        simulator.SetOutage(true);
        simulator.SendText(ada, "/start DRILLQ0001");
        // The question opens during the outage: its channel post cannot go, and the console learns Telegram is out of reach.
        await factory.Services.GetRequiredService<IQuizLifecycle>().OpenAsync(questions[0].Id);
        await simulator.WaitUntilAsync(() => counters.Outage.Current is not null, TimeSpan.FromSeconds(20));
        Assert.Equal(1, simulator.Status.PendingUpdates); // held, as Telegram holds them
        Assert.Empty(simulator.BotMessages(ada.Id));

        simulator.SetOutage(false);

        await simulator.WaitUntilAsync(() => simulator.BotMessages(ada.Id).Count == 1
            && simulator.BotMessages("@codeweek_rehearsal").Count == 1 && counters.Outage.Current is null, TimeSpan.FromSeconds(30));
        Assert.Contains("DRILLQ0001", simulator.BotMessages("@codeweek_rehearsal")[0].Text);
        Assert.Equal(0, simulator.Status.PendingUpdates);
        Assert.Equal(0, counters.Failed);
    }

    [Fact]
    public async Task ADrillOfABotInNoChannelFailsTheChannelPostWhichPostAgainSendsOnceTheBotIsIn()
    {
        await using var factory = new CodeQuizFactory();
        var simulator = await StartWithTheSimulatorsWebhookAsync(factory);
        var counters = factory.Services.GetRequiredService<CodeQuiz.Core.Outbox.OutboxCounters>();
        var databases = factory.Services.GetRequiredService<IDbContextFactory<QuizDbContext>>();
        var check = factory.Services.GetRequiredService<CodeQuiz.Core.Telegram.ChannelCheck>();
        const string Channel = "@codeweek_rehearsal";
        var (_, questions) = await Seed.EventAsync(factory.Services, Channel, Seed.FreeText("NOTINQ0001", "go"));
        var ada = new SimUser(5_560_001, "Ada");

        simulator.SetBotNotInChannels(true);
        // The check before the show finds it, as it would at Telegram.
        var before = await check.CheckAsync(Channel);
        Assert.False(before.CanPost);
        Assert.Contains("not an administrator", before.Message);
        // The question opens anyway: its channel post is refused for good, while the participant is answered as ever.
        await factory.Services.GetRequiredService<IQuizLifecycle>().OpenAsync(questions[0].Id);
        simulator.SendText(ada, "/start NOTINQ0001");
        await simulator.WaitUntilAsync(() => counters.Failed == 1 && simulator.BotMessages(ada.Id).Count == 1, TimeSpan.FromSeconds(30));
        Assert.Empty(simulator.BotMessages(Channel));
        Assert.Null(counters.Outage.Current); // Telegram answered: a refusal is no outage

        simulator.SetBotNotInChannels(false);
        Assert.True((await check.CheckAsync(Channel)).CanPost);
        await using (var db = await databases.CreateDbContextAsync())
            Assert.True(await CodeQuiz.Core.Outbox.OutboxRequeue.PostAgainAsync(db, counters, questions[0].Id, CodeQuiz.Core.Outbox.OutboxPurpose.ChannelAnnouncement,
                DateTimeOffset.UtcNow, CancellationToken.None));

        await simulator.WaitUntilAsync(() => simulator.BotMessages(Channel).Count == 1 && counters.Failed == 0, TimeSpan.FromSeconds(30));
        Assert.Contains("NOTINQ0001", simulator.BotMessages(Channel)[0].Text);
    }

    [Fact]
    public async Task APromptsListingIndentedWithTabsReachesTheParticipantAndTheChannelIndentedAsInAnEditor()
    {
        await using var factory = new CodeQuizFactory();
        var simulator = await StartWithTheSimulatorsWebhookAsync(factory);
        const string Channel = "@codeweek_rehearsal";
        var question = Seed.FreeText("TABSQ00001", "2");
        // Pasted from an editor that indents with tabs, as gofmt does.
        question.Prompt = "What does it print?\n```go\nfor i := 0; i < 3; i++ {\n\tif i > 1 {\n\t\tfmt.Println(i)\n\t}\n}\n```";
        var (_, questions) = await Seed.EventAsync(factory.Services, Channel, question);
        var ada = new SimUser(5_570_001, "Ada");

        await factory.Services.GetRequiredService<IQuizLifecycle>().OpenAsync(questions[0].Id);
        simulator.SendText(ada, "/start TABSQ00001");
        await simulator.WaitUntilAsync(() => simulator.BotMessages(ada.Id).Count == 1 && simulator.BotMessages(Channel).Count == 1,
            TimeSpan.FromSeconds(30));

        string[] listing = ["for i := 0; i < 3; i++ {", "    if i > 1 {", "        fmt.Println(i)", "    }", "}"];
        Assert.Equal(listing, ListingIn(simulator.BotMessages(ada.Id)[0].Text!));
        Assert.Equal(listing, ListingIn(simulator.BotMessages(Channel)[0].Text!));

        static string[] ListingIn(string text)
        {
            var lines = text.Split('\n');
            var first = Array.FindIndex(lines, l => l.StartsWith("for i", StringComparison.Ordinal));
            return lines[first..(first + 5)];
        }
    }

    [Fact]
    public async Task WithTheRealBotsNameConfiguredTheRehearsalRunsUnderItSoItsQrCodesAreTheShowsOnes()
    {
        await using var factory = new CodeQuizFactory();
        factory.Settings["Telegram:BotUsername"] = "@CodeWeekQuizBot";
        var simulator = await StartWithTheSimulatorsWebhookAsync(factory);

        var identity = factory.Services.GetRequiredService<CodeQuiz.Core.Telegram.BotIdentity>();
        Assert.Equal("CodeWeekQuizBot", simulator.Bot.Username);
        Assert.Equal("CodeWeekQuizBot", identity.FromTelegram); // what getMe told the bot at start
        Assert.False(identity.Disagrees);
        Assert.Equal("https://t.me/CodeWeekQuizBot?start=Q1code", factory.Services.GetRequiredService<CodeQuiz.Web.Components.Pages.Qr.BotLinks>().ForQuestion("Q1code"));
    }

    [Fact]
    public async Task TheCrowdPlaysTwoQuestionsThroughTheRealBot()
    {
        await using var factory = new CodeQuizFactory();
        factory.Settings["Rehearsal:CrowdAutoStart"] = "true";
        factory.Settings["Rehearsal:CrowdSize"] = "20";
        factory.Settings["Rehearsal:Pace"] = "40";
        factory.Settings["Rehearsal:Participation"] = "1";
        factory.Settings["Rehearsal:Accuracy"] = "0.7";
        var simulator = await StartWithTheSimulatorsWebhookAsync(factory);
        var lifecycle = factory.Services.GetRequiredService<IQuizLifecycle>();
        var database = factory.Services.GetRequiredService<IDbContextFactory<QuizDbContext>>();

        var (_, questions) = await Seed.EventAsync(factory.Services, "@codeweek_rehearsal",
            Seed.FreeText("E2ELOVELACE", "Ada Lovelace", "Lovelace"),
            Seed.Choice("E2ESCRATCH", 1, "Java", "Scratch", "C"));
        int Answers(int questionId)
        {
            using var db = database.CreateDbContext();
            return db.Answers.Count(a => a.QuestionId == questionId);
        }
        bool SomeWrong(int questionId)
        {
            using var db = database.CreateDbContext();
            return db.Answers.Any(a => a.QuestionId == questionId && !a.IsCorrect);
        }

        foreach (var question in questions)
        {
            await lifecycle.OpenAsync(question.Id);
            try
            {
                // The crowd answers at random, mostly right: wait for a wrong answer too rather than count on one among the first 14.
                await simulator.WaitUntilAsync(() => Answers(question.Id) >= 14 && SomeWrong(question.Id), TimeSpan.FromSeconds(60));
            }
            catch (TimeoutException)
            {
                var someone = simulator.Crowd.Participants[5];
                Assert.Fail($"{Answers(question.Id)} answers; {simulator.Crowd.Counters}; {simulator.Status}; chat of {someone.FirstName}: "
                    + string.Join(" | ", simulator.Messages(someone.Id).Select(m => $"{(m.FromBot ? "bot" : "user")}: {m.Text}")));
            }
            await lifecycle.CloseAsync(question.Id);
        }

        await using var check = await database.CreateDbContextAsync();
        var text = await check.Answers.Where(a => a.QuestionId == questions[0].Id).ToListAsync();
        Assert.Contains(text, a => a.IsCorrect && a.Text == "Ada Lovelace" || a.Text == "Lovelace");
        Assert.Contains(text, a => !a.IsCorrect);
        var buttons = await check.Answers.Where(a => a.QuestionId == questions[1].Id).ToListAsync();
        Assert.All(buttons, a => Assert.NotNull(a.OptionIndex));
        Assert.Contains(buttons, a => a.IsCorrect && a.OptionIndex == 1);
        Assert.Contains(buttons, a => !a.IsCorrect);
        Assert.Contains(await check.Participants.Select(p => p.FirstName).ToListAsync(), n => n == "<b>Bob</b>");

        // The channel shows each question's post, edited in place to read as closed (or, if the channel's own limit held it
        // back until the close, posted so), and each question's results, as Telegram would.
        IEnumerable<SimMessage> Channel() => simulator.BotMessages("@codeweek_rehearsal");
        await simulator.WaitUntilAsync(() => Channel().Count(m => m.Text!.StartsWith("❓ Question ") && m.Text.Contains("Closed · answers")) == 2
            && Channel().Count(m => m.Text!.Contains(": results")) == 2, TimeSpan.FromSeconds(60));
        Assert.Equal(4, Channel().Count());
        Assert.Equal(0, simulator.Status.Errors);
        Assert.Equal(simulator.Status.UpdatesCreated, simulator.Status.UpdatesDelivered + simulator.Status.PendingUpdates);
    }
    [Fact]
    public async Task AResultsPostInTheChannelIsCorrectedWhenAWinnerIsLeftOutRankedAgainOrForgotten()
    {
        await using var factory = new CodeQuizFactory();
        var simulator = await StartWithTheSimulatorsWebhookAsync(factory);
        var lifecycle = factory.Services.GetRequiredService<IQuizLifecycle>();
        var databases = factory.Services.GetRequiredService<IDbContextFactory<QuizDbContext>>();
        const string Channel = "@codeweek_rehearsal";
        var (_, questions) = await Seed.EventAsync(factory.Services, Channel, Seed.FreeText("PODIUMQ001", "go"));
        await lifecycle.OpenAsync(questions[0].Id);
        SimUser troll = new(5_560_001, "Rude Name"), ada = new(5_560_002, "Ada"), bruno = new(5_560_003, "Bruno"), chiara = new(5_560_004, "Chiara");
        foreach (var (who, answer) in new[] { (troll, "go"), (ada, "go"), (bruno, "go"), (chiara, "rust") })
        {
            simulator.SendText(who, "/start PODIUMQ001");
            simulator.SendText(who, answer);
        }
        int Count(Func<QuizDbContext, int> query)
        {
            using var db = databases.CreateDbContext();
            return query(db);
        }
        await simulator.WaitUntilAsync(() => Count(db => db.Answers.Count()) == 4, TimeSpan.FromSeconds(20));
        await lifecycle.CloseAsync(questions[0].Id);

        SimMessage? ResultsPost() => simulator.BotMessages(Channel).LastOrDefault(m => m.Text?.Contains("Question 1: results") == true);
        await simulator.WaitUntilAsync(() => ResultsPost() is not null, TimeSpan.FromSeconds(30));
        var posted = ResultsPost()!;
        Assert.Matches("🥇[^🥈]*Rude Name", posted.Text);

        // The name reached the channel: leaving them out corrects the post in place, and leaving out someone who is on
        // no podium changes nothing in the channel.
        Assert.Equal(0, (await lifecycle.LeaveOutAsync(chiara.Id, leaveOut: true))?.ResultsPostsCorrected);
        Assert.Equal(1, (await lifecycle.LeaveOutAsync(troll.Id, leaveOut: true))?.ResultsPostsCorrected);
        await simulator.WaitUntilAsync(() => ResultsPost() is { Edits: 1 }, TimeSpan.FromSeconds(30));
        var corrected = ResultsPost()!;
        Assert.Equal(posted.MessageId, corrected.MessageId);
        Assert.DoesNotContain("Rude Name", corrected.Text);
        Assert.Matches("🥇[^🥈]*Ada", corrected.Text);
        Assert.Matches("🥈[^🥉]*Bruno", corrected.Text);
        // Above the podium nothing changes: the totals still count their answer.
        static string AbovePodium(SimMessage post) => post.Text![..post.Text!.IndexOf("🥇", StringComparison.Ordinal)];
        Assert.Equal(AbovePodium(posted), AbovePodium(corrected));

        Assert.Equal(1, (await lifecycle.LeaveOutAsync(troll.Id, leaveOut: false))?.ResultsPostsCorrected);
        await simulator.WaitUntilAsync(() => ResultsPost() is { Edits: 2 }, TimeSpan.FromSeconds(30));
        Assert.Equal(posted.Text, ResultsPost()!.Text);

        // A participant's /forget deletes their name from the channel's podiums too; Chiara's changes no podium, only the
        // totals (two answers, not four, once both have gone).
        simulator.SendText(chiara, "/forget");
        simulator.SendText(troll, "/forget");
        await simulator.WaitUntilAsync(() => ResultsPost()?.Text?.Contains("Rude Name") == false && ResultsPost()!.Text!.Contains("Answers: 2 "),
            TimeSpan.FromSeconds(30));
        Assert.Matches("🥇[^🥈]*Ada", ResultsPost()!.Text);
        Assert.Equal(1, simulator.BotMessages(Channel).Count(m => m.Text?.Contains("Question 1: results") == true));
        Assert.Equal(4, Count(db => db.OutboxMessages.Count(m => m.Purpose == CodeQuiz.Core.Outbox.OutboxPurpose.ChannelResultsEdit)));
        Assert.Equal(0, simulator.Status.Errors);
    }

    [Fact]
    public async Task AResultsPostCountsWhatTheApiCountsAfterSomeoneBelowThePodiumForgetsTheirAnswers()
    {
        await using var factory = new CodeQuizFactory();
        var simulator = await StartWithTheSimulatorsWebhookAsync(factory);
        var lifecycle = factory.Services.GetRequiredService<IQuizLifecycle>();
        var databases = factory.Services.GetRequiredService<IDbContextFactory<QuizDbContext>>();
        const string Channel = "@codeweek_rehearsal";
        var (_, questions) = await Seed.EventAsync(factory.Services, Channel, Seed.FreeText("TOTALSQ001", "go"));
        await lifecycle.OpenAsync(questions[0].Id);
        SimUser ada = new(5_565_001, "Ada"), bruno = new(5_565_002, "Bruno"), chiara = new(5_565_003, "Chiara"),
            dario = new(5_565_004, "Dario"), emma = new(5_565_005, "Emma");
        foreach (var (who, answer) in new[] { (ada, "go"), (bruno, "go"), (chiara, "go"), (dario, "go"), (emma, "rust") })
        {
            simulator.SendText(who, "/start TOTALSQ001");
            simulator.SendText(who, answer);
        }
        int Count(Func<QuizDbContext, int> query)
        {
            using var db = databases.CreateDbContext();
            return query(db);
        }
        await simulator.WaitUntilAsync(() => Count(db => db.Answers.Count()) == 5, TimeSpan.FromSeconds(20));
        await lifecycle.CloseAsync(questions[0].Id);
        SimMessage? ResultsPost() => simulator.BotMessages(Channel).LastOrDefault(m => m.Text?.Contains("Question 1: results") == true);
        await simulator.WaitUntilAsync(() => ResultsPost() is not null, TimeSpan.FromSeconds(30));
        var posted = ResultsPost()!.Text!;
        Assert.Contains("Answers: 5 ", posted);
        Assert.Contains("Right: 80%", posted);

        // The 4th and a wrong answer: on no podium, but in the totals.
        simulator.SendText(dario, "/forget");
        simulator.SendText(emma, "/forget");
        await simulator.WaitUntilAsync(() => Count(db => db.Answers.Count()) == 3, TimeSpan.FromSeconds(20));

        var api = (await factory.Services.GetRequiredService<QuizResults>().GetQuestionResultsAsync(questions[0].Id))!;
        // As the channel shows them: Telegram reads the post's HTML.
        var texts = CodeQuiz.Core.Bot.BotTexts.For("en");
        var totals = texts.ResultsTotals(api.TotalAnswers, api.Participants, api.People).Replace("<b>", "").Replace("</b>", "");
        var percent = texts.ResultsPercentCorrect(api.Correct, api.TotalAnswers).Replace("<b>", "").Replace("</b>", "");
        await simulator.WaitUntilAsync(() => ResultsPost()!.Text!.Contains(totals) && ResultsPost()!.Text!.Contains(percent), TimeSpan.FromSeconds(30));
        Assert.Equal((3, 100.0), (api.TotalAnswers, api.PercentCorrect));
        var corrected = ResultsPost()!.Text!;
        Assert.Equal(posted[posted.IndexOf("🥇", StringComparison.Ordinal)..], corrected[corrected.IndexOf("🥇", StringComparison.Ordinal)..]);
        Assert.Equal(1, simulator.BotMessages(Channel).Count(m => m.Text?.Contains("Question 1: results") == true));
        // Totals alone go behind the channel's next posts, which a burst of /forget must not hold up.
        Assert.Equal(2, Count(db => db.OutboxMessages.Count(m => m.Purpose == CodeQuiz.Core.Outbox.OutboxPurpose.ChannelResultsEdit
            && m.Priority == CodeQuiz.Core.Outbox.OutboxMessage.NormalPriority)));
        Assert.Equal(0, simulator.Status.Errors);
    }

    [Fact]
    public async Task AClosedQuestionsPostCountsAsItsResultsDoAfterSomeoneForgetsTheirAnswer()
    {
        await using var factory = new CodeQuizFactory();
        var simulator = await StartWithTheSimulatorsWebhookAsync(factory);
        var lifecycle = factory.Services.GetRequiredService<IQuizLifecycle>();
        var databases = factory.Services.GetRequiredService<IDbContextFactory<QuizDbContext>>();
        const string Channel = "@codeweek_rehearsal";
        var (_, questions) = await Seed.EventAsync(factory.Services, Channel, Seed.FreeText("POSTCOUNT1", "go"), Seed.FreeText("POSTCOUNT2", "rust"));
        SimUser ada = new(5_567_001, "Ada"), bruno = new(5_567_002, "Bruno"), chiara = new(5_567_003, "Chiara");
        int Count(Func<QuizDbContext, int> query)
        {
            using var db = databases.CreateDbContext();
            return query(db);
        }
        // Question 1: three answers, Chiara's among them; question 2: Ada's alone.
        await lifecycle.OpenAsync(questions[0].Id);
        foreach (var who in new[] { ada, bruno, chiara })
        {
            simulator.SendText(who, "/start POSTCOUNT1");
            simulator.SendText(who, "go");
        }
        await simulator.WaitUntilAsync(() => Count(db => db.Answers.Count()) == 3, TimeSpan.FromSeconds(20));
        await lifecycle.CloseAsync(questions[0].Id);
        await lifecycle.OpenAsync(questions[1].Id);
        simulator.SendText(ada, "/start POSTCOUNT2");
        simulator.SendText(ada, "rust");
        await simulator.WaitUntilAsync(() => Count(db => db.Answers.Count()) == 4, TimeSpan.FromSeconds(20));
        await lifecycle.CloseAsync(questions[1].Id);
        SimMessage? QuestionPost(int number) => simulator.BotMessages(Channel).FirstOrDefault(m => m.Text?.StartsWith($"❓ Question {number}\n") == true);
        await simulator.WaitUntilAsync(() => QuestionPost(1)?.Text?.Contains("Closed · answers: 3") == true
            && QuestionPost(2)?.Text?.Contains("Closed · answers: 1") == true, TimeSpan.FromSeconds(30));
        var question2 = QuestionPost(2)!;
        var question2Edits = Count(db => db.OutboxMessages.Count(m => m.QuestionId == questions[1].Id && m.Purpose == CodeQuiz.Core.Outbox.OutboxPurpose.ChannelCount));

        simulator.SendText(chiara, "/forget");

        // The post counts what its results count, edited in place; question 2, which Chiara did not answer, is not edited.
        await simulator.WaitUntilAsync(() => QuestionPost(1)?.Text?.Contains("Closed · answers: 2") == true
            && simulator.BotMessages(Channel).Last(m => m.Text?.Contains("Question 1: results") == true).Text!.Contains("Answers: 2 "), TimeSpan.FromSeconds(30));
        Assert.Equal(1, simulator.BotMessages(Channel).Count(m => m.Text?.StartsWith("❓ Question 1\n") == true));
        Assert.Equal(question2, QuestionPost(2));
        Assert.Equal(question2Edits, Count(db => db.OutboxMessages.Count(m => m.QuestionId == questions[1].Id && m.Purpose == CodeQuiz.Core.Outbox.OutboxPurpose.ChannelCount)));
        Assert.Equal(0, simulator.Status.Errors);
    }

    [Fact]
    public async Task AResultsPostThatHasNotGoneOutYetGoesOutAlreadyCorrected()
    {
        await using var factory = new CodeQuizFactory();
        var simulator = await StartWithTheSimulatorsWebhookAsync(factory);
        var lifecycle = factory.Services.GetRequiredService<IQuizLifecycle>();
        var databases = factory.Services.GetRequiredService<IDbContextFactory<QuizDbContext>>();
        const string Channel = "@codeweek_rehearsal";
        var (_, questions) = await Seed.EventAsync(factory.Services, Channel, Seed.FreeText("WAITINGQ01", "go"));
        await lifecycle.OpenAsync(questions[0].Id);
        SimUser troll = new(5_570_001, "Rude Name"), ada = new(5_570_002, "Ada");
        foreach (var who in new[] { troll, ada })
        {
            simulator.SendText(who, "/start WAITINGQ01");
            simulator.SendText(who, "go");
        }
        int Count(Func<QuizDbContext, int> query)
        {
            using var db = databases.CreateDbContext();
            return query(db);
        }
        await simulator.WaitUntilAsync(() => Count(db => db.Answers.Count()) == 2 && simulator.BotMessages(Channel).Count == 1, TimeSpan.FromSeconds(20));

        // Telegram is out of reach at the close, so the results post waits; the organizer leaves the name out meanwhile.
        simulator.SetOutage(true);
        await lifecycle.CloseAsync(questions[0].Id);
        Assert.Equal(1, (await lifecycle.LeaveOutAsync(troll.Id, leaveOut: true))?.ResultsPostsCorrected);
        simulator.SetOutage(false);

        SimMessage? ResultsPost() => simulator.BotMessages(Channel).LastOrDefault(m => m.Text?.Contains("Question 1: results") == true);
        await simulator.WaitUntilAsync(() => ResultsPost() is not null
            && Count(db => db.OutboxMessages.Count(m => m.Status != CodeQuiz.Core.Outbox.OutboxStatus.Sent)) == 0, TimeSpan.FromSeconds(30));
        var post = ResultsPost()!;
        Assert.DoesNotContain("Rude Name", post.Text);
        Assert.Matches("🥇[^🥈]*Ada", post.Text);
        Assert.Equal(0, post.Edits); // it went out corrected: the name was never in the channel
    }

    [Fact]
    public async Task AResultsPostIsCorrectedInTheChannelItWentToAfterTheEventMovedToAnother()
    {
        await using var factory = new CodeQuizFactory();
        var simulator = await StartWithTheSimulatorsWebhookAsync(factory);
        var lifecycle = factory.Services.GetRequiredService<IQuizLifecycle>();
        var databases = factory.Services.GetRequiredService<IDbContextFactory<QuizDbContext>>();
        const string Channel = "@codeweek_rehearsal", Moved = "@codeweek_finals";
        var (quizEvent, questions) = await Seed.EventAsync(factory.Services, Channel, Seed.FreeText("MOVEDQ0001", "go"));
        await lifecycle.OpenAsync(questions[0].Id);
        SimUser troll = new(5_580_001, "Rude Name"), ada = new(5_580_002, "Ada");
        foreach (var who in new[] { troll, ada })
        {
            simulator.SendText(who, "/start MOVEDQ0001");
            simulator.SendText(who, "go");
        }
        int Answers()
        {
            using var db = databases.CreateDbContext();
            return db.Answers.Count();
        }
        await simulator.WaitUntilAsync(() => Answers() == 2, TimeSpan.FromSeconds(20));
        await lifecycle.CloseAsync(questions[0].Id);
        SimMessage? ResultsPost() => simulator.BotMessages(Channel).LastOrDefault(m => m.Text?.Contains("Question 1: results") == true);
        await simulator.WaitUntilAsync(() => ResultsPost() is not null, TimeSpan.FromSeconds(30));

        // The organizers name another channel for the rest of the show, then leave the name out.
        await using (var db = await databases.CreateDbContextAsync())
            await db.Events.Where(e => e.Id == quizEvent.Id).ExecuteUpdateAsync(e => e.SetProperty(x => x.ChannelId, Moved));
        lifecycle.CatalogChanged();
        Assert.Equal(1, (await lifecycle.LeaveOutAsync(troll.Id, leaveOut: true))?.ResultsPostsCorrected);

        await simulator.WaitUntilAsync(() => ResultsPost() is { Edits: 1 }, TimeSpan.FromSeconds(30));
        Assert.DoesNotContain("Rude Name", ResultsPost()!.Text);
        Assert.Matches("🥇[^🥈]*Ada", ResultsPost()!.Text);
        Assert.Empty(simulator.BotMessages(Moved));
        Assert.Equal(0, simulator.Status.Errors);
    }

    /// <summary>Runs the app in Rehearsal mode on a database that yesterday's rehearsal left behind.</summary>
    static async Task OnYesterdaysDatabaseAsync(Action<SqliteQuizDbContext> yesterday, Func<CodeQuizFactory, TelegramSimulator, Task> today)
    {
        var folder = Directory.CreateTempSubdirectory("codequiz-yesterday-").FullName;
        var path = Path.Combine(folder, "codequiz.db");
        await using (var db = new SqliteQuizDbContext(new DbContextOptionsBuilder<SqliteQuizDbContext>().UseSqlite($"Data Source={path}").Options))
        {
            await db.Database.MigrateAsync();
            yesterday(db);
            await db.SaveChangesAsync();
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            await using var factory = new CodeQuizFactory();
            factory.Settings["Database:ConnectionString"] = $"Data Source={path}";
            var simulator = await StartWithTheSimulatorsWebhookAsync(factory);
            await today(factory, simulator);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public Task ARehearsalStartedAgainOnYesterdaysDatabaseIsHeard() => OnYesterdaysDatabaseAsync(
        // Yesterday's simulated Telegram used the first update ids; today's starts afresh, and must not number its
        // updates so that the bot takes them for repeats and ignores them.
        yesterday: db =>
        {
            db.UpdateSources.Add(new CodeQuiz.Core.Ingest.UpdateSource { BotId = RehearsalBotId, Since = DateTimeOffset.UtcNow.AddDays(-1) });
            for (var id = 700_000_001; id <= 700_000_040; id++)
                db.ProcessedUpdates.Add(new CodeQuiz.Core.Ingest.ProcessedUpdate { UpdateId = id, ProcessedAt = DateTimeOffset.UtcNow.AddDays(-1) });
        },
        today: async (_, simulator) =>
        {
            var ada = new SimUser(424242, "Ada");

            var update = simulator.SendText(ada, "/start");

            Assert.True(update.Id > 700_000_040, $"update {update.Id} reuses an id stored yesterday");
            await simulator.WaitUntilAsync(() => simulator.BotMessages(ada.Id).Count > 0, TimeSpan.FromSeconds(20));
            Assert.Equal(1, simulator.Status.UpdatesCreated);
        });

    static readonly long RehearsalBotId = new CodeQuiz.Core.Telegram.TelegramOptions().EffectiveBotId!.Value;

    [Fact]
    public Task AnotherBotsStoredUpdateIdsAreForgottenSoNoneIsTakenForARepeat() => OnYesterdaysDatabaseAsync(
        // The database holds a test bot's update ids; the bot now is another one (here the rehearsal's), whose numbering
        // happens to meet them.
        yesterday: db =>
        {
            db.UpdateSources.Add(new CodeQuiz.Core.Ingest.UpdateSource { BotId = 5_555_555, Since = DateTimeOffset.UtcNow.AddDays(-1) });
            for (var id = 700_000_001; id <= 700_000_040; id++)
                db.ProcessedUpdates.Add(new CodeQuiz.Core.Ingest.ProcessedUpdate { UpdateId = id, ProcessedAt = DateTimeOffset.UtcNow.AddDays(-1) });
            // That bot stopped with a results post still waiting: not this bot's to post.
            db.OutboxMessages.Add(new CodeQuiz.Core.Outbox.OutboxMessage
            {
                Method = CodeQuiz.Core.Outbox.OutboxMethod.SendMessage, Purpose = CodeQuiz.Core.Outbox.OutboxPurpose.ChannelResults,
                Priority = CodeQuiz.Core.Outbox.OutboxMessage.UrgentPriority, ChatId = "@codeweek_rehearsal", Text = "Yesterday's podium",
                CreatedAt = DateTimeOffset.UtcNow.AddDays(-1), NotBefore = DateTimeOffset.UtcNow.AddDays(-1),
            });
        },
        today: async (factory, simulator) =>
        {
            var ada = new SimUser(424242, "Ada");

            var update = simulator.SendText(ada, "/start");

            Assert.Equal(700_000_001, update.Id); // the other bot's ids are gone, so numbering starts afresh
            await simulator.WaitUntilAsync(() => simulator.BotMessages(ada.Id).Count > 0, TimeSpan.FromSeconds(20));
            await using var db = await factory.Services.GetRequiredService<IDbContextFactory<QuizDbContext>>().CreateDbContextAsync();
            Assert.Equal(RehearsalBotId, (await db.UpdateSources.SingleAsync()).BotId);
            Assert.Equal([700_000_001L], await db.ProcessedUpdates.Select(u => u.UpdateId).ToListAsync());
            Assert.Empty(simulator.BotMessages("@codeweek_rehearsal"));
            Assert.Equal(0, await db.OutboxMessages.CountAsync(m => m.Purpose == CodeQuiz.Core.Outbox.OutboxPurpose.ChannelResults));
        });

    [Fact]
    public Task AReplyThatWaitedOvernightReachesItsParticipant() => OnYesterdaysDatabaseAsync(
        // The app stopped with a reply still queued; Telegram keeps the participant's chat, and so does the simulator.
        yesterday: db =>
        {
            db.Participants.Add(new Participant { Id = 424242, FirstName = "Ada", CreatedAt = DateTimeOffset.UtcNow.AddDays(-1) });
            db.OutboxMessages.Add(new CodeQuiz.Core.Outbox.OutboxMessage
            {
                Method = CodeQuiz.Core.Outbox.OutboxMethod.SendMessage, Purpose = CodeQuiz.Core.Outbox.OutboxPurpose.Reply,
                Priority = CodeQuiz.Core.Outbox.OutboxMessage.NormalPriority, ChatId = "424242", Text = "Answer recorded: results on the channel",
                CreatedAt = DateTimeOffset.UtcNow.AddDays(-1), NotBefore = DateTimeOffset.UtcNow.AddDays(-1),
            });
        },
        today: async (factory, simulator) =>
        {
            await simulator.WaitUntilAsync(() => simulator.BotMessages(424242).Count > 0, TimeSpan.FromSeconds(20));
            Assert.Equal("Answer recorded: results on the channel", Assert.Single(simulator.BotMessages(424242)).Text);
            // The sender records the round once its calls are answered: a moment after the simulator shows the message.
            var databases = factory.Services.GetRequiredService<IDbContextFactory<QuizDbContext>>();
            async Task<int> NotSentAsync()
            {
                await using var db = await databases.CreateDbContextAsync();
                return await db.OutboxMessages.CountAsync(m => m.Status != CodeQuiz.Core.Outbox.OutboxStatus.Sent);
            }
            var until = DateTime.UtcNow.AddSeconds(10);
            while (await NotSentAsync() > 0 && DateTime.UtcNow < until)
                await Task.Delay(50);
            Assert.Equal(0, await NotSentAsync());
        });
    [Fact]
    public Task AQuestionLeftOpenOverARestartKeepsItsChannelPostCounting() => OnYesterdaysDatabaseAsync(
        // The laptop restarted in the middle of a question: its channel post (message 7) must still take the live count,
        // and today's posts must not reuse its number.
        yesterday: db =>
        {
            var quizEvent = new QuizEvent { Name = "Rehearsal", ChannelId = "@codeweek_rehearsal" };
            quizEvent.Questions.Add(new Question
            {
                Prompt = "Who wrote the first program?", Code = "LeftOpen01", Position = 1, Kind = QuestionKind.FreeText,
                AcceptedAnswers = ["Ada Lovelace"], State = QuestionState.Open, OpenedAt = DateTimeOffset.UtcNow.AddMinutes(-1), ChannelMessageId = 7,
            });
            quizEvent.Questions.Add(new Question
            {
                Prompt = "Which language has goroutines?", Code = "NextOne001", Position = 2, Kind = QuestionKind.FreeText, AcceptedAnswers = ["Go"],
            });
            db.Events.Add(quizEvent);
        },
        today: async (factory, simulator) =>
        {
            var ada = new SimUser(424242, "Ada");
            simulator.SendText(ada, "/start LeftOpen01");
            simulator.SendText(ada, "Ada Lovelace");
            await simulator.WaitUntilAsync(() => simulator.BotMessages("@codeweek_rehearsal").Any(m => m.MessageId == 7 && m.Edits > 0), TimeSpan.FromSeconds(30));
            int next;
            await using (var db = await factory.Services.GetRequiredService<IDbContextFactory<QuizDbContext>>().CreateDbContextAsync())
                next = await db.Questions.Where(q => q.Code == "NextOne001").Select(q => q.Id).SingleAsync();
            await factory.Services.GetRequiredService<IQuizLifecycle>().OpenAsync(next);
            await simulator.WaitUntilAsync(() => simulator.BotMessages("@codeweek_rehearsal").Count == 2, TimeSpan.FromSeconds(30));

            var posts = simulator.BotMessages("@codeweek_rehearsal");
            Assert.Contains("Answers so far: 1", posts[0].Text); // yesterday's post now counts Ada's answer
            Assert.Contains("LeftOpen01", posts[0].Text);
            Assert.True(posts[1].MessageId > 7, $"today's post reuses message id {posts[1].MessageId}");
            Assert.Contains("NextOne001", posts[1].Text);
            await using var check = await factory.Services.GetRequiredService<IDbContextFactory<QuizDbContext>>().CreateDbContextAsync();
            Assert.Equal(0, await check.OutboxMessages.CountAsync(m => m.Status == CodeQuiz.Core.Outbox.OutboxStatus.Failed));
        });
}
