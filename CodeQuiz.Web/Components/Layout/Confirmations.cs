using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace CodeQuiz.Web.Components.Layout;

public static class Confirmations
{
    /// <summary>
    /// Asks before a change that deletes, ends or breaks something, its button filled in <paramref name="yesColor"/> (red
    /// unless said otherwise; MudBlazor's own message box has one plain button colour): during a show, the button that
    /// cannot be undone should look like it. True only when the organizer chose it.
    /// </summary>
    public static async Task<bool> ConfirmAsync(this IDialogService dialogs, string title, string message, string yesText, string cancelText, Color yesColor = Color.Error)
    {
        var parameters = new DialogParameters<MudMessageBox>
        {
            { x => x.Title, title },
            { x => x.Message, message },
            { x => x.CancelText, cancelText },
            { x => x.YesButton, YesButton(yesText, yesColor) },
        };
        var result = await (await dialogs.ShowAsync<MudMessageBox>(title, parameters)).Result;
        return result is { Canceled: false, Data: true };
    }

    /// <summary>The message box closes with "yes" when this button is pressed: it is activated through the box's cascading callback.</summary>
    static RenderFragment YesButton(string text, Color color) => builder =>
    {
        builder.OpenComponent<MudButton>(0);
        builder.AddComponentParameter(1, nameof(MudButton.Color), color);
        builder.AddComponentParameter(2, nameof(MudButton.Variant), Variant.Filled);
        builder.AddComponentParameter(3, nameof(MudButton.ChildContent), (RenderFragment)(content => content.AddContent(0, text)));
        builder.CloseComponent();
    };
}
