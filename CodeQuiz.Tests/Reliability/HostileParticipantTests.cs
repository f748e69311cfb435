using CodeQuiz.Core.Outbox;
using CodeQuiz.Core.Persistence;
using CodeQuiz.Core.Quizzes;
using CodeQuiz.Tests.Components;
using CodeQuiz.Tests.Infrastructure;
using CodeQuiz.Web.Rehearsal;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace CodeQuiz.Tests.Reliability;

/// <summary>
/// Participants whose names and answers are HTML, scripts, SQL, right-to-left overrides or 4,000 characters long:
/// stored verbatim (an override left open closed), valid Telegram HTML in every message (the rehearsal simulator refuses bad HTML as Telegram
/// does), and shown as text in the console and on the presenter page — no script runs in Chromium.
/// </summary>
[Trait("Category", "Reliability")]
[Collection(ReliabilityCollection.Name)]
public class HostileParticipantTests(ITestOutputHelper output)
{
    static readonly string LongAnswer = string.Concat(Enumerable.Repeat("<b>&amp;</b> ' \" ", 250))[..4000];

    /// <summary>(user id, first name, team or null, answer)</summary>
    static readonly (long Id, string Name, string? Team, string Answer)[] Crowd =
    [
        (41_000_001, "<script>window.__pwned=1</script>", "<img src=x onerror=window.__pwned=2>", "<script>alert('answer')</script>"),
        (41_000_002, "Robert'); DROP TABLE Answers;--", null, "go"),
        (41_000_003, "\u202Egnp.exe\u200F", "\u202Bטיים\u202C team", "\u202Ego\u200F"),
        (41_000_004, "&amp; &lt;b&gt; \" ' </i>", null, LongAnswer),
        (41_000_005, "<img src=x onerror=\"window.__pwned=3\">", "</li><li onclick=alert(5)>x", "go"),
        (41_000_006, "{{7*7}} @(1+1) ${alert(6)}", null, "' OR 1=1; --"),
    ];


    [Fact]
    public async Task HostileNamesAndAnswersAreStoredVerbatimSentAsValidHtmlAndShownAsTextWithNoScriptRunning()
    {
        await using var factory = new BrowserFactory();
        factory.Settings["Bootstrap:OrganizerEmail"] = ConsoleClient.Email;
        factory.Settings["Bootstrap:OrganizerPassword"] = ConsoleClient.Password;
        factory.Settings["Outbox:PerChatIntervalSeconds"] = "0";
        var baseUrl = factory.StartOnKestrel();
        var (ev, questions) = await Seed.EventAsync(factory.Services, "@codeweek", Seed.FreeText("HOSTILE01", "go"));
        var lifecycle = factory.Services.GetRequiredService<IQuizLifecycle>();
        await lifecycle.OpenAsync(questions[0].Id);
        var dbFactory = factory.Services.GetRequiredService<IDbContextFactory<QuizDbContext>>();

        // They write through the rehearsal simulator, which delivers to the webhook and keeps the bot's replies as Telegram would.
        var telegram = factory.Services.GetRequiredService<TelegramSimulator>();
        foreach (var p in Crowd)
        {
            var user = new SimUser(p.Id, p.Name);
            if (p.Team is { } team)
            {
                telegram.SendText(user, "/team " + team);
                telegram.SendText(user, "12");
            }
            telegram.SendText(user, "/start HOSTILE01");
            telegram.SendText(user, p.Answer);
        }
        var until = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < until)
        {
            await using var db = await dbFactory.CreateDbContextAsync();
            if (await db.Answers.CountAsync() == Crowd.Length) break;
            await Task.Delay(100);
        }

        // Verbatim in the database, but for a direction override left open, closed at the end of the text.
        await using (var db = await dbFactory.CreateDbContextAsync())
        {
            var participants = await db.Participants.ToDictionaryAsync(p => p.Id);
            var answers = await db.Answers.ToDictionaryAsync(a => a.ParticipantId);
            foreach (var p in Crowd)
            {
                Assert.Equal(CodeQuiz.Core.Bot.TelegramHtml.CloseDirections(p.Name), participants[p.Id].FirstName);
                Assert.Equal(p.Team, participants[p.Id].TeamName);
                Assert.Equal(CodeQuiz.Core.Bot.TelegramHtml.CloseDirections(p.Answer), answers[p.Id].Text);
            }
        }

