using System.Globalization;
using Bunit;
using CodeQuiz.Core.Live;
using CodeQuiz.Core.Persistence;
using CodeQuiz.Core.Quizzes;
using CodeQuiz.Tests.Infrastructure;
using CodeQuiz.Web.Components.Pages.Results;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CodeQuiz.Tests.Components.Results;

public class ResultsPageTests : ConsoleTestBase
{
    BunitContext NewContext(bool interactive = true) => NewContext(null, interactive);

    BunitContext NewContext(IDbContextFactory<QuizDbContext>? database, bool interactive = true)
    {
        var ctx = new BunitContext();
        AddTestServices(ctx);
        if (database is not null)
            ctx.Services.AddSingleton(database);
        ctx.Renderer.SetRendererInfo(new RendererInfo(interactive ? "Server" : "Static", interactive));
        return ctx;
    }

    [Fact]
    public async Task PrerenderedThePageSaysLoadingAndComputesTheResultsOnlyOnceTheBrowserIsConnected()
    {
        // A big event's leaderboard and results take seconds: computed for the prerendered HTML, they were computed twice.
        var quizEvent = await SeedPlayedEventAsync();
        await using (var prerender = NewContext(interactive: false))
        {
            var (prerendered, _) = RenderPage<ResultsPage>(prerender, p => p.Add(x => x.EventId, quizEvent.Id));
            Assert.Equal("Loading…", prerendered.Find("h5, .mud-typography-h5").TextContent);
            Assert.Empty(prerendered.FindAll("[data-testid=leaderboard]"));
        }

        await using var ctx = NewContext();
        var (page, _) = RenderPage<ResultsPage>(ctx, p => p.Add(x => x.EventId, quizEvent.Id));
        await page.WaitForElementAsync("[data-testid=leaderboard]");
    }

    async Task<QuizEvent> SeedPlayedEventAsync()
    {
        var first = FreeText("Who designed C#?", "Anders Hejlsberg", "Hejlsberg");
        first.Open(Time.GetUtcNow());
        var second = FreeText("Which keyword declares a constant?", "const");
        second.Open(Time.GetUtcNow());
        var draft = FreeText("Not asked yet");
        var quizEvent = await SeedEventAsync(first, second, draft);
        await SeedAnswersAsync(first,
            ("Grace", null, null, "Hejlsberg", true, 4.2),
            ("Class 3B", "3B", 24, "hejlsberg.", true, 6.5),
            ("Linus", null, null, "Torvalds", false, 3.0));
        await SeedAnswersAsync(second,
            ("Class 3B", "3B", 24, "const", true, 2.0),
            ("Linus", null, null, "readonly", false, 5.0));
        await using var db = await Db.CreateDbContextAsync();
        foreach (var q in db.Questions.Where(q => q.State == QuestionState.Open))
            q.Close(Time.GetUtcNow().AddMinutes(1));
        await db.SaveChangesAsync();
        return quizEvent;
    }

    [Fact]
    public async Task ALeaderboardLongerThanThePageShowsSaysWhereTheRestIs()
    {
        var question = FreeText("Which keyword declares a constant?", "const");
        question.Open(Time.GetUtcNow());
        var quizEvent = await SeedEventAsync(question);
        await SeedAnswersAsync(question, [.. Enumerable.Range(1, QuizResults.DefaultLeaderboardSize + 1)
            .Select(i => ($"Participant {i}", (string?)null, (int?)null, "const", true, 1.0 + i / 10.0))]);
        await using var ctx = NewContext();

        var (page, _) = RenderPage<ResultsPage>(ctx, p => p.Add(x => x.EventId, quizEvent.Id));

        await page.WaitForElementAsync("[data-testid=leaderboard]");
        Assert.Equal(QuizResults.DefaultLeaderboardSize, page.FindAll("[data-testid=leaderboard] tbody tr").Count);
        Assert.Contains("The first 100 are shown", page.Find("[data-testid=leaderboard-more]").TextContent);
    }

