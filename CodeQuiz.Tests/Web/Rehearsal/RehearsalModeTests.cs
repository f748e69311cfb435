using System.Net;
using System.Net.Http.Json;
using CodeQuiz.Core.Persistence;
using CodeQuiz.Core.Quizzes;
using CodeQuiz.Core.Telegram;
using CodeQuiz.Tests.Infrastructure;
using CodeQuiz.Tests.Web.Api;
using CodeQuiz.Web.Rehearsal;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Telegram.Bot;
using Telegram.Bot.Exceptions;

namespace CodeQuiz.Tests.Web.Rehearsal;

public class RehearsalModeTests
{
    static TelegramBotClient Bot(CodeQuizFactory factory, string token = TelegramOptions.RehearsalToken) =>
        new(new TelegramBotClientOptions(token, baseUrl: "http://localhost") { RetryThreshold = 0 }, factory.CreateClient());

    [Fact]
    public async Task WithoutABotTokenTheAppServesTheSimulatedBotApi()
    {
        await using var factory = new CodeQuizFactory();
        var me = await Bot(factory).GetMe();
        Assert.Equal("CodeQuizRehearsalBot", me.Username);

        var e = await Assert.ThrowsAsync<ApiRequestException>(() => Bot(factory, "123:wrong").GetMe());
        Assert.Equal(401, e.ErrorCode);
    }

    [Fact]
    public async Task TheSimulatedBotApiAnswersOnlyThisMachineSoNobodyElseCanPointItsWebhookElsewhere()
    {
        await using var factory = new CodeQuizFactory();
        using var http = new HttpClient { BaseAddress = new Uri(factory.StartOnKestrel()) };
        var simulator = factory.Services.GetRequiredService<TelegramSimulator>();

        // Someone on the internet, through the reverse proxy on this machine.
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/bot{TelegramOptions.RehearsalToken}/setWebhook?url=http://10.0.0.5/steal");
        request.Headers.Add("X-Forwarded-For", "203.0.113.7");
        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("\"ok\":false", await response.Content.ReadAsStringAsync());
        Assert.DoesNotContain("10.0.0.5", simulator.Status.WebhookUrl ?? "");
        // The app itself, on this machine, is answered as before.
        Assert.Equal(HttpStatusCode.OK, (await http.PostAsync($"/bot{TelegramOptions.RehearsalToken}/getMe", null)).StatusCode);
    }

    [Fact]
    public async Task WithARealBotTokenTheSimulatorIsNotThere()
    {
        await using var factory = new CodeQuizFactory();
        factory.Settings["Telegram:BotToken"] = "123456:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw";
        factory.Settings["Telegram:Mode"] = "Polling";
        factory.Settings["Telegram:ApiBaseUrl"] = "http://127.0.0.1:9";

        var response = await factory.CreateClient().PostAsync($"/bot{TelegramOptions.RehearsalToken}/getMe", null);
        Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain("\"ok\"", await response.Content.ReadAsStringAsync());
        Assert.Null(factory.Services.GetService<TelegramSimulator>());
    }

    [Fact]
    public async Task TheChannelOfAnEventIsAChannelTheBotCanPostTo()
    {
        await using var factory = new CodeQuizFactory();
        var database = factory.Services.GetRequiredService<IDbContextFactory<QuizDbContext>>();
        await using (var db = await database.CreateDbContextAsync())
        {
            db.Events.Add(new QuizEvent { Name = "Code Week final", ChannelId = "@codeweek_final" });
            await db.SaveChangesAsync();
        }

        var post = await Bot(factory).SendMessage("@codeweek_final", "Question 1 is open");
        Assert.Equal("codeweek_final", post.Chat.Username);
        Assert.Contains("Code Week final", post.Chat.Title);
        var simulator = factory.Services.GetRequiredService<TelegramSimulator>();
        Assert.Equal("Question 1 is open", Assert.Single(simulator.BotMessages("@codeweek_final")).Text);

        var e = await Assert.ThrowsAsync<ApiRequestException>(() => Bot(factory).SendMessage("@some_other_channel", "hi"));
        Assert.Equal("Bad Request: chat not found", e.Message);
    }

    [Fact]
    public async Task TheCrowdScansAQuestionAsSoonAsItIsOpenInTheDatabase()
    {
        await using var factory = new CodeQuizFactory();
        factory.Settings["Rehearsal:CrowdAutoStart"] = "true";
        factory.Settings["Rehearsal:CrowdSize"] = "5";
        factory.Settings["Rehearsal:Pace"] = "100";
        factory.Settings["Rehearsal:Participation"] = "1";
        var simulator = factory.Services.GetRequiredService<TelegramSimulator>();
        Assert.True(simulator.Crowd.IsRunning);

        var database = factory.Services.GetRequiredService<IDbContextFactory<QuizDbContext>>();
        var code = Tokens.NewQuestionCode();
        await using (var db = await database.CreateDbContextAsync())
        {
            var quizEvent = new QuizEvent { Name = "Rehearsal" };
            quizEvent.Questions.Add(new Question
            {
                Prompt = "Who wrote the first program?", Code = code, Position = 1, Kind = QuestionKind.FreeText,
                AcceptedAnswers = ["Ada Lovelace"], State = QuestionState.Open, OpenedAt = DateTimeOffset.UtcNow,
            });
            db.Events.Add(quizEvent);
            await db.SaveChangesAsync();
        }

        bool AllScanned() => simulator.Crowd.Participants.All(p => simulator.Messages(p.Id).Any(m => m.Text == $"/start {code}"));
        await simulator.WaitUntilAsync(AllScanned, TimeSpan.FromSeconds(20));
        Assert.Contains(simulator.Crowd.Participants, p => p.FirstName == "<b>Bob</b>");
        Assert.Contains(simulator.Crowd.Participants, p => p.FirstName == "Tom & Jerry");
    }

