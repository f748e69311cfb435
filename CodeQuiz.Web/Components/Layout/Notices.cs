using MudBlazor;

namespace CodeQuiz.Web.Components.Layout;

public static class Notices
{
    /// <summary>
    /// Shows a notice in place of those still showing: during a show the organizer reads what the last click did,
    /// not "question opened" above "question closed".
    /// </summary>
    public static Snackbar? Replace(this ISnackbar snackbar, string message, Severity severity)
    {
        snackbar.Clear();
        return snackbar.Add(message, severity);
    }
}
