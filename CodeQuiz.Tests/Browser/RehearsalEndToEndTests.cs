using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using CodeQuiz.Core.Persistence;
using CodeQuiz.Core.Quizzes;
using CodeQuiz.Tests.Infrastructure;
using CodeQuiz.Web.Rehearsal;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace CodeQuiz.Tests.Browser;

/// <summary>
/// A whole event the way organizers run it, in Chromium on the real app (Kestrel, fresh database, Rehearsal mode):
/// first organizer, event and questions typed into the console, the printable QR sheet scanned, a virtual crowd
/// answering three questions opened and closed on the live page, the presenter page following in a second tab,
/// the channel's results posts, and the results page and CSV export checked against the organizer API; and neither the
/// app's log nor the browser's console holds a warning or error the steps do not ask for.
/// Screenshots of the live page, the presenter podium and the QR sheet go to docs/screenshots when
/// CODEQUIZ_UPDATE_SCREENSHOTS=1 (for docs/rehearsal.md), else to a temporary folder.
/// </summary>
public class RehearsalEndToEndTests(ITestOutputHelper output)
{
    const string Email = "host@codeweek.test";
    const string Password = "Rehearse-2026!";
    const string EventName = "Code Week rehearsal";
    const string Channel = "@codeweek_rehearsal";
    const int CrowdSize = 120;
    static readonly string[] Medals = ["🥇", "🥈", "🥉"];


    /// <summary>Longest wait for anything the crowd or the pipeline does; a broken step fails here instead of hanging.</summary>
    static readonly TimeSpan CrowdTimeout = TimeSpan.FromSeconds(45);

