using System.Text.RegularExpressions;
using CodeQuiz.Core.Outbox;
using CodeQuiz.Core.Persistence;
using CodeQuiz.Core.Quizzes;
using CodeQuiz.Tests.Infrastructure;
using CodeQuiz.Web.Rehearsal;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static CodeQuiz.Tests.Infrastructure.BrowserFactory;

namespace CodeQuiz.Tests.Browser;

/// <summary>
/// The organizer's evening in headless Chromium against the real app on Kestrel in Rehearsal mode:
/// first run, an event, a question, then open → live answers from the virtual crowd → close → ranking.
/// Set CODEQUIZ_SCREENSHOTS to a folder to keep the screenshots of docs/console.md.
/// </summary>
public class ConsoleBrowserTests
{

    static readonly TimeZoneInfo OrganizersZone = Components.Live.LivePageTests.ZoneOtherThanTheServers();

    [Fact]
    public async Task AnOrganizerSetsUpAnEventAndRunsAQuestionFromOpenToClose()
    {
        await using var factory = new BrowserFactory(withOrganizer: false);
        factory.Settings["Rehearsal:CrowdAutoStart"] = "true";
        factory.Settings["Rehearsal:CrowdSize"] = "40";
        factory.Settings["Rehearsal:Pace"] = "10";
        factory.Settings["Rehearsal:CrowdSeed"] = "7";
        var baseUrl = factory.StartOnKestrel();

        // The organizer's laptop is in another time zone than the server, as with a cloud server on UTC.
        var page = await factory.NewPageAsync(height: 900, timezoneId: OrganizersZone.Id);
        var serverErrors = new List<string>();
        page.Response += (_, r) => { if (r.Status >= 500) serverErrors.Add($"{r.Status} {r.Url}"); };

        try
        {
            await RunTheEveningAsync(page, baseUrl);
        }
        catch (Exception)
        {
            await KeepFailureAsync(page);
            throw;
        }
        Assert.Empty(serverErrors);
    }

    /// <summary>
    /// After a save the console moves on by Blazor's own navigation, which a navigation waiter started just after it can
    /// miss; the address itself is polled instead.
    /// </summary>
    static readonly PageAssertionsToHaveURLOptions Patient = new() { Timeout = 90_000 };

    static async Task RunTheEveningAsync(IPage page, string baseUrl)
    {
        // First run: the console has no organizer yet, so any page leads to the one-time form.
        await page.GotoAsync("/");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/account/first-run$"), Patient); // polled: a load-state wait can miss its event
        Assert.StartsWith(baseUrl, page.Url); // a port of its own, so browser tests can run side by side
        await page.FillAsync("[data-testid=first-run-email]", Email);
        await page.FillAsync("[data-testid=first-run-password]", Password);
        await page.FillAsync("[data-testid=first-run-confirm]", Password);
        await page.ClickAsync("[data-testid=first-run-submit]");
        await WaitForInteractiveAsync(page);

        // An event.
        await page.ClickAsync("[data-testid=event-new]");
        await page.FillAsync("#event-name", "Code Week 2026 final");
        await page.PressAsync("#event-name", "Tab");
        await page.ClickAsync("[data-testid=event-save]");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex(@"/events/\d+$"), Patient);
        var eventUrl = page.Url;
        await WaitForInteractiveAsync(page);

        // A question.
        await page.ClickAsync("[data-testid=question-new]");
        await page.WaitForSelectorAsync("#question-prompt");
        await WaitForInteractiveAsync(page);
        // The preview follows the typing: a code block first, then the prompt kept.
        await page.FillAsync("#question-prompt", "Which keyword makes this compile?\n```\n___ int Answer = 42;\n```");
        await Assertions.Expect(page.Locator("[data-testid=prompt-preview-chat] pre")).ToHaveTextAsync("___ int Answer = 42;", new() { Timeout = 15_000 });
        await ScreenshotAsync(page, "question-editor");
        await page.FillAsync("#question-prompt", "Which keyword declares a constant in C#?");
        await Assertions.Expect(page.Locator("[data-testid=prompt-preview-chat] .tg-text")).ToContainTextAsync("Which keyword declares a constant in C#?", new() { Timeout = 15_000 });
        await page.FillAsync("#question-accepted", "const");
        await page.PressAsync("#question-accepted", "Tab");
        await page.ClickAsync("[data-testid=question-save]");
        await Assertions.Expect(page).ToHaveURLAsync(eventUrl, Patient);
        await page.WaitForSelectorAsync("[data-testid=question-1]");
        await WaitForInteractiveAsync(page);

        // More from a CSV question bank.
        await page.SetInputFilesAsync("[data-testid=csv-import]", new FilePayload
        {
            Name = "bank.csv",
            MimeType = "text/csv",
            Buffer = System.Text.Encoding.UTF8.GetBytes(
                """
                kind,prompt,acceptedAnswers,options,correctOption,numericAnswer,tolerance,timeLimitSeconds,showPromptOnPresenter
                MultipleChoice,Which of these is a value type?,,string|int|object,2,,,60,true
                Numeric,How many bits are in a byte?,,,,8,0,,false
                FreeText,"What does `Console.WriteLine(""Hi"".Length)` print?",2,,,,,30,true
                """),
        });
        await page.WaitForSelectorAsync("[data-testid=question-4]");
        // The list reads as Telegram shows the prompt: prose in the page's font, the backticked code in a monospace one.
        var fonts = await page.EvalOnSelectorAsync<string[]>("[data-testid=question-4] .question-prompt",
            "p => [getComputedStyle(p).fontFamily, getComputedStyle(p.querySelector('code')).fontFamily]");
        Assert.DoesNotContain("monospace", fonts[0]);
        Assert.Contains("monospace", fonts[1]);
        await ScreenshotAsync(page, "event-page");

        // The show: open, watch the crowd answer, close, see the ranking that went to the channel.
        await page.ClickAsync("[data-testid=event-live]");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/live$"), Patient);
        await WaitForInteractiveAsync(page);
        await page.ClickAsync("[data-testid=open-question-1]");
        await page.WaitForSelectorAsync("[data-testid=close-question-1]");
        await page.WaitForFunctionAsync("() => Number(document.querySelector('[data-testid=answer-count]')?.textContent) >= 25");
        Assert.DoesNotContain("monospace", await page.EvalOnSelectorAsync<string>("[data-testid=prompt]", "p => getComputedStyle(p).fontFamily"));
        await ScreenshotAsync(page, "live-page");

        await page.ClickAsync("[data-testid=close-question-1]");
        var ranking = await page.WaitForSelectorAsync("ol[data-testid=ranking-list]");
        Assert.Contains("🥇", await ranking!.TextContentAsync());
        await ScreenshotAsync(page, "live-page-closed");

        // Closed too soon, the host was still speaking: reopened, it takes answers again (those sent meanwhile count), and
        // closed again it is ranked anew.
        await page.ClickAsync("[data-testid=reopen-selected]");
        await page.WaitForSelectorAsync(".mud-dialog button:has-text('Reopen question 1')");
        await page.ClickAsync(".mud-dialog button:has-text('Reopen question 1')");
        await page.WaitForSelectorAsync("[data-testid=close-question-1]");
        await Assertions.Expect(page.Locator("[data-testid=late-count]")).ToHaveTextAsync("0");
        await page.ClickAsync("[data-testid=close-question-1]");
        await page.WaitForSelectorAsync("ol[data-testid=ranking-list]");
        await Assertions.Expect(page.Locator("[data-testid=reopen-selected]")).ToBeVisibleAsync();

        // The next question has a time limit, and the host gives it thirty more seconds.
        await page.ClickAsync("[data-testid=open-next]");
        await page.WaitForSelectorAsync("[data-testid=close-question-2]");
        var countdown = page.Locator("[data-testid=countdown]");
        await Assertions.Expect(countdown).ToHaveTextAsync(new Regex(@"^\s*(1:00|0:[45]\d)\s*$"));
        await page.ClickAsync("[data-testid=extend]");
        await Assertions.Expect(countdown).ToHaveTextAsync(new Regex(@"^\s*1:[12]\d\s*$"));
        await page.ClickAsync("[data-testid=close-question-2]");
        await page.WaitForSelectorAsync("[data-testid=open-next]");

        // The printable QR sheet.
        await page.GotoAsync(eventUrl + "/qr");
        await page.WaitForSelectorAsync("[data-testid=qr-question-4] svg");
        Assert.Contains("/qr/questions/", await page.GetAttributeAsync("[data-testid=qr-question-1] a[href$='.png']", "href"));
        await page.EmulateMediaAsync(new() { Media = Media.Print });
        Assert.True(await page.IsHiddenAsync(".mud-appbar"));
        Assert.True(await page.IsHiddenAsync("[data-testid=print-sheet]"));
        await ScreenshotAsync(page, "qr-sheet");
        await page.EmulateMediaAsync(new() { Media = Media.Screen });

        // The bot status page, as the organizer checks it before the show.
        await page.GotoAsync("/bot");
        await Assertions.Expect(page.Locator("[data-testid=bot-mode]")).ToHaveTextAsync("Rehearsal");
        await Assertions.Expect(page.Locator("[data-testid=bot-username]")).ToHaveTextAsync("@" + CodeQuiz.Web.Rehearsal.TelegramSimulator.BotUsername);
        await ScreenshotAsync(page, "bot-status");