    [Fact]
    public async Task EachQuestionShowsItsDistributionAndItsRankedCorrectAnswersWithDelays()
    {
        var quizEvent = await SeedPlayedEventAsync();
        await using var ctx = NewContext();

        var (page, _) = RenderPage<ResultsPage>(ctx, p => p.Add(x => x.EventId, quizEvent.Id));

        await page.WaitForElementAsync("[data-testid=results-question-1] [data-testid=ranking]");
        var first = page.Find("[data-testid=results-question-1]");
        Assert.Equal("3", first.QuerySelector("[data-testid=results-total]")!.TextContent);
        Assert.Equal("67%", first.QuerySelector("[data-testid=results-percent]")!.TextContent);
        var ranking = first.QuerySelectorAll("[data-testid=ranking] li").Select(li => li.TextContent.Trim()).ToList();
        Assert.Equal(2, ranking.Count);
        Assert.StartsWith("🥇 Grace", ranking[0]);
        Assert.Contains("4.2 s", ranking[0]);
        Assert.Contains("Class 3B (3B)", ranking[1]);
        var distribution = first.QuerySelectorAll("[data-testid=distribution] li").ToList();
        var right = Assert.Single(distribution, li => li.TextContent.Contains("Hejlsberg"));
        Assert.Contains('2', right.TextContent);
        Assert.StartsWith("✔", right.TextContent.Trim());
        Assert.Contains("distribution-correct", right.ClassList);
        var wrong = Assert.Single(distribution, li => li.TextContent.Contains("Torvalds"));
        Assert.Contains('1', wrong.TextContent);
        Assert.DoesNotContain("✔", wrong.TextContent);
        Assert.DoesNotContain("distribution-correct", wrong.ClassList);
        Assert.Contains("Not asked yet", page.Find("[data-testid=results-question-3]").TextContent);
    }

    [Fact]
    public async Task AMultipleChoiceRightAnswerIsNamedByItsLetterAsInTheChat()
    {
        var question = Seed.Choice(Tokens.NewQuestionCode(), 1, "Java", "Python", "Go");
        question.Open(Time.GetUtcNow());
        question.Close(Time.GetUtcNow().AddMinutes(1));
        var quizEvent = await SeedEventAsync(question, FreeText("Capital of France?", "Paris"));
        await using var ctx = NewContext();

        var (page, _) = RenderPage<ResultsPage>(ctx, p => p.Add(x => x.EventId, quizEvent.Id));

        await page.WaitForElementAsync("[data-testid=results-question-2]");
        Assert.Contains("Right answer: B) Python", page.Find("[data-testid=results-question-1]").TextContent);
        Assert.Contains("Right answer: Paris", page.Find("[data-testid=results-question-2]").TextContent);
    }

    [Fact]
    public async Task ANumberQuestionsAnswersAreLabelledByTheirValueAsTheConsoleWritesNumbers()
    {
        // An Italian school types "15,25" and "15,2"; others "15.25": one group each, written as the English console writes.
        var number = Seed.Numeric(Tokens.NewQuestionCode(), 15.25, 0.1);
        number.Open(Time.GetUtcNow());
        var text = FreeText("Which keyword declares a constant?", "const");
        text.Open(Time.GetUtcNow());
        var quizEvent = await SeedEventAsync(number, text);
        await SeedAnswersAsync(number,
            ("Ada", null, null, "15,25", true, 1), ("Bea", null, null, "15,25", true, 2), ("Cy", null, null, "15.25", true, 3),
            ("Dee", null, null, "15,2", true, 4), ("Eli", null, null, "15,2", true, 5),
            ("Fra", null, null, "15,0", false, 6), ("Gio", null, null, "15,00", false, 7), ("Hal", null, null, "quindici", false, 8),
            ("Ivo", null, null, "-0", false, 9), ("Joe", null, null, "0", false, 10));
        await SeedAnswersAsync(text, ("Ada", null, null, "CONST", true, 1), ("Bea", null, null, "Const.", true, 2), ("Cy", null, null, "Let", false, 3));
        await using var ctx = NewContext();

        var (page, _) = RenderPage<ResultsPage>(ctx, p => p.Add(x => x.EventId, quizEvent.Id));

        await page.WaitForElementAsync("[data-testid=results-question-2] [data-testid=distribution]");
        string[] Labels(int question) => [.. page.FindAll($"[data-testid=results-question-{question}] .distribution-answer").Select(a => a.TextContent)];
        Assert.Equal(["✔ 15.25", "0", "15", "✔ 15.2", "quindici"], Labels(1)); // whole numbers whole, "-0" is 0; words as typed
        Assert.Equal(["✔ const", "Let"], Labels(2)); // typed answers still by the organizer's spelling, or the most-typed one
    }

