using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace CodeQuiz.Web.Live;

/// <summary>
/// The presenter's live feed at /hubs/live. A screen joins with the event's presenter token and gets the current
/// <see cref="PresenterView"/>; afterwards <see cref="LiveBroadcaster"/> pushes "state" to the event's group when
/// something visible changed, and "revoked" when the organizer regenerated the token.
/// </summary>
[AllowAnonymous]
public sealed class LiveHub(PresenterFeed feed, PresenterAudience audience) : Hub
{
    public const string Path = "/hubs/live";
    const string TokenKey = "presenter-token";

    public async Task<PresenterView> Join(string token)
    {
        if (Context.Items.TryGetValue(TokenKey, out var previous) && previous is string old && old == token)
            return await feed.FindAsync(token, Context.ConnectionAborted)
                ?? throw new HubException("This presenter link is not valid: the organizer may have replaced it with a new one.");

        // In the group before the view is read: a change sent to the group meanwhile (a question closing) reaches this screen
        // too, or is in the view it is answered. Read first, the screen would miss it and keep the older view, which the
        // broadcaster, having sent that change already, would not send again until something else changed.
        var group = PresenterAudience.GroupOf(token);
        await Groups.AddToGroupAsync(Context.ConnectionId, group);
        var view = await ReadOrLeaveAsync(token, group);

        if (Context.Items.TryGetValue(TokenKey, out var joined) && joined is string other)
        {
            await Groups.RemoveFromGroupAsync(Context.ConnectionId, PresenterAudience.GroupOf(other));
            audience.Leave(other);
        }
        Context.Items[TokenKey] = token;
        audience.Join(token);
        return view;
    }

    async Task<PresenterView> ReadOrLeaveAsync(string token, string group)
    {
        PresenterView? view;
        try
        {
            view = await feed.FindAsync(token, Context.ConnectionAborted);
        }
        catch
        {
            await Groups.RemoveFromGroupAsync(Context.ConnectionId, group);
            throw;
        }
        if (view is null)
        {
            await Groups.RemoveFromGroupAsync(Context.ConnectionId, group);
            throw new HubException("This presenter link is not valid: the organizer may have replaced it with a new one.");
        }
        return view;
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        if (Context.Items.TryGetValue(TokenKey, out var joined) && joined is string token)
            audience.Leave(token);
        return base.OnDisconnectedAsync(exception);
    }
}