        // The organizers page, from the app bar: a co-host is added for the show.
        await WaitForInteractiveAsync(page);
        await page.ClickAsync("[data-testid=nav-organizers]");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Organizers");
        await page.FillAsync("[data-testid=add-email]", "co-host@codeweek.example");
        await page.FillAsync("[data-testid=add-password]", "Second-screen-2026");
        await page.FillAsync("[data-testid=add-confirm]", "Second-screen-2026");
        await page.FillAsync("[data-testid=add-your-password]", Password); // it is really the host at this laptop
        await page.ClickAsync("[data-testid=add-submit]");
        await Assertions.Expect(page.Locator("[data-testid=organizers-done]")).ToContainTextAsync("Organizer added");
        await Assertions.Expect(page.Locator("[data-testid=organizer-email]")).ToContainTextAsync(["co-host@codeweek.example", "host@codeweek.example"]);
        await ScreenshotAsync(page, "organizers");
        // ... and removed again, after the confirmation.
        await page.ClickAsync("[data-testid=organizer-remove]");
        await Assertions.Expect(page.Locator("[data-testid=remove-confirm]")).ToContainTextAsync("Remove co-host@codeweek.example?");
        await page.FillAsync("[data-testid=remove-your-password]", Password);
        await page.ClickAsync("[data-testid=remove-submit]");
        await Assertions.Expect(page.Locator("[data-testid=organizers-done]")).ToContainTextAsync("Organizer removed");
        await Assertions.Expect(page.Locator("[data-testid=organizer-email]")).ToHaveTextAsync(["host@codeweek.example"]);

        // The rehearsal page: the simulated Telegram with the crowd still playing.
        await page.GotoAsync("/rehearsal");
        await Assertions.Expect(page.Locator("[data-testid=crowd-state]")).ToHaveTextAsync("playing");
        await WaitForInteractiveAsync(page);
        await page.Locator("button[data-testid^='chat-']").First.ClickAsync(); // one of the crowd: their chat with the bot
        await Assertions.Expect(page.Locator(".tg-bot[data-testid=tg-message]").First).ToBeVisibleAsync();
        // The bot answers whatever the participant last wrote (paced at one message a second per chat).
        await Assertions.Expect(page.Locator("[data-testid=tg-message]").Last).ToHaveClassAsync(new Regex("tg-bot"));
        // Times are on the organizer's clock: the layout asked the browser for its zone.
        var learned = await page.Locator("[data-testid=browser-zone]").TextContentAsync(); // Chromium may name it by an older alias
        Assert.Equal(OrganizersZone.GetUtcOffset(DateTimeOffset.UtcNow), TimeZoneInfo.FindSystemTimeZoneById(learned!).GetUtcOffset(DateTimeOffset.UtcNow));
        var sent = page.Locator("[data-testid=tg-message] time").Last;
        var instant = DateTimeOffset.Parse(await sent.GetAttributeAsync("datetime") ?? "", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(TimeZoneInfo.ConvertTime(instant, OrganizersZone).ToString("HH:mm:ss"), await sent.TextContentAsync());
        Assert.True((DateTimeOffset.UtcNow - instant).Duration() < TimeSpan.FromMinutes(5), $"a message sent at {instant:O}");
        await ScreenshotAsync(page, "rehearsal-page");

        // On a tablet held upright the live page still fits: nothing scrolls sideways, the next question is a tap away.
        await page.SetViewportSizeAsync(820, 1180);
        await page.GotoAsync(eventUrl + "/live");
        await WaitForInteractiveAsync(page);
        await Assertions.Expect(page.Locator("[data-testid=open-next]")).ToBeInViewportAsync();
        var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - document.documentElement.clientWidth");
        Assert.True(overflow <= 0, $"the live page is {overflow} px wider than an 820 px tablet");
        // The app bar keeps its links and the sign-out button on one line (the bar does not grow: a second line is cut off).
        var nav = await page.Locator(".console-nav").BoundingBoxAsync();
        var signOut = await page.Locator("[data-testid=sign-out]").BoundingBoxAsync();
        Assert.True(nav!.Height < 48 && signOut!.Height < 48, $"the app bar wraps on a tablet: links {nav.Height} px, sign-out {signOut!.Height} px high");
        await ScreenshotAsync(page, "live-page-tablet");
    }

    [Fact]
    public async Task DuringTheShowTheLivePageKeepsItsControlsCountsAndPodiumInViewOnALaptop()
    {
        await using var factory = new BrowserFactory();
        factory.Settings["Rehearsal:CrowdAutoStart"] = "true";
        factory.Settings["Rehearsal:CrowdSize"] = "40";
        factory.Settings["Rehearsal:Pace"] = "10";
        factory.Settings["Rehearsal:CrowdSeed"] = "7";
        factory.StartOnKestrel();
        // A real evening: fourteen questions, the timed ones with code in the prompt, results posted to a channel.
        var questions = Enumerable.Range(1, 14).Select(i => Seed.FreeText($"LAPTOP{i:00}", "const")).ToArray();
        questions[0].Prompt = "What does this print?\n```\nvar total = 0;\nfor (var i = 1; i <= 4; i++)\n{\n    total += i * i;\n}\nConsole.WriteLine(total);\n```";
        questions[0].TimeLimitSeconds = 90;
        var (ev, _) = await Seed.EventAsync(factory.Services, "@codeweek_live", questions);

        var page = await factory.SignedInPageAsync($"/events/{ev.Id}/live");

        await page.ClickAsync("[data-testid=open-selected]");
        await page.WaitForFunctionAsync("() => Number(document.querySelector('[data-testid=answer-count]')?.textContent) >= 10");
        await Assertions.Expect(page.Locator("[data-testid=extend]")).ToHaveTextAsync("+30 s", new() { UseInnerText = true }); // as the host says it, not "+30 S"
        await Assertions.Expect(page.Locator("[data-testid=close-selected]")).ToHaveTextAsync("Close and publish the ranking", new() { UseInnerText = true }); // as written, not in capitals
        var problems = new List<string>();
        foreach (var (width, height) in Laptops)
        {
            await page.SetViewportSizeAsync(width, height);
            problems.AddRange(await OutOfViewAsync(page, $"{width}×{height}, open",
                Key("countdown"), Key("extend"), Key("close-selected"), Key("answer-count"), Key("people-count"), Key("percent-correct"), Key("late-count")));
            await ViewportScreenshotAsync(page, $"live-open-{width}x{height}");
        }

        await page.SetViewportSizeAsync(1366, 768);
        await page.ClickAsync("[data-testid=close-selected]");
        await page.WaitForSelectorAsync("ol[data-testid=ranking-list]");
        await Assertions.Expect(page.Locator("[data-testid=channel-post-ChannelResults]")).ToContainTextAsync("posted");
        foreach (var (width, height) in Laptops)
        {
            await page.SetViewportSizeAsync(width, height);
            problems.AddRange(await OutOfViewAsync(page, $"{width}×{height}, closed", Key("open-next"), Key("answer-count"), Key("percent-correct"),
                "[data-testid=ranking-list] li:nth-child(3)")); // the podium, as the channel and the projector show it
            await ViewportScreenshotAsync(page, $"live-closed-{width}x{height}");
        }
        Assert.True(problems.Count == 0, "not in view without scrolling:\n" + string.Join("\n", problems));
    }

