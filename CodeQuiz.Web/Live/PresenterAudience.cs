using System.Collections.Concurrent;

namespace CodeQuiz.Web.Live;

/// <summary>Which presenter tokens have screens connected, so the broadcaster builds views only for those.</summary>
public sealed class PresenterAudience
{
    readonly ConcurrentDictionary<string, int> _screens = new(StringComparer.Ordinal);

    public static string GroupOf(string token) => "present:" + token;

    public IReadOnlyCollection<string> Tokens => [.. _screens.Keys];

    public int ScreensOf(string token) => _screens.GetValueOrDefault(token);

    public void Join(string token) => _screens.AddOrUpdate(token, 1, (_, n) => n + 1);

    public void Leave(string token)
    {
        var left = _screens.AddOrUpdate(token, 0, (_, n) => n - 1);
        if (left <= 0)
            _screens.TryRemove(KeyValuePair.Create(token, left));
    }

    /// <summary>Drops a token that no longer opens an event; its screens were told so.</summary>
    public void Forget(string token) => _screens.TryRemove(token, out _);
}
