using Microsoft.EntityFrameworkCore;

namespace CodeQuiz.Core.Ingest;

/// <summary>A Telegram update_id that has been stored; the primary key makes a repeat harmless.</summary>
public class ProcessedUpdate
{
    public long UpdateId { get; set; }
    public DateTimeOffset ProcessedAt { get; set; }
}

/// <summary>
/// The bot whose update_ids <see cref="ProcessedUpdate"/> holds (one row). Update ids are each bot's own numbering: after
/// a rehearsal, or a test bot, the real bot's ids could meet the stored ones and be taken for repeats.
/// </summary>
public class UpdateSource
{
    public const int SingleId = 1;

    public int Id { get; set; } = SingleId;
    public long BotId { get; set; }
    public DateTimeOffset Since { get; set; }

    /// <summary>
    /// Makes <paramref name="botId"/> the bot of the stored update ids. When another bot's are there, they are forgotten,
    /// and so are the messages that bot had not sent yet (those up to <paramref name="messagesUpTo"/>): the rehearsal's
    /// replies to its simulated chats, or a rehearsal's results post, which the real bot would otherwise post to the
    /// channel at its first start. Returns how many of each. A database without the record keeps what it holds, for the
    /// bot starting now.
    /// </summary>
    public static async Task<(int UpdateIds, int Messages)> AdoptAsync(Persistence.QuizDbContext db, long botId, DateTimeOffset now,
        CancellationToken cancellationToken = default, long messagesUpTo = long.MaxValue)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var source = await db.UpdateSources.SingleOrDefaultAsync(s => s.Id == SingleId, cancellationToken);
        (int UpdateIds, int Messages) forgotten = (0, 0);
        if (source is null)
            db.UpdateSources.Add(new UpdateSource { BotId = botId, Since = now });
        else if (source.BotId != botId)
        {
            forgotten = (await db.ProcessedUpdates.ExecuteDeleteAsync(cancellationToken),
                await db.OutboxMessages.Where(m => m.Status == Outbox.OutboxStatus.Pending && m.Id <= messagesUpTo).ExecuteDeleteAsync(cancellationToken));
            (source.BotId, source.Since) = (botId, now);
        }
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return forgotten;
    }
}

/// <summary>A body that passed the secret check but could not be understood: kept, and acknowledged.</summary>
public class DeadLetter
{
    public long Id { get; set; }
    public DateTimeOffset ReceivedAt { get; set; }
    public required string Reason { get; set; }
    public required string Body { get; set; }
}