    [Fact]
    public async Task TheHostReadsTheWholeOfAPromptWithALittleCodeOnTheLivePageItsLastLineIncluded()
    {
        await using var factory = new BrowserFactory();
        factory.StartOnKestrel();
        var question = Seed.FreeText("READ0001", "6");
        question.Prompt = "What does this Python code print?\n```python\nx = [1, 2, 3]\nprint(x[-1] * 2)\n```\nAnswer with the number only.";
        var (ev, _) = await Seed.EventAsync(factory.Services, "@codeweek_live", question);

        var page = await factory.SignedInPageAsync($"/events/{ev.Id}/live");
        await page.ClickAsync(Key("open-selected"));
        await Assertions.Expect(page.Locator(Key("close-selected"))).ToBeVisibleAsync();
        var problems = new List<string>();
        foreach (var (width, height) in Laptops)
        {
            await page.SetViewportSizeAsync(width, height);
            // The line after the code: inside the prompt's box (the box scrolls, with no sign of it on many laptops), and
            // right under the block, as on the participants' phones, not after a blank line.
            var measured = await page.Locator(Key("prompt")).EvaluateAsync<double[]>("""
                e => {
                    const walker = document.createTreeWalker(e, NodeFilter.SHOW_TEXT);
                    let node; while ((node = walker.nextNode()) && !node.data.includes('Answer with')) {}
                    const range = document.createRange();
                    range.setStart(node, node.data.indexOf('Answer with')); range.setEnd(node, node.data.length);
                    const last = range.getBoundingClientRect(), box = e.getBoundingClientRect(), pre = e.querySelector('pre').getBoundingClientRect();
                    return [last.bottom - box.bottom, last.top - pre.bottom, last.height];
                }
                """);
            var (belowBox, gap, line) = (measured[0], measured[1], measured[2]);
            if (belowBox > 0.5)
                problems.Add($"{width}×{height}: the prompt's last line is hidden, {belowBox:0} px below its box");
            if (gap > line / 2)
                problems.Add($"{width}×{height}: a blank line ({gap:0} px) between the code and the line after it");
            problems.AddRange(await OutOfViewAsync(page, $"{width}×{height}", Key("close-selected"), Key("answer-count")));
            await ViewportScreenshotAsync(page, $"live-prompt-{width}x{height}");
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public async Task AQuestionsRowInTheLivePagesListKeepsItsHeightFromDraftToOpenToClosed()
    {
        await using var factory = new BrowserFactory();
        factory.StartOnKestrel();
        // Prompts of every length the list shows (it cuts them at 80 characters): a row's prompt must wrap, or not, the same
        // whether the row has Open, Close or no button. Each length three times: a draft, an open question and a closed one.
        static string Prompt(int length) => string.Concat(Enumerable.Repeat("Which keyword declares a constant value ", 3))[..length].TrimEnd() + "?";
        var now = DateTimeOffset.UtcNow;
        var questions = new List<Question> { Seed.FreeText("ROWS0000", "const") };
        questions[0].Prompt = Prompt(44);
        foreach (var length in Enumerable.Range(0, 12).Select(i => 24 + 5 * i))
            foreach (var state in new[] { QuestionState.Draft, QuestionState.Open, QuestionState.Closed })
            {
                var q = Seed.FreeText($"ROWS{length:00}{(int)state}0", "const");
                q.Prompt = Prompt(length);
                if (state != QuestionState.Draft) q.Open(now);
                if (state == QuestionState.Closed) q.Close(now);
                questions.Add(q);
            }
        var (ev, _) = await Seed.EventAsync(factory.Services, "@codeweek_live", [.. questions]);
        var page = await factory.SignedInPageAsync($"/events/{ev.Id}/live");
        await Assertions.Expect(page.Locator("li.live-question")).ToHaveCountAsync(questions.Count);

        var problems = new List<string>();
        var heights = await page.Locator("li.live-question").EvaluateAllAsync<double[]>("rows => rows.map(r => r.getBoundingClientRect().height)");
        for (var i = 1; i < heights.Length; i += 3)
            if (Math.Abs(heights[i + 1] - heights[i]) > 1 || Math.Abs(heights[i + 2] - heights[i]) > 1)
                problems.Add($"prompt of {questions[i].Prompt.Length} characters: {heights[i]} px as a draft, {heights[i + 1]} px open, {heights[i + 2]} px closed");

        // The list must not move under the organizer's pointer as Open becomes Close and Close goes away.
        var row = page.Locator(Key("live-question-1"));
        async Task<double> HeightAsync() => (await row.BoundingBoxAsync())!.Height;
        var draft = await HeightAsync();
        await page.ClickAsync(Key("open-question-1"));
        await page.ClickAsync("button:has-text('Open question 1 too')"); // others are open already
        await Assertions.Expect(page.Locator(Key("close-question-1"))).ToBeVisibleAsync();
        var open = await HeightAsync();
        await page.ClickAsync(Key("close-question-1"));
        await Assertions.Expect(page.Locator(Key("close-question-1"))).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator(Key("live-question-1") + " .state-chip")).ToContainTextAsync("Closed");
        var closed = await HeightAsync();
        if (Math.Abs(open - draft) > 1 || Math.Abs(closed - draft) > 1)
            problems.Add($"question 1: {draft} px as a draft, {open} px once opened, {closed} px once closed");

        Assert.True(problems.Count == 0, "rows change height:\n" + string.Join("\n", problems));
    }

    [Fact]
    public async Task PostAgainBesideARefusedChannelPostStaysOnOneLineOnASmallLaptop()
    {
        await using var factory = new BrowserFactory();
        factory.StartOnKestrel();
        var (ev, _) = await Seed.EventAsync(factory.Services, "@codeweek_live", Seed.FreeText("REFUSE01", "go"));
        // Nobody made the bot an administrator of the channel: the question post is refused, with the longest advice beside it.
        factory.Services.GetRequiredService<TelegramSimulator>().SetBotNotInChannels(true);

        var page = await factory.SignedInPageAsync($"/events/{ev.Id}/live");
        await page.SetViewportSizeAsync(1280, 720);
        await page.ClickAsync(Key("open-selected"));
        var again = page.Locator(Key("channel-post-again-ChannelAnnouncement"));
        await Assertions.Expect(again).ToBeVisibleAsync();

        // One line of the label is under two of its type's size (MudBlazor's buttons have lines of 1.75), two are 3.5.
        var heights = await again.EvaluateAsync<double[]>("""
            e => { const l = e.querySelector('.mud-button-label');
                return [l.getBoundingClientRect().height, parseFloat(getComputedStyle(l).fontSize), e.getBoundingClientRect().height]; }
            """);
        var (label, size, button) = (heights[0], heights[1], heights[2]);
        // A look at the button when the test fails: kept then (the message says where), otherwise deleted.
        var shots = Directory.CreateTempSubdirectory("codequiz-post-again-");
        var shot = Path.Combine(shots.FullName, "live-post-again-1280x720.png");
        await page.ScreenshotAsync(new() { Path = shot });
        Assert.True(label < 2.5 * size, $"Post again is {button} px tall, its label {label} px in {size} px type (screenshot: {shot})");
        shots.Delete(recursive: true);
    }

    [Fact]
    public Task TheNoticesOfOpenAndCloseCoverNoControlOfTheLivePageNorTheAppBarsWarningOrSignOutAndTheNewestReplacesTheLast() =>
        NoticesCoverNoControlAsync((1366, 768), (1920, 1080), (820, 1180), (768, 1024)); // laptops, and tablets held upright

    [Fact]
    public Task TheNoticesCoverNotTheAppBarsWarningOnTabletsHeldSidewaysEither() =>
        NoticesCoverNoControlAsync((1024, 768), (1180, 820), (1280, 800)); // tablets held sideways and small laptops

    /// <summary>
    /// Opens and closes a question at each size with Telegram out of reach: neither notice may cover a control of the live
    /// page or of the app bar (its warning, Sign out), the bar's links and warning fit in it, and the newest notice replaces the last.
    /// </summary>
    async Task NoticesCoverNoControlAsync(params (int Width, int Height)[] sizes)
    {
        await using var factory = new BrowserFactory();
        factory.StartOnKestrel();
        // A channel, so the close's notice is the longest the live page shows.
        var (ev, _) = await Seed.EventAsync(factory.Services, "@codeweek_live", Seed.FreeText("NOTICE01", "go"), Seed.FreeText("NOTICE02", "go"), Seed.FreeText("NOTICE03", "go"), Seed.FreeText("NOTICE04", "go"));

        var page = await factory.SignedInPageAsync($"/events/{ev.Id}/live");
        // Telegram out of reach (the rehearsal's drill keeps it so): the app bar's warning must stay in view while a notice shows.
        factory.Services.GetRequiredService<TelegramSimulator>().SetOutage(true);
        factory.Services.GetRequiredService<OutboxCounters>().Outage.Raise(DateTimeOffset.UtcNow, "connection refused");
        await Assertions.Expect(page.Locator(Key("trouble-telegram"))).ToBeVisibleAsync();

        var problems = new List<string>();
        var question = 1;
        foreach (var (width, height) in sizes)
        {
            await page.SetViewportSizeAsync(width, height);
            var bar = await page.Locator(".console-appbar").BoundingBoxAsync();
            foreach (var inBar in new[] { ".console-nav", Key("trouble-telegram") })
                if (await page.Locator(inBar).BoundingBoxAsync() is { } box && (box.Y < bar!.Y || box.Y + box.Height > bar.Y + bar.Height))
                    problems.Add($"{width}×{height}: {inBar} does not fit the app bar ({box.Y}..{box.Y + box.Height})");
            await page.ClickAsync(Key(question == 1 ? "open-selected" : "open-next"));
            await Assertions.Expect(page.Locator(".mud-snackbar")).ToContainTextAsync($"Question {question} is open.");
            problems.AddRange(await CoveredControlsAsync(page, $"{width}×{height}, question {question} opened"));
            problems.AddRange(await OverSignOutAsync(page, $"{width}×{height}, question {question} opened"));
            await ViewportScreenshotAsync(page, $"notice-open-{width}x{height}");

            await page.ClickAsync(Key("close-selected"));
            await Assertions.Expect(page.Locator(".mud-snackbar", new() { HasText = $"Question {question} is closed" })).ToBeVisibleAsync();
            await Assertions.Expect(page.Locator(".mud-snackbar")).ToHaveCountAsync(1, new() { Timeout = 1 }); // "opened" is gone, not stacked
            problems.AddRange(await CoveredControlsAsync(page, $"{width}×{height}, question {question} closed"));
            problems.AddRange(await OverSignOutAsync(page, $"{width}×{height}, question {question} closed"));
            await ViewportScreenshotAsync(page, $"notice-closed-{width}x{height}");
            question++;
        }
        Assert.True(problems.Count == 0, "a notice covers:\n" + string.Join("\n", problems));
    }

    [Fact]
    public async Task TheNoticesOfTheOtherPagesLeaveTheButtonClickedAndThePagesLastControlsClearOnAPhoneALaptopAndABigScreen()
    {
        await using var factory = new BrowserFactory();
        factory.StartOnKestrel();
        var (ev, _) = await Seed.EventAsync(factory.Services, "@codeweek_live",
            [.. Enumerable.Range(1, 8).Select(i => Seed.FreeText($"PAGES{i:000}", "go"))]);
        var (other, _) = await Seed.EventAsync(factory.Services, null);
        var goners = new List<int>();
        for (var i = 0; i < 3; i++)
            goners.Add((await Seed.EventAsync(factory.Services, null)).Event.Id);

        var page = await factory.SignedInPageAsync($"/events/{ev.Id}");
        var problems = new List<string>();
        foreach (var (width, height) in new[] { (390, 844), (1366, 768), (1920, 1080) })
        {
            await page.SetViewportSizeAsync(width, height);
            var size = $"{width}×{height}";

            // The event page: a copy made from the middle of the list, then the settings saved at its foot.
            await page.GotoAsync($"/events/{ev.Id}");
            await WaitForInteractiveAsync(page);
            problems.AddRange(await NoticeAfterAsync(page, Key("question-duplicate-4"), "copied", $"{size}, event page, Duplicate"));
            problems.AddRange(await NoticeAfterAsync(page, Key("event-save"), "Event saved", $"{size}, event page, Save"));

            // The question editor, its Save and add another pressed where the organizer scrolled to it.
            await page.GotoAsync($"/events/{other.Id}/questions/new");
            await WaitForInteractiveAsync(page);
            await page.FillAsync("#question-prompt", "Which keyword declares a constant in C#?");
            await page.FillAsync("#question-accepted", "const");
            await page.PressAsync("#question-accepted", "Tab");
            problems.AddRange(await NoticeAfterAsync(page, Key("question-save-another"), "saved", $"{size}, question editor, Save and add another"));

            // The list of events, one of them deleted.
            await page.GotoAsync("/");
            await WaitForInteractiveAsync(page);
            problems.AddRange(await NoticeAfterAsync(page, Key($"event-delete-{goners[0]}"), "was deleted", $"{size}, events, Delete",
                confirm: ".mud-dialog button:has-text('Delete')"));
            goners.RemoveAt(0);

            // The bot status page, a reply Telegram refused sent again.
            await using (var db = await factory.Services.GetRequiredService<IDbContextFactory<QuizDbContext>>().CreateDbContextAsync())
            {
                db.OutboxMessages.Add(new OutboxMessage
                {
                    Method = OutboxMethod.SendMessage, Purpose = OutboxPurpose.Reply, Priority = OutboxMessage.NormalPriority, ChatId = "555",
                    Text = "Recorded", Status = OutboxStatus.Failed, LastError = "502: Bad Gateway", CreatedAt = DateTimeOffset.UtcNow, NotBefore = DateTimeOffset.UtcNow,
                });
                await db.SaveChangesAsync();
            }
            var counters = factory.Services.GetRequiredService<OutboxCounters>();
            counters.Added(1);
            counters.Settled(sent: 0, failed: 1); // made, then given up, as the sender counts it
            await page.GotoAsync("/bot");
            await WaitForInteractiveAsync(page);
            problems.AddRange(await NoticeAfterAsync(page, Key("replies-again"), "to be sent again", $"{size}, bot status, Send the failed replies again"));
        }
        Assert.True(problems.Count == 0, "a notice covers:\n" + string.Join("\n", problems));
    }

    /// <summary>
    /// Clicks a button brought to the middle of the window, as an organizer scrolls to it, and waits for its notice: neither
    /// the button nor, the page scrolled to its end, any control is under the notice.
    /// </summary>
    static async Task<IEnumerable<string>> NoticeAfterAsync(IPage page, string button, string notice, string when, string? confirm = null)
    {
        await page.Locator(button).EvaluateAsync("b => b.scrollIntoView({ block: 'center' })");
        await page.Locator(button).ClickAsync();
        if (confirm is not null)
            await page.Locator(confirm).ClickAsync();
        await Assertions.Expect(page.Locator(".mud-snackbar", new() { HasText = notice })).ToBeVisibleAsync();
        var problems = (await CoveredControlsAsync(page, when, scroll: null, only: button)).ToList();
        problems.AddRange(await CoveredControlsAsync(page, $"{when}, scrolled to the end", scroll: "document.scrollingElement.scrollHeight"));
        // The page's end has room for the tallest notice too: a refusal, which says what happened and what to do.
        await page.Locator(".mud-snackbar .mud-snackbar-content-message").EvaluateAsync("m => m.textContent = " +
            "'Not saved: SQLite Error 13: database or disk is full. What you typed stays here: save again once answers are stored again.'");
        problems.AddRange(await CoveredControlsAsync(page, $"{when}, a refusal's notice, scrolled to the end", scroll: "document.scrollingElement.scrollHeight"));
        await ViewportScreenshotAsync(page, when.Replace('×', 'x').Replace(", ", "-").Replace(' ', '-'));
        return problems;
    }

    [Fact]
    public async Task ANameBeingTypedOnTheEventPageStaysWhenAnotherOrganizerRenamesTheEvent()
    {
        await using var factory = new BrowserFactory();
        factory.StartOnKestrel();
        var (ev, _) = await Seed.EventAsync(factory.Services, "@codeweek_live", Seed.FreeText("TYPING01", "go"));

        var page = await factory.SignedInPageAsync($"/events/{ev.Id}");
        // The organizer is typing the event's name, the field still focused: nothing committed yet.
        await page.Locator("#event-name").ClickAsync();
        await page.Keyboard.PressAsync("End");
        await page.Keyboard.TypeAsync(" grand final");
        var typed = await page.Locator("#event-name").InputValueAsync();

        using (var scope = factory.Services.CreateScope())
            Assert.True((await scope.ServiceProvider.GetRequiredService<CodeQuiz.Core.Quizzes.QuizCatalog>()
                .UpdateEventAsync(ev.Id, new CodeQuiz.Core.Quizzes.EventInput { Name = "Renamed elsewhere", ChannelId = "@codeweek_live" })).Succeeded);
        await Assertions.Expect(page.Locator("[data-testid=event-title]")).ToHaveTextAsync("Renamed elsewhere");

        Assert.Equal(typed, await page.Locator("#event-name").InputValueAsync());
        await page.Keyboard.PressAsync("Tab"); // committed
        await page.Locator("[data-testid=event-save]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=event-title]")).ToHaveTextAsync(typed);
    }

