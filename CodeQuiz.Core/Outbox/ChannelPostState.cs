using CodeQuiz.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CodeQuiz.Core.Outbox;

/// <summary>Where one of a question's channel posts stands: queued, sent, being retried, or refused for good.</summary>
public sealed record ChannelPostState(OutboxPurpose Purpose, OutboxStatus Status, int Attempts, DateTimeOffset? SentAt, string? LastError, string ChatId)
{
    /// <summary>
    /// The newest announcement and results post of a question, newest first; edits of either are left out.
    /// Found through the outbox's question index, which holds channel posts only, however many replies the event sent.
    /// </summary>
    public static async Task<IReadOnlyList<ChannelPostState>> OfQuestionAsync(QuizDbContext db, int questionId, CancellationToken cancellationToken)
    {
        var rows = await Query(db, questionId).ToListAsync(cancellationToken);
        return [.. rows.DistinctBy(r => r.Purpose)];
    }

    internal static IQueryable<ChannelPostState> Query(QuizDbContext db, int questionId) => db.OutboxMessages.AsNoTracking()
        .Where(m => m.QuestionId == questionId && m.Method == OutboxMethod.SendMessage)
        .OrderByDescending(m => m.Id)
        .Select(m => new ChannelPostState(m.Purpose, m.Status, m.Attempts, m.SentAt, m.LastError, m.ChatId));
}