    [Fact]
    public async Task AMultipleChoiceQuestionsAnswersGivenAreLetteredAsOnThePhones()
    {
        var choice = Seed.Choice(Tokens.NewQuestionCode(), 1, "while", "for", "do");
        choice.Open(Time.GetUtcNow());
        var quizEvent = await SeedEventAsync(choice);
        await SeedAnswersAsync(choice, ("Ada", null, null, "for", true, 1));
        await using var ctx = NewContext();

        var (page, _) = RenderPage<ResultsPage>(ctx, p => p.Add(x => x.EventId, quizEvent.Id));

        await page.WaitForElementAsync("[data-testid=results-question-1] [data-testid=distribution]");
        // The seeded answer names no option, so it is "(other)", which has no letter.
        Assert.Equal(["A) while", "✔ B) for", "C) do", "(other)"],
            page.FindAll("[data-testid=results-question-1] .distribution-answer").Select(a => a.TextContent));
    }

    [Fact]
    public async Task AQuestionNobodyAnsweredShowsADashNotZeroPercentCorrect()
    {
        // "0% correct" reads as if everyone got it wrong, as on the live page, where it is a dash too.
        var closed = FreeText("Who designed C#?", "Anders Hejlsberg");
        closed.Open(Time.GetUtcNow());
        closed.Close(Time.GetUtcNow());
        var open = FreeText("Which keyword declares a constant?", "const");
        open.Open(Time.GetUtcNow());
        var quizEvent = await SeedEventAsync(closed, open);
        await using var ctx = NewContext();

        var (page, _) = RenderPage<ResultsPage>(ctx, p => p.Add(x => x.EventId, quizEvent.Id));

        await page.WaitForElementAsync("[data-testid=results-question-2] [data-testid=results-percent]");
        Assert.Equal("–", page.Find("[data-testid=results-question-1] [data-testid=results-percent]").TextContent);
        Assert.Equal("–", page.Find("[data-testid=results-question-2] [data-testid=results-percent]").TextContent);
        Assert.Equal("0", page.Find("[data-testid=results-question-1] [data-testid=results-total]").TextContent);
        // Its "Answers given" says there were none rather than standing over nothing.
        Assert.Equal("None on time.", page.Find("[data-testid=results-question-1] [data-testid=distribution-none]").TextContent);
        Assert.Empty(page.FindAll("[data-testid=results-question-1] [data-testid=distribution]"));
        Assert.Equal("None yet.", page.Find("[data-testid=results-question-2] [data-testid=distribution-none]").TextContent); // still open
    }

    [Fact]
    public async Task OnceEveryQuestionIsClosedNobodyIsStillToAnswerCorrectly()
    {
        var only = FreeText("Who designed C#?", "Anders Hejlsberg");
        only.Open(Time.GetUtcNow());
        var quizEvent = await SeedEventAsync(only);
        await using var ctx = NewContext();

        var (page, _) = RenderPage<ResultsPage>(ctx, p => p.Add(x => x.EventId, quizEvent.Id));
        await page.WaitForElementAsync("[data-testid=no-leaderboard]", TimeSpan.FromSeconds(10));
        Assert.Equal("Nobody has answered correctly yet.", page.Find("[data-testid=no-leaderboard]").TextContent); // still open

        await using (var db = await Db.CreateDbContextAsync())
        {
            (await db.Questions.SingleAsync(q => q.Id == only.Id)).Close(Time.GetUtcNow());
            await db.SaveChangesAsync();
        }
        await page.InvokeAsync(() => page.Find("[data-testid=results-refresh]").ClickAsync(new()));

        // The event is over: "yet" would promise a chance that is gone.
        await page.WaitForAssertionAsync(() => Assert.Equal("Nobody answered correctly.", page.Find("[data-testid=no-leaderboard]").TextContent), TimeSpan.FromSeconds(15));
        Assert.Equal("No team answered correctly.", page.Find("[data-testid=no-teams]").TextContent);
    }

    [Fact]
    public async Task ARefreshTheDatabaseDoesNotAnswerIsReportedAndThePageKeepsWhatItShowed()
    {
        var quizEvent = await SeedPlayedEventAsync();
        await using var ctx = NewContext();
        var (page, _) = RenderPage<ResultsPage>(ctx, p => p.Add(x => x.EventId, quizEvent.Id));
        await page.WaitForElementAsync("[data-testid=results-question-1] [data-testid=ranking]");
        // As with a database server restarting: the page's readings fail.
        await QueryAsync(db => db.Database.ExecuteSqlRawAsync("ALTER TABLE Answers RENAME TO AnswersAway"));

        await page.InvokeAsync(() => page.Find("[data-testid=results-refresh]").ClickAsync(new()));

        await page.WaitForAssertionAsync(() => Assert.Contains("The results could not be read again: SQLite Error 1: 'no such table: Answers'.",
            ctx.Services.GetRequiredService<MudBlazor.ISnackbar>().ShownSnackbars.Last().Message));
        Assert.Equal("3", page.Find("[data-testid=results-question-1] [data-testid=results-total]").TextContent);
    }

