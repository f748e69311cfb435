using CodeQuiz.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CodeQuiz.Core.Outbox;

/// <summary>Where one of a question's channel posts stands: queued, sent, being retried, or refused for good.</summary>
public sealed record ChannelPostState(OutboxPurpose Purpose, OutboxStatus Status, int Attempts, DateTimeOffset? SentAt, string? LastError)
{
    /// <summary>
    /// The newest announcement and results post of a question, newest first; answer-count edits are left out.
    /// Found through the outbox's question index, which holds channel posts only, however many replies the event sent.
    /// </summary>
    public static async Task<IReadOnlyList<ChannelPostState>> OfQuestionAsync(QuizDbContext db, int questionId, CancellationToken cancellationToken)
    {
        var rows = await Query(db, questionId).ToListAsync(cancellationToken);
        return [.. rows.DistinctBy(r => r.Purpose)];
    }

    /// <summary>
    /// Queues the question's newest post of this kind again after Telegram refused it (the bot was not yet an
    /// administrator of the channel, say): the same row goes back to waiting, so it is posted once. False when that
    /// post did not fail.
    /// </summary>
    public static async Task<bool> PostAgainAsync(QuizDbContext db, OutboxCounters counters, int questionId, OutboxPurpose purpose,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        var newest = await db.OutboxMessages.Where(m => m.QuestionId == questionId && m.Purpose == purpose)
            .OrderByDescending(m => m.Id).Select(m => new { m.Id, m.Status }).FirstOrDefaultAsync(cancellationToken);
        if (newest is not { Status: OutboxStatus.Failed })
            return false;
        var requeued = await db.OutboxMessages.Where(m => m.Id == newest.Id && m.Status == OutboxStatus.Failed)
            .ExecuteUpdateAsync(u => u
                .SetProperty(m => m.Status, OutboxStatus.Pending)
                .SetProperty(m => m.Attempts, 0)
                .SetProperty(m => m.LastError, (string?)null)
                .SetProperty(m => m.NotBefore, now), cancellationToken);
        counters.Requeued(requeued);
        return requeued == 1;
    }

    internal static IQueryable<ChannelPostState> Query(QuizDbContext db, int questionId) => db.OutboxMessages.AsNoTracking()
        .Where(m => m.QuestionId == questionId && m.Purpose != OutboxPurpose.ChannelCount)
        .OrderByDescending(m => m.Id)
        .Select(m => new ChannelPostState(m.Purpose, m.Status, m.Attempts, m.SentAt, m.LastError));
}
