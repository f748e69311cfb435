using Bunit;
using CodeQuiz.Core.Quizzes;
using CodeQuiz.Web.Components.Pages.Present;
using CodeQuiz.Web.Live;

namespace CodeQuiz.Tests.Components.Present;

public class PresenterStageTests
{
    static readonly DateTimeOffset Now = new(2026, 10, 15, 17, 0, 0, TimeSpan.Zero);

    static PresenterQuestion Question(bool closed = false, string? prompt = "Console.WriteLine(6 * 7);") => new(
        Id: 12, Number: 3, Code: "Ab3dEf7hJk", DeepLink: "https://t.me/CodeWeekQuizBot?start=Ab3dEf7hJk", Prompt: prompt,
        OpenedAt: Now.AddSeconds(-30), Deadline: Now.AddSeconds(95), CorrectAnswer: closed ? "42" : null);

    static PresenterView Open(string? prompt = "Console.WriteLine(6 * 7);") => new("Code Week 2026 final", ScoringMode.CorrectThenDelay, PresenterPhase.Open, 10,
        Question(prompt: prompt), new PresenterCounts(1234, 9876, 800), [], [], [], Now);

    static PresenterView Closed(params PresenterWinner[] podium) => new("Code Week 2026 final", ScoringMode.CorrectThenDelay, PresenterPhase.Closed, 10,
        Question(closed: true), new PresenterCounts(1234, 9876, 800), podium,
        [new PresenterBar("42", 800, true), new PresenterBar("Other answers", 434, false)], [], Now);

    static readonly PresenterWinner[] ThreeWinners =
    [
        new(1, "Ada Lovelace", "4B Rossi", 3.24),
        new(2, "Linus", null, 5.0),
        new(3, "Grace <script>", "Team & Co", 12.75),
    ];

    static PresenterView Between(params PresenterStanding[] rows) => new("Code Week 2026 final", ScoringMode.CorrectThenDelay, PresenterPhase.Between, 10,
        rows.Length == 0 ? null : Question(closed: true), PresenterCounts.None, [], [], rows, Now);

    [Fact]
    public async Task OpenQuestion_ShowsQrCodeCodeNumberPromptCountersAndCountdown()
    {
        await using var ctx = new BunitContext();
        var cut = ctx.Render<PresenterStage>(p => p.Add(x => x.View, Open()).Add(x => x.Token, "tok"));

        Assert.Equal("open:12", cut.Find("[data-presenter]").GetAttribute("data-phase"));
        Assert.Equal("tok", cut.Find("[data-presenter]").GetAttribute("data-token"));
        Assert.NotNull(cut.Find(".qr svg"));
        Assert.Equal("Ab3dEf7hJk", cut.Find("[data-testid=code]").TextContent);
        Assert.Equal("Question 3 of 10", cut.Find("[data-testid=question-number]").TextContent);
        Assert.Equal("Console.WriteLine(6 * 7);", cut.Find("[data-testid=prompt]").TextContent);
        Assert.Equal("1234", cut.Find("[data-field=answers]").TextContent);
        Assert.Equal("9876", cut.Find("[data-field=people]").TextContent);
        var countdown = cut.Find("[data-field=countdown]");
        Assert.Equal("1:35", countdown.TextContent);
        Assert.Equal(Now.AddSeconds(95), DateTimeOffset.Parse(countdown.GetAttribute("data-deadline")!));
        Assert.Empty(cut.FindAll("[data-testid=podium]"));
    }

    [Fact]
    public async Task OpenQuestion_ShowsCodeInThePromptWithoutTheBackticksItWasWrittenWith()
    {
        await using var ctx = new BunitContext();
        var prompt = "What does `len` return here?\n```python\nprint(len(\"Giò\") < 4)\n```";
        var cut = ctx.Render<PresenterStage>(p => p.Add(x => x.View, Open(prompt)));

        var shown = cut.Find("[data-testid=prompt]");
        Assert.DoesNotContain("`", shown.TextContent);
        Assert.DoesNotContain("python", shown.TextContent); // the fence's language name is for the editor, not the audience
        Assert.Equal("len", shown.QuerySelector("code")!.TextContent);
        Assert.Equal("print(len(\"Giò\") < 4)", shown.QuerySelector("pre")!.TextContent); // escaped, not markup
        Assert.StartsWith("What does len return here?", shown.TextContent);
    }