    [Fact]
    public async Task AQuestionsPromptShowsItsCodeBlockAsTheParticipantsSawItWithoutFences()
    {
        var question = FreeText("What does this print?\n```python\nfor i in range(3):\n    print(i)\n```", "0 1 2");
        var quizEvent = await SeedEventAsync(question);
        await using var ctx = NewContext();

        var (page, _) = RenderPage<ResultsPage>(ctx, p => p.Add(x => x.EventId, quizEvent.Id));

        await page.WaitForElementAsync("[data-testid=results-question-1] .live-prompt");
        var prompt = page.Find("[data-testid=results-question-1] .live-prompt");
        Assert.DoesNotContain("```", prompt.TextContent);
        Assert.Equal("for i in range(3):\n    print(i)", prompt.QuerySelector("pre")?.TextContent);
    }

    [Fact]
    public async Task TheLeaderboardsRankParticipantsAndTeams()
    {
        var quizEvent = await SeedPlayedEventAsync();
        await using var ctx = NewContext();

        var (page, _) = RenderPage<ResultsPage>(ctx, p => p.Add(x => x.EventId, quizEvent.Id));

        await page.WaitForElementAsync("[data-testid=leaderboard]");
        var rows = page.FindAll("[data-testid=leaderboard] tbody tr").Select(r => r.TextContent).ToList();
        Assert.Contains("Class 3B", rows[0]);
        Assert.Contains("Grace", rows[1]);
        var teams = page.FindAll("[data-testid=team-leaderboard] tbody tr").Select(r => r.TextContent).ToList();
        Assert.Single(teams);
        Assert.Contains("3B", teams[0]);
        Assert.Contains("24", teams[0]);
        // The page shows the first ones; the whole rankings download.
        Assert.Equal($"/api/events/{quizEvent.Id}/leaderboard.csv", page.Find("[data-testid=leaderboard-csv]").GetAttribute("href"));
        Assert.Equal($"/api/events/{quizEvent.Id}/team-leaderboard.csv", page.Find("[data-testid=team-leaderboard-csv]").GetAttribute("href"));
    }

    [Fact]
    public async Task TheTeamsTableSaysItsCorrectAnswersAreTheMembersAddedUp()
    {
        // Three members of one team, two right answers each, in an event of two questions: the team's 6 is no mistake.
        var first = FreeText("Who designed C#?", "Hejlsberg");
        first.Open(Time.GetUtcNow());
        var second = FreeText("Which keyword declares a constant?", "const");
        second.Open(Time.GetUtcNow());
        var quizEvent = await SeedEventAsync(first, second);
        string[] members = ["Ada", "Grace", "Linus"];
        await SeedAnswersAsync(first, [.. members.Select((m, i) => (m, (string?)"Class 3B", (int?)1, "Hejlsberg", true, 3.0 + i))]);
        await SeedAnswersAsync(second, [.. members.Select((m, i) => (m, (string?)"Class 3B", (int?)1, "const", true, 2.0 + i))]);
        await using var ctx = NewContext();

        var (page, _) = RenderPage<ResultsPage>(ctx, p => p.Add(x => x.EventId, quizEvent.Id));

        await page.WaitForElementAsync("[data-testid=team-leaderboard]");
        var headers = page.FindAll("[data-testid=team-leaderboard] thead th").Select(h => h.TextContent).ToList();
        var cells = page.FindAll("[data-testid=team-leaderboard] tbody tr td").Select(c => c.TextContent).ToList();
        Assert.Contains("Correct, all members", headers);
        Assert.Equal("6", cells[headers.IndexOf("Correct, all members")]);
        Assert.Equal("3", cells[headers.IndexOf("People")]);
        Assert.Contains("members' added up", page.Find("[data-testid=team-note]").TextContent);
        // The participants' table keeps its own count.
        Assert.Contains("Correct", page.FindAll("[data-testid=leaderboard] thead th").Select(h => h.TextContent));
    }

