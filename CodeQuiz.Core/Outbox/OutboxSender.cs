using System.Globalization;
using System.Text.Json;
using CodeQuiz.Core.Ingest;
using CodeQuiz.Core.Persistence;
using CodeQuiz.Core.Quizzes;
using CodeQuiz.Core.Telegram;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Telegram.Bot;
using Telegram.Bot.Exceptions;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;
using Telegram.Bot.Types.ReplyMarkups;

namespace CodeQuiz.Core.Outbox;

/// <summary>
/// Sends pending outbox rows to Telegram, channel posts and callback answers first. It keeps to Telegram's
/// limits (overall rate of messages, one message a second per chat), pauses the whole bot for retry_after on a 429 (a
/// channel's or group's 429 only that chat) and while Telegram cannot be reached or refuses the token, follows a group
/// that became a supergroup to its new id, marks permanent refusals (blocked, chat not found) failed, gives up a message
/// Telegram keeps failing on while it answers the others (<see cref="MaxStrikes"/>) and backs off on other errors.
/// Everything it needs is in the table, so after a crash it simply carries on.
/// </summary>
public sealed partial class OutboxSender(
    IDbContextFactory<QuizDbContext> dbFactory,
    ITelegramBotClient bot,
    OutboxCounters counters,
    BotAdoption adoption,
    DurableLog durableLog,
    IQuizLifecycle lifecycle,
    CatalogChanges changes,
    TimeProvider time,
    IOptions<OutboxOptions> options,
    IHostApplicationLifetime lifetime,
    ILogger<OutboxSender> logger) : BackgroundService
{
    const int Parallelism = 8, MaxRoundsRead = 100;

    /// <summary>
    /// A message whose call gets no answer (a 5xx, or none in time) in a round in which Telegram answered other calls gets a
    /// strike: Telegram is reachable and fails on this message only. At this many strikes in a row (tried after 1, 2, 4 …
    /// up to 60 s: about four minutes) it is given up like a refusal, rather than tried forever, each try pausing the sender
    /// and telling the console Telegram cannot be reached. As many, not fewer: while Telegram fails a share of its calls at
    /// random, a message gets a strike at each such failure, and a message given up is one an organizer must send again.
    /// </summary>
    internal const int MaxStrikes = 10;
    static readonly TimeSpan Idle = TimeSpan.FromSeconds(1), MaxBackoff = TimeSpan.FromMinutes(1), MaxOutagePause = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The most a stop waits for the calls already made: under the host's 30 s for stopping everything, which the writer's
    /// last batch needs a moment of too.
    /// </summary>
    static readonly TimeSpan MaxStopGrace = TimeSpan.FromSeconds(20);

    readonly Dictionary<string, DateTimeOffset> _chatNextAt = [];
    /// <summary>Groups that became supergroups: old id → new id (guarded by _chatNextAt); those not yet in the table wait in _movesToRecord.</summary>
    readonly Dictionary<string, string> _movedChats = [];
    readonly List<Move> _movesToRecord = [];

    /// <summary>
    /// The shared texts replies name (<see cref="OutboxMessage.BodyId"/>), by id: each read once, as a body never changes.
    /// Filled before a round's calls start, only read while they run.
    /// </summary>
    readonly Dictionary<long, OutboxBody> _bodies = [];

    /// <summary>The timed questions whose prompts the round sends, as they stand when the round began (<see cref="ReadTimedQuestionsAsync"/>).</summary>
    Dictionary<int, Bot.TimedQuestion> _timed = [];
    TimeSpan _outageBackoff; // guarded by _chatNextAt, like the pause
    DateTimeOffset _outagePausedUntil; // the pause the last outage asked for (guarded by _chatNextAt)

    /// <summary>
    /// Messages whose last call got no answer, with their strikes (<see cref="MaxStrikes"/>; guarded by _chatNextAt). Kept
    /// in memory only: after a restart the count starts again, which only puts off giving up.
    /// </summary>
    readonly Dictionary<long, int> _strikes = [];
    /// <summary>Whether Telegram answered a call of the round under way, and the calls of it that got no answer before it did.</summary>
    bool _answeredThisRound;
    readonly List<OutboxMessage> _unansweredThisRound = [];

    /// <summary>
    /// A move to record in the table. <see cref="Tell"/>: the writer and open pages are to hear of it, as when it is
    /// first met, or later once an event is found named by the old id again.
    /// </summary>
    sealed class Move(string from, string to, bool tell)
    {
        public string From { get; } = from;
        public string To { get; } = to;
        public bool Tell { get; set; } = tell;
    }

    /// <summary>About a second of sending per round, so a channel post queued behind a backlog of acknowledgements waits at most that long.</summary>
    int RoundSize => Math.Max(Parallelism, options.Value.MessagesPerSecond);
    DateTimeOffset _nextSlot, _pausedUntil;
    (QuizDbContext Db, Dictionary<int, int> ChannelMessageIds)? _unrecorded; // a round Telegram has that the table does not say yet
    bool _heldBack; // the log could not be flushed: nothing is sent until CodeQuiz is restarted

    /// <summary>Until when the whole bot waits: Telegram asked it to (429 retry_after), or cannot be reached.</summary>
    public DateTimeOffset PausedUntil
    {
        get { lock (_chatNextAt) return _pausedUntil; }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await WaitForStartAsync(stoppingToken);
        // The writer reads the counts while it loads the quiz (seconds with a big event): a round recorded meanwhile would
        // be counted, then counted over.
        await counters.Loaded.WaitAsync(stoppingToken);
        // Messages waiting in the table may be another bot's (a rehearsal's), which this one must not send.
        await adoption.Settled.WaitAsync(stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var sent = await RunRoundAsync(stoppingToken);
                if (sent == 0)
                    await counters.WaitForWorkAsync(Idle, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                LogRoundFailed(e);
                await Task.Delay(Idle, time, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    /// <summary>A round still unrecorded when the app stops goes out again after the restart; its context goes now.</summary>
    public override void Dispose()
    {
        _unrecorded?.Db.Dispose();
        _unrecorded = null;
        base.Dispose();
    }

    Task WaitForStartAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        return started.Task.WaitAsync(stoppingToken);
    }

    /// <summary>
    /// The messages waiting at <paramref name="priority"/> with ids in (<paramref name="after"/>, <paramref name="upTo"/>],
    /// by id; due now or in a pause after a failed call. The rare priorities are read through their own indexes, the
    /// others by id from <see cref="OutboxCounters.WaitingAfter"/> (<see cref="OutboxMessage.HasWaitingIndex"/>).
    /// </summary>
    public static IQueryable<OutboxMessage> Waiting(QuizDbContext db, int priority, long after, long upTo = long.MaxValue) => db.OutboxMessages
        .Where(OutboxMessage.WaitingAt(priority))
        .Where(m => m.Id > after && m.Id <= upTo)
        .OrderBy(m => m.Id);

    /// <summary>
    /// <see cref="Waiting"/>, but those to the chats in <paramref name="skipped"/>; answers to button presses, which are
    /// not paced, are never skipped.
    /// </summary>
    internal static IQueryable<OutboxMessage> WaitingBut(QuizDbContext db, int priority, long after, long upTo, IReadOnlyCollection<string> skipped) =>
        Waiting(db, priority, after, upTo).Where(m => m.Method == OutboxMethod.AnswerCallbackQuery || !skipped.Contains(m.ChatId));

    /// <summary>
    /// Reads due messages in the order they go (<see cref="OutboxMessage.Priorities"/>, then by id) until they hold a
    /// round's worth for chats that may be sent to now. The oldest ones may all be for one chat (someone who sent forty
    /// messages in a row), which gets one message a second; reading only the first round's worth would leave everyone else
    /// waiting behind them. So each further read skips the participants' chats already met: a script that sent the bot
    /// thousands of messages would otherwise fill every read with its replies. A channel's few rows are still read, so that
    /// a newer edit of a post is found and the older one dropped.
    /// </summary>
    async Task<List<OutboxMessage>> ReadDueAsync(QuizDbContext db, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var rewinds = counters.Rewinds;
        // Reads end at the newest row now: what the writer commits meanwhile is left to the next round, never passed over.
        var newest = await db.OutboxMessages.MaxAsync(m => (long?)m.Id, cancellationToken) ?? 0;
        var due = new List<OutboxMessage>();
        var chats = new HashSet<string>();
        var sendable = 0;
        var limit = RoundSize * MaxRoundsRead;
        foreach (var priority in OutboxMessage.Priorities)
        {
            if (sendable >= RoundSize || due.Count >= limit) break;
            var size = Math.Min(RoundSize, limit - due.Count);
            var read = await Waiting(db, priority, counters.WaitingAfter(priority), newest).Take(size).ToListAsync(cancellationToken);
            // A row in its pause after a failed call still waits: the next read starts below it, not past it.
            counters.Passed(priority, read.Count > 0 ? read[0].Id - 1 : newest, rewinds);
            while (true)
            {
                foreach (var message in read.Where(m => m.NotBefore <= now))
                {
                    due.Add(message);
                    if (MaySendNow(message, chats, now)) sendable++;
                }
                if (read.Count < size || sendable >= RoundSize || due.Count >= limit) break; // this priority has no more waiting
                size = Math.Min(limit - due.Count, Math.Max(due.Count, RoundSize) * 4);
                var skipped = chats.Where(chat => !IsChannelOrGroup(chat)).ToArray();
                read = await WaitingBut(db, priority, read[^1].Id, newest, skipped).Take(size).ToListAsync(cancellationToken);
            }
        }
        return due;
    }

    /// <summary>One message per chat per round, and none to a chat still within its interval; answers to button presses are not paced.</summary>
    bool MaySendNow(OutboxMessage message, HashSet<string> chatsThisRound, DateTimeOffset now)
    {
        if (message.Method == OutboxMethod.AnswerCallbackQuery) return true;
        // A post the writer still makes with a group's old id goes to the supergroup, and waits its turn there.
        var chat = MovedTo(message.ChatId) ?? message.ChatId;
        if (!chatsThisRound.Add(chat)) return false;
        lock (_chatNextAt) return _chatNextAt.GetValueOrDefault(chat) <= now;
    }

    /// <summary>Sends what is due now; returns how many rows were handled.</summary>
    internal async Task<int> RunRoundAsync(CancellationToken cancellationToken)
    {
        // The last round reached Telegram but could not be recorded (the disk full, say): record it before sending more.
        // Its rows are still pending in the table, and read again they would go out again every round until it is.
        if (_unrecorded is var (last, ids))
        {
            await RecordAsync(last, ids);
            _unrecorded = null;
            await last.DisposeAsync();
        }

        // A timer fires on whole milliseconds, so it can end a moment before the pause does: wait again until it is over,
        // or the round would send nothing and the next one come only after an idle second.
        var now = time.GetUtcNow();
        while (now < PausedUntil)
        {
            await Task.Delay(WholeMillisecondsUp(PausedUntil - now), time, cancellationToken);
            now = time.GetUtcNow();
        }

        var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        try
        {
            return await SendRoundAsync(db, now, cancellationToken);
        }
        finally
        {
            if (_unrecorded?.Db != db)
                await db.DisposeAsync();
        }
    }

    async Task<int> SendRoundAsync(QuizDbContext db, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var due = await ReadDueAsync(db, now, cancellationToken);
        if (due.Count == 0) return 0;
        // The writer's last batch is readable a moment before its log is on disk: send nothing a power cut could take back
        // (a reply to an update Telegram would then send again, a results post for a close that did not happen).
        try
        {
            await durableLog.OnDiskAsync(cancellationToken);
        }
        catch (LogNotDurableException e)
        {
            if (!_heldBack) LogHeldBack(e);
            _heldBack = true;
            return 0;
        }

        var handled = await SupersedeOldEditsAsync(db, due, now, cancellationToken);
        await ReadBodiesAsync(db, due, cancellationToken);
        await ReadTimedQuestionsAsync(db, due, cancellationToken);
        var batch = new List<OutboxMessage>();
        var chatsThisRound = new HashSet<string>();
        foreach (var message in due)
        {
            if (batch.Count == RoundSize) break;
            if (message.Status == OutboxStatus.Pending && MaySendNow(message, chatsThisRound, now))
                batch.Add(message); // the others stay pending for a later round
        }
        // A message whose last call got no answer goes last: if Telegram answers the others first, it is reachable, and
        // what fails is that message. Tried first, a message Telegram fails on at once would pause each round before the
        // others were tried, and never be told from an outage.
        batch = [.. batch.OrderBy(GotNoAnswer)];
        lock (_chatNextAt)
        {
            _answeredThisRound = false;
            _unansweredThisRound.Clear();
        }

        var channelMessageIds = new Dictionary<int, int>();
        using var limiter = new SemaphoreSlim(Parallelism);
        var sends = new List<Task>();
        // When the app stops, no new call starts, but calls already made hear Telegram's answer or their own timeout: a
        // call cut off after Telegram took it would be sent again after the restart, a second copy in the participant's chat.
        using var calls = new CancellationTokenSource();
        var stopGrace = TimeSpan.FromSeconds(Math.Min(options.Value.CallTimeoutSeconds, MaxStopGrace.TotalSeconds));
        using var grace = cancellationToken.Register(() => calls.CancelAfter(stopGrace));
        OperationCanceledException? stopped = null;
        try
        {
            foreach (var message in batch)
            {
                if (time.GetUtcNow() < PausedUntil) break;
                // The overall limit is on messages; the answer to a button press is none, and Telegram takes it only
                // for a few seconds, so it does not wait behind them.
                if (message.Method != OutboxMethod.AnswerCallbackQuery)
                    await WaitForSlotAsync(cancellationToken);
                await limiter.WaitAsync(cancellationToken);
                sends.Add(Task.Run(async () =>
                {
                    try { await SendOneAsync(message, channelMessageIds, calls.Token); }
                    finally { limiter.Release(); }
                }, CancellationToken.None));
            }
        }
        catch (OperationCanceledException e) when (cancellationToken.IsCancellationRequested)
        {
            stopped = e;
        }
        try { await Task.WhenAll(sends); }
        catch (OperationCanceledException e) when (cancellationToken.IsCancellationRequested) { stopped ??= e; }
        StrikeUnansweredBeforeAnAnswer();

        // Record what was sent even when the round ends early, so that a stop sends nothing twice.
        try
        {
            await RecordAsync(db, channelMessageIds);
        }
        catch
        {
            _unrecorded = (db, channelMessageIds); // kept, and recorded before the next round sends anything
            throw;
        }
        if (stopped is not null)
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(stopped);
        return handled + batch.Count(m => m.Status != OutboxStatus.Pending || m.Attempts > 0);
    }

    async Task RecordAsync(QuizDbContext db, Dictionary<int, int> channelMessageIds)
    {
        await RecordMovedChatsAsync(db);
        foreach (var (questionId, messageId) in channelMessageIds)
            await db.Questions.Where(q => q.Id == questionId)
                .ExecuteUpdateAsync(s => s.SetProperty(q => q.ChannelMessageId, messageId), CancellationToken.None);
        await SaveRoundAsync(db);
    }

    /// <summary>
    /// A group that became a supergroup is the events' channel under its new id from now on, and the posts still to go
    /// (or refused, for "post again") go there. The writer is told to read the events again, as after an organizer's
    /// edit, so its next posts name the supergroup (until then the sender follows the old id), and console pages open on
    /// those events show the new id without a reload.
    /// </summary>
    async Task RecordMovedChatsAsync(QuizDbContext db)
    {
        List<Move> moves;
        lock (_chatNextAt) moves = [.. _movesToRecord];
        if (moves.Count == 0) return;
        var movedEvents = new HashSet<int>();
        foreach (var move in moves)
        {
            var (from, to) = (move.From, move.To);
            if (await db.Events.Where(e => e.ChannelId == from)
                    .ExecuteUpdateAsync(s => s.SetProperty(e => e.ChannelId, to), CancellationToken.None) > 0)
                move.Tell = true;
            // Read after the change, so that events moved by an earlier attempt that failed further on are told too.
            if (move.Tell)
                movedEvents.UnionWith(await db.Events.Where(e => e.ChannelId == to).Select(e => e.Id).ToListAsync(CancellationToken.None));
            await db.OutboxMessages.Where(m => m.ChatId == from && m.Method == OutboxMethod.SendMessage && m.Status != OutboxStatus.Sent)
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.ChatId, to), CancellationToken.None);
        }
        lock (_chatNextAt) _movesToRecord.RemoveRange(0, moves.Count);
        if (movedEvents.Count == 0) return;
        lifecycle.CatalogChanged();
        foreach (var eventId in movedEvents)
            changes.Publish(new CatalogChanged(eventId, EventItself: true));
    }

    /// <summary>
    /// Records the round's outcomes, and only then counts them: a round that cannot be recorded is not counted. A row
    /// deleted meanwhile (an organizer started the event over while its message was on its way) has nothing left to
    /// record, and the writer has taken it off the backlog already; it must not keep the rest of the round unrecorded.
    /// </summary>
    async Task SaveRoundAsync(QuizDbContext db)
    {
        while (true)
        {
            var settled = db.ChangeTracker.Entries<OutboxMessage>()
                .Where(e => e.State == EntityState.Modified && e.Property(m => m.Status).OriginalValue == OutboxStatus.Pending)
                .Select(e => e.Entity.Status)
                .ToList();
            try
            {
                await db.SaveChangesAsync(CancellationToken.None);
                counters.Settled(sent: settled.Count(s => s == OutboxStatus.Sent), failed: settled.Count(s => s == OutboxStatus.Failed));
                return;
            }
            catch (DbUpdateConcurrencyException e) when (e.Entries.Count > 0)
            {
                foreach (var entry in e.Entries)
                    entry.State = EntityState.Detached;
            }
        }
    }

    /// <summary>The note on an edit that was not sent because it had no more to say (kept as <see cref="OutboxMessage.LastError"/>).</summary>
    public const string SupersededNote = "superseded by a newer edit", FoldedNote = "made the text of the results post, which had not gone out";

    /// <summary>The note on a count edit of a question post Telegram refused: Post again sends the post with this text.</summary>
    public const string FoldedIntoRefusedNote = "made the text of the question post, which Telegram refused: Post again sends it";

    /// <summary>The note on a count edit of a question post that had not gone out yet: the post goes out with this text.</summary>
    public const string FoldedIntoWaitingNote = "made the text of the question post, which had not gone out";

    /// <summary>The note on a question post, and the edit saying it was opened too early, of a question taken back to draft before the post went out.</summary>
    public const string WithdrawnUnsentNote = "not sent: the question went back to draft before its post went out";

    /// <summary>The note on a count edit of a question post deleted in the channel (Telegram: "message to edit not found").</summary>
    public const string PostGoneNote = "the question post is no longer in the channel (deleted there): its count is not shown";

    /// <summary>The note on an edit of a channel post that was never made, as the event had no channel then.</summary>
    public const string NeverPostedNote = "the post it edits was never made (the event had no channel then): nothing to edit";

    /// <summary>The note on an edit of a channel post Telegram took, but whose answer naming the post could not be read.</summary>
    public const string IdUnreadNote = "the post it edits went out, but Telegram's answer naming it could not be read: nothing to edit";

    /// <summary>The note on a message Telegram took but described in a shape Telegram.Bot cannot read.</summary>
    public const string AnswerUnreadNote = "sent: Telegram took it, but its answer could not be read, so it is not sent again";

    /// <summary>The note on the answer to a button press that Telegram no longer took (it does for a few seconds).</summary>
    public const string ExpiredNote = "too late for Telegram: the button press had expired";

    /// <summary>"@codeweek" or "-100…": a channel or group, whose limits are its own; a participant's private chat id is positive.</summary>
    internal static bool IsChannelOrGroup(string chatId) => chatId.StartsWith('@') || chatId.StartsWith('-');

    /// <summary>
    /// Only the newest edit of a channel post matters (answer count, corrected results); older ones are dropped unsent.
    /// A correction of a results post that has not gone out becomes the post's text: what it takes off the podium never
    /// reaches the channel.
    /// </summary>
    async Task<int> SupersedeOldEditsAsync(QuizDbContext db, List<OutboxMessage> due, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var superseded = new List<(OutboxMessage Message, string Reason)>();
        // A question reopened and closed again has a results post of each close, and an edit is for the newest made before
        // it: a correction of the second post must not drop the edit telling the first that its ranking is no longer final.
        var resultsEdited = due.Where(m => m.Purpose == OutboxPurpose.ChannelResultsEdit).Select(m => m.QuestionId).Distinct().ToList();
        List<(int? Question, long Id)> resultsPosts = resultsEdited.Count == 0 ? [] : await db.OutboxMessages
            .Where(m => resultsEdited.Contains(m.QuestionId) && m.Purpose == OutboxPurpose.ChannelResults)
            .Select(m => new ValueTuple<int?, long>(m.QuestionId, m.Id)).ToListAsync(cancellationToken);
        long PostOf(OutboxMessage edit) => edit.Purpose != OutboxPurpose.ChannelResultsEdit ? 0
            : resultsPosts.Where(p => p.Question == edit.QuestionId && p.Id < edit.Id).Select(p => p.Id).DefaultIfEmpty(0).Max();
        foreach (var edits in due.Where(m => m.Purpose is OutboxPurpose.ChannelCount or OutboxPurpose.ChannelResultsEdit)
                     .GroupBy(m => (m.Purpose, m.QuestionId, Post: PostOf(m))))
        {
            var newest = edits.MaxBy(m => m.Id)!;
            // Older ones that are not due (backing off after an error) too: sent after the newest, they would undo it.
            var older = await db.OutboxMessages
                .Where(m => m.Status == OutboxStatus.Pending && m.Purpose == newest.Purpose && m.QuestionId == newest.QuestionId
                    && m.Id > edits.Key.Post && m.Id < newest.Id)
                .ToListAsync(cancellationToken);
            superseded.AddRange(older.Select(m => (m, SupersededNote)));
            // The post may wait for a later round (after a 429), or have been refused (the bot not in the channel yet) and
            // wait for an organizer's "post again": either way it goes out corrected. The post the edit was made for: one
            // made after it, as a reopened question closes again, has its own text.
            if (newest.Purpose == OutboxPurpose.ChannelResultsEdit && await db.OutboxMessages
                    .Where(m => m.QuestionId == newest.QuestionId && m.Purpose == OutboxPurpose.ChannelResults && m.Id < newest.Id)
                    .OrderByDescending(m => m.Id).FirstOrDefaultAsync(cancellationToken) is { Status: not OutboxStatus.Sent } post)
            {
                post.Text = newest.Text;
                superseded.Add((newest, FoldedNote));
            }
            // A question post that has not gone out has no message to edit. Its count (or "closed") would wait for it, and
            // after 20 tries show as refused, "never sent": behind a post that Telegram refused, one more line pushing the
            // real refusal off the live page; behind one still waiting (Telegram out of reach, the channel's own limit),
            // a refusal that is none. It becomes the post's text instead, so the post goes out (or Post again sends it)
            // as it should read now, not with the count of the opening.
            // The post the edit was made for: a question taken back to draft and opened again has a newer one.
            if (newest.Purpose == OutboxPurpose.ChannelCount && await db.OutboxMessages
                    .Where(m => m.QuestionId == newest.QuestionId && m.Purpose == OutboxPurpose.ChannelAnnouncement && m.Method == OutboxMethod.SendMessage
                        && m.Id < newest.Id)
                    .OrderByDescending(m => m.Id).FirstOrDefaultAsync(cancellationToken) is { Status: not OutboxStatus.Sent } unsent)
            {
                if (unsent.Status == OutboxStatus.Pending && await db.Questions.Where(q => q.Id == newest.QuestionId)
                        .Select(q => (QuestionState?)q.State).FirstOrDefaultAsync(cancellationToken) == QuestionState.Draft)
                {
                    // Taken back to draft (opened too early) before its post went out: the channel never saw the question,
                    // and is not told that it was opened too early either.
                    superseded.Add((unsent, WithdrawnUnsentNote));
                    superseded.Add((newest, WithdrawnUnsentNote));
                    continue;
                }
                unsent.Text = newest.Text;
                superseded.Add((newest, unsent.Status == OutboxStatus.Failed ? FoldedIntoRefusedNote : FoldedIntoWaitingNote));
            }
        }
        foreach (var (message, reason) in superseded)
        {
            message.Status = OutboxStatus.Sent;
            message.SentAt = now;
            message.LastError = reason;
        }
        return superseded.Count;
    }

    static TimeSpan WholeMillisecondsUp(TimeSpan wait) => TimeSpan.FromMilliseconds(Math.Ceiling(wait.TotalMilliseconds));

    async Task WaitForSlotAsync(CancellationToken cancellationToken)
    {
        var interval = TimeSpan.FromSeconds(1.0 / options.Value.MessagesPerSecond);
        var now = time.GetUtcNow();
        if (_nextSlot > now)
            await Task.Delay(_nextSlot - now, time, cancellationToken);
        _nextSlot = (_nextSlot > now ? _nextSlot : now) + interval;
    }

    async Task SendOneAsync(OutboxMessage message, Dictionary<int, int> channelMessageIds, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        // On the real clock: it guards against a connection that went dead, whatever clock the quiz runs on.
        var timeout = TimeSpan.FromSeconds(options.Value.CallTimeoutSeconds);
        using var call = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        call.CancelAfter(timeout);
        try
        {
            if (message.Method == OutboxMethod.EditMessageText && message.MessageId is null)
            {
                if (message.Purpose == OutboxPurpose.ChannelResultsEdit)
                {
                    // The post is edited where it went, even if the organizers have named another channel since.
                    var post = await ResultsPostAsync(message.QuestionId, message.Id, call.Token);
                    if (post is { MessageId: not null })
                        (message.MessageId, message.ChatId) = (post.MessageId, post.ChatId);
                    else if (post is null || post.Sent)
                    {
                        Settle(message, now, post is null ? NeverPostedNote : IdUnreadNote);
                        return;
                    }
                }
                else if (await AnnouncementAsync(message.QuestionId, call.Token) is not { } announcement)
                {
                    Settle(message, now, NeverPostedNote);
                    return;
                }
                else if (announcement.IdUnread)
                {
                    Settle(message, now, IdUnreadNote);
                    return;
                }
                else
                    // The count is edited where the question post went: a group that has since become a supergroup keeps
                    // the post in its old history, and the same message id in the supergroup is another message.
                    (message.ChatId, message.MessageId) = (announcement.ChatId ?? message.ChatId, announcement.MessageId);
            }
            else if (message.Method == OutboxMethod.SendMessage && MovedTo(message.ChatId) is { } supergroup)
            {
                // Made with the group's old id: by the writer before it read the events again, or because an event names
                // the group again (a PUT /api/events/{id} with the channel read before the move). Telegram takes the old
                // id nowhere, so such an event becomes the supergroup's once more.
                FollowAgain(message.ChatId, supergroup);
                message.ChatId = supergroup;
            }
            if (time.GetUtcNow() < PausedUntil)
            {
                // Another send of this round met a 429 while this one waited for its turn.
                message.NotBefore = PausedUntil;
                return;
            }
            var sentId = await CallTelegramAsync(message, call.Token);
            if (sentId is null && message.Method == OutboxMethod.EditMessageText && message.MessageId is null)
            {
                // The announcement this edit belongs to has not been sent yet: try again shortly.
                if (++message.Attempts >= options.Value.MaxAttempts)
                {
                    message.Status = OutboxStatus.Failed;
                    message.LastError = "the channel post to edit was never sent";
                }
                message.NotBefore = now.AddSeconds(1);
                return;
            }
            Answered(message);
            message.Status = OutboxStatus.Sent;
            message.SentAt = now;
            message.Attempts++;
            if (message.Purpose == OutboxPurpose.ChannelAnnouncement && message.QuestionId is int q && sentId is int id)
                lock (channelMessageIds) channelMessageIds[q] = id;
            if (message.Purpose == OutboxPurpose.ChannelResults)
                message.MessageId = sentId; // what a later correction of the results edits
        }
        catch (ApiRequestException e) when (e.ErrorCode == 429)
        {
            Answered(message);
            // Counted from when the refusal arrived, not from when the call started.
            var wait = TimeSpan.FromSeconds(Math.Max(1, e.Parameters?.RetryAfter ?? 1));
            var until = time.GetUtcNow() + wait;
            // A channel or group has a limit of its own (about 20 messages a minute): only it waits, not every participant.
            var chatOnly = IsChannelOrGroup(message.ChatId);
            lock (_chatNextAt)
            {
                if (chatOnly)
                    _chatNextAt[message.ChatId] = until;
                else if (until > _pausedUntil)
                    _pausedUntil = until;
            }
            message.NotBefore = until;
            message.LastError = e.Message;
            LogRateLimited(wait.TotalSeconds, chatOnly ? message.ChatId : "every chat");
        }
        catch (ApiRequestException e) when (e.Message.Contains("message is not modified", StringComparison.OrdinalIgnoreCase))
        {
            Answered(message);
            message.Status = OutboxStatus.Sent;
            message.SentAt = now;
        }
        catch (ApiRequestException e) when (message.Method == OutboxMethod.AnswerCallbackQuery
            && e.Message.Contains("query is too old", StringComparison.OrdinalIgnoreCase))
        {
            // The participant's answer is stored and their buttons say so; only the toast came too late. Nothing to fix.
            Answered(message);
            message.Status = OutboxStatus.Sent;
            message.SentAt = now;
            message.LastError = ExpiredNote;
        }
        catch (ApiRequestException e) when (e.ErrorCode is 401 or 404 && !cancellationToken.IsCancellationRequested)
        {
            // Telegram refuses the bot itself (its token revoked or mistyped): no message is at fault, so none is given
            // up. Sending pauses as in an outage, the console says why, and everything goes once the token is put right.
            message.LastError = $"{e.ErrorCode}: {e.Message} (the bot's token)";
            message.NotBefore = Unreachable(message.LastError);
        }
        catch (ApiRequestException e) when (message.Purpose == OutboxPurpose.ChannelCount
            && e.Message.Contains("message to edit not found", StringComparison.OrdinalIgnoreCase))
        {
            // Someone deleted the question post in the channel: its count has nowhere to go, and nothing is to be fixed.
            // Listed as refused, one every few seconds, these would push what organizers can fix off the live page.
            Answered(message);
            message.Status = OutboxStatus.Sent;
            message.SentAt = now;
            message.Attempts++;
            message.LastError = PostGoneNote;
        }
        catch (ApiRequestException e) when (e.Parameters?.MigrateToChatId is long supergroup && IsChannelOrGroup(message.ChatId))
        {
            // The group became a supergroup (it passed 200 members, or an admin made its history visible): Telegram
            // refuses its old id for good and says the new one. Every post goes there from now on, this one at once.
            Answered(message);
            var to = supergroup.ToString(CultureInfo.InvariantCulture);
            var from = message.ChatId;
            lock (_chatNextAt)
                if (_movedChats.TryAdd(from, to))
                {
                    _movesToRecord.Add(new Move(from, to, tell: true));
                    LogChatMoved(from, to);
                }
            if (message.Method == OutboxMethod.SendMessage)
            {
                message.ChatId = to;
                message.NotBefore = now;
                message.LastError = $"{e.ErrorCode}: {e.Message}; posted to the supergroup {to} instead";
            }
            else
            {
                // An edit of a post made before: it stays in the group's old history, which no longer takes edits.
                message.Status = message.Purpose == OutboxPurpose.ChannelCount ? OutboxStatus.Sent : OutboxStatus.Failed;
                message.SentAt = now;
                message.Attempts++;
                message.LastError = $"{e.ErrorCode}: {e.Message}; the post was made before, in the group's old history, which can no longer be edited";
            }
        }
        catch (ApiRequestException e) when (e.ErrorCode is 400 or 403)
        {
            Answered(message);
            message.Status = OutboxStatus.Failed;
            message.Attempts++;
            message.LastError = $"{e.ErrorCode}: {e.Message}";
            LogPermanentFailure(message.Id, message.ChatId, message.LastError);
        }
        catch (RequestException e) when (e is not ApiRequestException && e.HttpStatusCode == System.Net.HttpStatusCode.OK)
        {
            // Telegram took the call (200) and described the result in a shape Telegram.Bot cannot read: the message went.
            // Tried again, it would go again at every try; its message id is not known, so a channel post's count is not edited.
            Answered(message);
            message.Status = OutboxStatus.Sent;
            message.SentAt = now;
            message.Attempts++;
            message.LastError = AnswerUnreadNote;
            LogAnswerUnread(message.Id, message.ChatId, e.GetBaseException().Message);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && TelegramErrors.IsOutage(e, call.IsCancellationRequested))
        {
            // Unless Telegram answers other calls of the round (a strike, see MaxStrikes), not this message's fault: the
            // whole sender waits, and no attempt brings it nearer to failing for good, however long Telegram stays out of
            // reach. Every message goes once Telegram answers again.
            message.LastError = call.IsCancellationRequested ? $"Telegram did not answer within {timeout.TotalSeconds:0} s"
                : e is ApiRequestException api ? $"{api.ErrorCode}: {api.Message}"
                : e.GetBaseException().Message;
            if (!StruckOut(message))
                message.NotBefore = Unreachable(message.LastError);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            message.Attempts++;
            message.LastError = e is ApiRequestException api ? $"{api.ErrorCode}: {api.Message}"
                : call.IsCancellationRequested ? $"Telegram did not answer within {timeout.TotalSeconds:0} s"
                : e.GetBaseException().Message;
            if (message.Attempts >= options.Value.MaxAttempts)
            {
                message.Status = OutboxStatus.Failed;
                LogPermanentFailure(message.Id, message.ChatId, message.LastError);
                return;
            }
            var backoff = TimeSpan.FromSeconds(Math.Min(MaxBackoff.TotalSeconds, Math.Pow(2, message.Attempts - 1)));
            message.NotBefore = now + backoff;
            LogTransientFailure(message.Id, message.LastError, backoff.TotalSeconds);
        }
        finally
        {
            if (message.Method != OutboxMethod.AnswerCallbackQuery)
                lock (_chatNextAt)
                {
                    var next = now.AddSeconds(options.Value.PerChatIntervalSeconds);
                    if (next > _chatNextAt.GetValueOrDefault(message.ChatId)) // a channel's own 429 may ask for longer
                        _chatNextAt[message.ChatId] = next;
                }
        }
    }

    /// <summary>
    /// An edit with nothing to edit is done, with the reason it was not sent: the post was never made (the question opened,
    /// or closed, while the event had no channel), or its id is not known. Tried again until it was given up, it took the
    /// channel's turn from the posts behind it every second, then showed as refused.
    /// </summary>
    static void Settle(OutboxMessage message, DateTimeOffset now, string note)
    {
        message.Status = OutboxStatus.Sent;
        message.SentAt = now;
        message.LastError = note;
    }

    /// <summary>Telegram answered: an outage, if there was one, is over.</summary>
    void Answered(OutboxMessage message)
    {
        lock (_chatNextAt)
        {
            _outageBackoff = TimeSpan.Zero;
            _answeredThisRound = true;
            _strikes.Remove(message.Id);
        }
        if (counters.Outage.Clear(OutboxCounters.Sending) is { } ended)
            LogReachableAgain((time.GetUtcNow() - ended.Since).TotalSeconds);
    }

    bool GotNoAnswer(OutboxMessage message)
    {
        lock (_chatNextAt) return _strikes.ContainsKey(message.Id);
    }

    /// <summary>
    /// A call that got no answer: a strike for its message when Telegram answered another call of this round already
    /// (returns true). Otherwise it may be an outage (returns false); should an answer come later in the round, the strike
    /// is given then (<see cref="StrikeUnansweredBeforeAnAnswer"/>).
    /// </summary>
    bool StruckOut(OutboxMessage message)
    {
        lock (_chatNextAt)
            if (!_answeredThisRound)
            {
                _strikes.TryAdd(message.Id, 0);
                _unansweredThisRound.Add(message);
                return false;
            }
        Strike(message);
        return true;
    }

    /// <summary>
    /// Calls of the round that got no answer before Telegram answered another were taken for an outage, and were none:
    /// their messages get their strikes, and the pause they made is lifted (a 429's is kept). A round in which no call
    /// got an answer is an outage, and gives no strikes: however long it lasts, it gives up nothing.
    /// </summary>
    void StrikeUnansweredBeforeAnAnswer()
    {
        List<OutboxMessage> unanswered;
        lock (_chatNextAt)
        {
            unanswered = [.. _unansweredThisRound];
            _unansweredThisRound.Clear();
            if (!_answeredThisRound || unanswered.Count == 0) return;
            if (_pausedUntil == _outagePausedUntil)
                _pausedUntil = time.GetUtcNow();
        }
        foreach (var message in unanswered)
            Strike(message);
    }

    void Strike(OutboxMessage message)
    {
        int strikes;
        lock (_chatNextAt) strikes = _strikes[message.Id] = _strikes.GetValueOrDefault(message.Id) + 1;
        // Not counted in Attempts (Outbox:MaxAttempts): the round in which an outage ends gives a strike to a call made
        // before it ended, which the message's next answer forgets; an attempt would stay.
        if (strikes >= MaxStrikes)
        {
            lock (_chatNextAt) _strikes.Remove(message.Id);
            message.Status = OutboxStatus.Failed;
            LogPermanentFailure(message.Id, message.ChatId, message.LastError);
            return;
        }
        var backoff = TimeSpan.FromSeconds(Math.Min(MaxBackoff.TotalSeconds, Math.Pow(2, strikes - 1)));
        message.NotBefore = time.GetUtcNow() + backoff;
        LogTransientFailure(message.Id, message.LastError, backoff.TotalSeconds);
    }

    /// <summary>
    /// Pauses the whole sender, 1 s after the first failure and twice as long after each failed retry, up to 10 s;
    /// failures of calls made before the pause do not lengthen it. Returns when sending resumes.
    /// </summary>
    DateTimeOffset Unreachable(string error)
    {
        var now = time.GetUtcNow();
        DateTimeOffset until;
        lock (_chatNextAt)
        {
            if (now >= _pausedUntil)
            {
                _outageBackoff = _outageBackoff == TimeSpan.Zero ? TimeSpan.FromSeconds(1)
                    : TimeSpan.FromTicks(Math.Min(MaxOutagePause.Ticks, _outageBackoff.Ticks * 2));
                _pausedUntil = _outagePausedUntil = now + _outageBackoff;
            }
            until = _pausedUntil;
        }
        if (counters.Outage.Raise(now, error, OutboxCounters.Sending))
            LogUnreachable(error);
        return until;
    }

    /// <summary>
    /// Reads the shared texts the round's replies name that are not held yet: a question's prompt, keyboards and
    /// acknowledgements, a few dozen at an event. Forgets them all once more are held than the writer remembers.
    /// </summary>
    async Task ReadBodiesAsync(QuizDbContext db, List<OutboxMessage> due, CancellationToken cancellationToken)
    {
        if (_bodies.Count > Ingest.SharedBodies.Capacity) _bodies.Clear();
        var missing = due.Where(m => m.BodyId is { } id && !_bodies.ContainsKey(id)).Select(m => m.BodyId!.Value).Distinct().ToList();
        if (missing.Count == 0) return;
        foreach (var body in await db.OutboxBodies.AsNoTracking().Where(b => missing.Contains(b.Id)).ToListAsync(cancellationToken))
            _bodies[body.Id] = body;
    }

    /// <summary>
    /// Reads the state, time limit and language of the timed questions whose prompts are due, each round again: the host
    /// may have added time or closed the question since the last.
    /// </summary>
    async Task ReadTimedQuestionsAsync(QuizDbContext db, List<OutboxMessage> due, CancellationToken cancellationToken)
    {
        var ids = due.Where(m => m.TimedQuestionId is not null).Select(m => m.TimedQuestionId!.Value).Distinct().ToList();
        if (ids.Count == 0)
        {
            _timed = [];
            return;
        }
        var questions = await db.Questions.AsNoTracking().Where(q => ids.Contains(q.Id))
            .Select(q => new { q.Id, q.State, q.OpenedAt, q.TimeLimitSeconds, q.ExtraSeconds, q.Position, q.Event!.Language })
            .ToListAsync(cancellationToken);
        _timed = questions.ToDictionary(q => q.Id,
            q => new Bot.TimedQuestion(q.State, Question.DeadlineOf(q.OpenedAt, q.TimeLimitSeconds, q.ExtraSeconds), q.Language, q.Position));
    }

    /// <summary>
    /// A timed question's prompt says how long is left as it leaves, not as it was queued; taken back to draft meanwhile, it
    /// says the question is not open yet, without buttons (<see cref="Bot.TimeLeftLine"/>). The row keeps the text it sends, as
    /// every row does, so it stops naming a shared body: the others that name it say what was left when they leave.
    /// </summary>
    (string Text, string? ReplyMarkupJson) TimeLeftNow(OutboxMessage m, string? text, string? markupJson, Bot.TimedQuestion? question)
    {
        var now = Bot.TimeLeftLine.Rewrite(text ?? "", question, time.GetUtcNow());
        var buttons = Bot.TimeLeftLine.KeepsItsButtons(question) ? markupJson : null;
        (m.Text, m.ReplyMarkupJson, m.BodyId) = (now, buttons, null);
        return (now, buttons);
    }

    /// <summary>The text and keyboard a row sends: its own, or the shared body's it names.</summary>
    (string? Text, string? ReplyMarkupJson) ContentOf(OutboxMessage m) =>
        m.BodyId is not { } id ? (m.Text, m.ReplyMarkupJson)
        : _bodies.TryGetValue(id, out var body) ? (body.Text, body.ReplyMarkupJson)
        : throw new InvalidOperationException($"The shared text {id} this message sends is not in the database.");

    /// <summary>Makes the Bot API call; returns the message id Telegram gave a sent message, null when there is none.</summary>
    async Task<int?> CallTelegramAsync(OutboxMessage m, CancellationToken cancellationToken)
    {
        var chat = ChatOf(m.ChatId);
        var (text, markupJson) = ContentOf(m);
        var markup = markupJson is { Length: > 0 } json
            ? JsonSerializer.Deserialize<InlineKeyboardMarkup>(json, JsonBotAPI.Options)
            : null;
        switch (m.Method)
        {
            case OutboxMethod.SendMessage:
                if (m.TimedQuestionId is { } timed)
                {
                    (text, var buttons) = TimeLeftNow(m, text, markupJson, _timed.GetValueOrDefault(timed));
                    if (buttons is null) markup = null;
                }
                var sent = await bot.SendMessage(chat, text ?? "", ParseMode.Html, replyMarkup: markup,
                    linkPreviewOptions: new LinkPreviewOptions { IsDisabled = true }, cancellationToken: cancellationToken);
                return sent.Id;
            case OutboxMethod.EditMessageText:
                if (m.MessageId is not int messageId) return null; // the channel post it edits is not sent yet
                await bot.EditMessageText(chat, messageId, text ?? "", ParseMode.Html, replyMarkup: markup,
                    linkPreviewOptions: new LinkPreviewOptions { IsDisabled = true }, cancellationToken: cancellationToken);
                return messageId;
            case OutboxMethod.EditMessageReplyMarkup:
                await bot.EditMessageReplyMarkup(chat, m.MessageId ?? 0, markup, cancellationToken: cancellationToken);
                return m.MessageId;
            case OutboxMethod.AnswerCallbackQuery:
                await bot.AnswerCallbackQuery(m.CallbackQueryId ?? "", text, cancellationToken: cancellationToken);
                return null;
            default:
                throw new InvalidOperationException($"Unknown outbox method {m.Method}.");
        }
    }

    /// <summary>Records a known move in the table again, unless it is waiting to be; only events found on the old id are told.</summary>
    void FollowAgain(string from, string to)
    {
        lock (_chatNextAt)
            if (!_movesToRecord.Exists(m => m.From == from))
                _movesToRecord.Add(new Move(from, to, tell: false));
    }

    /// <summary>The new id of a group that became a supergroup, or null.</summary>
    string? MovedTo(string chatId)
    {
        lock (_chatNextAt) return _movedChats.GetValueOrDefault(chatId);
    }

    /// <summary>
    /// A question's post in the channel: its message id (null while it is not sent) and the chat its newest sent
    /// announcement went to (null when none is recorded); null when the question never had one. IdUnread: the post went
    /// out, but Telegram's answer naming it could not be read.
    /// </summary>
    async Task<(string? ChatId, int? MessageId, bool IdUnread)?> AnnouncementAsync(int? questionId, CancellationToken cancellationToken)
    {
        if (questionId is null) return null;
        // A separate context: the round's own context is shared by parallel sends.
        await using var lookup = await dbFactory.CreateDbContextAsync(cancellationToken);
        var newest = await lookup.OutboxMessages
            .Where(m => m.QuestionId == questionId && m.Purpose == OutboxPurpose.ChannelAnnouncement && m.Method == OutboxMethod.SendMessage)
            .OrderByDescending(m => m.Id).Select(m => new { m.Status, m.ChatId, m.LastError }).FirstOrDefaultAsync(cancellationToken);
        // A question opened again after a Start over keeps the id of the post of its earlier opening until the new one is
        // out: its count waits for that, and does not overwrite the earlier post.
        if (newest is { Status: not OutboxStatus.Sent })
            return (null, null, false);
        // Its id is not known, and the question may still have the id of that earlier post: nothing is edited.
        if (newest is { LastError: AnswerUnreadNote })
            return (newest.ChatId, null, true);
        var messageId = await lookup.Questions.Where(q => q.Id == questionId).Select(q => q.ChannelMessageId).FirstOrDefaultAsync(cancellationToken);
        return newest is null && messageId is null ? null : (newest?.ChatId, messageId, false);
    }

    /// <summary>
    /// Where the results post an edit was made for went: the question's newest made before the edit (<paramref name="editId"/>),
    /// its chat, and its message id (null while it is not sent). A question started over and closed again has a newer post
    /// than the one of its rehearsal; a question reopened, whose results post says so, and closed again has a newer post
    /// than the one that edit is for.
    /// </summary>
    async Task<ResultsPost?> ResultsPostAsync(int? questionId, long editId, CancellationToken cancellationToken)
    {
        if (questionId is null) return null;
        await using var lookup = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await ResultsPostQuery(lookup, questionId.Value, editId).FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>Sent with no MessageId: Telegram took the post, but its answer naming it could not be read.</summary>
    internal sealed record ResultsPost(string ChatId, int? MessageId, bool Sent);

    /// <summary>A question's results posts, newest first; with <paramref name="before"/>, only those made before that outbox row.</summary>
    internal static IQueryable<ResultsPost> ResultsPostQuery(QuizDbContext db, int questionId, long before = long.MaxValue) => db.OutboxMessages
        .Where(m => m.QuestionId == questionId && m.Purpose == OutboxPurpose.ChannelResults && m.Id < before)
        .OrderByDescending(m => m.Id)
        .Select(m => new ResultsPost(m.ChatId, m.Status == OutboxStatus.Sent ? m.MessageId : null, m.Status == OutboxStatus.Sent));

    internal static ChatId ChatOf(string chatId) =>
        long.TryParse(chatId, NumberStyles.Integer, CultureInfo.InvariantCulture, out var id) ? new ChatId(id) : new ChatId(chatId);

    [LoggerMessage(LogLevel.Critical, "The outbox sends nothing until CodeQuiz is restarted: what it would send may not be on disk")]
    partial void LogHeldBack(Exception e);

    [LoggerMessage(LogLevel.Warning, "Outbox message {Id} to {Chat} was taken by Telegram, whose answer could not be read ({Error}); it is not sent again")]
    partial void LogAnswerUnread(long id, string chat, string error);

    [LoggerMessage(LogLevel.Warning, "Telegram asked the bot to wait {Seconds} s (429); sending to {Chat} is paused")]
    partial void LogRateLimited(double seconds, string chat);

    [LoggerMessage(LogLevel.Warning, "The group {From} became a supergroup, {To}: it is the event's channel from now on, and every post goes there")]
    partial void LogChatMoved(string from, string to);

    [LoggerMessage(LogLevel.Warning, "Outbox message {Id} to {Chat} failed for good: {Error}")]
    partial void LogPermanentFailure(long id, string chat, string? error);

    [LoggerMessage(LogLevel.Information, "Outbox message {Id} failed ({Error}); retrying in {Seconds} s")]
    partial void LogTransientFailure(long id, string? error, double seconds);

    [LoggerMessage(LogLevel.Warning, "Telegram cannot be reached ({Error}); sending is paused and retried, nothing is given up")]
    partial void LogUnreachable(string error);

    [LoggerMessage(LogLevel.Information, "Telegram answers again after {Seconds:0} s out of reach; sending resumes")]
    partial void LogReachableAgain(double seconds);

    [LoggerMessage(LogLevel.Error, "An outbox round failed")]
    partial void LogRoundFailed(Exception e);
}