    [Fact]
    public async Task OpenQuestion_HidesThePromptUnlessTheOrganizerChoseToShowIt()
    {
        await using var ctx = new BunitContext();
        var cut = ctx.Render<PresenterStage>(p => p.Add(x => x.View, Open(prompt: null)));

        Assert.Empty(cut.FindAll("[data-testid=prompt]"));
    }

    [Fact]
    public async Task OpenQuestion_QrCodeHoldsTheDeepLink()
    {
        await using var ctx = new BunitContext();
        var cut = ctx.Render<PresenterStage>(p => p.Add(x => x.View, Open()));

        Assert.Equal("QR code: https://t.me/CodeWeekQuizBot?start=Ab3dEf7hJk", cut.Find(".qr").GetAttribute("aria-label"));
        Assert.Contains("viewBox", cut.Find(".qr svg").OuterHtml);
    }

    [Fact]
    public async Task ClosedQuestion_ShowsThreeMedalsNamesTeamsDelaysAndTheDistribution()
    {
        await using var ctx = new BunitContext();
        var cut = ctx.Render<PresenterStage>(p => p.Add(x => x.View, Closed(ThreeWinners)));

        Assert.Equal(["🥇", "🥈", "🥉"], cut.FindAll(".podium .prize").Select(m => m.TextContent));
        Assert.Equal(["Ada Lovelace", "Linus", "Grace <script>"], cut.FindAll(".podium .name").Select(m => m.TextContent));
        Assert.Equal(["4B Rossi", "Team & Co"], cut.FindAll(".podium .team").Select(m => m.TextContent));
        Assert.Equal(["3.2 s", "5.0 s", "12.8 s"], cut.FindAll(".podium .secs").Select(m => m.TextContent));
        Assert.DoesNotContain("<script>", cut.Markup.Replace("&lt;script&gt;", ""));
        Assert.Equal("42", cut.Find("[data-testid=correct-answer] strong").TextContent);
        Assert.Equal(["✔ 42", "Other answers"], cut.FindAll(".bar-label").Select(b => b.TextContent));
        Assert.Equal(["800", "434"], cut.FindAll(".bar-count").Select(b => b.TextContent));
        Assert.Equal(["width: 100%", "width: 54%"], cut.FindAll(".bar-fill").Select(b => b.GetAttribute("style")!));
        Assert.Empty(cut.FindAll(".qr"));
    }

    [Fact]
    public async Task ClosedQuestion_TwoPlacesApartByMillisecondsAreNotShownAsATie()
    {
        double[] seconds = [4.638, 4.643, 6.2];
        var decimals = QuizFormat.RankingDecimals(seconds); // as the feed decides them
        PresenterWinner[] podium = [.. new[] { "Ada", "Linus", "Grace" }.Select((name, i) => new PresenterWinner(i + 1, name, null, seconds[i], decimals[i]))];
        var results = new QuestionResults(12, QuestionState.Closed, 30, 0, 25, 30, 90,
            [.. podium.Select(w => new RankedAnswer(w.Rank, w.Name, w.Team, w.DelaySeconds, w.Rank))], [], 27);
        var post = CodeQuiz.Core.Bot.ChannelPosts.Results(new QuizEvent { Name = "Code Week 2026 final", Language = "it" },
            new Question { Position = 3, Code = "Ab3dEf7hJk", Prompt = "6 * 7?", AcceptedAnswers = ["42"] }, results);
        await using var ctx = new BunitContext();

        var cut = ctx.Render<PresenterStage>(p => p.Add(x => x.View, Closed(podium) with { Language = "it" }));

        Assert.Equal(["4,638 s", "4,643 s", "6,2 s"], cut.FindAll(".podium .secs").Select(m => m.TextContent));
        Assert.Contains("🥇 Ada — 4,638 s", post);
        Assert.Contains("🥈 Linus — 4,643 s", post);
        Assert.Contains("🥉 Grace — 6,2 s", post);
    }