    [Fact]
    public async Task AParticipantWithoutARightAnswerHasNeitherAMedalNorATotalDelay()
    {
        var quizEvent = await SeedPlayedEventAsync();
        await using var ctx = NewContext();

        var (page, _) = RenderPage<ResultsPage>(ctx, p => p.Add(x => x.EventId, quizEvent.Id));

        // Linus answered twice, wrong both times: third of three, but no bronze for that, and no "0.0 s" quicker than anyone.
        await page.WaitForElementAsync("[data-testid=leaderboard]");
        var linus = page.FindAll("[data-testid=leaderboard] tbody tr")[2].QuerySelectorAll("td").Select(td => td.TextContent).ToList();
        Assert.Equal(["3", "Linus", "", "0", "–"], linus);
    }

    [Fact]
    public async Task TwoPlacesWhoseDelaysDifferAreNotShownAsATie()
    {
        var question = FreeText("Which keyword declares a constant?", "const");
        question.Open(Time.GetUtcNow());
        var quizEvent = await SeedEventAsync(question);
        await SeedAnswersAsync(question,
            ("Ada", null, null, "const", true, 4.638),
            ("Grace", null, null, "const", true, 4.643),
            ("Linus", null, null, "const", true, 9.0));
        await using var ctx = NewContext();

        var (page, _) = RenderPage<ResultsPage>(ctx, p => p.Add(x => x.EventId, quizEvent.Id));

        // "4.6 s" twice at places 1 and 2 would read as a tie decided by the name.
        await page.WaitForElementAsync("[data-testid=leaderboard]");
        Assert.Equal(["4.638 s", "4.643 s", "9.0 s"],
            page.FindAll("[data-testid=leaderboard] tbody tr").Select(r => r.QuerySelectorAll("td")[4].TextContent));
        Assert.Equal(["4.638 s", "4.643 s", "9.0 s"], page.FindAll("[data-testid=ranking] .delay").Select(d => d.TextContent));
    }

    [Fact]
    public async Task TheAnswersExportLinksToTheApisCsv()
    {
        var quizEvent = await SeedEventAsync();
        await using var ctx = NewContext();

        var (page, _) = RenderPage<ResultsPage>(ctx, p => p.Add(x => x.EventId, quizEvent.Id));

        await page.WaitForElementAsync("[data-testid=answers-csv]");
        Assert.Equal($"/api/events/{quizEvent.Id}/answers.csv", page.Find("[data-testid=answers-csv]").GetAttribute("href"));
        Assert.NotNull(page.Find("[data-testid=no-leaderboard]"));
    }

    [Fact]
    public async Task TheCsvLinksAskForSemicolonsAsTheEventsLanguageSuggestsOrAsTheSwitchSays()
    {
        var english = await SeedEventAsync();
        var italian = await SeedEventAsync();
        await SetLanguageAsync(italian, "it");
        await using (var englishContext = NewContext())
        {
            var (page, _) = RenderPage<ResultsPage>(englishContext, p => p.Add(x => x.EventId, english.Id));
            await page.WaitForElementAsync("[data-testid=answers-csv]");
            Assert.Equal($"/api/events/{english.Id}/answers.csv", page.Find("[data-testid=answers-csv]").GetAttribute("href"));
        }

        // Excel set to Italian shows a comma-separated file in one column: an Italian event's files start with semicolons.
        await using var ctx = NewContext();
        var (italianPage, _) = RenderPage<ResultsPage>(ctx, p => p.Add(x => x.EventId, italian.Id));
        await italianPage.WaitForElementAsync("[data-testid=answers-csv]");
        Assert.Equal($"/api/events/{italian.Id}/answers.csv?separator=semicolon", italianPage.Find("[data-testid=answers-csv]").GetAttribute("href"));

        // An organizer whose Excel is English switches it off, and every download follows.
        italianPage.Find("input[data-testid=csv-semicolons]").Change(false);
        await italianPage.WaitForAssertionAsync(() =>
            Assert.Equal($"/api/events/{italian.Id}/answers.csv", italianPage.Find("[data-testid=answers-csv]").GetAttribute("href")), TimeSpan.FromSeconds(15));
    }