    [Fact(Timeout = 240_000)]
    public async Task AnOrganizerRunsARehearsedEventInChromiumFromTheFirstRunToTheLeaderboard()
    {
        Assert.True(File.Exists(Chromium.Path), $"Chromium is missing at {Chromium.Path}: apt-get install -y chromium (.ci/run does).");

        await using var factory = new CodeQuizFactory();
        factory.Settings["Telegram:Mode"] = "Rehearsal";
        factory.Settings["Rehearsal:CrowdSize"] = CrowdSize.ToString(CultureInfo.InvariantCulture);
        factory.Settings["Rehearsal:CrowdSeed"] = "2026";
        factory.Settings["Rehearsal:Pace"] = "20";
        // Telegram's flood limits stay on, loose enough that a crowd's replies take seconds, not minutes.
        factory.Settings["Rehearsal:RateLimits:MessagesPerSecond"] = "5000";
        factory.Settings["Rehearsal:RateLimits:Burst"] = "5000";
        factory.Settings["Rehearsal:RateLimits:PerChatPerSecond"] = "100";
        factory.Settings["Rehearsal:RateLimits:PerChatBurst"] = "100";
        factory.Settings["Rehearsal:RateLimits:ChannelMessagesPerMinute"] = "6000";
        factory.Settings["Rehearsal:RateLimits:ChannelBurst"] = "100";
        factory.Settings["Outbox:MessagesPerSecond"] = "1000";
        factory.Settings["Outbox:PerChatIntervalSeconds"] = "0";
        factory.Settings["Outbox:ChannelCountIntervalSeconds"] = "1";
        factory.Settings["Presenter:PodiumSeconds"] = "600"; // the podium stays until the next question opens
        var logs = new CapturingLoggerProvider();
        factory.ConfigureServices = services => services.AddLogging(b => b.AddProvider(logs));
        var baseUrl = factory.StartOnKestrel().TrimEnd('/');
        var simulator = factory.Services.GetRequiredService<TelegramSimulator>();
        var databases = factory.Services.GetRequiredService<IDbContextFactory<QuizDbContext>>();

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright, timeout: 30_000);
        await using var context = await browser.NewContextAsync(new()
        {
            BaseURL = baseUrl, ViewportSize = new() { Width = 1366, Height = 900 }, AcceptDownloads = true, Locale = "en-US",
        });
        context.SetDefaultTimeout(30_000);
        context.SetDefaultNavigationTimeout(30_000);
        SetDefaultExpectTimeout(30_000);
        var browserErrors = new System.Collections.Concurrent.ConcurrentQueue<string>();
        context.Console += (_, m) => { if (m.Type is "error" or "warning") browserErrors.Enqueue($"{m.Type} at {m.Location}: {m.Text}"); };
        context.WebError += (_, e) => browserErrors.Enqueue($"uncaught: {e.Error}");
        var page = await context.NewPageAsync();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        void Mark(string step) => output.WriteLine($"{clock.Elapsed.TotalSeconds,6:0.0} s  {step}");
        IPage? presenter = null;
        try
        {
            // 1. The first organizer through the first-run page; then sign out and in again on the login page.
            await page.GotoAsync("/");
            await Expect(page).ToHaveURLAsync(new Regex("/account/first-run$"));
            await page.Locator("[data-testid=first-run-email]").FillAsync(Email);
            await page.Locator("[data-testid=first-run-password]").FillAsync(Password);
            await page.Locator("[data-testid=first-run-confirm]").FillAsync(Password);
            await page.Locator("[data-testid=first-run-submit]").ClickAsync();
            await WaitInteractiveAsync(page);
            await page.Locator("[data-testid=sign-out]").ClickAsync();
            // The address is polled and the sign-in form's fields waited for, never a load event: a load-state wait once
            // missed the event of a page already shown and timed out on a loaded CI machine.
            await Expect(page).ToHaveURLAsync(new Regex("/account/login$"));
            await page.Locator("[data-testid=login-email]").FillAsync(Email);
            await page.Locator("[data-testid=login-password]").FillAsync(Password);
            await page.Locator("[data-testid=login-submit]").ClickAsync();
            await WaitInteractiveAsync(page);
            await Expect(page.Locator("[data-testid=nav-events]")).ToBeVisibleAsync();

            Mark("1 signed in");
            // 2. The event with its channel, and three questions, typed into the console.
            await page.Locator("[data-testid=event-new]").ClickAsync();
            await TypeAsync(page.Locator("#event-name"), EventName);
            await TypeAsync(page.Locator("#event-channel"), Channel);
            await page.Locator("[data-testid=event-save]").ClickAsync();
            // A client-side navigation fires no load event: poll the address instead.
            await Expect(page).ToHaveURLAsync(new Regex(@"/events/\d+$"));
            var eventId = int.Parse(Regex.Match(page.Url, @"/events/(\d+)$").Groups[1].Value, CultureInfo.InvariantCulture);
            await Expect(page.Locator("[data-testid=event-title]")).ToHaveTextAsync(EventName);
            // Before the show: can the bot post there? (A rehearsal channel has the bot as an administrator.)
            await page.Locator("[data-testid=channel-check-button]").ClickAsync();
            await Expect(page.Locator("[data-testid=channel-check]")).ToHaveTextAsync($"The bot can post to “{EventName} ({Channel})”.");

            await NewQuestionAsync(page, "Who wrote the first published computer program?");
            await TypeAsync(page.Locator("#question-accepted"), "Ada Lovelace\nLovelace");
            await SaveQuestionAsync(page, 1);

            await NewQuestionAsync(page, "Which language is named after a comedy group?");
            await page.Locator("[data-testid=question-kind-MultipleChoice]").ClickAsync();
            string[] options = ["Java", "Python", "Ruby", "Scratch"];
            await page.Locator("[data-testid=question-add-option]").ClickAsync();
            for (var i = 0; i < options.Length; i++)
                await TypeAsync(page.Locator($"#question-option-{i}"), options[i]);
            await page.Locator("[data-testid=question-correct-1]").ClickAsync();
            await SaveQuestionAsync(page, 2);

            await NewQuestionAsync(page, "How many bits are there in a kilobyte (1024 bytes)?");
            await page.Locator("[data-testid=question-kind-Numeric]").ClickAsync();
            await TypeAsync(page.Locator("#question-numeric-answer"), "8192");
            await SaveQuestionAsync(page, 3);

            List<Question> questions;
            await using (var db = await databases.CreateDbContextAsync())
                questions = await db.Questions.AsNoTracking().Where(q => q.EventId == eventId).OrderBy(q => q.Position).ToListAsync();
            Assert.Equal(new[] { QuestionKind.FreeText, QuestionKind.MultipleChoice, QuestionKind.Numeric }, questions.Select(q => q.Kind));
            Assert.Equal(new[] { "Ada Lovelace", "Lovelace" }, questions[0].AcceptedAnswers);
            Assert.Equal(options, questions[1].Options);
            Assert.Equal(1, questions[1].CorrectOption);
            Assert.Equal(8192, questions[2].NumericAnswer);
            for (var i = 0; i < 3; i++)
                await Expect(page.Locator($"[data-testid=question-{i + 1}] code")).ToHaveTextAsync(questions[i].Code);

            Mark("2 event and questions");
            // 3. The printable QR sheet: what is shown, and the PNG offered for download, both scan to the question's deep link.
            await page.GotoAsync($"/events/{eventId}/qr");
            await WaitInteractiveAsync(page);
            foreach (var question in questions)
            {
                var card = page.Locator($"[data-testid=qr-question-{question.Position}]");
                var link = $"https://t.me/{TelegramSimulator.BotUsername}?start={question.Code}";
                await Expect(card.Locator(".qr-code")).ToHaveTextAsync(question.Code);
                Assert.Equal(link, QrPictures.Read(await card.Locator(".qr-image").ScreenshotAsync()));
                var png = await context.APIRequest.GetAsync((await card.GetByText("PNG", new() { Exact = true }).GetAttributeAsync("href"))!);
                Assert.Equal(200, png.Status);
                Assert.Equal(link, QrPictures.Read(await png.BodyAsync()));
            }
            await ScreenshotAsync(page, "rehearsal-qr-sheet.png", fullPage: true);

            Mark("3 QR sheet");
            // 4. The virtual crowd starts on the rehearsal page; the live page runs each question; the presenter follows.
            await page.Locator("[data-testid=nav-rehearsal]").ClickAsync();
            await page.Locator("[data-testid=crowd-start]").ClickAsync();
            await Expect(page.Locator("[data-testid=crowd-state]")).ToHaveTextAsync("playing");
            Assert.True(simulator.Crowd.IsRunning);
            Assert.Equal(CrowdSize, simulator.Crowd.Size);

            await page.Locator("[data-testid=nav-events]").ClickAsync();
            await page.GetByRole(AriaRole.Link, new() { Name = $"Go live with {EventName}" }).ClickAsync();
            await Expect(page).ToHaveURLAsync(new Regex($@"/events/{eventId}/live$"));
            var presenterHref = await page.Locator("[data-testid=presenter-link]").GetAttributeAsync("href");
            Assert.Matches($"^{Regex.Escape(baseUrl)}/present/[A-Za-z0-9_-]+$", presenterHref);
            presenter = await context.NewPageAsync();
            await presenter.GotoAsync(presenterHref!);
            await presenter.WaitForSelectorAsync("html[data-live=connected]");

            Mark("4 live page and presenter");
            using var api = await SignedInApiAsync(baseUrl);
            foreach (var question in questions)
            {
                var n = question.Position;
                await page.Locator($"[data-testid=open-question-{n}]").ClickAsync();
                await Expect(page.Locator($"[data-testid=close-question-{n}]")).ToBeVisibleAsync();
                await Expect(presenter.Locator("[data-testid=presenter-open] [data-testid=question-number]")).ToContainTextAsync($"Question {n}");

                // The crowd sees the question open, answers it, and goes quiet; what it answered on time is the target.
                await simulator.WaitUntilAsync(() => simulator.Crowd.OpenQuestions.Contains(question.Id), CrowdTimeout);
                await WaitForQuietCrowdAsync(simulator);
                Mark($"question {n} answered");
                var onTime = await CountAnswersAsync(databases, question.Id, late: false);
                Assert.True(onTime > CrowdSize / 2, $"question {n}: only {onTime} of {CrowdSize} answered");

                await Expect(page.Locator("[data-testid=answer-count]")).ToHaveTextAsync(Count(onTime));
                await Expect(presenter.Locator("[data-field=answers]")).ToHaveTextAsync(Count(onTime));
                if (n == 1)
                    await ScreenshotAsync(page, "rehearsal-live.png");

                // One click closes it and publishes the ranking.
                await page.Locator($"[data-testid=close-question-{n}]").ClickAsync();
                await Expect(page.Locator($"[data-testid=live-question-{n}]")).ToContainTextAsync("Closed");
                await Expect(presenter.Locator("[data-testid=presenter-closed]")).ToBeVisibleAsync();

                var results = await api.GetFromJsonAsync<JsonElement>($"/api/questions/{question.Id}/results");
                Assert.Equal(onTime, results.GetProperty("totalAnswers").GetInt32());
                var podium = results.GetProperty("ranking").EnumerateArray().Take(3)
                    .Select(r => (Rank: r.GetProperty("rank").GetInt32(), Name: r.GetProperty("name").GetString()!, Team: Text(r, "team")))
                    .ToList();
                Assert.Equal(new[] { 1, 2, 3 }, podium.Select(p => p.Rank));
                await Expect(presenter.Locator("[data-testid=podium] .name")).ToHaveTextAsync(podium.Select(p => p.Name));
                await Expect(page.Locator("[data-testid=ranking-list] li").First).ToContainTextAsync(podium[0].Name);
                if (n == 1)
                    await ScreenshotAsync(presenter, "rehearsal-podium.png");

                // Medal and name of each of the first three (a team may have been registered after the post was written).
                var post = await ChannelResultsPostAsync(simulator, n);
                var medalLines = post.Split('\n').Where(line => Medals.Any(line.StartsWith)).ToList();
                Assert.Equal(podium.Count, medalLines.Count);
                foreach (var (place, line) in podium.Zip(medalLines))
                    Assert.StartsWith($"{Medals[place.Rank - 1]} {place.Name} ", line);
                // The organizer sees both posts confirmed on the live page, not only the simulator.
                await Expect(page.Locator("[data-testid=channel-post-ChannelAnnouncement]")).ToContainTextAsync($"Question post to {Channel}: posted at");
                await Expect(page.Locator("[data-testid=channel-post-ChannelResults]")).ToContainTextAsync($"Results post to {Channel}: posted at");
            }

            Mark("5 three questions");
            // 6. The results page's leaderboard is the API's, and the CSV export has one row per answer.
            await simulator.WaitUntilAsync(() => simulator.Crowd.OpenQuestions.Count == 0, CrowdTimeout);
            await WaitForQuietCrowdAsync(simulator); // late answers still arrive after the last close
            await page.GotoAsync($"/events/{eventId}/results");
            await WaitInteractiveAsync(page);
            var shown = await page.Locator("[data-testid=leaderboard] tbody tr").EvaluateAllAsync<string[][]>(
                "rows => rows.map(r => [...r.querySelectorAll('td')].map(td => td.textContent.trim()))");
            var leaderboard = await api.GetFromJsonAsync<JsonElement>($"/api/events/{eventId}/leaderboard");
            var expected = leaderboard.GetProperty("participants").EnumerateArray().Select(p => new[]
            {
                Rank(p.GetProperty("rank").GetInt32()), p.GetProperty("name").GetString()!, Text(p, "team") ?? "",
                p.GetProperty("correct").GetInt32().ToString(CultureInfo.InvariantCulture),
            }).ToList();
            Assert.True(expected.Count > CrowdSize / 2, $"{expected.Count} participants on the leaderboard");
            Assert.Equal(expected, shown.Select(cells => cells[..4]));

            // The export link, fetched with the organizer's browser session.
            var export = await context.APIRequest.GetAsync((await page.Locator("[data-testid=answers-csv]").GetAttributeAsync("href"))!);
            Assert.Equal(200, export.Status);
            Assert.StartsWith("attachment", export.Headers["content-disposition"]);
            var csv = new List<IReadOnlyList<string>>();
            using (var reader = new StringReader(await export.TextAsync()))
                await foreach (var record in Csv.ReadAsync(reader))
                    csv.Add(record.Fields);
            Assert.Equal(QuizResults.AnswersCsvColumns, csv[0]);
            List<long> answered;
            await using (var db = await databases.CreateDbContextAsync())
                answered = await db.Answers.Where(a => questions.Select(q => q.Id).Contains(a.QuestionId)).Select(a => a.UpdateId).ToListAsync();
            var updateColumn = csv[0].ToList().IndexOf("updateId");
            Mark("6 results and CSV");
            Assert.Equal(answered.Order(), csv.Skip(1).Select(row => long.Parse(row[updateColumn], CultureInfo.InvariantCulture)).Order());

            // 7. The rehearsal is over: the event starts over for the show, same questions and codes, no answers.
            simulator.Crowd.Stop();
            await page.GotoAsync($"/events/{eventId}");
            await WaitInteractiveAsync(page);
            await page.ClickAsync("[data-testid=event-start-over]");
            await page.Locator(".mud-dialog").GetByRole(AriaRole.Button, new() { Name = "Start over" }).ClickAsync();
            await Expect(page.Locator("[data-testid=event-start-over]")).ToHaveCountAsync(0);
            await Expect(page.Locator("[data-testid=questions] .state-chip")).ToHaveTextAsync(["Draft", "Draft", "Draft"]);
            await Expect(presenter.Locator("[data-testid=get-ready]")).ToBeVisibleAsync(); // the projector is back to "get ready"
            await using (var db = await databases.CreateDbContextAsync())
            {
                Assert.Equal(0, await db.Answers.CountAsync(a => questions.Select(q => q.Id).Contains(a.QuestionId)));
                Assert.Equal(questions.Select(q => q.Code), await db.Questions.Where(q => q.EventId == eventId).OrderBy(q => q.Position).Select(q => q.Code).ToListAsync());
            }
            Mark("7 started over");

            // 8. Nothing went wrong on the way: the log's warnings and errors are the two the steps above ask for (the
            // first-run page's code before any organizer exists, and the start over), and nothing else, from the
            // database's migrations at the first start to the circuits, the webhook and the outbox.
            var expectedWarnings = new[] { (typeof(CodeQuiz.Web.Organizers.OrganizerBootstrap).FullName, "No organizer yet"), (typeof(CodeQuiz.Core.Ingest.BatchWriter).FullName, $"Event {eventId} started over") };
            var unexpected = logs.Entries.Where(e => e.Level >= LogLevel.Warning)
                .Where(e => !expectedWarnings.Any(w => e.Level == LogLevel.Warning && e.Category == w.Item1 && e.Text.StartsWith(w.Item2, StringComparison.Ordinal)))
                .Select(e => $"{e.Level} {e.Category}: {e.Text}").ToList();
            Assert.Empty(unexpected);
            Assert.All(expectedWarnings, w => Assert.Contains(logs.Entries, e => e.Category == w.Item1 && e.Text.StartsWith(w.Item2, StringComparison.Ordinal)));
            Assert.Empty(browserErrors); // and the browser's console of both tabs has no error or warning either
        }
        catch
        {
            // What the browser showed when a step failed, next to the timeline above.
            await FailureScreenshotAsync(page, "failure-console.png");
            await FailureScreenshotAsync(presenter, "failure-presenter.png");
            Mark($"failed; screenshots in {Path.Combine(Path.GetTempPath(), "codequiz-screenshots")}");
            throw;
        }
    }

    // ---- steps ---------------------------------------------------------------------------------

    /// <summary>Clicks on prerendered HTML are lost: wait until the circuit has made the page interactive.</summary>
    static Task WaitInteractiveAsync(IPage page) =>
        page.Locator("[data-testid=interactive]").WaitForAsync(new() { State = WaitForSelectorState.Attached });

    /// <summary>Types into a MudBlazor field and leaves it, so the value reaches the circuit (it binds on change).</summary>
    static async Task TypeAsync(ILocator field, string text)
    {
        await field.FillAsync(text);
        await field.BlurAsync();
    }

    static async Task NewQuestionAsync(IPage page, string prompt)
    {
        await page.Locator("[data-testid=question-new]").ClickAsync();
        await TypeAsync(page.Locator("#question-prompt"), prompt);
    }

    static async Task SaveQuestionAsync(IPage page, int position)
    {
        await page.Locator("[data-testid=question-save]").ClickAsync();
        await Expect(page.Locator($"[data-testid=question-{position}]")).ToBeVisibleAsync();
    }

    /// <summary>Waits until the crowd has nothing left to do (until the next open or close) and Telegram has delivered every update.</summary>
    static Task WaitForQuietCrowdAsync(TelegramSimulator simulator) =>
        simulator.WaitUntilAsync(() => simulator.Crowd.NextDue is null && simulator.Status.PendingUpdates == 0, CrowdTimeout);

    static async Task<int> CountAnswersAsync(IDbContextFactory<QuizDbContext> databases, int questionId, bool late)
    {
        await using var db = await databases.CreateDbContextAsync();
        return await db.Answers.CountAsync(a => a.QuestionId == questionId && a.IsLate == late);
    }

    /// <summary>The text of the channel's results post for question <paramref name="number"/>, once the bot has posted it.</summary>
    static async Task<string> ChannelResultsPostAsync(TelegramSimulator simulator, int number)
    {
        var title = $"Question {number}: results";
        string? Find() => simulator.BotMessages(Channel).Select(m => m.Text).LastOrDefault(t => t?.Contains(title, StringComparison.Ordinal) == true);
        await simulator.WaitUntilAsync(() => Find() is not null, CrowdTimeout);
        return Find()!;
    }

    static async Task<HttpClient> SignedInApiAsync(string baseUrl)
    {
        var api = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(30) };
        var login = await api.PostAsJsonAsync("/api/auth/login", new { email = Email, password = Password });
        Assert.Equal(200, (int)login.StatusCode);
        var token = (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString();
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return api;
    }

    static string? Text(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    static string Count(int value) => QuizFormat.Count(value);

    static string Rank(int rank) => rank is >= 1 and <= 3 ? Medals[rank - 1] : rank.ToString(CultureInfo.InvariantCulture);

    static async Task FailureScreenshotAsync(IPage? page, string name)
    {
        try
        {
            if (page is not null)
                await ScreenshotAsync(page, name, fullPage: true, readme: false);
        }
        catch (PlaywrightException) { } // the browser may be what failed
    }

    static async Task ScreenshotAsync(IPage page, string name, bool fullPage = false, bool readme = true)
    {
        var folder = readme && Environment.GetEnvironmentVariable("CODEQUIZ_UPDATE_SCREENSHOTS") == "1"
            ? Path.Combine(Repository.Root, "docs", "screenshots")
            : Path.Combine(Path.GetTempPath(), "codequiz-screenshots");
        Directory.CreateDirectory(folder);
        await page.ScreenshotAsync(new() { Path = Path.Combine(folder, name), FullPage = fullPage });
    }
}
