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
        var view = await feed.FindAsync(token, Context.ConnectionAborted)
            ?? throw new HubException("This presenter link is not valid: the organizer may have replaced it with a new one.");

        if (Context.Items.TryGetValue(TokenKey, out var previous) && previous is string old)
        {
            if (old == token)
                return view;
            await Groups.RemoveFromGroupAsync(Context.ConnectionId, PresenterAudience.GroupOf(old));
            audience.Leave(old);
        }
        await Groups.AddToGroupAsync(Context.ConnectionId, PresenterAudience.GroupOf(token));
        Context.Items[TokenKey] = token;
        audience.Join(token);
        return view;
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        if (Context.Items.TryGetValue(TokenKey, out var joined) && joined is string token)
            audience.Leave(token);
        return base.OnDisconnectedAsync(exception);
    }
}
