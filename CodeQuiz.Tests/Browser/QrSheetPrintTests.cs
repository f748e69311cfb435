using System.Diagnostics;
using System.Text.RegularExpressions;
using CodeQuiz.Core.Persistence;
using CodeQuiz.Core.Quizzes;
using CodeQuiz.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using ZXing;

namespace CodeQuiz.Tests.Browser;

/// <summary>
/// The QR sheet as it comes out of the organizer's printer: Chromium prints it to PDF on the printer's paper, poppler
/// turns each page into the picture a phone would see (pdftoppm, from poppler-utils), and every code on paper is
/// scanned back.
/// </summary>
public class QrSheetPrintTests
{

    const string LongestBotName = "CodeWeekItaliaFinalQuizLiveBot32"; // Telegram allows 32 characters
    const int Dpi = 100;
    const string EventName = "Code Week final";

    /// <summary>As long as an event name may be (200 characters), with a word too long for a card's width.</summary>
    const string LongestEventName =
        "Europe Code Week 2026 · Grand final of the schools' live coding quiz, streamed from Milan to every classroom " +
        "taking part · Hosted by the CodingForEverybodyAssociationOfTeachersAndVolunteers of Italia.";

    [Fact]
    public async Task EveryCodeOfALongSheetScansFromPaperAtTheSameSizeOnA4AndOnLetterOneWholeCardAtATime()
    {
        var questions = Enumerable.Range(1, 60).Select(i => Seed.FreeText($"Pr{i:00}xK7mQ", "go")).ToArray();
        await using var sheet = await OpenSheetAsync(LongestBotName, questions, LongestEventName);
        var cards = Cards(LongestBotName, sheet.Questions);

        var spans = new Dictionary<string, double>();
        foreach (var paper in new[] { "A4", "Letter" })
        {
            var pages = await sheet.PrintAsync(paper);

            var scanned = pages.SelectMany(p => p.Codes.Select(c => c.Text)).ToList();
            Assert.Equal(cards.Keys.Order(), scanned.Order());
            foreach (var printed in pages)
            {
                // A card cut by a page break would have its code on one page and its title or link on the next.
                Assert.Equal(printed.Codes.Select(c => cards[c.Text]).Order(), Titles(printed.Text).Order());
                foreach (var (link, _) in printed.Codes)
                    Assert.Contains(link, printed.Text.Replace("\n", ""));
                // Each card says which event it is for, as cards of several events may lie on the same table.
                Assert.Equal(printed.Codes.Count, Regex.Count(printed.Text, Regex.Escape(LongestEventName[..21])));
                Assert.Equal("", Unexpected(printed.Text, cards, LongestEventName));
            }
            Assert.True(pages.Count <= 16, $"{pages.Count} pages of {paper} for {cards.Count} cards");
            spans[paper] = pages.SelectMany(p => p.Codes).Where(c => !c.Text.EndsWith("register")).Average(c => Span(c.Points));
            foreach (var printed in pages)
                foreach (var code in printed.Codes)
                    AssertQuietZoneAndSize(printed.Picture, code.Text, code.Points, minimumMillimetres: 50);
        }
        // The printer's own paper, and the codes as large on it as on the other.
        Assert.True(Math.Abs(spans["Letter"] - spans["A4"]) < 0.5, $"codes span {spans["A4"]:0.0} mm on A4 and {spans["Letter"]:0.0} mm on Letter");
    }

    [Fact]
    public async Task PostersPrintOneLargeCodePerPageForAWall()
    {
        var questions = Enumerable.Range(1, 3).Select(i => Seed.FreeText($"Wall{i}xK7mQ", "go")).ToArray();
        await using var sheet = await OpenSheetAsync(LongestBotName, questions);
        var cards = Cards(LongestBotName, sheet.Questions);

        await sheet.Page.GetByLabel("One large code per page").CheckAsync();
        await Assertions.Expect(sheet.Page.GetByTestId("qr-sheet")).ToHaveClassAsync(new Regex("qr-posters")); // the server's answer

        foreach (var paper in new[] { "A4", "Letter" })
        {
            var pages = await sheet.PrintAsync(paper);
            Assert.Equal(cards.Count, pages.Count);
            foreach (var printed in pages)
            {
                var code = Assert.Single(printed.Codes);
                Assert.Equal([cards[code.Text]], Titles(printed.Text));
                Assert.Equal("", Unexpected(printed.Text, cards, EventName));
                AssertQuietZoneAndSize(printed.Picture, code.Text, code.Points, minimumMillimetres: 120);
            }
        }
    }

