using System.Data.Common;
using System.Diagnostics;
using CodeQuiz.Core.Bot;
using CodeQuiz.Core.Live;
using CodeQuiz.Core.Outbox;
using CodeQuiz.Core.Persistence;
using CodeQuiz.Core.Quizzes;
using CodeQuiz.Core.Telegram;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CodeQuiz.Core.Ingest;

/// <summary>
/// The single reader of the ingest queue. It takes what is queued (up to MaxBatchSize), decides each
/// update against the in-memory <see cref="QuizRuntime"/>, writes the whole batch — processed update ids,
/// participants, answers, outbox rows — in one transaction, and only after the commit completes the
/// waiting requests and publishes one live-statistics change. Organizers' opens and closes travel the
/// same queue, so a close ranks every answer Telegram delivered before it.
/// </summary>
public sealed partial class BatchWriter(
    IngestQueue queue,
    IDbContextFactory<QuizDbContext> dbFactory,
    BotConversation conversation,
    LiveStats live,
    CatalogChanges changes,
    OutboxCounters outbox,
    BotIdentity bot,
    StoredUpdates stored,
    WalDisk walDisk,
    DurableLog durableLog,
    TimeProvider time,
    IOptions<IngestOptions> ingestOptions,
    IOptions<OutboxOptions> outboxOptions,
    ILogger<BatchWriter> logger) : BackgroundService
{
    static readonly TimeSpan LogCheckEvery = TimeSpan.FromSeconds(5);
    static readonly TimeSpan IdleWake = TimeSpan.FromSeconds(1), FirstBackoff = TimeSpan.FromMilliseconds(250), MaxBackoff = TimeSpan.FromSeconds(2);
    const int RefusedBeforeGivingUp = 3;

    readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    QuizDbContext _db = null!;
    DbConnection _connection = null!;
    BatchCommands _commands = null!;
    QuizRuntime _runtime = null!;
    GroupCommit? _groupCommit;
    string? _logPath; // SQLite's write-ahead log, whose size is watched
    DateTimeOffset _nextLogCheck;
    int _logStuckChecks; // checks in a row that found the log over the warning size and not copied whole
    const int StuckChecksBeforeWarning = 3; // 10 s and more: a long query or download of the console's ends sooner
    volatile bool _catalogChanged;
    bool _rankingsChanged;
    readonly HashSet<int> _closedByTime = []; // events with a question that closed itself in this batch
    readonly SharedBodies _bodies = new();
    bool _stale; // the in-memory state may hold a failed batch's decisions: read it again before deciding
    UpdateItem? _refusedWhileWriting; // the update whose own rows storage refused, not the batch's other work (a close by time)
    int _stillToWriteAgain; // items of a failed batch, after the one being written alone: queued before anything still in the queue
    int _outboxAdded, _outboxDropped, _outboxFailedDropped, _publishedPending, _publishedFailed;

    /// <summary>Completes once the runtime is loaded from the database and batches are being written.</summary>
    public Task Ready => _ready.Task;

    public void CatalogChanged() => _catalogChanged = true;

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        // Refuse new work (the webhook answers 503), then let ExecuteAsync write what is already queued.
        queue.Complete();
        await base.StopAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await OpenAsync(stoppingToken);
            _ready.TrySetResult();
        }
        catch (Exception e)
        {
            _ready.TrySetException(e);
            throw;
        }

        var batch = new List<IngestItem>(ingestOptions.Value.MaxBatchSize);
        try
        {
            var backoff = TimeSpan.Zero;
            while (await ReadBatchAsync(batch))
            {
                var stored = await WriteAsync(batch);
                batch.Clear();
                await WatchLogAsync(time.GetUtcNow());
                // Storage refuses everything (its disk full, say): try again in a moment rather than at once, over and over.
                backoff = stored ? TimeSpan.Zero : TimeSpan.FromTicks(Math.Clamp(backoff.Ticks * 2, FirstBackoff.Ticks, MaxBackoff.Ticks));
                if (backoff > TimeSpan.Zero)
                    await Task.Delay(backoff, CancellationToken.None);
            }
        }
        finally
        {
            _groupCommit?.Dispose(); // answers the batches still waiting for their flush
            await _commands.DisposeAsync();
            await _db.DisposeAsync();
        }
    }

    async Task OpenAsync(CancellationToken cancellationToken)
    {
        _db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await _db.Database.OpenConnectionAsync(cancellationToken);
        _connection = _db.Database.GetDbConnection();
        _commands = BatchCommands.Create(_connection);
        await _commands.PrepareAsync(cancellationToken);
        _runtime = await QuizRuntime.LoadAsync(_db, cancellationToken);
        await ReadBackAsync(cancellationToken);
        _groupCommit = await GroupCommit.TryStartAsync(_connection, walDisk, logger, cancellationToken,
            onFailed: () => live.Storage.Raise(time.GetUtcNow(), new LogNotDurableException().Message));
        durableLog.Use(_groupCommit);
        if (_groupCommit is not null)
            _logPath = ((Microsoft.Data.Sqlite.SqliteConnection)_connection).DataSource + "-wal";
        // One pass over the table (about 0.2 s for 650,000 rows): most rows waiting have no index entry.
        var counts = await _db.OutboxMessages.GroupBy(m => m.Status).Select(g => new { Status = g.Key, Count = g.Count() })
            .ToDictionaryAsync(c => c.Status, c => c.Count, cancellationToken);
        outbox.Reset(counts.GetValueOrDefault(OutboxStatus.Pending), counts.GetValueOrDefault(OutboxStatus.Failed), counts.GetValueOrDefault(OutboxStatus.Sent));
        Publish();
    }

    /// <summary>Fills <paramref name="batch"/>; false once the queue is completed and drained.</summary>
    async Task<bool> ReadBatchAsync(List<IngestItem> batch)
    {
        var reader = queue.Reader;
        var max = ingestOptions.Value.MaxBatchSize;
        while (true)
        {
            while (batch.Count < max && reader.TryRead(out var item))
                batch.Add(item);
            if (batch.Count > 0)
            {
                var delay = ingestOptions.Value.MaxBatchDelayMilliseconds;
                if (batch.Count < max && delay > 0)
                {
                    await Task.Delay(delay);
                    while (batch.Count < max && reader.TryRead(out var item))
                        batch.Add(item);
                }
                return true;
            }

            // Nothing queued: wake for the next question deadline or the channel counter, else wait for work.
            using var wake = new CancellationTokenSource(UntilNextTimer(), time);
            try
            {
                if (!await reader.WaitToReadAsync(wake.Token))
                    return false;
            }
            catch (OperationCanceledException) when (wake.IsCancellationRequested)
            {
                if (_groupCommit is { HasFailed: true } && live.Storage.Current is null)
                    live.Storage.Raise(time.GetUtcNow(), new LogNotDurableException().Message); // the organizers learn it before the next update
                if (HasTimerWork())
                    return true; // an empty batch still closes expired questions and edits counters
                // The sender drains the outbox between batches: the live backlog must go down even when no update comes.
                if (outbox.Pending != _publishedPending || outbox.Failed != _publishedFailed)
                    Publish();
                await WatchLogAsync(time.GetUtcNow()); // the outbox's writes grow the log too, and a quiet log's warning must go
            }
        }
    }

    TimeSpan UntilNextTimer()
    {
        var now = time.GetUtcNow();
        var next = _runtime.Questions
            .Where(q => q.State == QuestionState.Open && q.Deadline is not null)
            .Select(q => ClosesAt(q)!.Value - now)
            .DefaultIfEmpty(IdleWake)
            .Min();
        return next < TimeSpan.Zero ? TimeSpan.Zero : next > IdleWake ? IdleWake : next;
    }

    bool HasTimerWork()
    {
        var now = time.GetUtcNow();
        return _runtime.Questions.Any(q => q.State == QuestionState.Open && (ClosesAt(q) <= now || ChannelCountDue(q, now)));
    }

    /// <summary>Writes the batch, or failing that its items one by one; false when nothing could be stored.</summary>
    async Task<bool> WriteAsync(List<IngestItem> batch)
    {
        try
        {
            await WriteBatchAsync(batch);
            return true;
        }
        catch (LogNotDurableException e)
        {
            // Nothing was decided yet, and nothing written would be safe: refuse the batch whole, without reloading.
            live.Storage.Raise(time.GetUtcNow(), e.Message);
            foreach (var item in batch)
                item.Fail(e);
            return false;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            live.Storage.Raise(time.GetUtcNow(), e.GetBaseException().Message); // the live page and /healthz say so
            LogBatchFailed(e, batch.Count);
            await ReloadAsync();
            if (batch.Count <= 1)
            {
                if (batch is [UpdateItem update] && ReferenceEquals(_refusedWhileWriting, update) && RefusesThisUpdateOnly(e)
                    && await KeepAsDeadLetterAsync(update, e))
                    return true;
                foreach (var item in batch)
                    item.Fail(e);
                return false;
            }
            // Write one by one so that one bad item cannot hold back the others. When a few in a row fail too, storage
            // itself is refusing (from the start, or since a disk filled half-way through): the rest are refused at once
            // (Telegram sends them again) rather than each tried in turn, with the whole state read again after each.
            var (stored, failedInARow) = (false, 0);
            try
            {
                for (var i = 0; i < batch.Count; i++)
                {
                    var item = batch[i];
                    _stillToWriteAgain = batch.Count - i - 1; // a close by time waits for them, as for the queue
                    if (failedInARow >= RefusedBeforeGivingUp)
                        item.Fail(e);
                    else if (await WriteAsync([item]))
                        (stored, failedInARow) = (true, 0);
                    else
                        failedInARow++;
                }
            }
            finally
            {
                _stillToWriteAgain = 0;
            }
            return stored;
        }
    }

    /// <summary>
    /// Storage refused the update, written alone, for something in it rather than for itself being unwell: a constraint, a
    /// value too big or of the wrong type. Not a full disk, a lock or an I/O error, which pass and refuse every update alike.
    /// </summary>
    static bool RefusesThisUpdateOnly(Exception e) => e.GetBaseException() is
        Microsoft.Data.Sqlite.SqliteException { SqliteErrorCode: 18 /* TOOBIG */ or 19 /* CONSTRAINT */ or 20 /* MISMATCH */ } or
        Microsoft.Data.SqlClient.SqlException { Number: 547 /* constraint */ or 2601 or 2627 /* unique */ or 2628 or 8152 /* too long */ };

    /// <summary>
    /// An update storage refuses for what it holds would be refused again each time Telegram sends it, and in Polling mode
    /// the offset would never move past it: every later update would wait behind it. It is kept in DeadLetters for a person to
    /// look at, marked processed, and acknowledged, as an update the conversation fails on is. False when that cannot be
    /// stored either; the update is then refused as before.
    /// </summary>
    async Task<bool> KeepAsDeadLetterAsync(UpdateItem item, Exception e)
    {
        var ct = CancellationToken.None;
        try
        {
            await using (var transaction = await _connection.BeginTransactionAsync(ct))
            {
                _commands.Enlist(transaction);
                var first = await _commands.TryMarkProcessedAsync(item.Update.Id, time.GetUtcNow(), ct);
                if (first)
                {
                    var body = System.Text.Json.JsonSerializer.Serialize(item.Update, global::Telegram.Bot.JsonBotAPI.Options);
                    await _commands.InsertDeadLetterAsync(item.ReceivedAt, $"could not be stored: {e.GetBaseException().Message}", body, ct);
                }
                await transaction.CommitAsync(ct);
            }
            LogKeptAsDeadLetter(e, item.Update.Id);
            StoredAgain();
            Action complete = () => Answer(item, new IngestOutcome(Duplicate: false));
            if (_groupCommit is not null)
                _groupCommit.Committed([complete], [item]); // answered once the log is on disk
            else
                complete();
            return true;
        }
        catch (Exception again) when (again is not OperationCanceledException)
        {
            LogBatchFailed(again, 1);
            return false;
        }
    }

    /// <summary>
    /// A transaction committed: the storage trouble ends, unless the log's flush failed meanwhile. The flush thread raises
    /// that trouble while this batch is being written, and from then on every batch, this one too, is answered "not stored":
    /// clearing it would tell /healthz and the live page that all is well until the next update or idle wake.
    /// </summary>
    void StoredAgain()
    {
        if (_groupCommit is { HasFailed: true } || live.Storage.Clear() is not { } ended)
            return;
        if (_groupCommit is { HasFailed: true }) // failed between the check and the clear: its raise may be the one cleared
            live.Storage.Raise(ended.Since, ended.LastError);
        else
            LogStoringAgain((time.GetUtcNow() - ended.Since).TotalSeconds);
    }

    /// <summary>
    /// Reads the quiz's state again from the database after a batch failed, since the batch's decisions were already
    /// applied in memory. If that fails too, the next batch tries again before deciding anything.
    /// </summary>
    async Task ReloadAsync()
    {
        try
        {
            await ReloadOrThrowAsync();
        }
        catch (Exception e)
        {
            LogReloadFailed(e);
        }
    }

    /// <summary>
    /// Reads events and questions again inside the batch's transaction: on SQLite it holds the write lock, so an organizer's
    /// save committed before it is read, and none commits while the batch decides (the catalog tells the writer before its
    /// saves as well as after them).
    /// </summary>
    async Task ReloadCatalogAsync(DbTransaction transaction, CancellationToken ct)
    {
        _catalogChanged = false;
        await _db.Database.UseTransactionAsync(transaction, ct);
        try
        {
            await _runtime.ReloadCatalogAsync(_db, ct);
        }
        finally
        {
            await _db.Database.UseTransactionAsync(null, ct);
        }
    }

    async Task ReloadOrThrowAsync()
    {
        _stale = true;
        _db.ChangeTracker.Clear();
        _runtime = await QuizRuntime.LoadAsync(_db, CancellationToken.None);
        await ReadBackAsync(CancellationToken.None);
        _stale = false;
    }

    /// <summary>What the writer keeps of the database beside the quiz's state: the commands' own, and the shared bodies.</summary>
    async Task ReadBackAsync(CancellationToken ct)
    {
        await _commands.ReadBackAsync(ct);
        _bodies.Reset(await _db.OutboxBodies.MaxAsync(b => (long?)b.Id, ct) ?? 0);
    }

    async Task WriteBatchAsync(List<IngestItem> batch)
    {
        var ct = CancellationToken.None; // once taken, work is finished even while the app stops
        _refusedWhileWriting = null;
        if (_groupCommit is { HasFailed: true })
            throw new LogNotDurableException();
        if (_stale)
            await ReloadOrThrowAsync(); // the last batches may not be stored: start again from what is, or refuse this batch

        var now = time.GetUtcNow();
        var completions = new List<Action>(batch.Count);
        _closedByTime.Clear();
        _outboxAdded = _outboxDropped = _outboxFailedDropped = 0;
        _commands.NarrowCache(); // a start over's batch that failed
        await using var transaction = await _connection.BeginTransactionAsync(ct);
        _commands.Enlist(transaction);
        if (_catalogChanged)
            await ReloadCatalogAsync(transaction, ct);

        // A question whose time ran out closes at its place in the queue: after the updates received before it closed.
        var nextClose = NextCloseAt();
        foreach (var item in batch)
        {
            if (item is UpdateItem { ReceivedAt: var received } && received >= nextClose)
                nextClose = await CloseExpiredAsync(received, now, ct);
            switch (item)
            {
                case UpdateItem update:
                    try
                    {
                        completions.Add(await WriteUpdateAsync(update, now, ct));
                    }
                    catch
                    {
                        _refusedWhileWriting = update; // refused for its own rows; a close by time before it is not its doing
                        throw;
                    }
                    break;
                case DeadLetterItem dead:
                    await _commands.InsertDeadLetterAsync(dead.ReceivedAt, dead.Reason, dead.Body, ct);
                    completions.Add(dead.Complete);
                    break;
                case LifecycleItem lifecycle:
                    completions.Add(await WriteLifecycleAsync(lifecycle, now, ct));
                    break;
                case StartOverItem startOver:
                    completions.Add(await StartOverAsync(startOver, ct));
                    break;
                case LeaveOutItem leaveOut:
                    completions.Add(await LeaveOutAsync(leaveOut, now, ct));
                    break;
                case UnsentReplyItem unsent:
                    await InsertOutboxAsync(unsent.Reply, now, ct);
                    completions.Add(unsent.Complete);
                    break;
            }
        }

        // Time ran out while nothing is left to write: close now. With updates still queued, or still to be written again
        // one by one after a failed batch, the first of them received after the close time closes it (above), so none
        // received before it is judged against a closed question.
        if (now >= NextCloseAt() && queue.Count == 0 && _stillToWriteAgain == 0)
            await CloseExpiredAsync(now, now, ct);
        await EditChannelCountsAsync(now, ct);
        await transaction.CommitAsync(ct);
        // Cleared before anything is answered: a sender told 200 who asks /healthz next must not still read 503.
        StoredAgain();
        _commands.NarrowCache();
        if (_rankingsChanged)
        {
            _rankingsChanged = false;
            live.RankingsChanged(); // committed, so the presenter's podium and leaderboard read it when computed again
        }
        // Closed by the organizers, the lifecycle tells it; closed by its time limit, nobody else would: event pages would
        // show the question open, and Start over refused, until reloaded.
        foreach (var eventId in _closedByTime)
            changes.Publish(new CatalogChanged(eventId, EventItself: false));

        outbox.Added(_outboxAdded);
        outbox.Dropped(_outboxDropped, _outboxFailedDropped);
        Publish(); // before the answers, so that what a sender was told is stored shows on the live page already

        if (_groupCommit is not null && completions.Count > 0)
            _groupCommit.Committed(completions, batch); // answered once the log is on disk
        else
            foreach (var complete in completions)
                complete();
        _groupCommit?.CheckpointIfDue(); // while this batch is flushed and answered
    }

    /// <summary>
    /// The writer copies the write-ahead log into the database file every thousand pages (<see cref="GroupCommit.CheckpointIfDue"/>;
    /// SQLite does it on its own where there is no group commit) and the log then starts afresh, unless a reader still needs
    /// its older pages: a program holding the database open (a database browser left on a query, a backup) stops that, and
    /// the log grows with every answer until the disk is full. When the log is over the warning size, a passive checkpoint
    /// (what the writer tries every thousand pages anyway) tells whether it can be copied whole; stuck
    /// at three checks in a row (a long query or download of the console's passes sooner), the console says so, and the
    /// warning goes once the log is copied or small again.
    /// </summary>
    async Task WatchLogAsync(DateTimeOffset now)
    {
        if (_logPath is null || now < _nextLogCheck) return;
        _nextLogCheck = now + LogCheckEvery;
        var stuck = false;
        long bytes = 0;
        try
        {
            bytes = new FileInfo(_logPath).Length;
            if (bytes > ingestOptions.Value.LogWarningMegabytes * 1024L * 1024)
            {
                await using var checkpoint = _connection.CreateCommand();
                checkpoint.CommandText = "PRAGMA wal_checkpoint(PASSIVE)";
                await using var result = await checkpoint.ExecuteReaderAsync();
                if (!await result.ReadAsync() || result.GetInt64(0) != 0)
                    return; // another connection is checkpointing (busy, no counts): this check says nothing either way
                stuck = result.GetInt64(2) < result.GetInt64(1); // copied fewer pages than the log holds
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogLogCheckFailed(e);
            return; // the next check tries again; a storage failure shows as such
        }
        _logStuckChecks = stuck ? _logStuckChecks + 1 : 0;
        if (_logStuckChecks >= StuckChecksBeforeWarning)
        {
            if (live.LogGrowth.Raise(now, $"{bytes / (1024 * 1024):N0} MB"))
                LogLogGrowing(bytes / (1024 * 1024));
        }
        else if (!stuck && live.LogGrowth.Clear() is not null)
        {
            LogLogCopiedAgain();
        }
    }

    async Task<Action> WriteUpdateAsync(UpdateItem item, DateTimeOffset now, CancellationToken ct)
    {
        if (!await _commands.TryMarkProcessedAsync(item.Update.Id, now, ct))
            return () => Answer(item, new IngestOutcome(Duplicate: true));

        BotDecision decision;
        try
        {
            decision = conversation.Decide(item.Update, _runtime, item.ReceivedAt);
        }
        catch (Exception e)
        {
            // A bug must not block this chat at Telegram: keep the update for a person to look at, and acknowledge it.
            LogDecisionFailed(e, item.Update.Id);
            var body = System.Text.Json.JsonSerializer.Serialize(item.Update, global::Telegram.Bot.JsonBotAPI.Options);
            await _commands.InsertDeadLetterAsync(item.ReceivedAt, $"conversation failed: {e.GetType().Name}: {e.Message}", body, ct);
            return () => Answer(item, new IngestOutcome(Duplicate: false));
        }

        if (decision.Participant is { } participant)
        {
            var known = _runtime.FindParticipant(participant.Id);
            await _commands.SaveParticipantAsync(participant, isNew: known is null, ct);
            // A new name or team of someone who answered shows in the rankings and people counts computed before.
            if (known is not null && (known.FirstName, known.LastName, known.TeamName, known.HeadCount)
                    != (participant.FirstName, participant.LastName, participant.TeamName, participant.HeadCount)
                && _runtime.HasAnsweredAny(participant.Id))
                _rankingsChanged = true;
        }
        List<ResultsPost>? posted = null;
        if (decision.ForgetParticipantId is { } forgotten)
        {
            await _commands.ForgetAsync(forgotten, _runtime.AnswersOf(forgotten), ct);
            // "I deleted your name": from the channel's podiums too; and their answer from its totals, podium or not.
            posted = ResultsPostsOf(forgotten, forgotten: true);
            _rankingsChanged = true;
        }
        if (decision.Answer is { } answer)
            await _commands.InsertAnswerAsync(answer, ct);

        OutboxMessage? reply = item.MayAnswerInResponse && !item.RequestGaveUp ? TakeWebhookReply(decision, item) : null;
        foreach (var message in decision.Messages)
        {
            if (ReferenceEquals(message, reply)) continue;
            await InsertOutboxAsync(message, now, ct);
        }

        _runtime.Apply(decision, item.ReceivedAt);
        if (posted is not null)
        {
            await CorrectResultsPostsAsync(posted, now, ct);
            await CorrectClosedCountsAsync(posted, now, ct);
        }
        return () => Answer(item, new IngestOutcome(Duplicate: false, reply));
    }

    /// <summary>Runs once the update is durable: from then on a repeat of it can be answered without the queue.</summary>
    void Answer(UpdateItem item, IngestOutcome outcome)
    {
        stored.Add(item.Update.Id);
        item.Complete(outcome);
    }

    /// <summary>
    /// What rides in the webhook response instead of the outbox: a button press's toast, else (with
    /// <see cref="UpdateItem.MayReplyInResponse"/>) the first plain reply to the update's own chat.
    /// </summary>
    static OutboxMessage? TakeWebhookReply(BotDecision decision, UpdateItem item)
    {
        if (item.MayAnswerButtonInResponse && item.Update.CallbackQuery is { } query
            && decision.Messages.FirstOrDefault(m => m.Method == OutboxMethod.AnswerCallbackQuery && m.CallbackQueryId == query.Id) is { } toast)
            return toast;
        if (!item.MayReplyInResponse)
            return null;
        // Telegram's own updates always name the chat; one that does not (a hostile body) has no reply to carry.
        var chat = (item.Update.Message ?? item.Update.CallbackQuery?.Message) is { Chat: { } c } ? c.Id : (long?)null;
        return chat is null ? null : decision.Messages.FirstOrDefault(m =>
            m.Method == OutboxMethod.SendMessage && m.Purpose == OutboxPurpose.Reply && m.ChatId == chat.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    async Task InsertOutboxAsync(OutboxMessage message, DateTimeOffset now, CancellationToken ct)
    {
        message.CreatedAt = now;
        if (message.NotBefore == default) message.NotBefore = now;
        var shared = _bodies.Share(message);
        if (shared is (var bodyId, IsNew: true))
            await _commands.InsertBodyAsync(bodyId, message.Text, message.ReplyMarkupJson, ct);
        message.BodyId = shared?.Id; // a reply written again after a failed batch may have been given a body rolled back
        await _commands.InsertOutboxAsync(message, ct);
        _outboxAdded++;
    }

    async Task<Action> WriteLifecycleAsync(LifecycleItem item, DateTimeOffset now, CancellationToken ct)
    {
        if (_runtime.FindQuestion(item.QuestionId) is not { } question)
            return () => item.Fail(new KeyNotFoundException($"There is no question {item.QuestionId}."));
        var started = Stopwatch.GetTimestamp();
        try
        {
            switch (item.Action)
            {
                case LifecycleAction.Open:
                    await OpenAsync(question, now, item.OnlyIfNoneOpen ? _runtime.Questions : null, ct);
                    break;
                case LifecycleAction.Close:
                    await CloseAsync(question, now, ct);
                    break;
                case LifecycleAction.Reopen:
                    await ReopenAsync(question, now, ct);
                    break;
                case LifecycleAction.Withdraw:
                    await WithdrawAsync(question, now, ct);
                    break;
                case LifecycleAction.Extend:
                    question.Extend(item.Seconds, now, item.ExpectedExtraSeconds);
                    await _commands.SaveExtraSecondsAsync(question, ct);
                    _runtime.TallyOf(question.Id).LastChannelCount = -1; // its channel post shows the new time with the next count edit
                    LogExtended(question.Id, item.Seconds, question.TimeAllowedSeconds);
                    break;
            }
        }
        catch (QuestionStateException e)
        {
            return () => item.Fail(e);
        }
        var copy = question.Copy();
        if (item.Action != LifecycleAction.Close)
            return () => item.Complete(copy);
        // Where an organizer's close spends its time, for whoever finds one slow: waiting behind the updates queued before
        // it, ranking and writing, and the rest of its batch and the flush, until it is on disk and the page is told.
        var written = Stopwatch.GetTimestamp();
        return () =>
        {
            LogCloseTook(question.Id, Ms(item.QueuedAt, started), Ms(started, written), Ms(written, Stopwatch.GetTimestamp()));
            item.Complete(copy);
        };
    }

    static long Ms(long from, long to) => (long)Stopwatch.GetElapsedTime(from, to).TotalMilliseconds;

    async Task<Action> StartOverAsync(StartOverItem item, CancellationToken ct)
    {
        if (_runtime.FindEvent(item.EventId) is null)
            return () => item.Fail(new KeyNotFoundException($"There is no event {item.EventId}."));
        var questions = _runtime.Questions.Where(q => q.EventId == item.EventId).OrderBy(q => q.Position).ToList();
        if (questions.FirstOrDefault(q => q.State == QuestionState.Open) is { } open)
            return () => item.Fail(new QuestionStateException($"Question {open.Position} is open; close it before starting the event over."));

        int answers = 0, pendingPosts = 0, failedPosts = 0;
        _commands.WidenCache(); // narrowed once the batch is committed or given up
        foreach (var question in questions)
        {
            var (a, pending, failed) = await _commands.StartQuestionOverAsync(question.Id, ct);
            answers += a;
            pendingPosts += pending;
            failedPosts += failed;
            if (question.State == QuestionState.Draft) continue;
            question.StartOver();
            await _commands.SaveQuestionStateAsync(question, ct);
            await _commands.SaveExtraSecondsAsync(question, ct);
        }
        _runtime.ForgetAnswers([.. questions.Select(q => q.Id)]);
        _runtime.UpdateCurrentEvent();
        _rankingsChanged = true; // the screens' podiums and leaderboard were the rehearsal's
        _outboxDropped += pendingPosts;
        _outboxFailedDropped += failedPosts;
        LogStartedOver(item.EventId, questions.Count, answers);
        var result = new EventStartedOver(item.EventId, questions.Count, answers);
        return () => item.Complete(result);
    }

    async Task<Action> LeaveOutAsync(LeaveOutItem item, DateTimeOffset now, CancellationToken ct)
    {
        if (_runtime.FindParticipant(item.ParticipantId) is not { } participant)
            return () => item.Complete(null);
        var at = item.LeaveOut ? participant.LeftOutAt ?? now : (DateTimeOffset?)null;
        await _commands.SaveLeftOutAsync(participant.Id, at, ct);
        var posted = ResultsPostsOf(participant.Id, forgotten: false);
        participant.LeftOutAt = at; // the runtime's own object: the next results post ranks without them
        _rankingsChanged = true;
        var corrected = await CorrectResultsPostsAsync(posted, now, ct);
        LogLeftOut(participant.Id, at is not null);
        var change = new RankingChange(participant.Id, at is not null, corrected);
        return () => item.Complete(change);
    }

    /// <summary>A results post as it reads now, before a change that may make it read otherwise.</summary>
    sealed record ResultsPost(Question Question, QuizEvent Event, string Channel, QuestionResults Results, string Text);

    /// <summary>
    /// The closed questions with a results post that a change of the participant may make read otherwise, as they read
    /// now. Left out or ranked again, they change its podium, or its decimals, only among the first places; forgotten,
    /// they leave its totals too wherever they answered, so that the post counts what the console and the API count.
    /// </summary>
    List<ResultsPost> ResultsPostsOf(long participantId, bool forgotten)
    {
        var posts = new List<ResultsPost>();
        foreach (var question in _runtime.Questions)
        {
            if (question.State != QuestionState.Closed || ChannelOf(question) is not (var ev, var channel)) continue;
            if (forgotten ? _runtime.HasAnswered(question.Id, participantId) : _runtime.MayBeOnPodium(question.Id, participantId, QuizFormat.RankingRows))
            {
                var results = _runtime.ResultsOf(question);
                posts.Add(new ResultsPost(question, ev, channel, results, ChannelPosts.Results(ev, question, results)));
            }
        }
        return posts;
    }

    /// <summary>
    /// Edits each results post that reads differently now than it did before the change; returns how many. A new podium
    /// goes out at once; totals one answer lower (someone below the podium forgot) wait behind the participants' replies:
    /// a burst of /forget then costs the channel one edit per post, the outbox sending only a post's newest.
    /// </summary>
    async Task<int> CorrectResultsPostsAsync(List<ResultsPost> posted, DateTimeOffset now, CancellationToken ct)
    {
        var corrected = 0;
        foreach (var before in posted)
        {
            var (question, ev, channel) = (before.Question, before.Event, before.Channel);
            var after = _runtime.ResultsOf(question);
            var text = ChannelPosts.Results(ev, question, after);
            if (text == before.Text) continue;
            corrected++;
            var podiumChanged = !after.Ranking.Take(3).SequenceEqual(before.Results.Ranking.Take(3));
            await InsertOutboxAsync(new OutboxMessage
            {
                Method = OutboxMethod.EditMessageText,
                Purpose = OutboxPurpose.ChannelResultsEdit,
                Priority = podiumChanged ? OutboxMessage.UrgentPriority : OutboxMessage.NormalPriority,
                ChatId = channel,
                Text = text,
                QuestionId = question.Id,
            }, now, ct);
        }
        return corrected;
    }

    /// <summary>
    /// A closed question's own post reads "closed" with the count of its results: once someone who answered it on time is
    /// forgotten, it says one answer fewer, as the results post does. As the totals of that post, not urgent: a burst of
    /// /forget costs the post one edit, the outbox sending only its newest. An open question's post needs nothing here:
    /// its next count edit, a few seconds later, shows the count as it is then.
    /// </summary>
    async Task CorrectClosedCountsAsync(List<ResultsPost> posted, DateTimeOffset now, CancellationToken ct)
    {
        foreach (var before in posted)
            if (_runtime.TallyOf(before.Question.Id).Answers != before.Results.TotalAnswers) // a late answer is in no count
                await EditChannelCountAsync(before.Question, before.Event, before.Channel, now, ct, closed: true, OutboxMessage.NormalPriority);
    }

    async Task OpenAsync(Question question, DateTimeOffset now, IEnumerable<Question>? noneRunningAmong, CancellationToken ct)
    {
        question.Open(now, noneRunningAmong);
        await _commands.SaveQuestionStateAsync(question, ct);
        // Taken back to draft before, its earlier post may still wait for the edit saying so: that edit would go to the new
        // post. Or the earlier post itself may still wait (the channel's own limit, Telegram out of reach): it never goes.
        _outboxDropped += await _commands.DropEarlierPostAsync(question.Id, now, OpenedAgainNote, ct);
        _runtime.UpdateCurrentEvent();
        var tally = _runtime.TallyOf(question.Id);
        tally.LastChannelCountAt = now;
        tally.LastChannelCount = 0;
        if (ChannelOf(question) is (var ev, var channel))
            await InsertOutboxAsync(new OutboxMessage
            {
                Method = OutboxMethod.SendMessage,
                Purpose = OutboxPurpose.ChannelAnnouncement,
                Priority = OutboxMessage.UrgentPriority,
                ChatId = channel,
                Text = ChannelPosts.Announcement(ev, question, bot.Username), // no link rather than one to a name that may be another bot's
                QuestionId = question.Id,
            }, now, ct);
        LogOpened(question.Id, question.Code);
    }

    async Task CloseAsync(Question question, DateTimeOffset now, CancellationToken ct)
    {
        question.Close(now);
        await _commands.SaveQuestionStateAsync(question, ct);
        if (ChannelOf(question) is (var ev, var channel))
        {
            // The results first: the audience is waiting for them, and a channel takes one message a second from us.
            await InsertOutboxAsync(new OutboxMessage
            {
                Method = OutboxMethod.SendMessage,
                Purpose = OutboxPurpose.ChannelResults,
                Priority = OutboxMessage.UrgentPriority,
                ChatId = channel,
                Text = ChannelPosts.Results(ev, question, _runtime.ResultsOf(question)),
                QuestionId = question.Id,
            }, now, ct);
            // The question post says it is closed, with the same count as the results (its count was last edited a few
            // seconds ago), and no longer invites answers.
            await EditChannelCountAsync(question, ev, channel, now, ct, closed: true);
        }
        LogClosed(question.Id, question.Code, _runtime.TallyOf(question.Id).Answers);
    }

    /// <summary>
    /// Undoes a close: the question takes answers again, those that came while it was closed count (Telegram's order ranks
    /// them with the rest), and the channel reads as while it was open: the results post says the ranking follows at the
    /// next close (which posts it anew), and the question post shows its count and how to answer again. One nobody answered
    /// starts afresh, as opened now.
    /// </summary>
    async Task ReopenAsync(Question question, DateTimeOffset now, CancellationToken ct)
    {
        var extraBefore = question.ExtraSeconds;
        var marks = _runtime.TallyOf(question.Id).Marks;
        question.Reopen(now, _runtime.Questions, answered: marks.Count > 0);
        await SaveStateAsync(question, extraBefore, ct);
        var late = marks.Where(m => m.Value.IsLate).Select(m => m.Key).ToList();
        var onTime = await _commands.AnswersOnTimeAsync(question.Id, ct);
        _runtime.CountLateOnTime(question.Id);
        _runtime.UpdateCurrentEvent();
        await TellLateTheyCountAsync(question, late, now, ct);
        if (ChannelOf(question) is (var ev, var channel))
        {
            await InsertOutboxAsync(new OutboxMessage
            {
                Method = OutboxMethod.EditMessageText,
                Purpose = OutboxPurpose.ChannelResultsEdit,
                Priority = OutboxMessage.UrgentPriority,
                ChatId = channel,
                Text = ChannelPosts.Reopened(ev, question),
                QuestionId = question.Id,
            }, now, ct);
            await EditChannelCountAsync(question, ev, channel, now, ct, closed: false);
        }
        LogReopened(question.Id, question.Code, onTime);
    }

    /// <summary>
    /// The bot told those who answered while the question was closed that their answer does not rank; reopened, it does,
    /// and they hear so, after every other reply waiting (a few hundred of them must not hold up the answers of the
    /// question running). Not those left out of the rankings: theirs still does not rank.
    /// </summary>
    async Task TellLateTheyCountAsync(Question question, List<long> late, DateTimeOffset now, CancellationToken ct)
    {
        if (late.Count == 0) return;
        var text = BotTexts.For(_runtime.FindEvent(question.EventId)?.Language).LateNowCounts(question.Position);
        foreach (var participantId in late)
        {
            if (_runtime.FindParticipant(participantId) is not { LeftOutAt: null }) continue;
            await InsertOutboxAsync(new OutboxMessage
            {
                Method = OutboxMethod.SendMessage,
                Purpose = OutboxPurpose.Reply,
                Priority = OutboxMessage.LowPriority,
                ChatId = participantId.ToString(System.Globalization.CultureInfo.InvariantCulture),
                Text = text,
            }, now, ct);
        }
    }

    /// <summary>Saves a question's new state, and its extra seconds when the step changed them.</summary>
    async Task SaveStateAsync(Question question, int extraBefore, CancellationToken ct)
    {
        await _commands.SaveQuestionStateAsync(question, ct);
        if (question.ExtraSeconds != extraBefore)
            await _commands.SaveExtraSecondsAsync(question, ct);
    }

    /// <summary>Why a question's channel post, or an edit of it, was not sent: the question was opened again, with a post of its own.</summary>
    internal const string OpenedAgainNote = "not sent: the question was opened again, with a new post";

    /// <summary>
    /// Takes back an opening nobody answered yet (opened too early): the question is a draft again, and its post in the
    /// channel says it was opened too early, link and code gone; its next opening posts it anew.
    /// </summary>
    async Task WithdrawAsync(Question question, DateTimeOffset now, CancellationToken ct)
    {
        var extraBefore = question.ExtraSeconds;
        question.Withdraw(answers: _runtime.TallyOf(question.Id).Marks.Count);
        await SaveStateAsync(question, extraBefore, ct);
        _runtime.UpdateCurrentEvent();
        if (ChannelOf(question) is (var ev, var channel))
        {
            // An edit of the question post, so that it supersedes a count edit still waiting; a post that has not gone out
            // yet is not sent at all (the outbox sender sees the question is a draft).
            var tally = _runtime.TallyOf(question.Id);
            (tally.LastChannelCount, tally.LastChannelCountAt) = (0, now);
            await InsertOutboxAsync(new OutboxMessage
            {
                Method = OutboxMethod.EditMessageText,
                Purpose = OutboxPurpose.ChannelCount,
                Priority = OutboxMessage.UrgentPriority,
                ChatId = channel,
                Text = ChannelPosts.Withdrawn(ev, question),
                QuestionId = question.Id,
            }, now, ct);
        }
        LogWithdrawn(question.Id, question.Code);
    }

    /// <summary>When a question with a time limit closes itself: its deadline, and the grace for answers on their way.</summary>
    DateTimeOffset? ClosesAt(Question question) => question.Deadline?.AddSeconds(ingestOptions.Value.DeadlineGraceSeconds);

    DateTimeOffset NextCloseAt() => _runtime.Questions
        .Where(q => q.State == QuestionState.Open && q.Deadline is not null)
        .Select(q => ClosesAt(q)!.Value)
        .DefaultIfEmpty(DateTimeOffset.MaxValue)
        .Min();

    /// <summary>Closes the open questions whose time ran out by <paramref name="at"/>; returns when the next one closes.</summary>
    async Task<DateTimeOffset> CloseExpiredAsync(DateTimeOffset at, DateTimeOffset now, CancellationToken ct)
    {
        foreach (var question in _runtime.Questions.Where(q => q.State == QuestionState.Open && ClosesAt(q) <= at).ToList())
        {
            await CloseAsync(question, now, ct);
            _closedByTime.Add(question.EventId);
        }
        return NextCloseAt();
    }

    (QuizEvent Event, string Channel)? ChannelOf(Question question) =>
        _runtime.FindEvent(question.EventId) is { ChannelId: { Length: > 0 } channel } ev ? (ev, channel) : null;

    bool ChannelCountDue(Question question, DateTimeOffset now)
    {
        var tally = _runtime.TallyOf(question.Id);
        return tally.Answers != tally.LastChannelCount
            && now - tally.LastChannelCountAt >= TimeSpan.FromSeconds(outboxOptions.Value.ChannelCountIntervalSeconds)
            && ChannelOf(question) is not null;
    }

    /// <summary>The open question's channel post shows its answer count: edited at most every few seconds, only when it changed.</summary>
    async Task EditChannelCountsAsync(DateTimeOffset now, CancellationToken ct)
    {
        foreach (var question in _runtime.Questions)
        {
            if (question.State != QuestionState.Open || !ChannelCountDue(question, now)) continue;
            var (ev, channel) = ChannelOf(question)!.Value;
            await EditChannelCountAsync(question, ev, channel, now, ct);
        }
    }

    async Task EditChannelCountAsync(Question question, QuizEvent ev, string channel, DateTimeOffset now, CancellationToken ct, bool closed = false,
        int priority = OutboxMessage.UrgentPriority)
    {
        var tally = _runtime.TallyOf(question.Id);
        tally.LastChannelCount = tally.Answers;
        tally.LastChannelCountAt = now;
        await InsertOutboxAsync(new OutboxMessage
        {
            Method = OutboxMethod.EditMessageText,
            Purpose = OutboxPurpose.ChannelCount,
            Priority = priority,
            ChatId = channel,
            Text = closed ? ChannelPosts.Closed(ev, question, tally.Answers) : ChannelPosts.AnswerCount(ev, question, tally.Answers, bot.Username),
            QuestionId = question.Id,
        }, now, ct);
    }

    void Publish()
    {
        (_publishedPending, _publishedFailed) = (outbox.Pending, outbox.Failed);
        live.Publish(_runtime.Snapshot(time.GetUtcNow(), _publishedPending, _publishedFailed));
    }

    [LoggerMessage(LogLevel.Information, "Question {QuestionId} ({Code}) was taken back to draft, nobody having answered it")]
    partial void LogWithdrawn(int questionId, string code);

    [LoggerMessage(LogLevel.Error, "A batch of {Count} items failed to commit; retrying them one by one (the rest refused if a few in a row fail too)")]
    partial void LogBatchFailed(Exception e, int count);

    [LoggerMessage(LogLevel.Information, "Updates are stored again after {Seconds:0.#} s of failures")]
    partial void LogStoringAgain(double seconds);

    [LoggerMessage(LogLevel.Error, "Reloading the quiz state from the database failed")]
    partial void LogReloadFailed(Exception e);

    [LoggerMessage(LogLevel.Error, "Deciding update {UpdateId} failed; it was kept as a dead letter")]
    partial void LogDecisionFailed(Exception e, long updateId);

    [LoggerMessage(LogLevel.Error, "Update {UpdateId} could not be stored and is kept in DeadLetters instead; it was acknowledged")]
    partial void LogKeptAsDeadLetter(Exception e, long updateId);

    [LoggerMessage(LogLevel.Warning, "The database's write-ahead log has grown to {Megabytes} MB and is not being copied into the database file: a long read (another program, a backup, a long download) holds the database open")]
    partial void LogLogGrowing(long megabytes);

    [LoggerMessage(LogLevel.Warning, "Checking the size of the database's write-ahead log failed")]
    partial void LogLogCheckFailed(Exception e);

    [LoggerMessage(LogLevel.Information, "The database's write-ahead log is copied into the database file again")]
    partial void LogLogCopiedAgain();

    [LoggerMessage(LogLevel.Information, "Question {QuestionId} was given {Seconds} s more: {Allowed} s in all")]
    partial void LogExtended(int questionId, int seconds, int? allowed);

    [LoggerMessage(LogLevel.Information, "Question {QuestionId} ({Code}) reopened; {OnTime} answers sent while it was closed count as on time")]
    partial void LogReopened(int questionId, string code, int onTime);

    [LoggerMessage(LogLevel.Information, "Question {QuestionId} ({Code}) opened")]
    partial void LogOpened(int questionId, string code);

    [LoggerMessage(LogLevel.Warning, "Event {EventId} started over: {Questions} questions back to draft, {Answers} answers deleted")]
    partial void LogStartedOver(int eventId, int questions, int answers);

    [LoggerMessage(LogLevel.Warning, "Participant {ParticipantId} left out of the rankings: {LeftOut}")]
    partial void LogLeftOut(long participantId, bool leftOut);

    [LoggerMessage(LogLevel.Information, "Question {QuestionId} ({Code}) closed with {Answers} answers on time")]
    partial void LogClosed(int questionId, string code, int answers);

    [LoggerMessage(LogLevel.Information, "Question {QuestionId}'s close was on disk {QueuedMs} + {WrittenMs} + {OnDiskMs} ms after it was asked for: in the writer's queue, ranking and writing, then committing and flushing")]
    partial void LogCloseTook(int questionId, long queuedMs, long writtenMs, long onDiskMs);
}