    /// <summary>
    /// Where a notice and Sign out meet: an organizer signing out at the end of the show, or another organizer taking the
    /// laptop over, found the notice of their last click over it (and over the name that says who is signed in).
    /// </summary>
    static async Task<IEnumerable<string>> OverSignOutAsync(IPage page, string when)
    {
        var signOut = (await page.Locator(Key("sign-out")).BoundingBoxAsync())!;
        var problems = new List<string>();
        foreach (var notice in await page.Locator(".mud-snackbar").AllAsync())
            if (await notice.BoundingBoxAsync() is { } n
                && n.X < signOut.X + signOut.Width && signOut.X < n.X + n.Width && n.Y < signOut.Y + signOut.Height && signOut.Y < n.Y + n.Height)
                problems.Add($"{when}: the notice at {n.X:0}..{n.X + n.Width:0} × {n.Y:0}..{n.Y + n.Height:0} is over Sign out at {signOut.X:0}..{signOut.X + signOut.Width:0} × {signOut.Y:0}..{signOut.Y + signOut.Height:0}");
        return problems;
    }

    /// <summary>
    /// The controls a notice lies over, the app bar's among them (its warning, Sign out). Not the live page's prompt: a box
    /// the keyboard enters only to scroll it, as wide as the page's right half, whose right end a notice in the corner may
    /// cover for its four seconds once the prompt has moved below the podium, the text being at its left.
    /// </summary>
    static async Task<IEnumerable<string>> CoveredControlsAsync(IPage page, string when, string? scroll = "0", string? only = null)
    {
        if (scroll is not null)
            await page.EvaluateAsync($"() => window.scrollTo(0, {scroll})");
        var covered = await page.EvaluateAsync<string[]>("""
            only => {
                const notices = [...document.querySelectorAll('.mud-snackbar')].map(n => n.getBoundingClientRect());
                const controls = [...document.querySelectorAll(only ?? 'button, a[href], input, select, textarea, [role=button], [tabindex]:not([tabindex="-1"])')]
                    .filter(c => !c.closest('.mud-snackbar') && c.dataset.testid !== 'prompt' && c.getClientRects().length > 0);
                return controls.flatMap(c => {
                    const r = c.getBoundingClientRect();
                    return notices.some(n => n.left < r.right && r.left < n.right && n.top < r.bottom && r.top < n.bottom)
                        ? [`${c.dataset.testid ?? c.getAttribute('aria-label') ?? c.textContent.trim()} at ${Math.round(r.left)}..${Math.round(r.right)} × ${Math.round(r.top)}..${Math.round(r.bottom)}`]
                        : [];
                });
            }
            """, only);
        return covered.Select(c => $"{when}: {c}");
    }

    [Fact]
    public async Task ADoubleClickOnDuplicateOrOnSaveAndAddAnotherDoesWhatOneClickDoes()
    {
        await using var factory = new BrowserFactory();
        factory.StartOnKestrel();
        var (ev, _) = await Seed.EventAsync(factory.Services, null, Seed.FreeText("DOUBLE01", "const"));
        async Task<int> QuestionsAsync()
        {
            await using var db = await factory.Services.GetRequiredService<IDbContextFactory<QuizDbContext>>().CreateDbContextAsync();
            return await db.Questions.CountAsync(q => q.EventId == ev.Id);
        }

        var page = await factory.NewPageAsync(height: 900);
        try
        {
            await SignInAsync(page);
            await page.GotoAsync($"/events/{ev.Id}");
            await WaitForInteractiveAsync(page);

            await page.DblClickAsync("[data-testid=question-duplicate-1]");
            // One click more: the circuit handles clicks in order, so once its copy shows, the double click is all handled.
            await page.ClickAsync("[data-testid=question-duplicate-1]");
            await page.WaitForSelectorAsync("[data-testid=question-3]");
            Assert.Equal(3, await QuestionsAsync());

            await page.GotoAsync($"/events/{ev.Id}/questions/new");
            await WaitForInteractiveAsync(page);
            await page.FillAsync("#question-prompt", "Which keyword declares a constant in C#?");
            await page.FillAsync("#question-accepted", "const");
            await page.PressAsync("#question-accepted", "Tab");
            await page.DblClickAsync("[data-testid=question-save-another]");
            await Assertions.Expect(page.Locator("#question-prompt")).ToHaveValueAsync("");
            // Again one step more, taken after the double click: the kind of the next question.
            await page.ClickAsync("[data-testid=question-kind-Numeric]");
            await page.WaitForSelectorAsync("#question-numeric-answer");
            await Assertions.Expect(page.Locator(".mud-input-control:has(#question-prompt)")).Not.ToContainTextAsync("The prompt is required");
            Assert.Equal(4, await QuestionsAsync());
        }
        catch (Exception)
        {
            await KeepFailureAsync(page);
            throw;
        }
    }

