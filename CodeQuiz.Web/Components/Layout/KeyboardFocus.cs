using Microsoft.JSInterop;

namespace CodeQuiz.Web.Components.Layout;

/// <summary>Where the keyboard goes when a click took away the button it was on.</summary>
public static class KeyboardFocus
{
    /// <summary>
    /// After a render that removed the focused button (a delete takes its row, Start over its own button): the focus goes
    /// to the first of <paramref name="selectors"/> that is there and enabled (App.razor's <c>codeQuizRefocus</c>), so the
    /// next Tab goes on from there rather than from the top of the page. Focus that is still somewhere stays.
    /// </summary>
    public static async Task RefocusAsync(this IJSRuntime js, string[] selectors)
    {
        try
        {
            await js.InvokeVoidAsync("codeQuizRefocus", (object)selectors);
        }
        catch (JSDisconnectedException)
        {
            // The tab is gone: no keyboard to help.
        }
    }
}
