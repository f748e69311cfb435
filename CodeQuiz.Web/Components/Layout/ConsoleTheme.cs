using MudBlazor;

namespace CodeQuiz.Web.Components.Layout;

/// <summary>High-contrast colours and larger type: the console is read under stage lights and in a hurry.</summary>
public static class ConsoleTheme
{
    public static readonly MudTheme Theme = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#1a56a8",
            Secondary = "#7b2cbf",
            Success = "#1b7f3b",
            Error = "#b3261e",
            // MudBlazor's orange and light blue are 2.2:1 and 3.1:1 on white: "New link (the old one stops working)" and
            // the warnings on the live and QR pages were hard to read.
            Warning = "#a85400",
            Info = "#1565c0",
            AppbarBackground = "#1a56a8",
        },
        Typography = new Typography
        {
            // Buttons as written: "Check that the bot can post to @codeweek_final", a participant's name, "+30 s", not shouted in capitals.
            Button = new ButtonTypography { TextTransform = "none" },
        },
    };
}
