using System.Text.RegularExpressions;
using CodeQuiz.Tests.Infrastructure;

namespace CodeQuiz.Tests.Components.Rehearsal;

/// <summary>
/// The Telegram chat as the editor's preview and the rehearsal page show it: its small grey text (times, "edited", the
/// toasts, "say something to the bot") reaches WCAG AA (4.5:1) on the bubbles and the chat's background.
/// </summary>
public class TelegramChatViewContrastTests
{
    static readonly string Css = File.ReadAllText(Path.Combine(Repository.Root, "CodeQuiz.Web", "Components", "Pages", "Rehearsal", "TelegramChatView.razor.css"));

    [Theory]
    [InlineData(".tg-meta", ".tg-bot")]
    [InlineData(".tg-meta", ".tg-user")]
    [InlineData(".tg-toast", ".tg-scroll")]
    [InlineData(".tg-empty", ".tg-scroll")]
    public void GreyTextReachesAaContrastOnWhatItIsShownOn(string text, string on)
    {
        var (fg, bg) = (Colour(text, "color"), Colour(on, "background"));
        Assert.True(Contrast(fg, bg) >= 4.5, $"{text} on {on}: {Contrast(fg, bg):0.00}:1");
    }

    static (double R, double G, double B) Colour(string selector, string property)
    {
        var rules = Regex.Match(Css, Regex.Escape(selector) + @"\s*\{(?<rules>[^}]*)\}").Groups["rules"].Value;
        var hex = Regex.Match(rules, @"(?<![-\w])" + property + @":\s*#(?<hex>[0-9a-fA-F]{6}|[0-9a-fA-F]{3})\b").Groups["hex"].Value;
        Assert.False(hex.Length == 0, $"{selector} has no {property} in #rgb or #rrggbb");
        if (hex.Length == 3) hex = string.Concat(hex.Select(c => $"{c}{c}"));
        return (Convert.ToInt32(hex[..2], 16) / 255.0, Convert.ToInt32(hex[2..4], 16) / 255.0, Convert.ToInt32(hex[4..], 16) / 255.0);
    }

    // WCAG 2.x relative luminance and contrast ratio.
    static double Contrast((double R, double G, double B) a, (double R, double G, double B) b)
    {
        var (la, lb) = (Luminance(a), Luminance(b));
        return (Math.Max(la, lb) + 0.05) / (Math.Min(la, lb) + 0.05);
    }

    static double Luminance((double R, double G, double B) c) => 0.2126 * Linear(c.R) + 0.7152 * Linear(c.G) + 0.0722 * Linear(c.B);

    static double Linear(double v) => v <= 0.04045 ? v / 12.92 : Math.Pow((v + 0.055) / 1.055, 2.4);
}