    [Fact]
    public async Task ClosedQuestion_WritesCountsAndDelaysAsTheChannelPostDoes()
    {
        PresenterWinner[] podium = [new(1, "Ada", null, 4.25), new(2, "Linus", null, 75), new(3, "Grace", null, 119.96)];
        var view = Closed(podium) with { Counts = new PresenterCounts(1299, 12345, 800) };
        var results = new QuestionResults(12, QuestionState.Closed, 1299, 0, 1100, 12345, 61.6,
            [.. podium.Select(w => new RankedAnswer(w.Rank, w.Name, w.Team, w.DelaySeconds, w.Rank))], [], 800);
        var post = CodeQuiz.Core.Bot.ChannelPosts.Results(new QuizEvent { Name = "Code Week 2026 final", Language = "en" },
            new Question { Position = 3, Code = "Ab3dEf7hJk", Prompt = "6 * 7?", AcceptedAnswers = ["42"] }, results);
        await using var ctx = new BunitContext();

        var cut = ctx.Render<PresenterStage>(p => p.Add(x => x.View, view));

        Assert.Equal(["4.3 s", "1:15.0", "2:00.0"], cut.FindAll(".podium .secs").Select(m => m.TextContent));
        foreach (var (winner, secs) in podium.Zip(cut.FindAll(".podium .secs")))
            Assert.Contains($"{winner.Name} — {secs.TextContent}", post);
        Assert.Equal("1299", cut.Find(".totals [data-testid=answers]").TextContent);
        Assert.Equal("12345", cut.Find(".totals [data-testid=people]").TextContent);
        Assert.Contains("<b>1299</b>", post);
        Assert.Contains("people: 12345", post);
    }

    [Theory]
    [InlineData("Ana", "Zoë Kovačević", "Linus", "")]
    [InlineData("Aleksandra Silva", "Zoë Kovačević", "Linus", "long")]
    [InlineData("Ana", "Linus", "Maximilian Alexander von Hohenberg-Lindqvist", "very-long")]
    public async Task ClosedQuestion_ThePodiumsNamesShareOneSizeSetByTheLongest(string first, string second, string third, string size)
    {
        await using var ctx = new BunitContext();
        var cut = ctx.Render<PresenterStage>(p => p.Add(x => x.View, Closed(
            new(1, first, "4B", 3.2), new(2, second, "Liceo Galilei, classe 4B", 4.0), new(3, third, null, 5.1))));

        var names = cut.FindAll(".podium .name");
        Assert.Equal(3, names.Count);
        Assert.All(names, n => Assert.Equal($"name {size}".Trim(), n.ClassName!.Trim()));
        // Teams too: "4B" takes the size of the longer school name beside it.
        Assert.All(cut.FindAll(".podium .team"), t => Assert.Equal("team long", t.ClassName!.Trim()));
    }

    [Fact]
    public async Task ClosedQuestion_WithoutCorrectAnswersSaysSo()
    {
        await using var ctx = new BunitContext();
        var cut = ctx.Render<PresenterStage>(p => p.Add(x => x.View, Closed()));

        Assert.Equal("No correct answers this time", cut.Find(".no-winner").TextContent);
        Assert.Empty(cut.FindAll(".podium .place"));
    }

    [Fact]
    public async Task BetweenQuestions_ShowsTheLeaderboardWithMedalsForTheTopThree()
    {
        await using var ctx = new BunitContext();
        var cut = ctx.Render<PresenterStage>(p => p.Add(x => x.View, Between(
            new PresenterStanding(1, "Ada", "4B Rossi", 3, 20.5, 3),
            new PresenterStanding(2, "Linus", null, 3, 119.96, 3),
            new PresenterStanding(3, "Grace", null, 2, 9, 2),
            new PresenterStanding(4, "Alan", null, 1, 4, 1))));

        Assert.Equal("between:12", cut.Find("[data-presenter]").GetAttribute("data-phase"));
        Assert.Contains("after question 3 of 10", cut.Find("[data-testid=leaderboard] h1").TextContent);
        Assert.Equal(["🥇", "🥈", "🥉", "4"], cut.FindAll(".leaderboard .rank").Select(r => r.TextContent));
        Assert.Equal(["Ada", "Linus", "Grace", "Alan"], cut.FindAll(".leaderboard .name").Select(r => r.TextContent));
        Assert.Equal(["20.5 s", "2:00.0", "9.0 s", "4.0 s"], cut.FindAll(".leaderboard .secs").Select(s => s.TextContent));
        Assert.Empty(cut.FindAll("[data-field=answers]"));
    }