    [Fact]
    public async Task AnotherEventsResultsInTheSameTabStartFromThatEventsOwnCsvChoice()
    {
        var english = await SeedEventAsync();
        var otherEnglish = await SeedEventAsync();
        var italian = await SeedEventAsync();
        await SetLanguageAsync(italian, "it");
        await using var ctx = NewContext();
        var (page, _) = RenderPage<ResultsPage>(ctx, p => p.Add(x => x.EventId, italian.Id));
        await page.WaitForElementAsync("[data-testid=answers-csv]");
        string Href() => page.Find("[data-testid=answers-csv]").GetAttribute("href")!;

        // Switched off on the Italian event, it stays off while the page shows that event.
        page.Find("input[data-testid=csv-semicolons]").Change(false);
        page.Render(p => p.Add(x => x.EventId, italian.Id));
        await page.WaitForAssertionAsync(() => Assert.Equal($"/api/events/{italian.Id}/answers.csv", Href()), TimeSpan.FromSeconds(15));

        // A link to an English event's results reuses the page: its files start with commas, as that event suggests...
        page.Render(p => p.Add(x => x.EventId, english.Id));
        await page.WaitForAssertionAsync(() => Assert.Equal($"/api/events/{english.Id}/answers.csv", Href()), TimeSpan.FromSeconds(15));
        page.Find("input[data-testid=csv-semicolons]").Change(true);
        await page.WaitForAssertionAsync(() => Assert.Equal($"/api/events/{english.Id}/answers.csv?separator=semicolon", Href()), TimeSpan.FromSeconds(15));

        // ...and semicolons chosen there are not carried to the next English event, nor commas to an Italian one.
        page.Render(p => p.Add(x => x.EventId, otherEnglish.Id));
        await page.WaitForAssertionAsync(() => Assert.Equal($"/api/events/{otherEnglish.Id}/answers.csv", Href()), TimeSpan.FromSeconds(15));
        page.Find("input[data-testid=csv-semicolons]").Change(false);
        page.Render(p => p.Add(x => x.EventId, italian.Id));
        await page.WaitForAssertionAsync(() => Assert.Equal($"/api/events/{italian.Id}/answers.csv?separator=semicolon", Href()), TimeSpan.FromSeconds(15));
    }

    [Fact]
    public async Task NumbersAreWrittenTheSameWhateverTheServersCulture()
    {
        var quizEvent = await SeedPlayedEventAsync();
        var before = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("it-IT"); // a server set up in Italian: the console is English all the same
        try
        {
            await using var ctx = NewContext();

            var (page, _) = RenderPage<ResultsPage>(ctx, p => p.Add(x => x.EventId, quizEvent.Id));

            await page.WaitForElementAsync("[data-testid=results-question-1] [data-testid=ranking]");
            var first = page.Find("[data-testid=results-question-1]");
            Assert.Equal("67%", first.QuerySelector("[data-testid=results-percent]")!.TextContent);
            Assert.EndsWith("4.2 s", first.QuerySelectorAll("[data-testid=ranking] li")[0].TextContent.Trim());
            Assert.Equal(["8.5 s", "4.2 s", "–"], page.FindAll("[data-testid=leaderboard] tbody tr td:nth-child(5)").Select(td => td.TextContent));
        }
        finally
        {
            CultureInfo.CurrentCulture = before;
        }
    }

    [Fact]
    public async Task NewAnswersAndALeaveOutShowWithoutARefreshAsOnTheLivePage()
    {
        var question = FreeText("Which keyword declares a constant?", "const");
        question.Open(Time.GetUtcNow());
        var quizEvent = await SeedEventAsync(question);
        await SeedAnswersAsync(question, ("Grace", null, null, "const", true, 2.0));
        await using var ctx = NewContext();
        var (page, _) = RenderPage<ResultsPage>(ctx, p => p.Add(x => x.EventId, quizEvent.Id));
        await page.WaitForAssertionAsync(() => Assert.Equal("1", page.Find("[data-testid=results-total]").TextContent));

        // The batch writer stores two more and publishes the question's new counts.
        await SeedAnswersAsync(question, ("Rude Name", null, null, "const", true, 3.0), ("Linus", null, null, "readonly", false, 4.0));
        Live.Publish(new LiveSnapshot(Time.GetUtcNow(), [new LiveQuestion(question.Id, quizEvent.Id, 3, 3, 3, 2, 0, 0)], [], 0, 0));
        Time.Advance(TimeSpan.FromSeconds(1));

        await page.WaitForAssertionAsync(() => Assert.Equal("3", page.Find("[data-testid=results-total]").TextContent));
        Assert.Contains("Rude Name", page.Find("[data-testid=leaderboard]").TextContent);

        await Lifecycle.LeaveOutAsync(1002, leaveOut: true); // by a co-host on the live page
        Time.Advance(TimeSpan.FromSeconds(1));

        await page.WaitForAssertionAsync(() => Assert.DoesNotContain("Rude Name", page.Find("[data-testid=leaderboard]").TextContent));
        Assert.DoesNotContain("Rude Name", page.Find("[data-testid=ranking]").TextContent);
    }