    [Fact]
    public async Task AfterStartOverTheCrowdCountsAfreshAsTheConsoleDoes()
    {
        await using var factory = ApiTesting.NewFactory();
        var (simulator, client, eventId, questionId) = await CrowdOfFiveAndADraftAsync(factory);
        var appStarted = simulator.Crowd.Counters.Since;

        (await client.PostAsync($"/api/questions/{questionId}/open", null)).EnsureSuccessStatusCode();
        await simulator.WaitUntilAsync(() => simulator.Crowd.Counters.Scans == 5, TimeSpan.FromSeconds(20));
        (await client.PostAsync($"/api/questions/{questionId}/close", null)).EnsureSuccessStatusCode();
        Assert.False(simulator.Crowd.Counters.SinceStartOver);
        await simulator.WaitUntilAsync(() => simulator.Crowd.OpenQuestions.Count == 0, TimeSpan.FromSeconds(15));
        simulator.Crowd.Stop(); // no late answer still on its way after the Start over

        // The rehearsal's answers are deleted: the page's counts start again from nothing, and say since when.
        (await client.PostAsync($"/api/events/{eventId}/start-over", null)).EnsureSuccessStatusCode();
        await simulator.WaitUntilAsync(() => simulator.Crowd.Counters.SinceStartOver, TimeSpan.FromSeconds(15));
        var counters = simulator.Crowd.Counters;
        Assert.Equal(0, counters.Scans);
        Assert.True(counters.Since >= appStarted);

        // The show's first question opened again is counted from zero.
        simulator.Crowd.Start();
        (await client.PostAsync($"/api/questions/{questionId}/open", null)).EnsureSuccessStatusCode();
        await simulator.WaitUntilAsync(() => simulator.Crowd.Counters.Scans == 5, TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task AQuestionClosedWhileTheCrowdWasStoppedIsPlayedAgainAfterStartOver()
    {
        await using var factory = ApiTesting.NewFactory();
        var (simulator, client, eventId, questionId) = await CrowdOfFiveAndADraftAsync(factory);
        (await client.PostAsync($"/api/questions/{questionId}/open", null)).EnsureSuccessStatusCode();
        await simulator.WaitUntilAsync(() => simulator.Crowd.Counters.Scans == 5, TimeSpan.FromSeconds(20));

        // The organizer stops the crowd to try the bot alone, closes the question, starts the event over and the crowd again.
        simulator.Crowd.Stop();
        (await client.PostAsync($"/api/questions/{questionId}/close", null)).EnsureSuccessStatusCode();
        (await client.PostAsync($"/api/events/{eventId}/start-over", null)).EnsureSuccessStatusCode();
        await simulator.WaitUntilAsync(() => simulator.Crowd.OpenQuestions.Count == 0, TimeSpan.FromSeconds(15));
        simulator.Crowd.Start();

        (await client.PostAsync($"/api/questions/{questionId}/open", null)).EnsureSuccessStatusCode();
        await simulator.WaitUntilAsync(() => simulator.Crowd.Counters.Scans == 5, TimeSpan.FromSeconds(20));
    }

    /// <summary>A crowd of five that answers every question at once, an organizer's client, and an event with one draft question.</summary>
    static async Task<(TelegramSimulator Simulator, HttpClient Client, int EventId, int QuestionId)> CrowdOfFiveAndADraftAsync(CodeQuizFactory factory)
    {
        factory.Settings["Rehearsal:CrowdAutoStart"] = "true";
        factory.Settings["Rehearsal:CrowdSize"] = "5";
        factory.Settings["Rehearsal:Pace"] = "100";
        factory.Settings["Rehearsal:Participation"] = "1";
        var simulator = factory.Services.GetRequiredService<TelegramSimulator>();
        var client = await factory.CreateOrganizerClientAsync();
        var eventId = (await (await client.PostAsJsonAsync("/api/events", new { name = "Code Week final", language = "en" })).ReadJsonAsync())
            .GetProperty("id").GetInt32();
        var questionId = (await (await client.PostAsJsonAsync($"/api/events/{eventId}/questions",
            new { prompt = "Who wrote the first program?", kind = "FreeText", acceptedAnswers = new[] { "Ada Lovelace" } })).ReadJsonAsync())
            .GetProperty("id").GetInt32();
        return (simulator, client, eventId, questionId);
    }
}
