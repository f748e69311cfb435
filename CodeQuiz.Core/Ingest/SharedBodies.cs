using CodeQuiz.Core.Outbox;

namespace CodeQuiz.Core.Ingest;

/// <summary>
/// The batch writer's memory of the replies it stored lately, by text and keyboard. A reply met for the second time gets an
/// <see cref="OutboxBody"/>, which it and every later reply alike name instead of carrying the text: everyone who scans a
/// question's code gets the same prompt and keyboard, about 450 characters a row. A reply met once keeps its own text, so
/// one written for a single participant (their free-text answer quoted back) costs no second row.
/// </summary>
internal sealed class SharedBodies
{
    /// <summary>
    /// How many texts are remembered: a question's prompt, its keyboards and acknowledgements, in a few languages, are a
    /// few dozen. When full, all are forgotten (a participant's own texts would otherwise fill it for good); a text still
    /// sent then gets a new body on its second row again, a few rows more.
    /// </summary>
    internal const int Capacity = 4096;

    /// <summary>Body id by text and keyboard; 0 for a reply met once, stored with its own text.</summary>
    readonly Dictionary<(string? Text, string? Markup), long> _ids = [];
    long _next = 1;

    /// <summary>
    /// Forgets every body given (the transaction that wrote them may have been rolled back) and numbers the next above
    /// <paramref name="newestStored"/>, the newest body in the database.
    /// </summary>
    public void Reset(long newestStored)
    {
        _ids.Clear();
        _next = newestStored + 1;
    }

    /// <summary>
    /// The body <paramref name="m"/> should name, and whether it is new (to be inserted before the row); null when the row
    /// keeps its own text. Only replies to participants share: a channel post's rows are edited later, and a button's
    /// toast is a few words.
    /// </summary>
    public (long Id, bool IsNew)? Share(OutboxMessage m)
    {
        if (m.Purpose != OutboxPurpose.Reply || m.Method == OutboxMethod.AnswerCallbackQuery) return null;
        var key = (m.Text, m.ReplyMarkupJson);
        if (_ids.TryGetValue(key, out var id))
        {
            if (id != 0) return (id, false);
            _ids[key] = id = _next++;
            return (id, true);
        }
        if (_ids.Count == Capacity) _ids.Clear();
        _ids.Add(key, 0);
        return null;
    }
}