    [Fact]
    public async Task EachMultipleChoiceOptionHasItsCorrectRadioRightBeforeItOnALineOfItsOwn()
    {
        await using var factory = new BrowserFactory();
        factory.StartOnKestrel();
        var (ev, _) = await Seed.EventAsync(factory.Services, null);

        var page = await factory.SignedInPageAsync($"/events/{ev.Id}/questions/new");
        await page.ClickAsync("[data-testid=question-kind-MultipleChoice]");
        await page.ClickAsync("[data-testid=question-add-option]");
        await page.WaitForSelectorAsync("#question-option-3");

        // Left, right and top of each option's radio and field. A radio laid out beside the previous option's field, as it
        // was when the options wrapped two to a line, is easily taken for that option's, and the wrong answer marked right.
        var rows = await page.EvaluateAsync<double[][]>("""
            () => [...document.querySelectorAll('.option-row')].map(row => {
                const radio = row.querySelector('.mud-radio').getBoundingClientRect();
                const field = row.querySelector('input[id^=question-option-]').getBoundingClientRect();
                return [radio.left, radio.right, field.left, field.right, row.getBoundingClientRect().top];
            })
            """);
        Assert.Equal(4, rows.Length);
        foreach (var (row, i) in rows.Select((row, i) => (row, i)))
        {
            Assert.True(row[2] >= row[1] && row[2] - row[1] < 24, $"option {i}: radio {row[0]}..{row[1]}, field from {row[2]}");
            Assert.Equal(rows[0][0], row[0]); // the radios in one column
            if (i > 0)
                Assert.True(row[4] > rows[i - 1][4], $"option {i} is on the line of option {i - 1}");
        }
    }

    [Fact]
    public async Task ASaveRefusedForMistakesTakesTheKeyboardToTheFirstOfThem()
    {
        await using var factory = new BrowserFactory();
        factory.StartOnKestrel();
        var (ev, _) = await Seed.EventAsync(factory.Services, null);

        var page = await factory.SignedInPageAsync($"/events/{ev.Id}/questions/new");
        async Task SaveWithTheKeyboardAsync()
        {
            await page.FocusAsync(Key("question-save"));
            await page.Keyboard.PressAsync("Enter");
        }

        // Nothing typed: the prompt, the first of the two mistakes, is where typing goes on.
        await SaveWithTheKeyboardAsync();
        await Assertions.Expect(page.Locator("#question-prompt")).ToBeFocusedAsync();
        await Assertions.Expect(page.Locator(".mud-input-control:has(#question-prompt)")).ToContainTextAsync("The prompt is required.");
        await page.Keyboard.TypeAsync("Which keyword declares a constant in C#?");

        // The prompt is fine now: on to the accepted answers, below it.
        await SaveWithTheKeyboardAsync();
        await Assertions.Expect(page.Locator("#question-accepted")).ToBeFocusedAsync();

        // A multiple choice question without its correct option marked: to the options, at their first radio.
        await page.ClickAsync(Key("question-kind-MultipleChoice"));
        await page.FillAsync("#question-option-0", "let");
        await page.FillAsync("#question-option-1", "const");
        await SaveWithTheKeyboardAsync();
        await Assertions.Expect(page.Locator(Key("question-correct-error"))).ToContainTextAsync("Choose the correct option.");
        // The message shows with the render; the keyboard moves in the script run after it.
        try
        {
            await page.WaitForFunctionAsync("() => document.activeElement?.closest('[data-testid=question-options]') != null", null, new() { Timeout = 15_000 });
        }
        catch (TimeoutException)
        {
            Assert.Fail("The keyboard is on " + await page.EvaluateAsync<string>("() => document.activeElement?.outerHTML ?? 'nothing'"));
        }
    }

    [Fact]
    public async Task ClosingTheTabOfAQuestionWithUnsavedTypingAsksFirst()
    {
        await using var factory = new BrowserFactory();
        factory.StartOnKestrel();
        var (ev, _) = await Seed.EventAsync(factory.Services, null);

        var page = await factory.SignedInPageAsync($"/events/{ev.Id}/questions/new");
        // What closing the tab, reloading or typing another address does first: a cancelled beforeunload is the browser's "Leave site?".
        const string leaveSiteAsked = "() => { const e = new Event('beforeunload', { cancelable: true }); dispatchEvent(e); return e.defaultPrevented; }";

        Assert.False(await page.EvaluateAsync<bool>(leaveSiteAsked)); // nothing typed yet

        await page.ClickAsync("#question-prompt");
        await page.Keyboard.TypeAsync("What does this print?");
        await page.WaitForFunctionAsync(leaveSiteAsked, null, new() { Timeout = 10_000 });

        await page.FillAsync("#question-accepted", "42");
        await page.ClickAsync(Key("question-save"));
        await page.WaitForSelectorAsync(Key("question-1"));
        Assert.False(await page.EvaluateAsync<bool>(leaveSiteAsked)); // saved: the tab closes without a word
    }

    [Fact]
    public async Task WhatWasTypedBeforeTheTabReloadedIsOfferedBack()
    {
        await using var factory = new BrowserFactory();
        factory.StartOnKestrel();
        var (ev, questions) = await Seed.EventAsync(factory.Services, null, Seed.FreeText("RELOAD01", "go"));

        var page = await factory.NewPageAsync();
        page.Dialog += async (_, dialog) => await dialog.AcceptAsync(); // "Reload site?": yes, as when the server is back after a restart
        await SignInAsync(page);
        await page.GotoAsync($"/questions/{questions[0].Id}/edit");
        await WaitForInteractiveAsync(page);
        const string prompt = "Which language has goroutines and channels?\n```\ngo func() { ch <- 1 }()\n```";
        await page.FillAsync("#question-prompt", prompt);
        await page.FillAsync("#question-accepted", "go\ngolang");
        await page.PressAsync("#question-accepted", "Tab");
        await Assertions.Expect(page.Locator(Key("prompt-preview-chat"))).ToContainTextAsync("goroutines and channels"); // the server has it
        // ... and the tab keeps it, the last field too (kept after the render that follows each change).
        await page.WaitForFunctionAsync("() => Object.keys(sessionStorage).some(k => k.startsWith('codequiz-') && sessionStorage.getItem(k).includes('golang'))");

        // A restart of the server ends the tab's circuit: the page loads again, from scratch.
        await page.ReloadAsync();
        await WaitForInteractiveAsync(page);
        await page.ClickAsync(Key("question-draft-restore"));

        await Assertions.Expect(page.Locator("#question-prompt")).ToHaveValueAsync(prompt);
        await Assertions.Expect(page.Locator("#question-accepted")).ToHaveValueAsync("go\ngolang");
        await page.ClickAsync(Key("question-save"));
        await page.WaitForSelectorAsync(Key("question-1"));
        await using var db = await factory.Services.GetRequiredService<IDbContextFactory<QuizDbContext>>().CreateDbContextAsync();
        Assert.Equal(prompt, (await db.Questions.SingleAsync(q => q.EventId == ev.Id)).Prompt);

        // Saved: the tab keeps nothing more to offer back.
        Assert.Equal(0, await page.EvaluateAsync<int>("() => Object.keys(sessionStorage).filter(k => k.startsWith('codequiz-')).length"));
    }

    [Fact]
    public async Task ADraftOfferedBackAfterAReloadIsNotSavedOverAColleaguesVersionSavedInBetween()
    {
        await using var factory = new BrowserFactory();
        factory.StartOnKestrel();
        var (_, questions) = await Seed.EventAsync(factory.Services, null, Seed.FreeText("RELOAD02", "go"));
        var id = questions[0].Id;

        var page = await factory.NewPageAsync();
        page.Dialog += async (_, dialog) => await dialog.AcceptAsync(); // "Reload site?": yes
        await SignInAsync(page);
        await page.GotoAsync($"/questions/{id}/edit");
        await WaitForInteractiveAsync(page);
        const string mine = "Which language has goroutines? (one word)";
        await page.FillAsync("#question-prompt", mine);
        await Assertions.Expect(page.Locator(Key("prompt-preview-chat"))).ToContainTextAsync("(one word)"); // the server has it

        // A colleague saves the question from their laptop; then this tab's page loads again, with their version.
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var catalog = scope.ServiceProvider.GetRequiredService<QuizCatalog>();
            Assert.True((await catalog.UpdateQuestionAsync(id, new QuestionInput { Prompt = "Which language has goroutines and channels?", AcceptedAnswers = ["go"] })).Succeeded);
        }
        await page.ReloadAsync();
        await WaitForInteractiveAsync(page);
        await page.ClickAsync(Key("question-draft-restore"));
        await Assertions.Expect(page.Locator("#question-prompt")).ToHaveValueAsync(mine);

        // Said on restoring, before anything is saved.
        await Assertions.Expect(page.Locator(Key("question-conflict"))).ToContainTextAsync("Another organizer saved question 1 after this tab kept what you typed");
        async Task<string> StoredAsync()
        {
            await using var db = await factory.Services.GetRequiredService<IDbContextFactory<QuizDbContext>>().CreateDbContextAsync();
            return (await db.Questions.SingleAsync(q => q.Id == id)).Prompt;
        }
        Assert.Equal("Which language has goroutines and channels?", await StoredAsync());

