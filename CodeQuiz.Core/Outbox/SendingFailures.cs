using System.Linq.Expressions;
using CodeQuiz.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CodeQuiz.Core.Outbox;

/// <summary>A message Telegram refused for good; <see cref="Times"/> such refusals of the same kind, the newest <see cref="At"/>.</summary>
public sealed record SendingFailure(DateTimeOffset At, OutboxPurpose Purpose, string ChatId, string? Error, int Times = 1);

/// <summary>
/// The messages Telegram refused during a show, as the live page shows them. Refusals to participants who blocked the bot
/// or deleted their account (a 403 to a private chat) are only counted: nobody can do anything about them, a crowd always
/// has a few, and listed in red they would hide the refusals organizers can fix (a channel, a token).
/// </summary>
public sealed record SendingFailures(int Count, int ParticipantsGone, IReadOnlyList<SendingFailure> Latest)
{
    public static readonly SendingFailures None = new(0, 0, []);

    internal static readonly Expression<Func<OutboxMessage, bool>> ToParticipantGone = m =>
        m.LastError != null && m.LastError.StartsWith("403:") && !m.ChatId.StartsWith("-") && !m.ChatId.StartsWith("@");

    internal static readonly Expression<Func<OutboxMessage, bool>> NotToParticipantGone =
        Expression.Lambda<Func<OutboxMessage, bool>>(Expression.Not(ToParticipantGone.Body), ToParticipantGone.Parameters);

    /// <summary>How many of the newest refusals are read to find the newest kinds: a few minutes of a refused count edit.</summary>
    const int RefusalsRead = 100;

    /// <summary>
    /// The refusals of messages made since <paramref name="since"/>, with the newest <paramref name="latest"/> kinds of those
    /// organizers can act on. The same refusal over and over (every count edit of a channel the bot was removed from) is one
    /// kind, with how many times it came among the newest: listed one by one, it would push every other refusal out.
    /// </summary>
    public static async Task<SendingFailures> SinceAsync(QuizDbContext db, DateTimeOffset since, int latest, CancellationToken cancellationToken)
    {
        var newest = await LatestQuery(db, since, RefusalsRead).ToListAsync(cancellationToken);
        var kinds = newest.GroupBy(f => (f.Purpose, f.ChatId, f.Error)) // in the order each kind came first: newest first
            .Select(kind => kind.First() with { Times = kind.Count() })
            .Take(latest)
            .ToList();
        return new(await OthersQuery(db, since).CountAsync(cancellationToken), await GoneQuery(db, since).CountAsync(cancellationToken), kinds);
    }

    static IQueryable<OutboxMessage> FailedQuery(QuizDbContext db, DateTimeOffset since) =>
        db.OutboxMessages.AsNoTracking().Where(m => m.Status == OutboxStatus.Failed && m.CreatedAt >= since);

    internal static IQueryable<OutboxMessage> GoneQuery(QuizDbContext db, DateTimeOffset since) => FailedQuery(db, since).Where(ToParticipantGone);

    internal static IQueryable<OutboxMessage> OthersQuery(QuizDbContext db, DateTimeOffset since) => FailedQuery(db, since).Where(NotToParticipantGone);

    internal static IQueryable<SendingFailure> LatestQuery(QuizDbContext db, DateTimeOffset since, int latest) =>
        OthersQuery(db, since).OrderByDescending(m => m.Id).Take(latest)
            .Select(m => new SendingFailure(m.CreatedAt, m.Purpose, m.ChatId, m.LastError));
}
