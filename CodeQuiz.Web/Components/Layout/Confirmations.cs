using MudBlazor;

namespace CodeQuiz.Web.Components.Layout;

public static class Confirmations
{
    /// <summary>Escape gives the safe answer, as its button does; the dialog itself puts the keyboard on that button.</summary>
    static readonly DialogOptions Options = new() { CloseOnEscapeKey = true };

    /// <summary>
    /// Asks before a change that deletes, ends or breaks something, its button filled in <paramref name="yesColor"/> (red
    /// unless said otherwise): during a show, the button that cannot be undone should look like it. True only when the
    /// organizer chose it.
    /// </summary>
    public static async Task<bool> ConfirmAsync(this IDialogService dialogs, string title, string message, string yesText, string cancelText, Color yesColor = Color.Error)
    {
        var parameters = new DialogParameters<Confirmation>
        {
            { x => x.Message, message },
            { x => x.YesText, yesText },
            { x => x.CancelText, cancelText },
            { x => x.YesColor, yesColor },
        };
        var result = await (await dialogs.ShowAsync<Confirmation>(title, parameters, Options)).Result;
        return result is { Canceled: false, Data: true };
    }
}