        await page.ClickAsync(Key("question-save")); // knowing theirs is there
        await page.WaitForSelectorAsync(Key("question-1"));
        Assert.Equal(mine, await StoredAsync());
    }

    [Fact]
    public async Task OnAPhoneTheEventListFitsTheScreenWithGoLiveInView()
    {
        // A co-host joins the show from a phone: the way to the live page must not be off the right edge of the screen.
        await using var factory = new BrowserFactory();
        factory.StartOnKestrel();
        var (ev, _) = await Seed.EventAsync(factory.Services, "@codeweek_live");
        var page = await factory.SignedInPageAsync("/");

        await page.SetViewportSizeAsync(390, 844);

        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = $"Go live with {ev.Name}" })).ToBeInViewportAsync(new() { Ratio = 1 });
        var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - document.documentElement.clientWidth");
        Assert.True(overflow <= 0, $"the event list is {overflow} px wider than a 390 px phone");
    }

    [Fact]
    public async Task OnAPhoneLongWordsInAnswersNamesAndPromptsWrapInsteadOfWideningThePages()
    {
        // A co-host follows the show on a phone; somebody pastes a URL as their answer and has a name of one long word.
        await using var factory = new BrowserFactory();
        factory.StartOnKestrel();
        var word = string.Concat(Enumerable.Repeat("Supercalifragilistic", 6));
        var question = Seed.FreeText("PHONE00001", "go", word);
        question.Prompt = "Which language has goroutines? " + word;
        var (ev, _) = await Seed.EventAsync(factory.Services, "@codeweek_live", question);
        var simulator = factory.Services.GetRequiredService<TelegramSimulator>();
        var page = await factory.SignedInPageAsync($"/events/{ev.Id}/live");
        await page.SetViewportSizeAsync(390, 844);

        await page.ClickAsync("[data-testid=open-selected]");
        await Assertions.Expect(page.Locator("[data-testid=close-selected]")).ToBeVisibleAsync();
        var wrong = new SimUser(7001, "Wolfeschlegelsteinhausenbergerdorffwelchevoralternwarengewissenhaftschaferswessenschafewarenwohlgepflegt");
        var right = new SimUser(7002, word);
        simulator.SendText(wrong, "/start PHONE00001");
        simulator.SendText(wrong, "https://example.com/" + word + "/" + word);
        simulator.SendText(right, "/start PHONE00001");
        simulator.SendText(right, word);
        await Assertions.Expect(page.Locator("[data-testid=recent-answers] li")).ToHaveCountAsync(2, new() { Timeout = 30_000 });

        var problems = new List<string>();
        problems.AddRange(await WiderThanTheScreenAsync(page, "live, open"));
        await ScreenshotAsync(page, "live-phone-long-words");
        await page.ClickAsync("[data-testid=close-selected]");
        await page.WaitForSelectorAsync("ol[data-testid=ranking-list]");
        problems.AddRange(await WiderThanTheScreenAsync(page, "live, closed"));
        await page.GotoAsync($"/events/{ev.Id}");
        await WaitForInteractiveAsync(page);
        problems.AddRange(await WiderThanTheScreenAsync(page, "event"));
        await page.GotoAsync($"/events/{ev.Id}/results");
        await WaitForInteractiveAsync(page);
        problems.AddRange(await WiderThanTheScreenAsync(page, "results"));
        Assert.True(problems.Count == 0, "wider than a 390 px phone:\n" + string.Join("\n", problems));
    }

    /// <summary>
    /// What sticks out past the right edge of the screen (the deepest such elements, so the message names the culprit) and
    /// each element of the page's content that scrolls sideways inside itself; text cut with an ellipsis or inside a field is fine.
    /// </summary>
    static async Task<IEnumerable<string>> WiderThanTheScreenAsync(IPage page, string where) =>
        (await page.EvaluateAsync<string[]>("""
            () => {
                const edge = document.documentElement.clientWidth + 1;
                const out = e => e.getBoundingClientRect().right > edge && !e.closest('.visually-hidden');
                const name = e => `${e.tagName.toLowerCase()}.${[...e.classList].join('.')} "${e.textContent.trim().slice(0, 40)}"`;
                return [
                    ...[...document.querySelectorAll('body *')].filter(e => out(e) && ![...e.children].some(out))
                        .map(e => `${name(e)} reaches ${Math.round(e.getBoundingClientRect().right)} px`),
                    ...[...document.querySelectorAll('main *')]
                        .filter(e => e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX !== 'visible'
                            && getComputedStyle(e).textOverflow !== 'ellipsis' && !e.closest('input, textarea, .visually-hidden, pre'))
                        .map(e => `${name(e)} scrolls sideways: ${e.scrollWidth} px in ${e.clientWidth}`),
                ];
            }
            """)).Select(p => $"{where}: {p}");

    [Fact]
    public async Task TheChosenScoringShowsWholeInItsFieldWithWhatItMeansBelowIt()
    {
        await using var factory = new BrowserFactory();
        factory.StartOnKestrel();
        var (ev, _) = await Seed.EventAsync(factory.Services, null);
        var page = await factory.SignedInPageAsync($"/events/{ev.Id}");
        var field = page.Locator(Key("event-scoring")); // the combobox, which shows the chosen name
        var problems = new List<string>();
        async Task CheckAsync(string mode)
        {
            foreach (var (width, height) in new[] { (390, 844), (1366, 768), (1920, 1080) })
            {
                await page.SetViewportSizeAsync(width, height);
                if (await field.EvaluateAsync<bool>("e => e.scrollWidth > e.clientWidth"))
                    problems.Add($"{mode} at {width} px: \"{await field.InnerTextAsync()}\" is cut short");
            }
        }

        await Assertions.Expect(field).ToHaveTextAsync("Most correct, then fastest");
        await Assertions.Expect(page.Locator(Key("event-settings"))).ToContainTextAsync("a tie goes to the shortest total delay");
        await CheckAsync("most correct");
        await field.ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = "Speed points" }).ClickAsync();
        await Assertions.Expect(field).ToHaveTextAsync("Speed points");
        await Assertions.Expect(page.Locator(Key("event-settings"))).ToContainTextAsync("earns more points the faster it came");
        await CheckAsync("speed points");
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public async Task TheEventListFollowsAnotherOrganizersChangesWithoutAReload()
    {
        await using var factory = new BrowserFactory();
        factory.StartOnKestrel();
        var (rehearsal, _) = await Seed.EventAsync(factory.Services, null);

        // Two organizers, each signed in in a browser of their own.
        var mine = await factory.SignedInPageAsync("/");
        var theirs = await factory.SignedInPageAsync("/");
        await mine.ClickAsync(Key("event-new"));
        await mine.FillAsync("#event-name", "Code Week 2026 semi");

        await theirs.ClickAsync(Key("event-new"));
        await theirs.FillAsync("#event-name", "Code Week 2026 final");
        await theirs.PressAsync("#event-name", "Tab");
        await theirs.ClickAsync(Key("event-save"));
        await Assertions.Expect(theirs).ToHaveURLAsync(new Regex(@"/events/\d+$"), Patient);

        await Assertions.Expect(mine.Locator(Key("events"))).ToContainTextAsync("Code Week 2026 final", new() { Timeout = 15_000 });
        await Assertions.Expect(mine.Locator("#event-name")).ToHaveValueAsync("Code Week 2026 semi"); // what I was typing stays

        await theirs.GotoAsync("/");
        await WaitForInteractiveAsync(theirs);
        await theirs.ClickAsync(Key($"event-delete-{rehearsal.Id}"));
        await theirs.ClickAsync(".mud-dialog button:has-text('Delete')");

        await Assertions.Expect(mine.Locator(Key($"event-{rehearsal.Id}"))).ToHaveCountAsync(0, new() { Timeout = 15_000 });
        await Assertions.Expect(mine.Locator("#event-name")).ToHaveValueAsync("Code Week 2026 semi");
    }

    [Fact]
    public async Task TheImportCsvButtonShowsWhenTheKeyboardIsOnIt()
    {
        await using var factory = new BrowserFactory();
        factory.StartOnKestrel();
        var (ev, _) = await Seed.EventAsync(factory.Services, null);

        var page = await factory.SignedInPageAsync($"/events/{ev.Id}");
        await page.WaitForSelectorAsync(Key("no-questions"));

        // The file input itself is hidden behind its "Import CSV…" label: Tab reaches the input, the label must show it.
        await page.FocusAsync($"{Key("csv-format")} summary");
        await page.Keyboard.PressAsync("Tab");
        await Assertions.Expect(page.Locator("#csv-import")).ToBeFocusedAsync();
        Assert.NotEqual("none", await page.EvalOnSelectorAsync<string>("label.csv-import", "label => getComputedStyle(label).outlineStyle"));
    }

    [Fact]
    public async Task TheSignInPageAndTheConsolesPagesHaveTheirContentInAMainLandmark()
    {
        await using var factory = new BrowserFactory();
        factory.StartOnKestrel();

        var page = await factory.NewPageAsync();
        await page.GotoAsync("/account/login");
        await Assertions.Expect(page.GetByRole(AriaRole.Main).GetByRole(AriaRole.Heading, new() { Name = "Sign in", Level = 1 })).ToBeVisibleAsync();

        await SignInAsync(page);
        await WaitForInteractiveAsync(page);
        await Assertions.Expect(page.GetByRole(AriaRole.Main)).ToHaveCountAsync(1);
        await Assertions.Expect(page.GetByRole(AriaRole.Main).GetByRole(AriaRole.Heading, new() { Name = "Events", Level = 1 })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Banner).GetByRole(AriaRole.Navigation, new() { Name = "Console" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task EveryControlTheKeyboardReachesShowsARing()
    {
        await using var factory = new BrowserFactory();
        factory.StartOnKestrel();
        var (ev, _) = await Seed.EventAsync(factory.Services, null, Seed.FreeText("RING0001", "go"));

        var page = await factory.SignedInPageAsync();

        // The ring of what has the focus, or of the round button around a focused switch's hidden input.
        const string Ring = """
            () => {
                const a = document.activeElement, e = a.matches('input[type=checkbox]') ? a.closest('.mud-button-root') : a;
                const s = getComputedStyle(e);
                return `${a.textContent.trim() || a.getAttribute('aria-label') || a.outerHTML.slice(0, 80)}: ${s.outlineStyle} ${s.outlineWidth}`;
            }
            """;
        var seen = new List<string>();
        // The event list (buttons, links, an icon button), then the QR sheet's switch.
        await page.Locator(Key("event-new")).FocusAsync();
        for (var i = 0; i < 6; i++, await page.Keyboard.PressAsync("Tab"))
            seen.Add(await page.EvaluateAsync<string>(Ring));
        await page.GotoAsync($"/events/{ev.Id}/qr");
        await WaitForInteractiveAsync(page);
        while (!await page.EvaluateAsync<bool>("() => document.activeElement.matches('input[type=checkbox]')") && seen.Count < 40)
            await page.Keyboard.PressAsync("Tab");
        seen.Add(await page.EvaluateAsync<string>(Ring));

        Assert.True(seen.Any(s => s.StartsWith($"Delete {ev.Name}")) && seen.Any(s => s.Contains("qr-posters")), string.Join(" | ", seen));
        Assert.All(seen, s => Assert.EndsWith("solid 2px", s));
    }

    [Fact]
    public async Task AConfirmationStartsOnItsSafeAnswerAndEscapeGivesIt()
    {
        await using var factory = new BrowserFactory();
        factory.StartOnKestrel();
        var (ev, _) = await Seed.EventAsync(factory.Services, null);

        var page = await factory.SignedInPageAsync();

        // An Enter held a little long on Delete must not also answer the question it asks.
        var delete = page.Locator(Key($"event-delete-{ev.Id}"));
        await delete.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        var dialog = page.GetByRole(AriaRole.Dialog, new() { Name = $"Delete {ev.Name}?" });
        await Assertions.Expect(dialog.GetByRole(AriaRole.Button, new() { Name = "Keep it" })).ToBeFocusedAsync(new() { Timeout = 10_000 });

        await page.Keyboard.PressAsync("Escape");
        await Assertions.Expect(dialog).ToHaveCountAsync(0, new() { Timeout = 10_000 });
        await Assertions.Expect(delete).ToBeFocusedAsync(new() { Timeout = 10_000 });
        await Assertions.Expect(page.Locator(Key($"event-{ev.Id}"))).ToBeVisibleAsync();
    }

    [Fact]
    public async Task AfterADeleteOrAStartOverFromTheKeyboardTheFocusIsOnTheNextRowNotBackAtTheTopOfThePage()
    {
        await using var factory = new BrowserFactory();
        factory.StartOnKestrel();
        var closed = Seed.FreeText("KEYS000001", "go");
        closed.State = QuestionState.Closed;
        closed.OpenedAt = closed.ClosedAt = DateTimeOffset.UtcNow;
        var (ev, _) = await Seed.EventAsync(factory.Services, null, closed, Seed.FreeText("KEYS000002", "go"), Seed.FreeText("KEYS000003", "go"));
        var (other, _) = await Seed.EventAsync(factory.Services, null);
        var page = await factory.SignedInPageAsync($"/events/{ev.Id}");

        // Deleted with the keyboard alone: the next Tab must go on from where the organizer was, not from the app bar.
        async Task ConfirmAsync(string opener, string dialogTitle, string yes)
        {
            await page.Locator(Key(opener)).FocusAsync();
            await page.Keyboard.PressAsync("Enter");
            var dialog = page.GetByRole(AriaRole.Dialog, new() { Name = dialogTitle });
            await Assertions.Expect(dialog.GetByRole(AriaRole.Button, new() { Name = "Keep", Exact = false })).ToBeFocusedAsync(); // the safe answer, once the dialog is ready
            await dialog.GetByRole(AriaRole.Button, new() { Name = yes, Exact = true }).FocusAsync();
            await page.Keyboard.PressAsync("Enter");
            await Assertions.Expect(dialog).ToHaveCountAsync(0);
        }
        await ConfirmAsync("question-delete-2", "Delete question 2?", "Delete");
        await Assertions.Expect(page.Locator(Key("question-3"))).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator(Key("question-delete-2"))).ToBeFocusedAsync(); // the question that moved up into its place
        Assert.Contains("KEYS000003", await page.Locator(Key("question-2")).TextContentAsync());

        await ConfirmAsync("question-delete-2", "Delete question 2?", "Delete"); // the last one: the one before it
        await Assertions.Expect(page.Locator(Key("question-2"))).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator(Key("question-duplicate-1"))).ToBeFocusedAsync(); // question 1 was opened: no delete

        await ConfirmAsync("event-start-over", "Start the event over?", "Start over"); // the button goes with the answers
        await Assertions.Expect(page.Locator(Key("event-start-over"))).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator(Key("question-new"))).ToBeFocusedAsync();

        await page.GotoAsync("/");
        await WaitForInteractiveAsync(page);
        await ConfirmAsync($"event-delete-{ev.Id}", $"Delete {ev.Name}?", "Delete");
        await Assertions.Expect(page.Locator(Key($"event-{ev.Id}"))).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator(Key($"event-delete-{other.Id}"))).ToBeFocusedAsync();
        await ConfirmAsync($"event-delete-{other.Id}", $"Delete {other.Name}?", "Delete");
        await Assertions.Expect(page.Locator(Key("no-events"))).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator(Key("event-new"))).ToBeFocusedAsync();
    }

    [Fact]
    public async Task AQuestionDraggedByItsHandleInChromiumLandsWhereItIsDropped()
    {
        await using var factory = new BrowserFactory();
        factory.StartOnKestrel();
        var (ev, _) = await Seed.EventAsync(factory.Services, null,
            Seed.FreeText("DRAG000001", "go"), Seed.FreeText("DRAG000002", "go"), Seed.FreeText("DRAG000003", "go"), Seed.FreeText("DRAG000004", "go"));
        var page = await factory.SignedInPageAsync($"/events/{ev.Id}");

        async Task<string[]> CodesInOrderAsync()
        {
            await using var db = await factory.Services.GetRequiredService<IDbContextFactory<QuizDbContext>>().CreateDbContextAsync();
            return await db.Questions.Where(q => q.EventId == ev.Id).OrderBy(q => q.Position).Select(q => q.Code).ToArrayAsync();
        }

        // As an organizer drags: pressed on the handle, moved over the rows in steps, a pause on the target, let go.
        var handle = page.Locator(Key("question-drag-1"));
        var target = await page.Locator(Key("question-3")).BoundingBoxAsync() ?? throw new InvalidOperationException("no third row");
        await handle.HoverAsync();
        await page.Mouse.DownAsync();
        await page.Mouse.MoveAsync(target.X + target.Width / 2, target.Y + target.Height / 2, new() { Steps = 10 });
        await Assertions.Expect(page.Locator(Key("question-3"))).ToHaveClassAsync(new Regex("drop-below"));
        await page.Mouse.UpAsync();
        await Assertions.Expect(page.Locator(Key("question-3"))).ToContainTextAsync("DRAG000001");
        Assert.Equal(["DRAG000002", "DRAG000003", "DRAG000001", "DRAG000004"], await CodesInOrderAsync());
        await Assertions.Expect(page.Locator(".drop-below, .drop-above")).ToHaveCountAsync(0);

        // Up, with Playwright's own drag (pressed, moved and let go at once): before the row it is dropped on.
        await page.Locator(Key("question-drag-4")).DragToAsync(page.Locator(Key("question-1")));
        await Assertions.Expect(page.Locator(Key("question-1"))).ToContainTextAsync("DRAG000004");
        Assert.Equal(["DRAG000004", "DRAG000002", "DRAG000003", "DRAG000001"], await CodesInOrderAsync());

        // The moved question's row flashes where it went, and again when the same question moves once more (an arrow's
        // click, once the flash is over).
        async Task<string[]> FlashesAsync(string row) => await page.Locator(Key(row)).EvaluateAsync<string[]>(
            "row => row.getAnimations().map(a => a.animationName)");
        await Assertions.Expect(page.Locator(Key("question-1"))).ToHaveClassAsync(new Regex(@"\bmoved\b"));
        Assert.NotEmpty(await FlashesAsync("question-1"));
        await page.WaitForFunctionAsync("() => document.querySelector('[data-testid=question-1]').getAnimations().length === 0"); // over
        await page.Locator(Key("question-down-1")).ClickAsync();
        await Assertions.Expect(page.Locator(Key("question-2"))).ToContainTextAsync("DRAG000004");
        Assert.NotEmpty(await FlashesAsync("question-2"));
        Assert.Empty(await FlashesAsync("question-1")); // the question now under the pointer does not flash
    }

    [Fact]
    public async Task TheGreyedStartOverButtonSaysWhichQuestionToCloseFirst()
    {
        await using var factory = new BrowserFactory();
        factory.StartOnKestrel();
        var (ev, questions) = await Seed.EventAsync(factory.Services, null, Seed.FreeText("HINT0001", "go"), Seed.FreeText("HINT0002", "go"));
        await factory.Services.GetRequiredService<IQuizLifecycle>().OpenAsync(questions[1].Id);

        var page = await factory.SignedInPageAsync($"/events/{ev.Id}");
        await Assertions.Expect(page.Locator("[data-testid=event-start-over]")).ToBeDisabledAsync();

        // The browser shows the title of the element under the pointer or of its nearest ancestor with one; a disabled
        // MudBlazor button lets the pointer through, so only a title on what is under the pointer ever shows.
        var hint = await page.EvaluateAsync<string?>("""
            () => {
                const r = document.querySelector('[data-testid=event-start-over]').getBoundingClientRect();
                return document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2)?.closest('[title]')?.title ?? null;
            }
            """);
        Assert.Equal("Close question 2 first", hint);
    }

    [Fact]
    public async Task OpenCloseAndThePublishedRankingAreReachedFromTheKeyboardOneStepAfterTheOther()
    {
        await using var factory = new BrowserFactory();
        factory.StartOnKestrel();
        var (ev, _) = await Seed.EventAsync(factory.Services, null, Seed.FreeText("KEYS0001", "go"));

        var page = await factory.SignedInPageAsync($"/events/{ev.Id}/live");

        // Reached with Tab alone, from the top of the page.
        var open = page.Locator(Key("open-selected"));
        for (var i = 0; i < 40 && !await open.EvaluateAsync<bool>("e => e === document.activeElement"); i++)
            await page.Keyboard.PressAsync("Tab");
        await Assertions.Expect(open).ToBeFocusedAsync(new() { Timeout = 1 });
        await Assertions.Expect(open).ToHaveAccessibleNameAsync("Open question 1");

        // The keyboard goes on from what the step brought (the question, then the ranking), not from the top of the page,
        // and never from the next step's button, where a held Enter would repeat: Close is one Tab further.
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator(Key("prompt"))).ToBeFocusedAsync(new() { Timeout = 10_000 });
        var close = page.Locator(Key("close-selected"));
        await page.Keyboard.PressAsync("Tab");
        await Assertions.Expect(close).ToBeFocusedAsync(new() { Timeout = 1 });
        await Assertions.Expect(close).ToHaveAccessibleNameAsync("Close and publish the ranking");
        await Assertions.Expect(page.Locator(Key("close-question-1"))).ToHaveAccessibleNameAsync("Close question 1 and publish the ranking");

        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator(Key("ranking-heading"))).ToBeFocusedAsync(new() { Timeout = 10_000 });
        await Assertions.Expect(page.Locator(Key("ranking-list"))).ToContainTextAsync("No correct answers");
    }

    [Fact]
    public async Task CopyLinkCopiesOnAPlainHttpAddressWhereTheBrowserHasNoClipboardApi()
    {
        await using var factory = new BrowserFactory();
        factory.StartOnKestrel();
        var (ev, _) = await Seed.EventAsync(factory.Services, null, Seed.FreeText("COPY0001", "go"));

        var page = await factory.NewPageAsync();
        // As on a tablet opening the laptop's http://192.168.… address: no navigator.clipboard outside HTTPS and localhost.
        await page.AddInitScriptAsync("""
            Object.defineProperty(Navigator.prototype, 'clipboard', { get: () => undefined });
            document.addEventListener('copy', e => {
                const t = e.target;
                window.copiedText = t.value !== undefined ? t.value.substring(t.selectionStart, t.selectionEnd) : document.getSelection().toString();
            });
            """);
        await SignInAsync(page);
        await page.GotoAsync($"/events/{ev.Id}/live");
        await WaitForInteractiveAsync(page);

        var copy = page.Locator(Key("copy-presenter-link"));
        await copy.ClickAsync();

        await Assertions.Expect(page.GetByText("Presenter link copied.")).ToBeVisibleAsync(new() { Timeout = 15_000 });
        Assert.Equal(await page.Locator($"{Key("presenter-link-card")} input").InputValueAsync(), await page.EvaluateAsync<string>("() => window.copiedText"));
        await Assertions.Expect(copy).ToBeFocusedAsync(); // the keyboard stays on the button
    }

    [Fact]
    public async Task ADoubleClickOnOpenOrCloseDoesWhatOneClickDoesNotTheNextStep()
    {
        await using var factory = new BrowserFactory();
        factory.StartOnKestrel();
        var (ev, _) = await Seed.EventAsync(factory.Services, null, Seed.FreeText("DOUBLE01", "go"), Seed.FreeText("DOUBLE02", "rust"));

        var page = await factory.SignedInPageAsync($"/events/{ev.Id}/live");
        async Task<QuestionState[]> StatesAsync()
        {
            await using var db = await factory.Services.GetRequiredService<IDbContextFactory<QuizDbContext>>().CreateDbContextAsync();
            return await db.Questions.OrderBy(q => q.Position).Select(q => q.State).ToArrayAsync();
        }

        // A person's double-click: the second click comes a moment later, when Open has already become Close (and Close the
        // next Open) under the pointer, and it counts 2.
        static async Task HumanDoubleClickAsync(IPage page, string selector)
        {
            var box = (await page.Locator(selector).BoundingBoxAsync())!;
            var (x, y) = (box.X + box.Width / 2, box.Y + box.Height / 2);
            await page.Mouse.MoveAsync(x, y);
            await page.Mouse.DownAsync();
            await page.Mouse.UpAsync();
            await Task.Delay(250);
            await page.Mouse.DownAsync(new() { ClickCount = 2 });
            await page.Mouse.UpAsync(new() { ClickCount = 2 });
        }

        // Open's place is taken by Close, and Close's by the next Open: a double-click must not go on to them.
        await HumanDoubleClickAsync(page, Key("open-selected"));
        await Assertions.Expect(page.Locator(Key("close-selected"))).ToBeVisibleAsync();
        await Task.Delay(1000);
        Assert.Equal([QuestionState.Open, QuestionState.Draft], await StatesAsync());

        await HumanDoubleClickAsync(page, Key("close-selected"));
        await Assertions.Expect(page.Locator(Key("open-next"))).ToBeVisibleAsync();
        await Task.Delay(1000);
        Assert.Equal([QuestionState.Closed, QuestionState.Draft], await StatesAsync());

        // The list's own buttons too.
        await HumanDoubleClickAsync(page, $"[data-testid=live-question-2] {Key("open-question-2")}");
        await Assertions.Expect(page.Locator(Key("close-question-2"))).ToBeVisibleAsync();
        await Task.Delay(1000);
        Assert.Equal([QuestionState.Closed, QuestionState.Open], await StatesAsync());
    }

    [Fact]
    public async Task AfterALongBreakTheLivePageIsBackWithinSecondsOfTheServer()
    {
        await using var factory = new BrowserFactory();
        factory.StartOnKestrel();
        var (ev, _) = await Seed.EventAsync(factory.Services, null, Seed.FreeText("BREAK001", "go"));

        var page = await factory.SignedInPageAsync($"/events/{ev.Id}/live");

        // The venue's network drops for a minute: the circuit stays on the server, the browser cannot reach it.
        await page.RouteAsync("**/_blazor/negotiate**", route => route.AbortAsync());
        await page.EvaluateAsync("() => Blazor._internal.forceCloseConnection()");
        var modal = page.Locator("#components-reconnect-modal");
        await Assertions.Expect(modal).ToHaveClassAsync(new Regex("components-reconnect-retrying"));
        var longestWait = 0;
        var brokeAt = DateTime.UtcNow;
        while (DateTime.UtcNow - brokeAt < TimeSpan.FromSeconds(60))
        {
            var shown = await page.Locator("#components-seconds-to-next-attempt").TextContentAsync();
            if (int.TryParse(shown, out var seconds))
                longestWait = Math.Max(longestWait, seconds);
            await page.WaitForTimeoutAsync(500);
        }
        Assert.True(longestWait <= 5, $"the page said it would wait {longestWait} s before trying again");
        Assert.Contains("Still no connection to the server", await modal.InnerTextAsync());
        Assert.DoesNotContain("lost its connection", await modal.InnerTextAsync()); // one message at a time, not both

        await page.UnrouteAllAsync();
        var backAt = DateTime.UtcNow;
        await Assertions.Expect(modal).Not.ToHaveAttributeAsync("open", "", new() { Timeout = 15_000 });
        Assert.True(DateTime.UtcNow - backAt < TimeSpan.FromSeconds(8), $"back after {(DateTime.UtcNow - backAt).TotalSeconds:0.0} s");
        await page.ClickAsync(Key("open-selected"));
        await page.WaitForSelectorAsync(Key("close-selected"));
    }

    /// <summary>
    /// What a maximized browser leaves of a 1366×768 laptop, of a 1920×1080 one at Windows' usual 125% scaling, and of
    /// one at 100%: the screen less the taskbar, tabs and address bar (about 110 px).
    /// </summary>
    static readonly (int Width, int Height)[] Laptops = [(1366, 657), (1536, 753), (1920, 969)];

    static string Key(string testId) => $"[data-testid={testId}]";

    /// <summary>The elements not wholly inside the window as the page opens, unscrolled, or covered by another there.</summary>
    static async Task<IEnumerable<string>> OutOfViewAsync(IPage page, string where, params string[] selectors)
    {
        await page.EvaluateAsync("() => window.scrollTo(0, 0)");
        var wrong = await page.EvaluateAsync<string[]>("""
            selectors => selectors.flatMap(id => {
                const e = document.querySelector(id);
                if (!e) return [`${id}: missing`];
                const r = e.getBoundingClientRect();
                if (r.top < 0 || r.left < 0 || r.bottom > innerHeight || r.right > innerWidth)
                    return [`${id}: ${Math.round(r.left)}..${Math.round(r.right)} × ${Math.round(r.top)}..${Math.round(r.bottom)} in ${innerWidth}×${innerHeight}`];
                const top = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
                return top && (e.contains(top) || top.contains(e)) ? [] : [`${id}: covered by ${top?.className}`];
            })
            """, selectors);
        return wrong.Select(w => $"{where}: {w}");
    }

    /// <summary>What the organizer sees without scrolling, for a look: not docs/console.md's (those are whole pages).</summary>
    static async Task ViewportScreenshotAsync(IPage page, string name)
    {
        var folder = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "codequiz-screenshots")).FullName;
        await page.ScreenshotAsync(new() { Path = Path.Combine(folder, name + ".png") });
    }

    /// <summary>What the page showed when a step failed: a screenshot next to the test binaries and the URL in the log.</summary>
    static async Task KeepFailureAsync(IPage page)
    {
        var file = Path.Combine(AppContext.BaseDirectory, "console-browser-failure.png");
        try { await page.ScreenshotAsync(new() { Path = file, FullPage = true }); } catch (PlaywrightException) { }
        Console.WriteLine($"The browser test failed on {page.Url}; screenshot: {file}");
    }

    static async Task ScreenshotAsync(IPage page, string name)
    {
        if (Environment.GetEnvironmentVariable("CODEQUIZ_SCREENSHOTS") is { Length: > 0 } folder)
        {
            Directory.CreateDirectory(folder);
            await page.AddStyleTagAsync(new() { Content = ".mud-snackbar-container, .mud-snackbar { display: none !important; }" });
            await page.ScreenshotAsync(new() { Path = Path.Combine(folder, name + ".png"), FullPage = true });
        }
    }
}
