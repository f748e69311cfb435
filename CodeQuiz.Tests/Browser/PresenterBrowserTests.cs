using CodeQuiz.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using CodeQuiz.Core.Live;
using CodeQuiz.Core.Quizzes;
using CodeQuiz.Tests.Components.Present;
using CodeQuiz.Tests.Infrastructure;
using CodeQuiz.Tests.Web.Live;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Playwright;

namespace CodeQuiz.Tests.Browser;

/// <summary>
/// The presenter in Chromium as a projector shows it: it follows open → closed → leaderboard by itself through the
/// hub, counters grow in place without moving anything, and type is big enough for the back of a hall.
/// Screenshots go to docs/screenshots when CODEQUIZ_UPDATE_SCREENSHOTS=1 (for docs/presenter.md), else to a temp folder.
/// </summary>
public class PresenterBrowserTests
{

    [Fact]
    public async Task ThePresenterFollowsTheQuizByItselfWithSteadyReadableNumbers()
    {
        await using var factory = new BrowserFactory(withOrganizer: false);
        factory.Settings["Presenter:PodiumSeconds"] = "3";
        var baseUrl = factory.StartOnKestrel();
        var seed = await new PresenterSeed(factory).CreateAsync();
        var q = seed.QuestionIds[0];
        await seed.OpenAsync(q, DateTimeOffset.UtcNow.AddSeconds(-12));
        var live = factory.Services.GetRequiredService<LiveStats>();

        var browser = await factory.ChromiumAsync();
        var page = await ScreenAsync(browser, $"{baseUrl}/present/{seed.Token}", 1280, 720);

        var answers = page.Locator("[data-field=answers]");
        live.Publish(Snapshot(seed, answers: 7, people: 9));
        await Assertions.Expect(answers).ToHaveTextAsync("7");
        var small = await answers.BoundingBoxAsync();
        live.Publish(Snapshot(seed, answers: 12345, people: 18210));
        await Assertions.Expect(answers).ToHaveTextAsync("12345");
        await Assertions.Expect(page.Locator("[data-field=people]")).ToHaveTextAsync("18210");
        var large = await answers.BoundingBoxAsync();
        Assert.Equal((small!.X, small.Y, small.Width, small.Height), (large!.X, large.Y, large.Width, large.Height));

        var fontPixels = await answers.EvaluateAsync<double>("e => parseFloat(getComputedStyle(e).fontSize)");
        Assert.True(fontPixels >= 0.12 * 720, $"counter is {fontPixels}px on a 720px screen");
        await Assertions.Expect(page.Locator("[data-field=countdown]")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^[01]:[0-5]\d$"));
        // One column of numbers: the time left ends where the counts end, and its label starts where theirs do.
        var countdown = await page.Locator("[data-field=countdown]").BoundingBoxAsync();
        Assert.Equal(large.X + large.Width, countdown!.X + countdown.Width, precision: 0);
        await ScreenshotAsync(page, "presenter-open.png");
        // The host gives a minute more while the screen shows the question: it follows without a reload.
        await using (var db = await factory.Services.GetRequiredService<IDbContextFactory<QuizDbContext>>().CreateDbContextAsync())
            await db.Questions.Where(x => x.Id == q).ExecuteUpdateAsync(s => s.SetProperty(x => x.ExtraSeconds, 60));
        await Assertions.Expect(page.Locator("[data-field=countdown]")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^2:[0-5]\d$"));

        var overlay = await ScreenAsync(browser, $"{baseUrl}/present/{seed.Token}?overlay=1", 1280, 720);
        await Assertions.Expect(overlay.Locator("[data-field=answers]")).ToHaveTextAsync("12345");
        Assert.Equal("rgba(0, 0, 0, 0)", await overlay.EvaluateAsync<string>("getComputedStyle(document.body).backgroundColor"));
        await ScreenshotAsync(overlay, "presenter-overlay.png", transparent: true);

        await seed.AnswerAsync(q, 201, "Ada", "42", correct: true, afterSeconds: 3.2, team: "4B Rossi", headCount: 24);
        await seed.AnswerAsync(q, 202, "Linus", "42", correct: true, afterSeconds: 5.04);
        await seed.AnswerAsync(q, 203, "Mallory", "43", correct: false, afterSeconds: 5.5);
        await seed.AnswerAsync(q, 204, "Grace Hopper", "42", correct: true, afterSeconds: 7.51, team: "Coding Club Torino", headCount: 12);
        await seed.CloseAsync(q);

        await page.WaitForSelectorAsync("[data-testid=presenter-closed]");
        await Assertions.Expect(page.Locator(".podium .name")).ToHaveTextAsync(["Ada", "Linus", "Grace Hopper"]);
        await Assertions.Expect(overlay.Locator(".podium .name")).ToHaveTextAsync(["Ada", "Linus", "Grace Hopper"]);
        var correctBar = await page.Locator(".bar.correct .bar-fill").BoundingBoxAsync();
        var otherBar = await page.Locator(".bar.other .bar-fill").BoundingBoxAsync();
        Assert.True(correctBar!.Width > 100 && correctBar.Height > 10, $"correct answers' bar is {correctBar.Width}×{correctBar.Height}");
        Assert.Equal(1.0 / 3, otherBar!.Width / correctBar.Width, precision: 1);
        await ScreenshotAsync(page, "presenter-closed.png");

        await page.WaitForSelectorAsync("[data-testid=presenter-between]");
        await Assertions.Expect(page.Locator(".leaderboard .name")).ToHaveTextAsync(["Ada", "Linus", "Grace Hopper"]);
        await ScreenshotAsync(page, "presenter-between.png");
        await Assertions.Expect(overlay.Locator("[data-presenter] > *")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task AParticipantLeftOutOfTheRankingsLeavesThePodiumOnTheScreenAtOnce()
    {
        await using var factory = new BrowserFactory(withOrganizer: false);
        factory.Settings["Presenter:PodiumSeconds"] = "600";
        var baseUrl = factory.StartOnKestrel();
        var seed = await new PresenterSeed(factory).CreateAsync();
        var q = seed.QuestionIds[0];
        await seed.OpenAsync(q, DateTimeOffset.UtcNow.AddSeconds(-20));
        await seed.AnswerAsync(q, 301, "Rude Name", "42", correct: true, afterSeconds: 2.1);
        await seed.AnswerAsync(q, 302, "Linus", "42", correct: true, afterSeconds: 3.5);
        await seed.AnswerAsync(q, 303, "Grace", "42", correct: true, afterSeconds: 4.2);
        await seed.AnswerAsync(q, 304, "Ada", "42", correct: true, afterSeconds: 6.0);
        await seed.CloseAsync(q);

        var browser = await factory.ChromiumAsync();
        var page = await ScreenAsync(browser, $"{baseUrl}/present/{seed.Token}", 1366, 768);
        await Assertions.Expect(page.Locator(".podium .name")).ToHaveTextAsync(["Rude Name", "Linus", "Grace"]);
        await Assertions.Expect(page.Locator("[data-testid=presenter-closed]")).ToContainTextAsync("of 3");

        // The organizers leave the offensive name out while it is on the projector (the pipeline writes it so and
        // tells the live statistics), and add a question for later.
        await using (var db = await factory.Services.GetRequiredService<IDbContextFactory<QuizDbContext>>().CreateDbContextAsync())
        {
            await db.Participants.Where(p => p.Id == 301).ExecuteUpdateAsync(s => s.SetProperty(p => p.LeftOutAt, DateTimeOffset.UtcNow));
            db.Questions.Add(new Question { EventId = seed.EventId, Position = 4, Code = Tokens.NewQuestionCode(), Prompt = "Bonus", AcceptedAnswers = ["y"] });
            await db.SaveChangesAsync();
        }
        factory.Services.GetRequiredService<LiveStats>().RankingsChanged();

        await Assertions.Expect(page.Locator(".podium .name")).ToHaveTextAsync(["Linus", "Grace", "Ada"]);
        await Assertions.Expect(page.Locator("[data-testid=presenter-closed]")).ToContainTextAsync("of 4");
    }

    [Fact]
    public async Task AScreenWhoseLinkWasReplacedReloadsOntoTheMessageInsteadOfFreezing()
    {
        await using var factory = new BrowserFactory(withOrganizer: false);
        var baseUrl = factory.StartOnKestrel();
        var seed = await new PresenterSeed(factory).CreateAsync();
        var q = seed.QuestionIds[0];
        await seed.OpenAsync(q, DateTimeOffset.UtcNow.AddSeconds(-5));

        var browser = await factory.ChromiumAsync();
        var url = $"{baseUrl}/present/{seed.Token}";
        var page = await ScreenAsync(browser, url, 1280, 720);

        // The link is replaced between the phase change and the screen's fetch of the new stage: the page answers 410.
        await page.RouteAsync(url, route => route.FulfillAsync(new() { Status = 410, ContentType = "text/html", Body = "<p>This presenter link is not valid</p>" }));
        var reload = page.WaitForRequestAsync(r => r.IsNavigationRequest && r.Url == url, new() { Timeout = 15_000 });
        await seed.CloseAsync(q);

        await reload; // without it the screen kept the open question and asked again every second
        await Assertions.Expect(page.Locator("body")).ToContainTextAsync("This presenter link is not valid");
    }

    [Fact]
    public async Task AnOverlayWhoseLinkWasReplacedGoesBlankRatherThanPuttingAnErrorOnTheStream()
    {
        await using var factory = new BrowserFactory(withOrganizer: false);
        var baseUrl = factory.StartOnKestrel();
        var seed = await new PresenterSeed(factory).CreateAsync();
        await seed.OpenAsync(seed.QuestionIds[0], DateTimeOffset.UtcNow.AddSeconds(-5));

        var browser = await factory.ChromiumAsync();
        var overlay = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1280, Height = 720 } });
        var console = new List<string>();
        overlay.Console += (_, message) => console.Add(message.Text);
        var url = $"{baseUrl}/present/{seed.Token}?overlay=1";
        await overlay.GotoAsync(url);
        await overlay.WaitForSelectorAsync("html[data-live=connected]");
        Assert.False(ShowsNothing(await overlay.ScreenshotAsync(new() { OmitBackground = true })), "the live overlay shows its counters");

        // The organizer makes a new link: the hub tells the overlay, which reloads onto the old link's page.
        var reload = overlay.WaitForRequestAsync(r => r.IsNavigationRequest && r.Url == url, new() { Timeout = 15_000 });
        await seed.RegenerateTokenAsync();
        await reload;
        await overlay.WaitForSelectorAsync("[data-testid=presenter-invalid]", new() { State = WaitForSelectorState.Attached });
        await overlay.WaitForLoadStateAsync(LoadState.Load);

        Assert.True(ShowsNothing(await overlay.ScreenshotAsync(new() { OmitBackground = true })), "the old overlay link shows something on the stream");
        Assert.Equal("", (await overlay.InnerTextAsync("body")).Trim());
        // Whoever looks at the source itself learns why it is empty.
        Assert.Equal("Presenter link not valid · CodeQuiz", await overlay.TitleAsync());
        Assert.Contains(CodeQuiz.Web.Components.Pages.Present.PresenterPage.OverlayInvalid, console);

        // Every pixel transparent: nothing shows over the video, whatever its colour.
        static bool ShowsNothing(byte[] png) =>
            QrPictures.Luminance(png, paper: 255).Gray.All(g => g == 255) && QrPictures.Luminance(png, paper: 0).Gray.All(g => g == 0);
    }

    [Fact]
    public async Task AScreenCutOffFromTheServerSaysItsNumbersMayBeBehindAndCatchesUpWhenItIsBack()
    {
        await using var factory = new BrowserFactory(withOrganizer: false);
        var baseUrl = factory.StartOnKestrel();
        var seed = await new PresenterSeed(factory).CreateAsync();
        await seed.OpenAsync(seed.QuestionIds[0], DateTimeOffset.UtcNow.AddSeconds(-5));
        var live = factory.Services.GetRequiredService<LiveStats>();

        var browser = await factory.ChromiumAsync();
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1280, Height = 720 } });
        // The projector's network, under the test's control: while it is down, the hub's socket is closed and every
        // attempt to connect again fails.
        var down = false;
        var sockets = new List<IWebSocketRoute>();
        await page.RouteAsync("**/hubs/live/negotiate**", route => Volatile.Read(ref down) ? route.AbortAsync() : route.ContinueAsync());
        await page.RouteWebSocketAsync("**/hubs/live**", socket =>
        {
            lock (sockets) sockets.Add(socket);
            socket.ConnectToServer();
        });
        await page.GotoAsync($"{baseUrl}/present/{seed.Token}");
        await page.WaitForSelectorAsync("html[data-live=connected]");
        var answers = page.Locator("[data-field=answers]");
        var notice = page.GetByTestId("connection-lost");
        live.Publish(Snapshot(seed, answers: 7, people: 9));
        await Assertions.Expect(answers).ToHaveTextAsync("7");
        await Assertions.Expect(notice).ToBeHiddenAsync();
        Assert.Equal("1", await answers.EvaluateAsync<string>("e => getComputedStyle(e).opacity"));

        Volatile.Write(ref down, true);
        IWebSocketRoute socket;
        lock (sockets) socket = sockets[^1];
        await socket.CloseAsync(new() { Code = 4000, Reason = "network down" });
        await page.WaitForSelectorAsync("html[data-live=reconnecting]");
        Assert.Equal("0.55", await answers.EvaluateAsync<string>("e => getComputedStyle(e).opacity")); // at once
        await Assertions.Expect(notice).ToBeVisibleAsync(new() { Timeout = 10_000 }); // after a few seconds
        await Assertions.Expect(notice).ToHaveTextAsync("Reconnecting… the numbers may be behind");
        live.Publish(Snapshot(seed, answers: 30, people: 31)); // answers keep coming while the screen is cut off

        Volatile.Write(ref down, false);
        await page.WaitForSelectorAsync("html[data-live=connected]", new() { Timeout = 30_000 });
        await Assertions.Expect(answers).ToHaveTextAsync("30");
        await Assertions.Expect(page.Locator("[data-field=people]")).ToHaveTextAsync("31");
        await Assertions.Expect(notice).ToBeHiddenAsync();
        Assert.Equal("1", await answers.EvaluateAsync<string>("e => getComputedStyle(e).opacity"));
    }

    [Fact]
    public async Task AScreenThatCannotReachTheHubFromTheStartSaysItsNumbersMayBeBehind()
    {
        // The page loaded, but the hall's network (or a proxy) lets no hub connection through: the counts it shows are
        // those of the moment it loaded, and the projector must say so as when a connection is lost later.
        await using var factory = new BrowserFactory(withOrganizer: false);
        var baseUrl = factory.StartOnKestrel();
        var seed = await new PresenterSeed(factory).CreateAsync();
        await seed.OpenAsync(seed.QuestionIds[0], DateTimeOffset.UtcNow.AddSeconds(-5));

        var browser = await factory.ChromiumAsync();
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1280, Height = 720 } });
        await page.RouteAsync("**/hubs/live/negotiate**", route => route.AbortAsync());
        await page.GotoAsync($"{baseUrl}/present/{seed.Token}");
        await page.WaitForSelectorAsync("[data-field=answers]");

        await Assertions.Expect(page.GetByTestId("connection-lost")).ToBeVisibleAsync(new() { Timeout = 10_000 });
        Assert.Equal("0.55", await page.Locator("[data-field=answers]").EvaluateAsync<string>("e => getComputedStyle(e).opacity"));
    }

    [Fact]
    public async Task AScreenWhoseJoinTheDatabaseDidNotAnswerJoinsAgainAndSaysItIsLive()
    {
        // The projector connects while the database does not answer for a moment: its first Join fails, the connection
        // stays up. It must ask again, and once joined follow the counts without a notice that they may be behind.
        var failJoin = new FirstJoinFails();
        await using var factory = new BrowserFactory(withOrganizer: false)
        {
            ConfigureServices = services => services.Configure<Microsoft.AspNetCore.SignalR.HubOptions>(o => o.AddFilter(failJoin)),
        };
        var baseUrl = factory.StartOnKestrel();
        var seed = await new PresenterSeed(factory).CreateAsync();
        await seed.OpenAsync(seed.QuestionIds[0], DateTimeOffset.UtcNow.AddSeconds(-5));
        var live = factory.Services.GetRequiredService<LiveStats>();

        var browser = await factory.ChromiumAsync();
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1280, Height = 720 } });
        await page.GotoAsync($"{baseUrl}/present/{seed.Token}");
        await failJoin.Failed.WaitAsync(TimeSpan.FromSeconds(15));

        await page.WaitForSelectorAsync("html[data-live=connected]", new() { Timeout = 15_000 });
        live.Publish(Snapshot(seed, answers: 7, people: 9));
        await Assertions.Expect(page.Locator("[data-field=answers]")).ToHaveTextAsync("7", new() { Timeout = 15_000 });
        await page.WaitForTimeoutAsync(6_000); // longer than the page's 5 s between attempts: none is left running
        Assert.Equal("connected", await page.EvaluateAsync<string>("document.documentElement.dataset.live"));
        await Assertions.Expect(page.GetByTestId("connection-lost")).ToBeHiddenAsync();
    }

    /// <summary>The hub's first Join fails as when the database does not answer; the connection stays up.</summary>
    sealed class FirstJoinFails : Microsoft.AspNetCore.SignalR.IHubFilter
    {
        readonly TaskCompletionSource _failed = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Failed => _failed.Task;

        public ValueTask<object?> InvokeMethodAsync(Microsoft.AspNetCore.SignalR.HubInvocationContext invocation,
            Func<Microsoft.AspNetCore.SignalR.HubInvocationContext, ValueTask<object?>> next)
        {
            if (invocation.HubMethodName == "Join" && _failed.TrySetResult())
                throw new InvalidOperationException("The database did not answer.");
            return next(invocation);
        }
    }

    [Fact]
    public async Task LongNamesOnThePodiumAreShownWhole()
    {
        await using var factory = new BrowserFactory(withOrganizer: false);
        factory.Settings["Presenter:PodiumSeconds"] = "120";
        var baseUrl = factory.StartOnKestrel();
        var seed = await new PresenterSeed(factory).CreateAsync();
        var q = seed.QuestionIds[0];
        await seed.OpenAsync(q, DateTimeOffset.UtcNow.AddSeconds(-30));
        string[] names = ["Maria Guadalupe Fernández de la Torre", "Aleksandr Konstantinovich Rimsky-Korsakov", "Jo"];
        await seed.AnswerAsync(q, 301, names[0], "42", correct: true, afterSeconds: 2.5, team: "Istituto Tecnico Industriale Galileo Galilei", headCount: 28);
        await seed.AnswerAsync(q, 302, names[1], "42", correct: true, afterSeconds: 4.25);
        await seed.AnswerAsync(q, 303, names[2], "42", correct: true, afterSeconds: 11.75, team: "Liceo Scientifico Statale Leonardo da Vinci, 5ªB", headCount: 21);
        await seed.CloseAsync(q);

        var browser = await factory.ChromiumAsync();
        foreach (var (path, width, height) in new[] { ("", 1366, 900), ("", 1280, 720), ("?overlay=1", 1280, 720) })
        {
            var page = await ScreenAsync(browser, $"{baseUrl}/present/{seed.Token}{path}", width, height);
            await Assertions.Expect(page.Locator(".podium .name")).ToHaveTextAsync(names);

            // Neither cut at the side nor clamped below (a glyph may reach a pixel or two past its line), and clear of the seconds beside it.
            var clipped = await page.Locator(".podium .name, .podium .team").EvaluateAllAsync<string[]>(
                "all => all.filter(e => e.scrollWidth > e.clientWidth + 1 || e.scrollHeight > e.clientHeight + parseFloat(getComputedStyle(e).fontSize) / 4).map(e => e.textContent + ` (${e.scrollWidth}×${e.scrollHeight} in ${e.clientWidth}×${e.clientHeight})`)");
            Assert.True(clipped.Length == 0, $"{width}×{height}{path}: cut off: {string.Join(" | ", clipped)}");
            var overlaps = await page.Locator(".podium .place").EvaluateAllAsync<string[]>(
                "all => all.filter(p => p.querySelector('.who').getBoundingClientRect().right > p.querySelector('.secs').getBoundingClientRect().left).map(p => p.textContent)");
            Assert.True(overlaps.Length == 0, $"{width}×{height}{path}: name runs into the seconds: {string.Join(" | ", overlaps)}");
            var bottom = await page.Locator(".podium").EvaluateAsync<double>("e => e.getBoundingClientRect().bottom");
            Assert.True(bottom <= height, $"{width}×{height}{path}: the podium ends at {bottom}px, below the screen");
            var folder = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "codequiz-screenshots")).FullName;
            await page.ScreenshotAsync(new() { Path = Path.Combine(folder, $"presenter-long-names-{width}x{height}{(path == "" ? "" : "-overlay")}.png") });
            await page.CloseAsync();
        }
    }

    [Fact]
    public async Task NamesOfUsualLengthOnThePodiumStayOnOneLineInTypeReadFromTheBackOfTheHall()
    {
        await using var factory = new BrowserFactory(withOrganizer: false);
        factory.Settings["Presenter:PodiumSeconds"] = "120";
        var baseUrl = factory.StartOnKestrel();
        var seed = await new PresenterSeed(factory).CreateAsync();
        var browser = await factory.ChromiumAsync();
        var problems = new List<string>();
        // Each screen as it was, for a look when the test fails: kept then (the message says where), otherwise deleted.
        var shots = Directory.CreateTempSubdirectory("codequiz-podium-");

        // Telegram names as a school's participants write them, a class in brackets; then three short ones, in the
        // podium's largest type.
        var q = seed.QuestionIds[0];
        await seed.OpenAsync(q, DateTimeOffset.UtcNow.AddSeconds(-30));
        await seed.AnswerAsync(q, 301, "Marta Esposito", "42", correct: true, afterSeconds: 2.5, team: "Coding Club Torino", headCount: 12);
        await seed.AnswerAsync(q, 302, "Giovanni Bianchi (Classe 4B)", "42", correct: true, afterSeconds: 4.25);
        await seed.AnswerAsync(q, 303, "Alessandra Ferraro", "42", correct: true, afterSeconds: 11.75, team: "4B Rossi", headCount: 24);
        await seed.CloseAsync(q);
        await CheckAsync(["Marta Esposito", "Giovanni Bianchi (Classe 4B)", "Alessandra Ferraro"], "school");

        q = seed.QuestionIds[1];
        await seed.OpenAsync(q, DateTimeOffset.UtcNow.AddSeconds(-30));
        await seed.AnswerAsync(q, 301, "Marta Esposito", "42", correct: true, afterSeconds: 3.5, team: "Coding Club Torino", headCount: 12);
        await seed.AnswerAsync(q, 304, "Luca Romano", "42", correct: true, afterSeconds: 5.5);
        await seed.AnswerAsync(q, 305, "Sara Conti", "42", correct: true, afterSeconds: 6.5);
        await seed.CloseAsync(q);
        await CheckAsync(["Marta Esposito", "Luca Romano", "Sara Conti"], "short");

        Assert.True(problems.Count == 0, $"not on one line in readable type (screenshots in {shots.FullName}):\n" + string.Join("\n", problems));
        shots.Delete(recursive: true);

        async Task CheckAsync(string[] names, string shot)
        {
            foreach (var (path, width, height) in new[] { ("", 1920, 1080), ("", 1280, 720), ("?overlay=1", 1920, 1080), ("?overlay=1", 1280, 720) })
            {
                var page = await ScreenAsync(browser, $"{baseUrl}/present/{seed.Token}{path}", width, height);
                await Assertions.Expect(page.Locator(".podium .name")).ToHaveTextAsync(names);
                // One line (a glyph may reach a pixel or two past it), nothing cut, and no smaller than the smallest size the
                // podium gives a name: 4% of the screen's height on the projector, 3.2% of a 16:9 stream's frame.
                var wrong = await page.Locator(".podium .name").EvaluateAllAsync<string[]>("""
                    all => all.map(e => [e, getComputedStyle(e)]).map(([e, s]) => [e, parseFloat(s.fontSize), parseFloat(s.lineHeight), e.getBoundingClientRect().height])
                        .filter(([e, font, line, h]) => h > line * 1.5 || e.scrollWidth > e.clientWidth + 1 || font < innerHeight * (e.closest('.overlay') ? 0.032 : 0.04) - 0.5)
                        .map(([e, font, line, h]) => `${e.textContent}: ${Math.round(h)} px tall in lines of ${Math.round(line)} px, ${Math.round(font)} px type, ${e.scrollWidth} px wide in ${e.clientWidth}`)
                    """);
                problems.AddRange(wrong.Select(w => $"{width}×{height}{path}: {w}"));
                await page.ScreenshotAsync(new() { Path = Path.Combine(shots.FullName, $"podium-{shot}-{width}x{height}{(path == "" ? "" : "-overlay")}.png"), OmitBackground = path != "" });
                await page.CloseAsync();
            }
        }
    }

    [Fact]
    public async Task ThePodiumUsesTheWholeScreenWithNamesInLargeType()
    {
        await using var factory = new BrowserFactory(withOrganizer: false);
        factory.Settings["Presenter:PodiumSeconds"] = "120";
        var baseUrl = factory.StartOnKestrel();
        var seed = await new PresenterSeed(factory).CreateAsync();
        var q = seed.QuestionIds[0];
        await seed.OpenAsync(q, DateTimeOffset.UtcNow.AddSeconds(-30));
        await seed.AnswerAsync(q, 301, "Marta Esposito", "42", correct: true, afterSeconds: 2.5, team: "Coding Club Torino", headCount: 12);
        await seed.AnswerAsync(q, 302, "Luca Romano", "42", correct: true, afterSeconds: 4.25);
        await seed.AnswerAsync(q, 303, "Alessandra Ferraro", "42", correct: true, afterSeconds: 11.75, team: "4B Rossi", headCount: 24);
        await seed.CloseAsync(q);

        var browser = await factory.ChromiumAsync();
        var problems = new List<string>();
        foreach (var (width, height) in new[] { (1920, 1080), (1280, 720), (1366, 768) })
        {
            var page = await ScreenAsync(browser, $"{baseUrl}/present/{seed.Token}", width, height);
            await Assertions.Expect(page.Locator(".podium .place")).ToHaveCountAsync(3);
            // The three places spread down the screen rather than leaving its lower third empty, and the names in larger
            // type: 5.5% of the screen's height at least, where these three had 5% at most.
            var third = await page.Locator(".podium .place-3").EvaluateAsync<double>("e => e.getBoundingClientRect().bottom");
            if (third < height * 0.75) problems.Add($"{width}×{height}: the podium ends at {Math.Round(100 * third / height)}% of the height");
            var small = await page.Locator(".podium .name").EvaluateAllAsync<string[]>(
                "all => all.filter(e => parseFloat(getComputedStyle(e).fontSize) < innerHeight * 0.055).map(e => `${e.textContent}: ${getComputedStyle(e).fontSize}`)");
            problems.AddRange(small.Select(s => $"{width}×{height}: {s}"));
            problems.AddRange(await OutsideAsync(page, width, height, "podium"));
            problems.AddRange(await DrawnSmallerAsync(page, $"{width}×{height}"));
            await page.CloseAsync();
        }
        Assert.True(problems.Count == 0, "the podium does not fill the screen:\n" + string.Join("\n", problems));
    }

    [Fact]
    public async Task TheLeaderboardUsesTheWholeScreenFromThreeRowsToTenWithLongNames()
    {
        await using var factory = new BrowserFactory(withOrganizer: false);
        factory.Settings["Presenter:PodiumSeconds"] = "1";
        factory.Settings["Presenter:LeaderboardRows"] = "10";
        var baseUrl = factory.StartOnKestrel();
        var seed = await new PresenterSeed(factory).CreateAsync();
        var q = seed.QuestionIds[0];
        await seed.OpenAsync(q, DateTimeOffset.UtcNow.AddSeconds(-200));
        await seed.AnswerAsync(q, 401, "Ada", "42", correct: true, afterSeconds: 3.2, team: "4B Rossi", headCount: 20);
        await seed.AnswerAsync(q, 402, "Linus", "42", correct: true, afterSeconds: 5);
        await seed.AnswerAsync(q, 403, "Grace Hopper", "42", correct: true, afterSeconds: 7.5, team: "Coding Club Torino");
        await seed.CloseAsync(q);

        var browser = await factory.ChromiumAsync();
        var problems = new List<string>();
        await CheckAsync(3, "three");
        q = seed.QuestionIds[1];
        await seed.OpenAsync(q, DateTimeOffset.UtcNow.AddSeconds(-200));
        for (var i = 0; i < 7; i++)
            await seed.AnswerAsync(q, 410 + i, $"Maria Guadalupe Fernández de la Torre {i}", "42", correct: true, afterSeconds: 10 + i,
                team: "Istituto Tecnico Industriale Galileo Galilei", headCount: 28);
        await seed.CloseAsync(q);
        await CheckAsync(10, "ten");
        Assert.True(problems.Count == 0, "the leaderboard does not fill the screen:\n" + string.Join("\n", problems));

        async Task CheckAsync(int rows, string shot)
        {
            foreach (var (width, height) in new[] { (1920, 1080), (1280, 720), (1366, 768) })
            {
                var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = width, Height = height } });
                await page.GotoAsync($"{baseUrl}/present/{seed.Token}");
                await page.WaitForSelectorAsync("[data-testid=presenter-between]");
                await Assertions.Expect(page.Locator(".leaderboard .row")).ToHaveCountAsync(rows);
                // The rows reach into the lower third of the screen, in large type however few they are, and none goes off it.
                var last = await page.Locator(".leaderboard .row").Last.EvaluateAsync<double>("e => e.getBoundingClientRect().bottom");
                if (last < height * 0.7) problems.Add($"{width}×{height}, {rows} rows: they end at {Math.Round(100 * last / height)}% of the height");
                var font = await page.Locator(".leaderboard .row").First.EvaluateAsync<double>("e => parseFloat(getComputedStyle(e).fontSize)");
                if (font < height * 0.05 - 0.5) problems.Add($"{width}×{height}, {rows} rows: {font}px type");
                if (rows <= 3 && font < height * 0.07 - 0.5) problems.Add($"{width}×{height}, {rows} rows: {font}px type for only {rows} rows");
                // Names of a usual length stay whole: the type is made smaller for them first, down to the size ten rows have.
                if (rows <= 3)
                {
                    var cut = await page.Locator(".leaderboard .row .who").EvaluateAllAsync<string[]>(
                        "names => names.filter(n => n.scrollWidth > n.clientWidth).map(n => n.textContent)");
                    problems.AddRange(cut.Select(name => $"{width}×{height}, {rows} rows: “{name}” is cut"));
                }
                // A long name and team end in an ellipsis inside the row: the rows and their columns stay on the screen.
                var outside = await page.Locator(".leaderboard .row").EvaluateAllAsync<string[]>("""
                    rows => rows.flatMap(r => [r, ...r.children]).map(e => [e, e.getBoundingClientRect()])
                        .filter(([e, b]) => b.left < -0.5 || b.top < -0.5 || b.right > innerWidth + 0.5 || b.bottom > innerHeight + 0.5)
                        .map(([e, b]) => `${e.className} ${Math.round(b.left)}..${Math.round(b.right)} × ${Math.round(b.top)}..${Math.round(b.bottom)}`)
                    """);
                problems.AddRange(outside.Select(o => $"{width}×{height}, {rows} rows: {o}"));
                problems.AddRange(await DrawnSmallerAsync(page, $"{width}×{height}, {rows} rows"));
                var folder = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "codequiz-screenshots")).FullName;
                await page.ScreenshotAsync(new() { Path = Path.Combine(folder, $"presenter-leaderboard-{shot}-{width}x{height}.png") });
                await page.CloseAsync();
            }
        }
    }

    [Fact]
    public async Task AClosedQuestionWithTenOptionsFitsEveryScreenWithItsPodium()
    {
        await using var factory = new BrowserFactory(withOrganizer: false);
        factory.Settings["Presenter:PodiumSeconds"] = "120";
        var baseUrl = factory.StartOnKestrel();
        var seed = await new PresenterSeed(factory).CreateAsync();
        var q = seed.QuestionIds[1];
        // The most a question may have: ten options, each as long as a button shows.
        var options = Enumerable.Range(0, 10).Select(i => $"Option {i}: " + new string((char)('a' + i), 54)).ToList();
        await using (var db = await factory.Services.GetRequiredService<IDbContextFactory<QuizDbContext>>().CreateDbContextAsync())
            await db.Questions.Where(x => x.Id == q).ExecuteUpdateAsync(s => s.SetProperty(x => x.Options, options).SetProperty(x => x.CorrectOption, 3));
        await seed.OpenAsync(q, DateTimeOffset.UtcNow.AddSeconds(-30));
        for (var i = 0; i < 10; i++)
            await seed.AnswerAsync(q, 400 + i, $"Participant {i}", options[i], correct: i == 3, afterSeconds: 2 + i, option: i,
                team: i < 3 ? "Istituto Tecnico Industriale Galileo Galilei" : null, headCount: i < 3 ? 28 : null);
        await seed.AnswerAsync(q, 420, "Maria Guadalupe Fernández de la Torre", options[3], correct: true, afterSeconds: 14, option: 3, team: "Liceo Scientifico Leonardo da Vinci, 5ªB", headCount: 21);
        await seed.AnswerAsync(q, 421, "Aleksandr Konstantinovich Rimsky-Korsakov", options[3], correct: true, afterSeconds: 15, option: 3);
        await seed.CloseAsync(q);

        var browser = await factory.ChromiumAsync();
        var problems = new List<string>();
        foreach (var (width, height) in new[] { (1024, 768), (800, 600), (1280, 720), (1366, 768), (1920, 1080), (768, 1024) })
        {
            var page = await ScreenAsync(browser, $"{baseUrl}/present/{seed.Token}", width, height);
            await Assertions.Expect(page.Locator(".podium .place")).ToHaveCountAsync(3);
            await Assertions.Expect(page.Locator("[data-testid=distribution] .bar")).ToHaveCountAsync(10);
            problems.AddRange(await OutsideAsync(page, width, height, "projector-closed-ten-options"));
            await page.CloseAsync();
        }
        Assert.True(problems.Count == 0, "outside the screen:\n" + string.Join("\n", problems));
    }

    [Fact]
    public async Task LongNamesOnTheLeaderboardLeaveItsColumnsInPlace()
    {
        await using var factory = new BrowserFactory(withOrganizer: false);
        factory.Settings["Presenter:PodiumSeconds"] = "1";
        var baseUrl = factory.StartOnKestrel();
        var seed = await new PresenterSeed(factory).CreateAsync();
        var q = seed.QuestionIds[0];
        await seed.OpenAsync(q, DateTimeOffset.UtcNow.AddSeconds(-200));
        await seed.AnswerAsync(q, 401, "Дмитрий Wiśniewska", "42", correct: true, afterSeconds: 80.5, team: "Gymnázium Brno, třída 4.B", headCount: 20);
        await seed.AnswerAsync(q, 402, "Maria Guadalupe Fernández de la Torre", "42", correct: true, afterSeconds: 119.9, team: "Istituto Tecnico Industriale Galileo Galilei");
        await seed.AnswerAsync(q, 403, "Jo", "42", correct: true, afterSeconds: 150.25);
        await seed.CloseAsync(q);

        var browser = await factory.ChromiumAsync();
        foreach (var (width, height) in new[] { (1024, 768), (1366, 900), (1280, 720) })
        {
            var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = width, Height = height } });
            await page.GotoAsync($"{baseUrl}/present/{seed.Token}");
            await page.WaitForSelectorAsync("[data-testid=presenter-between]");
            await Assertions.Expect(page.Locator(".leaderboard .row")).ToHaveCountAsync(3);

            // Every row's count and seconds stay on the screen, in one column, clear of the name beside them.
            var wrong = await page.Locator(".leaderboard .row").EvaluateAllAsync<string[]>($$"""
                rows => {
                    const r = s => (e => e.getBoundingClientRect())(s);
                    const firstSecs = r(rows[0].querySelector('.secs'));
                    return rows.filter(row => {
                        const who = r(row.querySelector('.who')), correct = r(row.querySelector('.correct')), secs = r(row.querySelector('.secs'));
                        return secs.right > {{width}} || Math.abs(secs.right - firstSecs.right) > 1 || who.right > correct.left || secs.height > correct.height * 1.5;
                    }).map(row => row.textContent);
                }
                """);
            Assert.True(wrong.Length == 0, $"{width}×{height}: out of place: {string.Join(" | ", wrong)}");
            var folder = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "codequiz-screenshots")).FullName;
            await page.ScreenshotAsync(new() { Path = Path.Combine(folder, $"presenter-long-leaderboard-{width}x{height}.png") });
            await page.CloseAsync();
        }
    }

    [Fact]
    public async Task TheOverlayFitsStreamsFrom1280To1920PixelsWide()
    {
        await using var factory = new BrowserFactory(withOrganizer: false);
        factory.Settings["Presenter:PodiumSeconds"] = "120";
        var baseUrl = factory.StartOnKestrel();
        var seed = await new PresenterSeed(factory).CreateAsync();
        var q = seed.QuestionIds[0];
        await seed.OpenAsync(q, DateTimeOffset.UtcNow.AddSeconds(-12));
        var live = factory.Services.GetRequiredService<LiveStats>();

        var browser = await factory.ChromiumAsync();
        (int Width, int Height)[] canvases = [(1280, 720), (1280, 1024), (1366, 768), (1366, 1080), (1920, 1080)];
        var pages = new List<(IPage Page, int Width, int Height)>();
        var problems = new List<string>();
        foreach (var (width, height) in canvases)
        {
            var page = await ScreenAsync(browser, $"{baseUrl}/present/{seed.Token}?overlay=1", width, height);
            pages.Add((page, width, height));
        }
        // The widest counters a show can reach (five digits), with the countdown beside them.
        live.Publish(Snapshot(seed, answers: 99999, people: 99999));
        foreach (var (page, width, height) in pages)
        {
            await Assertions.Expect(page.Locator("[data-field=people]")).ToHaveTextAsync(QuizFormat.Count(99999));
            problems.AddRange(await OutsideAsync(page, width, height, "open"));
            // Not by shrinking out of sight: 8% of a 16:9 frame's height, and on one line with the countdown in one.
            var font = await page.Locator("[data-field=answers]").EvaluateAsync<double>("e => parseFloat(getComputedStyle(e).fontSize)");
            if (font < 0.08 * Math.Min(height, width * 9.0 / 16) - 0.5)
                problems.Add($"{width}×{height}: the counters are {font:0.#} px");
            var counters = await page.Locator(".counters").BoundingBoxAsync();
            var countdown = await page.Locator(".countdown-box").BoundingBoxAsync();
            if (width * 9 == height * 16 && Math.Abs(counters!.Y - countdown!.Y) > 1)
                problems.Add($"{width}×{height}: the countdown is not beside the counters");
        }

        await seed.AnswerAsync(q, 301, "Maria Guadalupe Fernández de la Torre", "42", correct: true, afterSeconds: 2.5, team: "Istituto Tecnico Industriale Galileo Galilei", headCount: 28);
        await seed.AnswerAsync(q, 302, "Aleksandr Konstantinovich Rimsky-Korsakov", "42", correct: true, afterSeconds: 74.25);
        await seed.AnswerAsync(q, 303, "Jo", "42", correct: true, afterSeconds: 611.75, team: "Liceo Scientifico Statale Leonardo da Vinci, 5ªB", headCount: 21);
        await seed.CloseAsync(q);
        foreach (var (page, width, height) in pages)
        {
            await page.WaitForSelectorAsync("[data-testid=presenter-closed]");
            problems.AddRange(await OutsideAsync(page, width, height, "closed"));
        }
        Assert.True(problems.Count == 0, "outside the frame:\n" + string.Join("\n", problems));
    }

    [Fact]
    public async Task AnOpenQuestionFitsEveryScreenFromAPortraitPhoneTo4kWithTheLargestQrCodeItAllows()
    {
        await using var factory = new BrowserFactory(withOrganizer: false);
        var baseUrl = factory.StartOnKestrel();
        var seed = await new PresenterSeed(factory).CreateAsync();
        await seed.OpenAsync(seed.QuestionIds[0], DateTimeOffset.UtcNow.AddSeconds(-12));
        var live = factory.Services.GetRequiredService<LiveStats>();

        var browser = await factory.ChromiumAsync();
        // Projectors from 4:3 to 4k, and portrait screens: a TV mounted upright at the entrance, a tablet, a phone.
        (int Width, int Height)[] screens = [(1024, 768), (800, 600), (1280, 1024), (1280, 800), (1366, 768), (1920, 1080), (3840, 2160),
            (1024, 1024), (768, 1024), (1080, 1920), (390, 844)];
        var problems = new List<string>();
        foreach (var (width, height) in screens)
        {
            var page = await ScreenAsync(browser, $"{baseUrl}/present/{seed.Token}", width, height);
            live.Publish(Snapshot(seed, answers: 99999, people: 99999));
            await Assertions.Expect(page.Locator("[data-field=people]")).ToHaveTextAsync("99999");

            // Counters, countdown, prompt and code all on the screen (a 4:3 projector once lost the counters below its edge).
            problems.AddRange(await OutsideAsync(page, width, height, "projector-open"));
            // Landscape: as large as on a wide screen of the same width, 46% of it, or 76% of the height when that is less.
            // Portrait: the numbers go under it, so it takes nearly the whole width inside the stage's padding.
            var qr = await page.Locator(".qr").BoundingBoxAsync();
            var inside = width - await page.Locator("[data-presenter]").EvaluateAsync<double>(
                "e => parseFloat(getComputedStyle(e).paddingLeft) + parseFloat(getComputedStyle(e).paddingRight)");
            var least = height > width ? 0.85 * inside : Math.Min(0.76 * height, 0.46 * width);
            if (qr!.Width < least - 1 || Math.Abs(qr.Width - qr.Height) > 1)
                problems.Add($"{width}×{height}: the QR code is {qr.Width:0}×{qr.Height:0} px, at least {least:0} wanted");
            var link = await page.Locator(".qr").GetAttributeAsync("aria-label");
            Assert.Equal(link, "QR code: " + QrPictures.Read(await page.Locator(".qr").ScreenshotAsync()));
            await page.CloseAsync();
        }
        Assert.True(problems.Count == 0, "not as it should be:\n" + string.Join("\n", problems));
    }

    [Fact]
    public async Task ACodeListingOnThePresenterIsShownWholeBesideTheQrCode()
    {
        await using var factory = new BrowserFactory(withOrganizer: false);
        var baseUrl = factory.StartOnKestrel();
        var seed = await new PresenterSeed(factory).CreateAsync();
        var q = seed.QuestionIds[0];
        // Eighteen lines, one of them longer than the column is wide.
        var listing = string.Join("\n", Enumerable.Range(1, 18).Select(i => i == 9
            ? "    var total = Enumerable.Range(1, 10).Where(n => n % 2 == 0).Select(n => n * n).Aggregate((a, b) => a + b);"
            : $"    x{i} = Step(x{i - 1}, {i});"));
        await using (var db = await factory.Services.GetRequiredService<IDbContextFactory<QuizDbContext>>().CreateDbContextAsync())
            await db.Questions.Where(x => x.Id == q).ExecuteUpdateAsync(s => s.SetProperty(x => x.Prompt, $"What is x18?\n```\n{listing}\n```"));
        await seed.OpenAsync(q, DateTimeOffset.UtcNow.AddSeconds(-12));

        var browser = await factory.ChromiumAsync();
        var problems = new List<string>();
        foreach (var (width, height) in new[] { (1280, 720), (1024, 768), (1920, 1080), (768, 1024) })
        {
            var page = await ScreenAsync(browser, $"{baseUrl}/present/{seed.Token}", width, height);

            // Every line there, none cut at the side or the bottom, in type still readable across a room, above the counters.
            var prompt = page.Locator("[data-testid=prompt]");
            if (await prompt.EvaluateAsync<bool>("e => e.scrollHeight > e.clientHeight + 1 || e.scrollWidth > e.clientWidth + 1"))
                problems.Add($"{width}×{height}: the listing is cut");
            var font = await prompt.EvaluateAsync<double>("e => parseFloat(getComputedStyle(e).fontSize)");
            if (font < 0.02 * height) problems.Add($"{width}×{height}: the listing is {font:0.#} px");
            // Prose in the screen's type, the listing in a monospace one, as in Telegram.
            var fonts = await prompt.EvaluateAsync<string[]>("e => [getComputedStyle(e).fontFamily, getComputedStyle(e.querySelector('pre')).fontFamily]");
            if (fonts[0].Contains("Mono") || !fonts[1].Contains("Mono")) problems.Add($"{width}×{height}: prompt in {fonts[0]}, listing in {fonts[1]}");
            var promptBox = await prompt.BoundingBoxAsync();
            var counters = await page.Locator(".counters").BoundingBoxAsync();
            if (promptBox!.Y + promptBox.Height > counters!.Y) problems.Add($"{width}×{height}: the listing runs into the counters");
            problems.AddRange(await OutsideAsync(page, width, height, "listing"));
            var link = await page.Locator(".qr").GetAttributeAsync("aria-label");
            Assert.Equal(link, "QR code: " + QrPictures.Read(await page.Locator(".qr").ScreenshotAsync()));
            await page.CloseAsync();
        }
        Assert.True(problems.Count == 0, "not as it should be:\n" + string.Join("\n", problems));
    }

    [Fact]
    public async Task AfterACodeBlockTheProjectorShowsTheBlankLineTheParticipantsSeeAndNoMore()
    {
        await using var factory = new BrowserFactory(withOrganizer: false);
        var baseUrl = factory.StartOnKestrel();
        var seed = await new PresenterSeed(factory).CreateAsync();
        var q = seed.QuestionIds[0];
        await using (var db = await factory.Services.GetRequiredService<IDbContextFactory<QuizDbContext>>().CreateDbContextAsync())
            await db.Questions.Where(x => x.Id == q).ExecuteUpdateAsync(s => s.SetProperty(x => x.Prompt,
                "What does this JavaScript print?\n```\nconst a = [1, 2, 3];\nconsole.log(a.length * 2);\n```\n\nType the number."));
        await seed.OpenAsync(q, DateTimeOffset.UtcNow.AddSeconds(-12));

        var browser = await factory.ChromiumAsync();
        var problems = new List<string>();
        foreach (var (width, height) in new[] { (1920, 1080), (1280, 720) })
        {
            var page = await ScreenAsync(browser, $"{baseUrl}/present/{seed.Token}", width, height);
            // In Telegram the line break after the block ends its line and the second one is the blank line: one line's
            // height between the block and "Type the number.", not two (a blank line too many also made the type smaller).
            var measured = await page.Locator("[data-testid=prompt]").EvaluateAsync<double[]>("""
                e => {
                    const walker = document.createTreeWalker(e, NodeFilter.SHOW_TEXT);
                    let node; while ((node = walker.nextNode()) && !node.data.includes('Type the number')) {}
                    const range = document.createRange();
                    range.setStart(node, node.data.indexOf('Type the number')); range.setEnd(node, node.data.length);
                    return [range.getBoundingClientRect().top - e.querySelector('pre').getBoundingClientRect().bottom, parseFloat(getComputedStyle(e).lineHeight)];
                }
                """);
            var (gap, line) = (measured[0], measured[1]);
            if (gap > 1.5 * line)
                problems.Add($"{width}×{height}: {gap:0} px between the code and the next line, {line:0} px a line");
            await page.CloseAsync();
        }
        Assert.True(problems.Count == 0, "not as it should be:\n" + string.Join("\n", problems));
    }

    [Fact]
    public async Task SixDigitCountsStayInTheirBoxClearOfTheirLabels()
    {
        await using var factory = new BrowserFactory(withOrganizer: false);
        var baseUrl = factory.StartOnKestrel();
        var seed = await new PresenterSeed(factory).CreateAsync();
        await seed.OpenAsync(seed.QuestionIds[0], DateTimeOffset.UtcNow.AddSeconds(-12));
        var live = factory.Services.GetRequiredService<LiveStats>();

        var browser = await factory.ChromiumAsync();
        var problems = new List<string>();
        foreach (var (path, width, height) in new[] { ("", 1280, 720), ("", 1024, 768), ("", 768, 1024), ("?overlay=1", 1920, 1080) })
        {
            var page = await ScreenAsync(browser, $"{baseUrl}/present/{seed.Token}{path}", width, height);
            live.Publish(Snapshot(seed, answers: 99999, people: 99999));
            await Assertions.Expect(page.Locator("[data-field=people]")).ToHaveTextAsync("99999");
            var box = await page.Locator("[data-field=answers]").BoundingBoxAsync();
            live.Publish(Snapshot(seed, answers: 123456, people: 1048576));
            await Assertions.Expect(page.Locator("[data-field=people]")).ToHaveTextAsync("1048576");

            // Every digit left of its label, from where the box starts (the box itself never moves).
            var overlaps = await page.Locator(".counter").EvaluateAllAsync<string[]>("""
                all => all.map(c => [c.querySelector('.value'), c.querySelector('.label')])
                    .map(([v, l]) => { const r = document.createRange(); r.selectNodeContents(v); return [v.textContent, r.getBoundingClientRect(), v.getBoundingClientRect(), l.getBoundingClientRect()]; })
                    .filter(([t, digits, value, label]) => digits.right > label.left || digits.left < value.left - 1)
                    .map(([t, digits, value, label]) => `${t}: digits ${Math.round(digits.left)}..${Math.round(digits.right)}, label from ${Math.round(label.left)}`)
                """);
            problems.AddRange(overlaps.Select(o => $"{width}×{height}{path}: {o}"));
            var after = await page.Locator("[data-field=answers]").BoundingBoxAsync();
            if (Math.Abs(after!.X - box!.X) > 1 || Math.Abs(after.Height - box.Height) > 1)
                problems.Add($"{width}×{height}{path}: the counter moved");
            // The first paint of a new screen draws them the same way.
            await page.ReloadAsync();
            await page.WaitForSelectorAsync("html[data-live=connected]");
            var firstPaint = await page.Locator("[data-field=people]").GetAttributeAsync("style");
            if (firstPaint != "transform: scaleX(0.714)") problems.Add($"{width}×{height}{path}: a new screen draws 1048576 with {firstPaint ?? "no style"}");
            await page.CloseAsync();
        }
        Assert.True(problems.Count == 0, "not as it should be:\n" + string.Join("\n", problems));
    }

    /// <summary>A screen of the given size showing the page at <paramref name="url"/>, once it is connected to the hub.</summary>
    static async Task<IPage> ScreenAsync(IBrowser browser, string url, int width, int height)
    {
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = width, Height = height } });
        await page.GotoAsync(url);
        await page.WaitForSelectorAsync("html[data-live=connected]");
        return page;
    }

    /// <summary>Every box of the stage within the frame: streaming software shows a browser source's viewport and cuts the rest.</summary>
    static async Task<IEnumerable<string>> OutsideAsync(IPage page, int width, int height, string phase)
    {
        var outside = await page.Locator("[data-presenter], [data-presenter] *").EvaluateAllAsync<string[]>($$"""
            all => all.map(e => [e, e.getBoundingClientRect()])
                .filter(([e, r]) => r.width > 0 && (r.left < -0.5 || r.top < -0.5 || r.right > {{width}} + 0.5 || r.bottom > {{height}} + 0.5))
                .map(([e, r]) => `${e.className || e.tagName} ${Math.round(r.left)}..${Math.round(r.right)} × ${Math.round(r.top)}..${Math.round(r.bottom)}`)
            """);
        var folder = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "codequiz-screenshots")).FullName;
        await page.ScreenshotAsync(new() { Path = Path.Combine(folder, $"presenter-overlay-{phase}-{width}x{height}.png") });
        return outside.Select(box => $"{width}×{height}, {phase}: {box}");
    }

    /// <summary>A 16:9 screen shows the stage as laid out, not scaled down to fit (presenter.js does that only when it overflows).</summary>
    static async Task<IEnumerable<string>> DrawnSmallerAsync(IPage page, string where)
    {
        var transform = await page.Locator("[data-presenter]").EvaluateAsync<string>("e => getComputedStyle(e).transform");
        return transform == "none" ? [] : [$"{where}: the stage overflowed and is drawn smaller ({transform})"];
    }

    static LiveSnapshot Snapshot(PresenterSeed seed, int answers, int people) => new(
        DateTimeOffset.UtcNow, [new LiveQuestion(seed.QuestionIds[0], seed.EventId, answers, answers, people, answers / 2, 3, 0)], [], 0, 0);

    static async Task ScreenshotAsync(IPage page, string name, bool transparent = false)
    {
        var folder = Environment.GetEnvironmentVariable("CODEQUIZ_UPDATE_SCREENSHOTS") == "1"
            ? Path.Combine(Repository.Root, "docs", "screenshots")
            : Path.Combine(Path.GetTempPath(), "codequiz-screenshots");
        Directory.CreateDirectory(folder);
        await page.ScreenshotAsync(new() { Path = Path.Combine(folder, name), OmitBackground = transparent });
    }
}
