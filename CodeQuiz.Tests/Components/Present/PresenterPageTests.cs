using System.Net;
using CodeQuiz.Tests.Infrastructure;
using CodeQuiz.Tests.Web.Live;
using CodeQuiz.Core.Persistence;
using CodeQuiz.Web.Components.Pages.Present;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CodeQuiz.Tests.Components.Present;

/// <summary>The page as a projector loads it: plain HTML over HTTP, no login, no Blazor circuit.</summary>
public class PresenterPageTests
{
    [Fact]
    public async Task ThePresenterLinkOpensWithoutLoginAndShowsTheOpenQuestion()
    {
        await using var factory = new CodeQuizFactory();
        var seed = await new PresenterSeed(factory).CreateAsync();
        await seed.OpenAsync(seed.QuestionIds[0]);

        var response = await factory.CreateClient().GetAsync($"/present/{seed.Token}");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("data-testid=\"presenter-open\"", html);
        Assert.Contains("<svg", html);
        Assert.Contains("present/presenter.js", html);
        Assert.Contains("present/signalr/signalr.min.js", html);
        Assert.DoesNotContain("_blazor", html.Replace("blazor.web.js", ""));
    }

    [Fact]
    public async Task BeforeTheFirstQuestionTheScreenShowsTheTeamRegistrationCodeAndAfterItNoMore()
    {
        await using var factory = new CodeQuizFactory();
        factory.Settings["Telegram:BotUsername"] = "CodeWeekQuizBot";
        var seed = await new PresenterSeed(factory).CreateAsync();
        var client = factory.CreateClient();

        var before = await client.GetStringAsync($"/present/{seed.Token}");
        await seed.OpenAsync(seed.QuestionIds[0]);
        await seed.CloseAsync(seed.QuestionIds[0]);
        var podium = await client.GetStringAsync($"/present/{seed.Token}");

        Assert.Contains("data-testid=\"get-ready\"", before);
        Assert.Contains("aria-label=\"QR code: https://t.me/CodeWeekQuizBot?start=register\"", before);
        Assert.DoesNotContain("?start=register", podium);
    }

    [Fact]
    public async Task AnItalianEventsScreenSpeaksItalianFromTheEventsLanguage()
    {
        await using var factory = new CodeQuizFactory();
        var seed = await new PresenterSeed(factory).CreateAsync(language: "it");
        await seed.OpenAsync(seed.QuestionIds[0]);
        await seed.AnswerAsync(seed.QuestionIds[0], 1, "Ada", "42", correct: true, afterSeconds: 4.25);
        await seed.AnswerAsync(seed.QuestionIds[0], 2, "Linus", "41", correct: false, afterSeconds: 5);
        var client = factory.CreateClient();

        var open = await client.GetStringAsync($"/present/{seed.Token}");
        await seed.CloseAsync(seed.QuestionIds[0]);
        var podium = await client.GetStringAsync($"/present/{seed.Token}");

        Assert.Contains("Domanda 1 <span class=\"of\">di 3</span>", open);
        Assert.Contains("Riconnessione", open);
        Assert.Contains("Altre risposte", podium); // the free-text answers' bar, named by the feed
        Assert.Contains("4,3 s", podium);
        Assert.DoesNotContain("Other answers", podium);
    }

    [Fact]
    public async Task AnItalianEventsScreenWritesANumberAnswerWithADecimalComma()
    {
        await using var factory = new CodeQuizFactory();
        var seed = await new PresenterSeed(factory).CreateAsync(language: "it");
        await seed.MakeNumberAsync(seed.QuestionIds[0], 15.25);
        await seed.OpenAsync(seed.QuestionIds[0]);
        await seed.AnswerAsync(seed.QuestionIds[0], 1, "Ada", "15,25", correct: true, afterSeconds: 3);
        await seed.CloseAsync(seed.QuestionIds[0]);

        var podium = await factory.CreateClient().GetStringAsync($"/present/{seed.Token}");

        // Read out in Italian, as the bot tells the participants: "15,25", not the console's "15.25".
        Assert.Contains("risposta: <strong>15,25</strong>", podium);
        Assert.Contains("<span class=\"bar-label\">✔ 15,25</span>", WebUtility.HtmlDecode(podium));
        Assert.DoesNotContain("15.25", podium);
    }

    [Fact]
    public async Task AMultipleChoiceQuestionsOptionsAndRightAnswerCarryTheLettersOfThePhones()
    {
        await using var factory = new CodeQuizFactory();
        var seed = await new PresenterSeed(factory).CreateAsync();
        var choice = seed.QuestionIds[1]; // "Binary search runs in…": A) O(n), B) O(log n), C) O(n²)
        await seed.OpenAsync(choice);
        await seed.AnswerAsync(choice, 1, "Ada", "O(log n)", correct: true, afterSeconds: 2, option: 1);
        await seed.AnswerAsync(choice, 2, "Linus", "O(n)", correct: false, afterSeconds: 3, option: 0);
        await seed.CloseAsync(choice);

        var podium = WebUtility.HtmlDecode(await factory.CreateClient().GetStringAsync($"/present/{seed.Token}"));

        // The host reads out "the answer was B", as the participants' buttons say it.
        Assert.Contains("answer: <strong>B) O(log n)</strong>", podium);
        Assert.Contains("<span class=\"bar-label\">A) O(n)</span>", podium);
        Assert.Contains("<span class=\"bar-label\">✔ B) O(log n)</span>", podium);
        Assert.Contains("<span class=\"bar-label\">C) O(n²)</span>", podium);
    }

