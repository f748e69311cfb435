using CodeQuiz.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace CodeQuiz.Core.Ingest;

/// <summary>
/// Whose update ids and waiting messages the database holds, settled once at each start (see <see cref="UpdateSource"/>).
/// The same bot as last time, or a fresh database: settled at once. Another bot: its ids and unsent messages are
/// forgotten, but only once Telegram confirmed the token (getMe). A token with a mistyped digit names another bot too,
/// and the real bot's waiting replies and results post must not be dropped for it. Until then the webhook answers 503
/// (Telegram keeps the updates and sends them again), the poller does not poll and the outbox sends nothing. The
/// rehearsal's simulated bot needs no confirmation.
/// </summary>
public sealed partial class BotAdoption(IDbContextFactory<QuizDbContext> dbFactory, TimeProvider time, ILogger<BotAdoption> logger)
{
    readonly TaskCompletionSource _settled = new(TaskCreationOptions.RunContinuationsAsynchronously);
    readonly SemaphoreSlim _gate = new(1, 1);
    long _lastMessageBefore; // the other bot's unsent messages are those up to here; newer ones are this bot's

    /// <summary>Completes once the stored update ids and waiting messages are this bot's.</summary>
    public Task Settled => _settled.Task;

    public bool IsSettled => _settled.Task.IsCompleted;

    /// <summary>Already settled: for parts tested on their own, which never meet another bot's rows.</summary>
    internal static BotAdoption Done()
    {
        var adoption = new BotAdoption(null!, TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger<BotAdoption>.Instance);
        adoption._settled.SetResult();
        return adoption;
    }

    /// <summary>While not settled: the bot whose ids the database holds, and the one the token names.</summary>
    public (long Stored, long Token)? Waiting { get; private set; }

    /// <summary>At start-up, after the migrations: settles at once unless another bot's ids are stored and the bot is not yet confirmed.</summary>
    public async Task StartAsync(long? botId, bool confirmed, CancellationToken cancellationToken = default)
    {
        if (botId is null)
        {
            _settled.TrySetResult(); // a malformed token: start-up stops on the setting
            return;
        }
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var stored = await db.UpdateSources.Where(s => s.Id == UpdateSource.SingleId).Select(s => (long?)s.BotId).SingleOrDefaultAsync(cancellationToken);
        if (stored is null || stored == botId || confirmed)
        {
            await AdoptAsync(db, botId.Value, long.MaxValue, cancellationToken);
            return;
        }
        _lastMessageBefore = await db.OutboxMessages.MaxAsync(m => (long?)m.Id, cancellationToken) ?? 0;
        Waiting = (stored.Value, botId.Value);
        LogWaiting(stored.Value, botId.Value);
    }

    /// <summary>Telegram's getMe answered with the bot's id: the stored ids and waiting messages become its own.</summary>
    public async Task ConfirmAsync(long botId, CancellationToken cancellationToken = default)
    {
        if (IsSettled) return;
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (IsSettled) return;
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            await AdoptAsync(db, botId, _lastMessageBefore, cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    async Task AdoptAsync(QuizDbContext db, long botId, long messagesUpTo, CancellationToken cancellationToken)
    {
        var (updateIds, messages) = await UpdateSource.AdoptAsync(db, botId, time.GetUtcNow(), cancellationToken, messagesUpTo);
        if (updateIds > 0 || messages > 0)
            LogAdopted(botId, updateIds, messages);
        Waiting = null;
        _settled.TrySetResult();
    }

    [LoggerMessage(LogLevel.Warning, "The database holds the update ids and waiting messages of bot {Stored}, and Telegram:BotToken is bot {Token}'s: no update is taken and no message sent until Telegram confirms the token. A mistyped token is refused by Telegram, and then nothing is lost: correct it and restart.")]
    partial void LogWaiting(long stored, long token);

    [LoggerMessage(LogLevel.Warning, "The bot is now {BotId}: the {Count} update ids stored for another bot are forgotten, and the {Messages} messages it had not sent are dropped")]
    partial void LogAdopted(long botId, int count, int messages);
}