    [Fact]
    public async Task AnswersArrivingReadAgainOnlyTheQuestionTheyCameToAndRefreshReadsEveryQuestion()
    {
        // A big event's closed questions take seconds to read all over again: answers flooding into the open one must not.
        var closed = FreeText("Who designed C#?", "Hejlsberg");
        closed.Open(Time.GetUtcNow());
        var open = FreeText("Which keyword declares a constant?", "const");
        open.Open(Time.GetUtcNow());
        var quizEvent = await SeedEventAsync(closed, open);
        await SeedAnswersAsync(closed, ("Grace", null, null, "Hejlsberg", true, 4.2));
        await SeedAnswersAsync(open, ("Linus", null, null, "const", true, 2.0));
        await using (var db = await Db.CreateDbContextAsync())
        {
            (await db.Questions.SingleAsync(q => q.Id == closed.Id)).Close(Time.GetUtcNow().AddMinutes(1));
            await db.SaveChangesAsync();
        }
        LiveQuestion Counts(Question q, int answers) => new(q.Id, quizEvent.Id, answers, answers, answers, answers, 0, 0);
        Live.Publish(new LiveSnapshot(Time.GetUtcNow(), [Counts(closed, 1), Counts(open, 1)], [], 0, 0));
        await using var ctx = NewContext();
        var (page, _) = RenderPage<ResultsPage>(ctx, p => p.Add(x => x.EventId, quizEvent.Id));
        string Total(int position) => page.Find($"[data-testid=results-question-{position}] [data-testid=results-total]").TextContent;
        await page.WaitForAssertionAsync(() => Assert.Equal(["1", "1"], [Total(1), Total(2)]), TimeSpan.FromSeconds(10));

        // Stored straight into the database, so only a reading of question 1 could show it: its counts say it did not change.
        await SeedAnswersAsync(closed, ("Ada", null, null, "Hejlsberg", true, 5.0));
        await SeedAnswersAsync(open, ("Ken", null, null, "const", true, 3.0));
        Live.Publish(new LiveSnapshot(Time.GetUtcNow(), [Counts(closed, 1), Counts(open, 2)], [], 0, 0));
        Time.Advance(TimeSpan.FromSeconds(1));

        await page.WaitForAssertionAsync(() => Assert.Equal("2", Total(2)), TimeSpan.FromSeconds(10));
        Assert.Equal("1", Total(1));

        await page.InvokeAsync(() => page.Find("[data-testid=results-refresh]").Click());
        await page.WaitForAssertionAsync(() => Assert.Equal("2", Total(1)), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task AResultsPageOpenedLaterShowsTheQuestionsAnotherReadWhileTheirCountsAreTheSame()
    {
        // Going back and forth between the live page and the results, or a co-host opening them, must not read every
        // closed question of a big event again: the counts say whether a question changed since any page read it.
        var question = FreeText("Who designed C#?", "Hejlsberg");
        question.Open(Time.GetUtcNow());
        var quizEvent = await SeedEventAsync(question);
        await SeedAnswersAsync(question, ("Grace", null, null, "Hejlsberg", true, 4.2));
        await using (var db = await Db.CreateDbContextAsync())
        {
            (await db.Questions.SingleAsync(q => q.Id == question.Id)).Close(Time.GetUtcNow().AddMinutes(1));
            await db.SaveChangesAsync();
        }
        Live.Publish(new LiveSnapshot(Time.GetUtcNow(), [new LiveQuestion(question.Id, quizEvent.Id, 1, 1, 1, 1, 0, 0)], [], 0, 0));
        await using var ctx = NewContext();
        var (first, _) = RenderPage<ResultsPage>(ctx, p => p.Add(x => x.EventId, quizEvent.Id));
        await first.WaitForAssertionAsync(() => Assert.Equal("1", first.Find("[data-testid=results-total]").TextContent), TimeSpan.FromSeconds(10));

        // Stored straight into the database, with counts that say nothing changed: only a reading of the question shows it.
        await SeedAnswersAsync(question, ("Ada", null, null, "Hejlsberg", true, 5.0));
        var second = ctx.Render<ResultsPage>(p => p.Add(x => x.EventId, quizEvent.Id)); // a second tab; it opens no dialog, so it needs no providers of its own
        await second.WaitForElementAsync("[data-testid=leaderboard]", TimeSpan.FromSeconds(10));
        Assert.Contains("Ada", second.Find("[data-testid=leaderboard]").TextContent); // the leaderboard is read each time
        Assert.Equal("1", second.Find("[data-testid=results-total]").TextContent);

        await second.InvokeAsync(() => second.Find("[data-testid=results-refresh]").Click());
        await second.WaitForAssertionAsync(() => Assert.Equal("2", second.Find("[data-testid=results-total]").TextContent), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task AQuestionClosedByAnotherOrganizerShowsClosedWithoutARefresh()
    {
        var question = FreeText("Which keyword declares a constant?", "const");
        question.Open(Time.GetUtcNow());
        var quizEvent = await SeedEventAsync(question);
        await using var ctx = NewContext();
        var (page, _) = RenderPage<ResultsPage>(ctx, p => p.Add(x => x.EventId, quizEvent.Id));
        await page.WaitForAssertionAsync(() => Assert.Contains("Open", page.Find("[data-testid=results-question-1]").TextContent));

        await Lifecycle.CloseAsync(question.Id);
        ctx.Services.GetRequiredService<CatalogChanges>().Publish(new CatalogChanged(quizEvent.Id, EventItself: false)); // as the pipeline does
        for (var waited = 0; waited < 15_000 && page.Find("[data-testid=results-question-1]").TextContent.Contains("Open"); waited += 20)
        {
            Time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(20);
        }

        Assert.Contains("Closed", page.Find("[data-testid=results-question-1]").TextContent);
    }

    [Fact]
    public async Task AnotherEventsResultsInTheSameTabShowDuringAReadingOfTheLastOneAndNothingOfIt()
    {
        var first = await SeedPlayedEventAsync();
        var asked = FreeText("Which method ends a `Task` after a delay?", "Delay");
        asked.Open(Time.GetUtcNow());
        var second = await SeedEventAsync(asked);
        await SeedAnswersAsync(asked, ("Ada", null, null, "Delay", true, 3.0));
        await QueryAsync(db => db.Events.Where(e => e.Id == second.Id).ExecuteUpdateAsync(u => u.SetProperty(e => e.Name, "Spring rehearsal")));
        var database = new HeldDatabase(Db);
        await using var ctx = NewContext(database);
        var (page, _) = RenderPage<ResultsPage>(ctx, p => p.Add(x => x.EventId, first.Id));
        await page.WaitForAssertionAsync(() => Assert.Contains("Grace", page.Find("[data-testid=leaderboard]").TextContent), TimeSpan.FromSeconds(10));

        // A change to the first event: the page's tick reads it again, and the database is slow to answer (a big event).
        database.Hold();
        ctx.Services.GetRequiredService<CatalogChanges>().Publish(new CatalogChanged(first.Id, EventItself: false));
        for (var waited = 0; waited < 15_000 && !database.Holding; waited += 20)
        {
            Time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(20);
        }
        Assert.True(database.Holding, "the page did not read the first event again");

        // Meanwhile the address moves to the other event's results; then the first event's reading ends.
        page.Render(p => p.Add(x => x.EventId, second.Id));
        database.Release();

        await page.WaitForAssertionAsync(() => Assert.Contains("Ada", page.Find("[data-testid=leaderboard]").TextContent), TimeSpan.FromSeconds(15));
        Assert.Equal("Results: Spring rehearsal", page.Find("h1").TextContent);
        Assert.Contains("Which method ends", page.Markup);
        Assert.DoesNotContain("Code Week final", page.Markup);
        Assert.DoesNotContain("Grace", page.Markup);
        Assert.DoesNotContain("Who designed C#?", page.Markup);
    }

    /// <summary>The console's database, whose answers can be held back, as a slow reading of a big event's results.</summary>
    sealed class HeldDatabase(IDbContextFactory<QuizDbContext> inner) : IDbContextFactory<QuizDbContext>
    {
        readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
        bool _hold;

        public bool Holding { get; private set; }

        public void Hold() => _hold = true;

        public void Release() => _released.TrySetResult();

        public QuizDbContext CreateDbContext() => inner.CreateDbContext();

        public async Task<QuizDbContext> CreateDbContextAsync(CancellationToken cancellationToken = default)
        {
            if (_hold)
            {
                (_hold, Holding) = (false, true); // one reading held: the next goes through
                await _released.Task.WaitAsync(cancellationToken);
            }
            return inner.CreateDbContext();
        }
    }
}
