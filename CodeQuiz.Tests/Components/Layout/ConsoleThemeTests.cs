using CodeQuiz.Web.Components.Layout;
using MudBlazor.Utilities;

namespace CodeQuiz.Tests.Components.Layout;

/// <summary>
/// The console is read under stage lights: each state colour of its theme reaches WCAG AA (4.5:1) wherever MudBlazor
/// puts it — as text on the page (a text button, a chip's label), under white text (a filled button or chip), and
/// darkened on its own pale tint (an alert).
/// </summary>
public class ConsoleThemeTests
{
    static readonly MudColor White = new("#ffffff");

    public static TheoryData<string> States => ["Primary", "Secondary", "Success", "Error", "Warning", "Info"];

    [Theory]
    [MemberData(nameof(States))]
    public void EachStateColourIsReadableAsTextUnderWhiteTextAndInAnAlert(string state)
    {
        var palette = ConsoleTheme.Theme.PaletteLight;
        MudColor Of(string property) => new(typeof(MudBlazor.Palette).GetProperty(property)!.GetValue(palette)!.ToString()!);
        var colour = Of(state);
        var contrastText = Of(state + "ContrastText");
        var darken = Of(state + "Darken");
        // MudBlazor's alert: the darkened colour on the colour at 6% over white.
        var tint = new MudColor((byte)(colour.R * 0.06 + 255 * 0.94), (byte)(colour.G * 0.06 + 255 * 0.94), (byte)(colour.B * 0.06 + 255 * 0.94), (byte)255);

        Assert.True(Contrast(colour, White) >= 4.5, $"{state} {colour} on white: {Contrast(colour, White):0.00}:1");
        Assert.True(Contrast(contrastText, colour) >= 4.5, $"{contrastText} on {state} {colour}: {Contrast(contrastText, colour):0.00}:1");
        Assert.True(Contrast(darken, tint) >= 4.5, $"{state}'s alert text {darken} on {tint}: {Contrast(darken, tint):0.00}:1");
    }

    // WCAG 2.x relative luminance and contrast ratio.
    static double Contrast(MudColor a, MudColor b)
    {
        var (la, lb) = (Luminance(a), Luminance(b));
        return (Math.Max(la, lb) + 0.05) / (Math.Min(la, lb) + 0.05);
    }

    static double Luminance(MudColor c) => 0.2126 * Linear(c.R / 255.0) + 0.7152 * Linear(c.G / 255.0) + 0.0722 * Linear(c.B / 255.0);

    static double Linear(double v) => v <= 0.04045 ? v / 12.92 : Math.Pow((v + 0.055) / 1.055, 2.4);
}