        // The browser: the live page while answers arrive, then after the close with the ranking.
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        var page = await browser.NewPageAsync(new() { BaseURL = baseUrl, ViewportSize = new() { Width = 1366, Height = 900 } });
        page.SetDefaultTimeout(30_000);
        var dialogs = new List<string>();
        page.Dialog += async (_, dialog) => { dialogs.Add(dialog.Message); await dialog.DismissAsync(); };

        await page.GotoAsync("/account/login");
        await page.FillAsync("[data-testid=login-email]", ConsoleClient.Email);
        await page.FillAsync("[data-testid=login-password]", ConsoleClient.Password);
        await page.ClickAsync("[data-testid=login-submit]");
        await page.WaitForFunctionAsync("() => !location.pathname.startsWith('/account/login')"); // enhanced navigation: no page load

        var checkedPages = new List<string>();
        async Task CheckAsync(string path, params string[] mustShow)
        {
            var response = await page.GotoAsync(path);
            if (response?.Status == 404) { checkedPages.Add($"{path}: not there yet"); return; }
            if (!path.StartsWith("/present/", StringComparison.Ordinal)) // the presenter has a layout of its own
                await page.WaitForSelectorAsync("[data-testid=interactive]", new() { State = WaitForSelectorState.Attached });
            else
                await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
            foreach (var text in mustShow)
                await page.WaitForFunctionAsync("t => document.body.innerText.includes(t)", text);
            await page.WaitForTimeoutAsync(300); // let any injected handler (img onerror) fire if it could
            Assert.Null(await page.EvaluateAsync<int?>("() => window.__pwned ?? null"));
            Assert.Equal(0, await page.Locator("body script:not([src])").Filter(new() { HasText = "__pwned" }).CountAsync());
            Assert.Equal(0, await page.Locator("img[onerror], li[onclick]").CountAsync());
            checkedPages.Add(path);
        }

        await CheckAsync($"/events/{ev.Id}/live", "DROP TABLE Answers", "<script>window.__pwned=1</script>", "<script>alert('answer')</script>");
        await lifecycle.CloseAsync(questions[0].Id);
        await CheckAsync($"/events/{ev.Id}/live", "Robert'); DROP TABLE Answers;--");
        await CheckAsync($"/events/{ev.Id}/results", "Robert'); DROP TABLE Answers;--");
        await CheckAsync($"/present/{ev.PresenterToken}");
        if (!checkedPages[^1].EndsWith("not there yet", StringComparison.Ordinal))
        {
            // The presenter link is public: it shows counts and the podium, never what participants wrote.
            var presenterText = await page.InnerTextAsync("body");
            Assert.DoesNotContain("<script>alert('answer')</script>", presenterText);
            Assert.DoesNotContain("' OR 1=1; --", presenterText);
            Assert.DoesNotContain(LongAnswer[..40], presenterText);
        }
        Assert.Empty(dialogs);

        // Every message the bot wrote is HTML Telegram accepts, and the simulator took them all.
        until = DateTime.UtcNow.AddSeconds(30);
        List<OutboxMessage> rows;
        do
        {
            await using var db = await dbFactory.CreateDbContextAsync();
            rows = await db.OutboxMessages.ToListAsync();
            if (rows.All(r => r.Status != OutboxStatus.Pending)) break;
            await Task.Delay(200);
        } while (DateTime.UtcNow < until);
        output.WriteLine($"{rows.Count} bot messages; pages checked: {string.Join(", ", checkedPages)}");
        Assert.All(rows, r => Assert.True(r.Status == OutboxStatus.Sent, $"{r.Purpose} to {r.ChatId}: {r.Status} {r.LastError}"));
        await using (var db = await dbFactory.CreateDbContextAsync())
            foreach (var row in rows)
                if (await db.TextAsync(row) is { } text)
                    CodeQuiz.Web.Rehearsal.TelegramHtml.Parse(text); // throws Telegram's "can't parse entities" otherwise
        var results = rows.Single(r => r.Purpose == OutboxPurpose.ChannelResults);
        var shown = CodeQuiz.Web.Rehearsal.TelegramHtml.Parse(results.Text!).Text;
        Assert.Contains("Robert'); DROP TABLE Answers;--", shown);
    }

    /// <summary>The app with the build's static assets (blazor.web.js, MudBlazor), which outside Development are only found this way.</summary>
    sealed class BrowserFactory : CodeQuizFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseStaticWebAssets();
        }
    }
}