    [Fact]
    public async Task BetweenQuestions_TotalDelaysGetMoreDigitsOnlyWhereTheyDecideAPlace()
    {
        // Linus is below Ada for one right answer less, not for 0.03 s.
        (int Correct, double Seconds)[] totals = [(3, 12.34), (2, 12.31), (2, 12.33), (0, 0)];
        var decimals = QuizFormat.TotalDecimals(totals); // as the feed decides them
        string[] names = ["Ada", "Linus", "Grace", "Alan"];
        await using var ctx = new BunitContext();
        var cut = ctx.Render<PresenterStage>(p => p.Add(x => x.View, Between(
            [.. totals.Select((t, i) => new PresenterStanding(i + 1, names[i], null, t.Correct, t.Seconds, t.Correct, decimals[i]))])));

        Assert.Equal(["12.3 s", "12.31 s", "12.33 s", "–"], cut.FindAll(".leaderboard .secs").Select(s => s.TextContent));
    }

    [Fact]
    public async Task BetweenQuestions_InSpeedPointsModeShowsPointsInsteadOfDelays()
    {
        await using var ctx = new BunitContext();
        var view = Between(new PresenterStanding(1, "Ada", null, 2, 20.5, 1840)) with { Scoring = ScoringMode.SpeedPoints };
        var cut = ctx.Render<PresenterStage>(p => p.Add(x => x.View, view));

        Assert.Equal("1840 pts", cut.Find(".leaderboard .secs").TextContent);
    }

    [Fact]
    public async Task AnItalianEventsScreenSpeaksItalianAsTheBotDoes()
    {
        // A school's pupils read the projector in the language the bot speaks to them, decimal comma included.
        await using var ctx = new BunitContext();

        var open = ctx.Render<PresenterStage>(p => p.Add(x => x.View, Open() with { Language = "it" }));
        Assert.Equal("Domanda 3 di 10", open.Find("[data-testid=question-number]").TextContent);
        Assert.Equal(["codice", "risposte", "persone", "rimasti"], open.FindAll(".label").Select(l => l.TextContent));

        var closed = ctx.Render<PresenterStage>(p => p.Add(x => x.View, Closed(ThreeWinners) with { Language = "it" }));
        Assert.Contains("Domanda 3 di 10", closed.Find(".results-title").TextContent);
        Assert.Contains("risposta: 42", closed.Find("[data-testid=correct-answer]").TextContent);
        Assert.Equal(["3,2 s", "5,0 s", "12,8 s"], closed.FindAll(".podium .secs").Select(m => m.TextContent));
        Assert.Equal("1234 risposte · 9876 persone", closed.Find(".totals").TextContent);
        var nobody = ctx.Render<PresenterStage>(p => p.Add(x => x.View, Closed() with { Language = "it" }));
        Assert.Equal("Nessuna risposta giusta questa volta", nobody.Find(".no-winner").TextContent);

        var ready = ctx.Render<PresenterStage>(p => p.Add(x => x.View, Between() with { Language = "it", RegisterLink = "https://t.me/CodeWeekQuizBot?start=register" }));
        Assert.StartsWith("Preparate il telefono", ready.Find("[data-testid=get-ready]").TextContent);
        Assert.StartsWith("Giocate come squadra", ready.Find("[data-testid=register] p").TextContent);
        var board = ctx.Render<PresenterStage>(p => p.Add(x => x.View, Between(new PresenterStanding(1, "Ada", null, 2, 7.25, 0)) with { Language = "it" }));
        Assert.Equal("Classifica dopo la domanda 3 di 10", board.Find(".leaderboard h1").TextContent);
        Assert.Equal("7,3 s", board.Find(".leaderboard .secs").TextContent);

        // An English event's screen is as before.
        Assert.Equal("Question 3 of 10", ctx.Render<PresenterStage>(p => p.Add(x => x.View, Open())).Find("[data-testid=question-number]").TextContent);
    }

