using CodeQuiz.Core.Outbox;
using CodeQuiz.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CodeQuiz.Tests.Infrastructure;

/// <summary>What outbox rows send, read as the sender reads it: a row's own text and keyboard, or those of the shared body it names.</summary>
static class OutboxRows
{
    public static async Task<(string? Text, string? ReplyMarkupJson)> ContentAsync(this QuizDbContext db, OutboxMessage m) =>
        m.BodyId is { } id && await db.OutboxBodies.AsNoTracking().SingleAsync(b => b.Id == id) is var body
            ? (body.Text, body.ReplyMarkupJson)
            : (m.Text, m.ReplyMarkupJson);

    public static async Task<string?> TextAsync(this QuizDbContext db, OutboxMessage m) => (await db.ContentAsync(m)).Text;

    /// <summary>The text each of <paramref name="rows"/> sends, in their order.</summary>
    public static async Task<List<string?>> TextsAsync(this QuizDbContext db, IEnumerable<OutboxMessage> rows)
    {
        var bodies = await db.OutboxBodies.AsNoTracking().ToDictionaryAsync(b => b.Id, b => b.Text);
        return [.. rows.Select(r => r.BodyId is { } id ? bodies[id] : r.Text)];
    }
}
