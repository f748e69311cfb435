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
            AppbarBackground = "#1a56a8",
        },
    };
}