    [Fact]
    public async Task TheConsolesReconnectDialogIsNotPrintedOverTheCodes()
    {
        await using var sheet = await OpenSheetAsync(LongestBotName, [Seed.FreeText("Net1xK7mQa", "go"), Seed.FreeText("Net2xK7mQa", "go")]);
        var cards = Cards(LongestBotName, sheet.Questions);

        // The venue's network drops while the organizer is printing: the console says so in a dialog.
        await sheet.Page.RouteAsync("**/_blazor/negotiate**", route => route.AbortAsync());
        await sheet.Page.EvaluateAsync("() => Blazor._internal.forceCloseConnection()");
        await Assertions.Expect(sheet.Page.Locator("#components-reconnect-modal")).ToHaveAttributeAsync("open", "");
        await sheet.Page.WaitForFunctionAsync("() => getComputedStyle(document.getElementById('components-reconnect-modal')).opacity === '1'");

        var pages = await sheet.PrintAsync("A4");

        Assert.Equal("", Unexpected(string.Concat(pages.Select(p => p.Text)), cards, EventName));
        Assert.Equal(cards.Keys.Order(), pages.SelectMany(p => p.Codes.Select(c => c.Text)).Order());
    }

    [Fact]
    public async Task ARehearsalSheetSaysSoOnPaperAboveWholeCards()
    {
        await using var sheet = await OpenSheetAsync(null, [.. Enumerable.Range(1, 5).Select(i => Seed.FreeText($"Reh{i}xK7mQa", "go"))]);
        var bot = CodeQuiz.Web.Rehearsal.TelegramSimulator.BotUsername;
        var cards = Cards(bot, sheet.Questions);
        var warning = await sheet.Page.InnerTextAsync("[data-testid=qr-rehearsal-bot]");

        var pages = await sheet.PrintAsync("A4");

        Assert.Contains(Compact(warning), Compact(pages[0].Text));
        // The warning is short enough on paper to leave the first page a whole grid of cards, as the pages after it, on
        // US Letter too (shorter than A4).
        foreach (var (paper, printedOn) in new[] { ("A4", pages), ("Letter", await sheet.PrintAsync("Letter")) })
            Assert.True(printedOn.Count > 1 && printedOn[0].Codes.Count == printedOn.Max(p => p.Codes.Count),
                $"{paper}, cards per page: {string.Join(", ", printedOn.Select(p => p.Codes.Count))}");
        foreach (var printed in pages)
        {
            Assert.Equal(printed.Codes.Select(c => cards[c.Text]).Order(), Titles(printed.Text).Order());
            // Each page, and each card once cut out, says so: the warning above the first is far from the others.
            Assert.Equal(printed.Codes.Count, Regex.Count(printed.Text, "REHEARSAL ONLY: NOT FOR THE SHOW"));
            Assert.Equal("", Unexpected(printed.Text, cards, EventName, warning, "REHEARSAL ONLY: NOT FOR THE SHOW"));
        }
        Assert.Equal(cards.Keys.Order(), pages.SelectMany(p => p.Codes.Select(c => c.Text)).Order());

        // Legible from a black and white printer too, which prints colours as greys and no backgrounds.
        await sheet.Page.EmulateMediaAsync(new() { Media = Media.Print });
        var colour = await sheet.Page.EvalOnSelectorAsync<int[]>("[data-testid=qr-rehearsal-bot] .mud-alert-message",
            "e => getComputedStyle(e).color.match(/\\d+/g).slice(0, 3).map(Number)");
        var contrast = 1.05 / (RelativeLuminance(colour) + 0.05);
        Assert.True(contrast >= 7, $"the warning prints in rgb({string.Join(", ", colour)}): contrast {contrast:0.0} to 1 on white paper");
    }

