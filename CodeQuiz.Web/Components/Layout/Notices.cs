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

    /// <summary>
    /// A reading the database did not answer (a server restarting, say): said with what it answered, and the page keeps
    /// what it showed rather than going down.
    /// </summary>
    public static string NotRead(string what, Exception e) =>
        $"{what} could not be read: {e.GetBaseException().Message} The page keeps showing what it read before.";

    /// <summary>
    /// The reading after a step: a database that does not answer it is said below what the step said (which stays true:
    /// a copy or an import that was stored must not be taken for one refused, and made again), and the page keeps what it
    /// showed rather than going down.
    /// </summary>
    public static async Task ReadAgainAsync(this ISnackbar snackbar, string what, Func<Task> read)
    {
        try
        {
            await read();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            snackbar.Add(NotRead(what, e), Severity.Warning);
        }
    }
}
