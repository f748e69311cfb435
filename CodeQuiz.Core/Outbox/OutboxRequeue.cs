using CodeQuiz.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CodeQuiz.Core.Outbox;

/// <summary>
/// An organizer sends refused messages again once the cause is fixed: the same rows go back to waiting (attempts and
/// error cleared), so each is sent once, and the counters follow.
/// </summary>
public static class OutboxRequeue
{
    /// <summary>
    /// The question's newest post of this kind, after Telegram refused it (the bot was not yet an administrator of the
    /// channel, say), to the event's channel as it is now: an organizer who fixed a mistyped channel in the event settings
    /// gets the post there, not to the name Telegram knew no chat by. False when that post did not fail.
    /// </summary>
    public static async Task<bool> PostAgainAsync(QuizDbContext db, OutboxCounters counters, int questionId, OutboxPurpose purpose,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        var newest = await db.OutboxMessages.Where(m => m.QuestionId == questionId && m.Purpose == purpose)
            .OrderByDescending(m => m.Id).Select(m => new { m.Id, m.Status, m.ChatId }).FirstOrDefaultAsync(cancellationToken);
        if (newest is not { Status: OutboxStatus.Failed })
            return false;
        var channel = await db.Questions.Where(q => q.Id == questionId).Select(q => q.Event!.ChannelId).FirstOrDefaultAsync(cancellationToken);
        var row = db.OutboxMessages.Where(m => m.Id == newest.Id);
        if (channel is { Length: > 0 } && channel != newest.ChatId)
            await row.Where(m => m.Status == OutboxStatus.Failed)
                .ExecuteUpdateAsync(u => u.SetProperty(m => m.ChatId, channel), cancellationToken);
        return await RequeueAsync(row, counters, now, cancellationToken) == 1;
    }

    /// <summary>
    /// Every refused message to a participant (a token or Bot API address that was wrong for a while, say), but those to
    /// participants who blocked the bot or deleted their account, which Telegram would only refuse again; channel posts
    /// are left to the live page, where each is sent again on its own. Returns how many wait again.
    /// </summary>
    public static Task<int> RepliesAgainAsync(QuizDbContext db, OutboxCounters counters, DateTimeOffset now, CancellationToken cancellationToken) =>
        RequeueAsync(RepliesToSendAgain(db), counters, now, cancellationToken);

    /// <summary>What <see cref="RepliesAgainAsync"/> would send again.</summary>
    public static IQueryable<OutboxMessage> RepliesToSendAgain(QuizDbContext db) =>
        db.OutboxMessages.Where(m => m.Status == OutboxStatus.Failed && m.QuestionId == null).Where(SendingFailures.NotToParticipantGone);

    static async Task<int> RequeueAsync(IQueryable<OutboxMessage> rows, OutboxCounters counters, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var requeued = await rows.Where(m => m.Status == OutboxStatus.Failed)
            .ExecuteUpdateAsync(u => u
                .SetProperty(m => m.Status, OutboxStatus.Pending)
                .SetProperty(m => m.Attempts, 0)
                .SetProperty(m => m.LastError, (string?)null)
                .SetProperty(m => m.NotBefore, now), cancellationToken);
        counters.Requeued(requeued);
        return requeued;
    }
}