    /// <summary>WCAG's relative luminance of an sRGB colour.</summary>
    static double RelativeLuminance(int[] rgb)
    {
        var linear = rgb.Select(c => c / 255.0).Select(c => c <= 0.03928 ? c / 12.92 : Math.Pow((c + 0.055) / 1.055, 2.4)).ToArray();
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2];
    }

    sealed class Sheet(BrowserFactory factory, IPage page, List<Question> questions) : IAsyncDisposable
    {
        readonly string _folder = Directory.CreateTempSubdirectory("codequiz-print-").FullName;

        public IPage Page => page;
        public List<Question> Questions => questions;

        /// <summary>The sheet on paper: each page's text and the codes a phone reads from it.</summary>
        public async Task<List<(string Text, IReadOnlyList<(string Text, ResultPoint[] Points)> Codes, byte[] Picture)>> PrintAsync(string paper)
        {
            var pdf = Path.Combine(_folder, paper + ".pdf");
            await page.PdfAsync(new() { Path = pdf, Format = paper });
            Run("pdftoppm", $"-r {Dpi} -gray -png {pdf} {Path.Combine(_folder, paper)}");
            var pictures = Directory.GetFiles(_folder, paper + "-*.png").Order().ToArray();
            return [.. pictures.Select(File.ReadAllBytes).Select((picture, i) => (Run("pdftotext", $"-f {i + 1} -l {i + 1} {pdf} -"), QrPictures.ReadAll(picture), picture))];
        }

        public async ValueTask DisposeAsync()
        {
            await factory.DisposeAsync();
            Directory.Delete(_folder, recursive: true);
        }
    }

    /// <summary>The QR page of an event with these questions, signed in, as the organizer is about to print it.</summary>
    static async Task<Sheet> OpenSheetAsync(string? botName, Question[] questions, string eventName = EventName)
    {
        var factory = new BrowserFactory();
        factory.Settings["Telegram:BotUsername"] = botName;
        factory.StartOnKestrel();
        var (ev, seeded) = await Seed.EventAsync(factory.Services, null, questions);
        await using (var db = await factory.Services.GetRequiredService<IDbContextFactory<QuizDbContext>>().CreateDbContextAsync())
            await db.Events.ExecuteUpdateAsync(e => e.SetProperty(x => x.Name, eventName));

        var page = await factory.SignedInPageAsync($"/events/{ev.Id}/qr");
        await page.WaitForSelectorAsync($"[data-testid=qr-question-{seeded.Count}] svg");
        return new Sheet(factory, page, seeded);
    }

    static string Compact(string text) => string.Concat(text.Where(c => !char.IsWhiteSpace(c)));

    /// <summary>Each card's link and title.</summary>
    static Dictionary<string, string> Cards(string bot, IEnumerable<Question> questions)
    {
        var cards = new Dictionary<string, string> { [$"https://t.me/{bot}?start=register"] = "Register your team" };
        foreach (var q in questions)
            cards[$"https://t.me/{bot}?start={q.Code}"] = $"Question {q.Position}";
        return cards;
    }

    static IEnumerable<string> Titles(string printed) =>
        printed.Split('\n').Where(line => line.StartsWith("Question ") || line == "Register your team");

    /// <summary>What a page shows besides the cards' titles, codes, links and event and the given notices, such as a button of the console.</summary>
    static string Unexpected(string printed, Dictionary<string, string> cards, string eventName, params string[] notices)
    {
        // The name's lines, the last maybe cut short; pdftotext may interleave those of two cards side by side.
        var left = Compact(string.Concat(printed.Split('\n').Where(line => !Compact(eventName).Contains(Compact(line).TrimEnd('…')))));
        var expected = cards.Keys.Concat(cards.Keys.Select(link => link[(link.IndexOf('?') + 1)..]))
            .Concat(cards.Keys.Select(link => link[(link.IndexOf('=') + 1)..]))
            .Concat(cards.Values.Select(title => title.Replace(" ", "")).OrderByDescending(title => title.Length));
        foreach (var text in notices.Select(Compact).Concat(expected))
            left = left.Replace(text, "");
        return left;
    }

    /// <summary>
    /// A phone finds a code by the white band of 4 modules around it (the quiet zone), and reads it from about ten
    /// times its width away: a code 5 cm wide from a table or at arm's length, one 12 cm wide from a wall.
    /// </summary>
    static void AssertQuietZoneAndSize(byte[] picture, string link, ResultPoint[] points, double minimumMillimetres)
    {
        var (gray, width, _) = QrPictures.Luminance(picture);
        var modules = QrPictures.Luminance(CodeQuiz.Web.Components.Pages.Qr.QrCodes.Png(link, 1)).Width - 8;
        var module = ResultPoint.distance(points[1], points[2]) / (modules - 7);
        var symbol = (Left: points[1].X - 3.5 * module, Top: points[1].Y - 3.5 * module, Right: points[2].X + 3.5 * module, Bottom: points[0].Y + 3.5 * module);
        var darkest = 255;
        for (var y = (int)(symbol.Top - 4 * module); y <= symbol.Bottom + 4 * module; y++)
            for (var x = (int)(symbol.Left - 4 * module); x <= symbol.Right + 4 * module; x++)
            {
                var inside = x > symbol.Left - module / 2 && x < symbol.Right + module / 2 && y > symbol.Top - module / 2 && y < symbol.Bottom + module / 2;
                if (!inside) darkest = Math.Min(darkest, gray[y * width + x]);
            }
        Assert.True(darkest > 200, $"{link}: the quiet zone has a grey of {darkest}");
        var millimetres = modules * module * 25.4 / Dpi;
        Assert.True(millimetres >= minimumMillimetres, $"{link}: {millimetres:0.0} mm wide on paper");
    }

    /// <summary>From the centre of the top left finder pattern to the top right one's, in millimetres on paper.</summary>
    static double Span(ResultPoint[] points) => ResultPoint.distance(points[1], points[2]) * 25.4 / Dpi;

    static string Run(string program, string arguments)
    {
        Process process;
        try { process = Process.Start(new ProcessStartInfo(program, arguments) { RedirectStandardOutput = true })!; }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"{program} could not be started ({e.Message}): it comes with poppler-utils, `apt-get install -y poppler-utils` (.ci/run installs it).", e);
        }
        using var _ = process;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{program} {arguments} failed");
        return output;
    }
}