    [Fact]
    public async Task BeforeTheFirstQuestion_AsksTheAudienceToGetReady()
    {
        await using var ctx = new BunitContext();
        var cut = ctx.Render<PresenterStage>(p => p.Add(x => x.View, Between()));

        Assert.Equal("between:0", cut.Find("[data-presenter]").GetAttribute("data-phase"));
        Assert.NotNull(cut.Find("[data-testid=get-ready]"));
        Assert.Equal("Code Week 2026 final", cut.Find(".event-title").TextContent);
        Assert.Empty(cut.FindAll("[data-testid=register]"));

        // Teams register their name and head count while the audience waits.
        var withRegistration = ctx.Render<PresenterStage>(p => p.Add(x => x.View, Between() with { RegisterLink = "https://t.me/CodeWeekQuizBot?start=register" }));
        Assert.NotNull(withRegistration.Find("[data-testid=register] .qr svg"));
        Assert.Contains("Playing for a team, a class or a club?", withRegistration.Find("[data-testid=register]").TextContent);
        Assert.Equal("QR code: https://t.me/CodeWeekQuizBot?start=register", withRegistration.Find("[data-testid=register] .qr").GetAttribute("aria-label"));
    }

    [Fact]
    public async Task AfterAQuestionNobodyGotRightTheScreenSaysSoUnderTheLeaderboardsTitleNotThatTheFirstQuestionIsComing()
    {
        // Question 3 closed without a right answer (a hard one, or nobody answered): the leaderboard has nobody on it yet,
        // and the room has just seen a question, so "the first question is coming up" would be wrong.
        await using var ctx = new BunitContext();
        var afterQuestion = Between() with { Question = Question(closed: true) }; // as the feed builds it: no registration code

        var cut = ctx.Render<PresenterStage>(p => p.Add(x => x.View, afterQuestion));
        var italian = ctx.Render<PresenterStage>(p => p.Add(x => x.View, afterQuestion with { Language = "it" }));

        Assert.Empty(cut.FindAll("[data-testid=get-ready]"));
        Assert.Equal("Leaderboard after question 3 of 10", cut.Find(".leaderboard h1").TextContent);
        Assert.Equal("No correct answers so far", cut.Find("[data-testid=leaderboard-none]").TextContent);
        Assert.Equal("Nessuna risposta giusta finora", italian.Find("[data-testid=leaderboard-none]").TextContent);
    }

    [Fact]
    public async Task Overlay_ShowsOnlyCountersAndCountdownWhileOpen()
    {
        await using var ctx = new BunitContext();
        var cut = ctx.Render<PresenterStage>(p => p.Add(x => x.View, Open()).Add(x => x.Overlay, true));

        Assert.Contains("overlay", cut.Find("[data-presenter]").ClassList);
        Assert.Equal("1234", cut.Find("[data-field=answers]").TextContent);
        Assert.NotNull(cut.Find("[data-field=countdown]"));
        Assert.Empty(cut.FindAll(".qr"));
        Assert.Empty(cut.FindAll("[data-testid=code]"));
        Assert.Empty(cut.FindAll("[data-testid=prompt]"));
        Assert.Empty(cut.FindAll("[data-testid=question-number]"));
    }

    [Fact]
    public async Task Overlay_ShowsOnlyThePodiumOnceClosedAndNothingBetweenQuestions()
    {
        await using var ctx = new BunitContext();
        var closed = ctx.Render<PresenterStage>(p => p.Add(x => x.View, Closed(ThreeWinners)).Add(x => x.Overlay, true));
        var between = ctx.Render<PresenterStage>(p => p.Add(x => x.View, Between(new PresenterStanding(1, "Ada", null, 1, 2, 1))).Add(x => x.Overlay, true));

        Assert.Equal(3, closed.FindAll(".podium .place").Count);
        Assert.Equal($"Question {Closed(ThreeWinners).Question!.Number}", closed.Find("[data-testid=podium-caption]").TextContent);
        Assert.Empty(closed.FindAll("[data-testid=distribution]"));
        Assert.Empty(closed.FindAll(".results-title"));
        Assert.Empty(between.Find("[data-presenter]").Children);
    }
}
