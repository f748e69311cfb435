using System.Globalization;
using System.Text.RegularExpressions;
using CodeQuiz.Tests.Infrastructure;

namespace CodeQuiz.Tests.Components.Present;

/// <summary>
/// The presenter is read from the back of a hall: its colours must meet WCAG AA (4.5:1 for text, 3:1 for bars and
/// the QR's light area) — checked on the colours presenter.css really uses.
/// </summary>
public partial class PresenterContrastTests
{
    static readonly string Css = File.ReadAllText(Path.Combine(Repository.Root, "CodeQuiz.Web", "wwwroot", "present", "presenter.css"));

    static readonly Dictionary<string, (double R, double G, double B, double A)> Colours = ParseColours(Css);

    [Theory]
    [InlineData("fg", "bg")]
    [InlineData("muted", "bg")]
    [InlineData("accent", "bg")]
    [InlineData("correct", "bg")]
    [InlineData("fg", "track")]
    public void TextColoursReachAaContrastOnThePresenterBackground(string text, string background)
    {
        Assert.True(Contrast(Colours[text], Colours[background]) >= 4.5,
            $"--presenter-{text} on --presenter-{background}: {Contrast(Colours[text], Colours[background]):0.00}:1");
    }

    [Theory]
    [InlineData("correct")]
    [InlineData("other")]
    [InlineData("qr-light")]
    public void BarsAndTheQrCodeStandOutFromTheBackground(string shape)
    {
        Assert.True(Contrast(Colours[shape], Colours["bg"]) >= 3, $"--presenter-{shape}: {Contrast(Colours[shape], Colours["bg"]):0.00}:1");
        Assert.True(Contrast(Colours[shape], Colours["track"]) >= 3 || shape == "qr-light");
    }

    [Theory]
    [InlineData("fg")]
    [InlineData("muted")]
    [InlineData("accent")]
    [InlineData("correct")]
    public void OverlayTextStaysReadableOverWhiteOrBlackVideo(string text)
    {
        foreach (var video in new[] { (1.0, 1.0, 1.0, 1.0), (0.0, 0.0, 0.0, 1.0) })
        {
            var panel = Over(Colours["panel"], video);
            Assert.True(Contrast(Colours[text], panel) >= 4.5, $"--presenter-{text} on the overlay panel: {Contrast(Colours[text], panel):0.00}:1");
        }
    }

    [Fact]
    public void EveryColourInTheStylesheetIsOneOfTheCheckedProperties()
    {
        var rules = Regex.Replace(DeclarationBlock().Replace(Css, "", 1), @"/\*.*?\*/", "", RegexOptions.Singleline);
        var literal = ColourLiteral().Matches(rules).Select(m => m.Value).ToList();
        Assert.Empty(literal);
        Assert.Equal(9, Colours.Count);
    }

    [Fact]
    public void CountersAreAtLeastTwelvePercentOfTheScreenHighWithTabularFigures()
    {
        var counter = Regex.Match(Css, @"\.counter \.value, \.countdown \{(?<rules>[^}]*)\}").Groups["rules"].Value;
        var size = double.Parse(Regex.Match(counter, @"font-size:\s*(?<v>[\d.]+)vh").Groups["v"].Value, CultureInfo.InvariantCulture);
        Assert.True(size >= 12, $"counter font-size {size}vh");
        Assert.Contains("font-variant-numeric: tabular-nums", Css);
        Assert.Matches(@"\.counter \.value \{ width: \d+ch; \}", Css);
    }

    [Fact]
    public void NoPresenterClassIsAlsoStyledByTheConsolesGlobalStylesheet()
    {
        var console = File.ReadAllText(Path.Combine(Repository.Root, "CodeQuiz.Web", "wwwroot", "app.css"));
        static HashSet<string> Classes(string css) => ClassSelector()
            .Matches(Regex.Replace(css, @"/\*.*?\*/|url\([^)]*\)", "", RegexOptions.Singleline))
            .Select(m => m.Groups[1].Value).ToHashSet();
        var ours = Classes(Css);
        var theirs = Classes(console);
        Assert.Contains("podium", ours);
        Assert.Empty(ours.Intersect(theirs));
    }

    // WCAG 2.x relative luminance and contrast ratio.
    static double Contrast((double R, double G, double B, double A) a, (double R, double G, double B, double A) b)
    {
        var (la, lb) = (Luminance(a), Luminance(b));
        return (Math.Max(la, lb) + 0.05) / (Math.Min(la, lb) + 0.05);
    }

    static double Luminance((double R, double G, double B, double A) c) =>
        0.2126 * Linear(c.R) + 0.7152 * Linear(c.G) + 0.0722 * Linear(c.B);

    static double Linear(double v) => v <= 0.04045 ? v / 12.92 : Math.Pow((v + 0.055) / 1.055, 2.4);

    static (double, double, double, double) Over((double R, double G, double B, double A) top, (double R, double G, double B, double A) under) =>
        (top.R * top.A + under.R * (1 - top.A), top.G * top.A + under.G * (1 - top.A), top.B * top.A + under.B * (1 - top.A), 1);

    static Dictionary<string, (double, double, double, double)> ParseColours(string css)
    {
        var colours = new Dictionary<string, (double, double, double, double)>();
        foreach (Match m in CustomProperty().Matches(DeclarationBlock().Match(css).Value))
        {
            var value = m.Groups["value"].Value.Trim();
            if (value.StartsWith('#'))
            {
                var hex = value[1..];
                colours[m.Groups["name"].Value] = (Convert.ToInt32(hex[..2], 16) / 255.0, Convert.ToInt32(hex[2..4], 16) / 255.0, Convert.ToInt32(hex[4..6], 16) / 255.0, 1);
            }
            else
            {
                var parts = Regex.Match(value, @"rgba\((.+)\)").Groups[1].Value.Split(',').Select(p => double.Parse(p, CultureInfo.InvariantCulture)).ToArray();
                colours[m.Groups["name"].Value] = (parts[0] / 255, parts[1] / 255, parts[2] / 255, parts[3]);
            }
        }
        return colours;
    }

    [GeneratedRegex(@"\.([a-zA-Z][\w-]*)")]
    private static partial Regex ClassSelector();

    [GeneratedRegex(@":root \{[^}]*\}")]
    private static partial Regex DeclarationBlock();

    [GeneratedRegex(@"--presenter-(?<name>[a-z-]+):\s*(?<value>[^;]+);")]
    private static partial Regex CustomProperty();

    [GeneratedRegex(@"#[0-9a-fA-F]{3,8}\b|rgba?\(|hsla?\(|(?<![\w-])(white|black|red|green|blue|yellow|gray|grey)(?![\w-])")]
    private static partial Regex ColourLiteral();
}