    [Fact]
    public async Task TheOverlayHasATransparentBackgroundAndNoQrCode()
    {
        await using var factory = new CodeQuizFactory();
        var seed = await new PresenterSeed(factory).CreateAsync();
        await seed.OpenAsync(seed.QuestionIds[0]);

        var html = await factory.CreateClient().GetStringAsync($"/present/{seed.Token}?overlay=1");

        Assert.Contains("background: transparent", html);
        Assert.Contains("presenter overlay", html);
        Assert.DoesNotContain("<svg", html);
    }

    [Fact]
    public async Task AnUnknownOrReplacedLinkAnswersGoneWithAnExplanation()
    {
        await using var factory = new CodeQuizFactory();
        var seed = await new PresenterSeed(factory).CreateAsync();
        var old = seed.Token;
        await seed.RegenerateTokenAsync();

        var response = await factory.CreateClient().GetAsync($"/present/{old}");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Gone, response.StatusCode);
        Assert.Contains("This presenter link is not valid", html);
        Assert.DoesNotContain("<script src=\"present/", html);
        Assert.DoesNotContain("data-presenter", html);
    }

    [Fact]
    public async Task AReplacedOverlayLinkShowsTheStreamNothingAndTellsWhoeverLooksAtTheSource()
    {
        await using var factory = new CodeQuizFactory();
        var seed = await new PresenterSeed(factory).CreateAsync();
        var old = seed.Token;
        await seed.RegenerateTokenAsync();

        var response = await factory.CreateClient().GetAsync($"/present/{old}?overlay=1");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Gone, response.StatusCode);
        Assert.Contains("background: transparent", html);
        Assert.Matches(@"<main [^>]*data-testid=""presenter-invalid""[^>]*></main>", html);
        Assert.DoesNotContain("This presenter link is not valid", html);
        Assert.DoesNotContain("data-presenter", html);
        Assert.Equal("Presenter link not valid · CodeQuiz", WebUtility.HtmlDecode(System.Text.RegularExpressions.Regex.Match(html, "<title>(.*?)</title>").Groups[1].Value));
        Assert.Contains($"<!-- {PresenterPage.OverlayInvalid} -->", html);
        Assert.Contains("console.warn(", html);
    }

    [Theory]
    [InlineData("")]
    [InlineData("?overlay=1")]
    public async Task WhileTheDatabaseDoesNotAnswerTheScreenStaysQuietAndLoadsItselfAgainUntilTheStageShows(string query)
    {
        await using var factory = new CodeQuizFactory();
        var seed = await new PresenterSeed(factory).CreateAsync();
        await seed.OpenAsync(seed.QuestionIds[0]);
        var contexts = factory.Services.GetRequiredService<IDbContextFactory<QuizDbContext>>();
        var client = factory.CreateClient();
        await using (var db = await contexts.CreateDbContextAsync())
            await db.Database.ExecuteSqlRawAsync("ALTER TABLE Events RENAME TO EventsAway"); // as with a database server restarting

        var waiting = await client.GetAsync($"/present/{seed.Token}{query}");
        var html = await waiting.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, waiting.StatusCode);
        Assert.Contains("data-testid=\"presenter-waiting\"", html);
        Assert.Contains("<meta http-equiv=\"refresh\" content=\"5\" />", html);
        // Nothing technical for the audience, and nothing presenter.js on a screen showing the stage would take for it.
        Assert.DoesNotContain("SQLite", html);
        Assert.DoesNotContain("no such table", html);
        Assert.DoesNotContain("not valid", html);
        Assert.DoesNotContain("data-presenter", html);

        await using (var db = await contexts.CreateDbContextAsync())
            await db.Database.ExecuteSqlRawAsync("ALTER TABLE EventsAway RENAME TO Events");
        var again = await client.GetAsync($"/present/{seed.Token}{query}");

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Contains("data-testid=\"presenter-open\"", await again.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("/present/")]
    [InlineData("/present")]
    public async Task ALinkCutShortBeforeItsTokenSaysWhatToAskFor(string path)
    {
        await using var factory = new CodeQuizFactory();

        var response = await factory.CreateClient().GetAsync(path);

        Assert.Equal(HttpStatusCode.Gone, response.StatusCode);
        Assert.Contains("ask for the current link", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task TheScriptsAndStylesheetAreServed()
    {
        await using var factory = new CodeQuizFactory();
        var client = factory.CreateClient();

        foreach (var asset in new[] { "/present/presenter.js", "/present/presenter.css", "/present/signalr/signalr.min.js" })
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(asset)).StatusCode);
    }
}
