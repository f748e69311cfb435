using System.Net;
using System.Text.Json;
using CodeQuiz.Core.Live;
using CodeQuiz.Core.Telegram;
using Microsoft.Extensions.Options;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;

namespace CodeQuiz.Web.Rehearsal;

/// <summary>
/// The rehearsal's Telegram: the bot's chats, the updates Telegram would send it, and the Bot API it calls
/// (served at /bot{token}/{method} by <see cref="BotApiEndpoints"/>). Tests and the console use the members
/// below to play users and read what the bot sent; the virtual crowd plays many users at once.
/// All state sits behind one lock; nothing here blocks on I/O while holding it.
/// </summary>
public sealed partial class TelegramSimulator
{
    /// <summary>The bot's user id: the digits of <see cref="TelegramOptions.RehearsalToken"/>, as on Telegram.</summary>
    public const long BotId = 100000001;
    public const string BotUsername = "CodeQuizRehearsalBot";
    public const int MaxTextLength = 4096, MaxCaptionLength = 1024, CallbackQueryLifetimeSeconds = 150;
    const int FirstUpdateId = 700_000_001;

    /// <summary>How many of the latest updates and delivery attempts <see cref="Updates"/>, <see cref="DeliveredUpdates"/> and <see cref="DeliveryAttempts"/> keep.</summary>
    public const int HistorySize = 20_000;

    /// <summary>
    /// Entries (messages and button presses) the participants' chats keep together, the oldest dropped first; each chat
    /// keeps at least its latest <see cref="ChatRecentKept"/> however busy the others are. A 1,000-strong crowd made
    /// 95,000 entries in 60 questions, 60 MB with their texts and keyboards.
    /// </summary>
    public const int ChatHistorySize = 20_000;

    /// <summary>The latest entries every participant's chat keeps: its last few questions, as an organizer looks at them.</summary>
    public const int ChatRecentKept = 20;

    /// <summary>Posts a channel keeps: a show makes two or three a question, so a whole show's.</summary>
    public const int ChannelHistorySize = 1_000;

    readonly Lock _gate = new();
    readonly TimeProvider _time;
    readonly ILogger<TelegramSimulator> _log;
    readonly RateLimiter _limits;
    readonly RehearsalChannels? _channels;
    readonly Dictionary<long, ChatState> _chats = [];
    readonly Dictionary<long, SimUser> _earlierUsers = [];
    int _firstChannelPostId = 1;
    readonly Dictionary<string, long> _channelNames = new(StringComparer.OrdinalIgnoreCase);
    readonly List<PendingUpdate> _pending = [];
    // What tests and the page read back: only the latest updates, so a long rehearsal with a big crowd does not keep
    // every update it ever made (a 1,000-strong crowd made 56,000 in 30 questions, 80 MB of the heap).
    readonly History<Update> _delivered = new(HistorySize);
    readonly History<Update> _created = new(HistorySize);
    readonly History<DeliveryAttempt> _attempts = new(HistorySize);
    // The participants' chats in the order their entries came, one item an entry: the next to lose its oldest is first.
    readonly Queue<ChatState> _trimOrder = new();
    int _privateEntries;
    readonly Dictionary<string, CallbackState> _callbacks = new(StringComparer.Ordinal);
    readonly ThrottledSubscribers _pages;
    TaskCompletionSource _changed = NewSignal();
    long _nextUpdateId = FirstUpdateId, _firstUpdateId = FirstUpdateId;
    long _callbackSequence;
    int _pollGeneration;
    HashSet<string>? _allowedUpdates;
    string? _webhookUrl, _secretToken;
    int _maxConnections = 40;
    DateTimeOffset? _lastErrorDate;
    string? _lastErrorMessage;
    long _botMessages, _edits, _rateLimited, _errors;

    public TelegramSimulator(IOptions<RehearsalOptions> options, TimeProvider time, ILogger<TelegramSimulator> log, RehearsalChannels? channels = null)
    {
        _time = time;
        _pages = new ThrottledSubscribers(time, TimeSpan.FromMilliseconds(250));
        _log = log;
        _channels = channels;
        _limits = new RateLimiter(time, options.Value.RateLimits);
        foreach (var channel in options.Value.Channels)
            RegisterChannel(channel, channel);
        Crowd = new VirtualCrowd(this, options.Value, time);
    }

    /// <summary>The virtual participants: start, stop, resize, and change their pace and accuracy.</summary>
    public VirtualCrowd Crowd { get; }

    public TimeProvider Time => _time;

    /// <summary>Where webhook POSTs go; tests may route them to an in-memory server.</summary>
    internal HttpMessageHandler? WebhookHandler { get; private set; }

    /// <summary>Delivers webhook POSTs through <paramref name="handler"/> (e.g. a TestServer's) instead of the network.</summary>
    public void DeliverWebhooksThrough(HttpMessageHandler handler)
    {
        WebhookHandler = handler;
        Changed();
    }

    volatile bool _outage;

    /// <summary>
    /// A drill: while on, every Bot API call answers 502 and no update is delivered (they wait, as at Telegram), so that
    /// organizers see how the console shows an outage and that everything goes through once it is over.
    /// </summary>
    public bool Outage => _outage;

    public void SetOutage(bool on)
    {
        if (_outage == on) return;
        _outage = on;
        _log.LogInformation(on ? "Rehearsal: Telegram outage drill started" : "Rehearsal: Telegram outage drill over");
        Changed();
    }

    volatile bool _botNotInChannels;

    /// <summary>
    /// A drill: while on, the bot is in no channel or group, as when nobody added it to the event's channel. Posts there are
    /// refused (403) and the channel check says the bot is not an administrator, so that organizers see how the console
    /// shows a refused post, and that Post again sends it once the bot is added (the drill switched off).
    /// </summary>
    public bool BotNotInChannels => _botNotInChannels;

    public void SetBotNotInChannels(bool on)
    {
        if (_botNotInChannels == on) return;
        _botNotInChannels = on;
        _log.LogInformation(on ? "Rehearsal: drill of a bot that is in no channel started" : "Rehearsal: drill of a bot that is in no channel over");
        Changed();
    }

    public User Bot { get; } = new()
    {
        Id = BotId, IsBot = true, FirstName = "CodeQuiz Rehearsal", Username = BotUsername,
        CanJoinGroups = false, CanReadAllGroupMessages = false, SupportsInlineQueries = false,
    };

    // ---- playing users -------------------------------------------------------------------------

    /// <summary>The user writes <paramref name="text"/> in the private chat with the bot.</summary>
    public Update SendText(SimUser user, string text)
    {
        ArgumentException.ThrowIfNullOrEmpty(text);
        lock (_gate)
        {
            var chat = PrivateChat(user);
            var message = NewUserMessage(chat, user, SimEntryKind.Text, text);
            message.Text = text;
            if (text.StartsWith('/'))
            {
                var length = text.IndexOfAny([' ', '\n']) is var space and > 0 ? space : text.Length;
                message.Entities = [new MessageEntity { Type = MessageEntityType.BotCommand, Offset = 0, Length = length }];
            }
            return Enqueue(new Update { Message = message }, user.Id);
        }
    }

    /// <summary>The user sends a sticker (something the bot does not support).</summary>
    public Update SendSticker(SimUser user, string emoji = "👍")
    {
        lock (_gate)
        {
            var chat = PrivateChat(user);
            var message = NewUserMessage(chat, user, SimEntryKind.Sticker, emoji);
            message.Sticker = new Sticker
            {
                FileId = $"CAACAgIAAxkBAAE{message.Id:D8}", FileUniqueId = $"AgAD{message.Id:D6}", Type = StickerType.Regular,
                Width = 512, Height = 512, IsAnimated = false, IsVideo = false, Emoji = emoji, SetName = "HotCherry",
            };
            return Enqueue(new Update { Message = message }, user.Id);
        }
    }

    /// <summary>The user sends a photo, optionally with a caption.</summary>
    public Update SendPhoto(SimUser user, string? caption = null)
    {
        lock (_gate)
        {
            var chat = PrivateChat(user);
            var message = NewUserMessage(chat, user, SimEntryKind.Photo, caption ?? "🖼️");
            message.Photo = PhotoSizes(message.Id);
            message.Caption = caption;
            return Enqueue(new Update { Message = message }, user.Id);
        }
    }

    /// <summary>
    /// The user presses a button of an inline keyboard the bot sent to their chat, as it is now (after edits).
    /// Throws when the message has no such button, as a Telegram app has nothing to press then.
    /// </summary>
    public Update PressButton(SimUser user, int messageId, string callbackData)
    {
        lock (_gate)
        {
            var chat = PrivateChat(user);
            var index = chat.IndexOf(messageId);
            var target = index >= 0 ? chat.Entries[index] : null;
            var button = target is { FromBot: true } ? target.Buttons.FirstOrDefault(b => b.CallbackData == callbackData) : null;
            if (target is null || button is null)
                throw new InvalidOperationException($"Message {messageId} in {user.DisplayName}'s chat has no button with data '{callbackData}'.");
            var id = $"{user.Id}{++_callbackSequence:D6}";
            var now = _time.GetUtcNow();
            _callbacks[id] = new CallbackState(id, chat.Id, now);
            Keep(chat, new SimMessage(chat.Id, 0, false, user.Id, SimEntryKind.ButtonPress, now, button.Text, [],
                $"🔘 {WebUtility.HtmlEncode(button.Text)}", CallbackData: id), now);
            var query = new CallbackQuery
            {
                Id = id, From = user.ToTelegram(), Message = ToTelegram(chat, target), Data = callbackData,
                ChatInstance = (-(user.Id * 7919L + 1_000_000_000_000_000L)).ToString(System.Globalization.CultureInfo.InvariantCulture),
            };
            return Enqueue(new Update { CallbackQuery = query }, user.Id);
        }
    }

    /// <summary>The user blocks the bot: sends to their chat get 403 "bot was blocked by the user".</summary>
    public void Block(SimUser user)
    {
        lock (_gate) PrivateChat(user).Blocked = true;
        Changed();
    }

    /// <summary>Makes a channel known, as if the organizers created it and added the bot as admin.</summary>
    public long RegisterChannel(string chatId, string title)
    {
        long id;
        lock (_gate)
        {
            if (chatId.StartsWith('@'))
            {
                if (_channelNames.TryGetValue(chatId[1..], out id)) return id;
                id = ChannelIdFor(chatId[1..]);
                _channelNames[chatId[1..]] = id;
            }
            else
            {
                id = long.Parse(chatId, System.Globalization.CultureInfo.InvariantCulture);
            }
            if (!_chats.ContainsKey(id))
                _chats[id] = new ChatState(id, RehearsalChannels.IsBasicGroupId(chatId) ? ChatType.Group : ChatType.Channel, title, chatId.StartsWith('@') ? chatId[1..] : null, null, _time.GetUtcNow())
                {
                    NextMessageId = _firstChannelPostId,
                };
        }
        Changed();
        return id;
    }

    /// <summary>
    /// A basic group becomes a supergroup, as Telegram makes it when it passes 200 members or an admin makes its history
    /// visible to new members: a new chat, and every call naming the group's old id gets 400 with migrate_to_chat_id.
    /// Returns the supergroup's id.
    /// </summary>
    public long UpgradeToSupergroup(string groupId)
    {
        long supergroup;
        lock (_gate)
        {
            if (!RehearsalChannels.IsBasicGroupId(groupId) || TryFindChat(groupId) is not { Type: ChatType.Group } group)
                throw new InvalidOperationException($"{groupId} is no basic group of the rehearsal.");
            if (group.UpgradedTo is { } done) return done;
            supergroup = -(1_000_000_000_000L + Math.Abs(group.Id));
            _chats[supergroup] = new ChatState(supergroup, ChatType.Supergroup, group.Title, null, null, _time.GetUtcNow())
            {
                NextMessageId = 1,
            };
            group.UpgradedTo = supergroup;
        }
        Changed();
        return supergroup;
    }

    // ---- reading what happened -----------------------------------------------------------------

    /// <summary>
    /// The entries of a chat the simulator keeps (user messages, button presses and bot messages with edits applied),
    /// oldest first: the latest ones (see <see cref="ChatHistorySize"/> and <see cref="ChannelHistorySize"/>).
    /// </summary>
    public IReadOnlyList<SimMessage> Messages(long chatId) => ChatHistory(chatId).Entries;

    /// <summary>The entries of a chat the simulator keeps, and how many earlier ones it dropped.</summary>
    public SimChatHistory ChatHistory(long chatId)
    {
        lock (_gate)
            return _chats.TryGetValue(chatId, out var chat) ? new SimChatHistory([.. chat.Entries], chat.Dropped) : new SimChatHistory([], 0);
    }

    /// <summary>The entries of a channel given as "@name" or numeric id.</summary>
    public IReadOnlyList<SimMessage> Messages(string chatId)
    {
        lock (_gate) return TryFindChat(chatId) is { } chat ? [.. chat.Entries] : [];
    }

    /// <summary>What the bot sent to a chat, with edits applied, oldest first.</summary>
    public IReadOnlyList<SimMessage> BotMessages(long chatId) => [.. Messages(chatId).Where(m => m.FromBot)];

    public IReadOnlyList<SimMessage> BotMessages(string chatId) => [.. Messages(chatId).Where(m => m.FromBot)];

    public IReadOnlyList<SimChat> Chats()
    {
        lock (_gate) return [.. _chats.Values.Select(c => new SimChat(c.Id, c.Type, c.Title, c.Username, c.Entries.Count, c.LastActivity, c.Dropped))];
    }

    /// <summary>The latest <see cref="HistorySize"/> updates the bot received (by webhook with a 2xx answer, or returned by getUpdates), in delivery order.</summary>
    public IReadOnlyList<Update> DeliveredUpdates
    {
        get { lock (_gate) return [.. _delivered]; }
    }

    /// <summary>The latest <see cref="HistorySize"/> updates Telegram made for the bot (delivered or not), in update_id order.</summary>
    public IReadOnlyList<Update> Updates
    {
        get { lock (_gate) return [.. _created]; }
    }

    /// <summary>The latest <see cref="HistorySize"/> webhook deliveries, answered or failed, in the order they ended.</summary>
    public IReadOnlyList<DeliveryAttempt> DeliveryAttempts
    {
        get { lock (_gate) return [.. _attempts]; }
    }

    /// <summary>
    /// Numbers the next updates after <paramref name="updateId"/>, as Telegram's numbering goes on across our restarts:
    /// a rehearsal started again on yesterday's database must not reuse ids the bot has stored, or they count as repeats.
    /// </summary>
    public void ContinueAfter(long updateId)
    {
        lock (_gate)
        {
            if (updateId < _nextUpdateId || updateId >= int.MaxValue) return;
            _nextUpdateId = _firstUpdateId = updateId + 1;
        }
    }

    /// <summary>
    /// People who wrote to the bot before this start (the bot's participants). Telegram keeps their chats, so the bot
    /// can still write to them, e.g. a reply that was waiting when the app stopped.
    /// </summary>
    public void RememberUsers(IEnumerable<SimUser> users)
    {
        lock (_gate)
            foreach (var user in users)
                if (user.Id > 0) _earlierUsers.TryAdd(user.Id, user);
    }

    /// <summary>
    /// Channel posts made before this start went up to <paramref name="messageId"/>: new posts are numbered after it, and
    /// the bot may still edit the older ones (the live answer count of a question left open over a restart).
    /// </summary>
    public void ContinueChannelPostsAfter(int messageId)
    {
        lock (_gate)
        {
            _firstChannelPostId = Math.Max(_firstChannelPostId, messageId + 1);
            foreach (var channel in _chats.Values.Where(c => c.Type == ChatType.Channel))
                channel.NextMessageId = Math.Max(channel.NextMessageId, _firstChannelPostId);
        }
    }

    /// <summary>A post from before this start that the bot edits: its text is unknown, the edit gives it one.</summary>
    int EarlierChannelPost(ChatState chat, int messageId)
    {
        var now = _time.GetUtcNow();
        chat.Entries.Insert(0, new SimMessage(chat.Id, messageId, true, null, SimEntryKind.Text, now, "(posted before the restart)", [],
            "<i>(posted before the restart)</i>"));
        return 0;
    }

    public SimulatorStatus Status
    {
        get
        {
            lock (_gate)
                return new SimulatorStatus(_webhookUrl, _pending.Count, _maxConnections, _lastErrorDate, _lastErrorMessage,
                    _nextUpdateId - _firstUpdateId, _delivered.Total, _botMessages, _edits, _rateLimited, _errors);
        }
    }

    /// <summary>Completes when <paramref name="condition"/> holds (checked after every change), or throws TimeoutException (after 10 s by default).</summary>
    public async Task WaitUntilAsync(Func<bool> condition, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            Task changed;
            lock (_gate) changed = _changed.Task;
            if (condition()) return;
            try
            {
                // Also looks again now and then, for conditions on things outside the simulator.
                await changed.WaitAsync(TimeSpan.FromMilliseconds(50), cts.Token);
            }
            catch (TimeoutException) { }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                if (condition()) return;
                throw new TimeoutException("The simulator did not reach the expected state in time.");
            }
        }
    }

    /// <summary>Calls <paramref name="onChanged"/> after changes, at most four times a second, until disposed.</summary>
    public IDisposable Subscribe(Func<Task> onChanged) => _pages.Subscribe(onChanged);

    // ---- internals -----------------------------------------------------------------------------

    static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>A completed task after the next change; used by delivery and long polling to wait without spinning.</summary>
    internal Task NextChange
    {
        get { lock (_gate) return _changed.Task; }
    }

    /// <summary>Wakes delivery and long polling, and tells the pages (at most four times a second) that something changed.</summary>
    internal void Changed()
    {
        TaskCompletionSource previous;
        lock (_gate)
        {
            previous = _changed;
            _changed = NewSignal();
        }
        previous.TrySetResult();
        _pages.Notify();
    }

    ChatState PrivateChat(SimUser user)
    {
        if (user.Id <= 0) throw new ArgumentException("A user id is positive.", nameof(user));
        if (!_chats.TryGetValue(user.Id, out var chat))
            _chats[user.Id] = chat = new ChatState(user.Id, ChatType.Private, user.DisplayName, user.Username, user, _time.GetUtcNow());
        chat.User = user;
        return chat;
    }

    Message NewUserMessage(ChatState chat, SimUser user, SimEntryKind kind, string shown)
    {
        var now = _time.GetUtcNow();
        var id = chat.NextMessageId++;
        Keep(chat, new SimMessage(chat.Id, id, false, user.Id, kind, now, kind == SimEntryKind.Text ? shown : null, [],
            kind switch
            {
                SimEntryKind.Sticker => $"<span class=\"sticker\">{WebUtility.HtmlEncode(shown)}</span> <i>(sticker)</i>",
                SimEntryKind.Photo => $"🖼️ <i>(photo)</i> {WebUtility.HtmlEncode(shown)}",
                _ => TelegramHtml.Display(shown),
            }), now);
        return new Message { Id = id, From = user.ToTelegram(), Chat = chat.ToTelegram(), Date = now.UtcDateTime };
    }

    /// <summary>Adds an entry to a chat and drops the oldest entries beyond what the chats keep.</summary>
    void Keep(ChatState chat, SimMessage entry, DateTimeOffset now)
    {
        chat.Add(entry, now);
        if (chat.Type != ChatType.Private)
        {
            while (chat.Entries.Count > ChannelHistorySize)
                chat.DropOldest();
            return;
        }
        _privateEntries++;
        _trimOrder.Enqueue(chat);
        while (_privateEntries > ChatHistorySize && _trimOrder.TryDequeue(out var oldest))
        {
            if (oldest.Entries.Count <= ChatRecentKept) continue;
            oldest.DropOldest();
            _privateEntries--;
        }
    }

    Update Enqueue(Update update, long chatKey)
    {
        var type = JsonNamingPolicy.SnakeCaseLower.ConvertName(update.Type.ToString());
        if (_allowedUpdates is { Count: > 0 } allowed && !allowed.Contains(type))
        {
            update.Id = 0;
            Changed();
            return update;
        }
        update.Id = (int)_nextUpdateId++;
        _pending.Add(new PendingUpdate(update, chatKey));
        _created.Add(update);
        Changed();
        return update;
    }

    ChatState? TryFindChat(string chatId)
    {
        if (chatId.StartsWith('@'))
            return _channelNames.TryGetValue(chatId[1..], out var id) ? _chats.GetValueOrDefault(id) : null;
        if (!long.TryParse(chatId, System.Globalization.CultureInfo.InvariantCulture, out var numeric))
            return null;
        if (_chats.TryGetValue(numeric, out var chat))
            return chat;
        return _earlierUsers.TryGetValue(numeric, out var earlier) ? PrivateChat(earlier) : null;
    }

    static long ChannelIdFor(string username)
    {
        uint hash = 2166136261;
        foreach (var c in username.ToLowerInvariant()) hash = (hash ^ c) * 16777619;
        return -(1_001_000_000_000L + hash % 1_000_000_000);
    }

    static PhotoSize[] PhotoSizes(int messageId) =>
    [
        new() { FileId = $"AgACAgQAAxkBAAI{messageId:D8}s", FileUniqueId = $"AQAD{messageId:D6}s", Width = 90, Height = 67, FileSize = 1_254 },
        new() { FileId = $"AgACAgQAAxkBAAI{messageId:D8}m", FileUniqueId = $"AQAD{messageId:D6}m", Width = 320, Height = 240, FileSize = 18_332 },
        new() { FileId = $"AgACAgQAAxkBAAI{messageId:D8}x", FileUniqueId = $"AQAD{messageId:D6}x", Width = 1280, Height = 960, FileSize = 131_072 },
    ];

    Message ToTelegram(ChatState chat, SimMessage entry)
    {
        var message = new Message
        {
            Id = entry.MessageId,
            Chat = chat.ToTelegram(),
            Date = entry.Date.UtcDateTime,
            EditDate = entry.EditedAt?.UtcDateTime,
            ReplyMarkup = entry.ReplyMarkup,
        };
        if (entry.FromBot && chat.Type == ChatType.Channel) message.SenderChat = chat.ToTelegram();
        else message.From = entry.FromBot ? Bot : chat.User?.ToTelegram();
        if (entry.Kind == SimEntryKind.Photo)
        {
            message.Photo = PhotoSizes(entry.MessageId);
            message.Caption = entry.Text;
            message.CaptionEntities = entry.Entities.Count > 0 ? [.. entry.Entities] : null;
        }
        else
        {
            message.Text = entry.Text;
            message.Entities = entry.Entities.Count > 0 ? [.. entry.Entities] : null;
        }
        return message;
    }

    sealed class ChatState(long id, ChatType type, string title, string? username, SimUser? user, DateTimeOffset created)
    {
        public long Id { get; } = id;
        public ChatType Type { get; } = type;
        public string Title { get; } = title;
        public string? Username { get; } = username;
        public SimUser? User { get; set; } = user;
        public List<SimMessage> Entries { get; } = [];
        public int NextMessageId { get; set; } = 1;
        public bool Blocked { get; set; }
        /// <summary>The supergroup this basic group became; Telegram refuses its old id from then on.</summary>
        public long? UpgradedTo { get; set; }
        public DateTimeOffset LastActivity { get; private set; } = created;

        /// <summary>Entries dropped from the start of <see cref="Entries"/>.</summary>
        public long Dropped { get; private set; }

        // What Telegram still knows of each dropped message, by message id from _firstDroppedId: enough to answer an
        // edit of it as Telegram does (the bot edits a prompt's buttons or a channel post long after it was sent).
        readonly List<DroppedMessage> _droppedMessages = [];
        int _firstDroppedId;

        public void Add(SimMessage entry, DateTimeOffset now)
        {
            Entries.Add(entry);
            LastActivity = now;
        }

        public void DropOldest()
        {
            var entry = Entries[0];
            Entries.RemoveAt(0);
            Dropped++;
            if (entry.MessageId <= 0) return; // a button press is no message
            if (_droppedMessages.Count == 0) _firstDroppedId = entry.MessageId;
            var slot = entry.MessageId - _firstDroppedId;
            if (slot < 0) return; // the stand-in for a channel post from before a restart: editing it makes it again
            while (_droppedMessages.Count < slot) _droppedMessages.Add(default); // ids never used in this chat
            if (slot < _droppedMessages.Count) _droppedMessages[slot] = DroppedMessage.Of(entry);
            else _droppedMessages.Add(DroppedMessage.Of(entry));
        }

        public DroppedMessage? FindDropped(int messageId) =>
            messageId - _firstDroppedId is var slot && slot >= 0 && slot < _droppedMessages.Count && _droppedMessages[slot].Known
                ? _droppedMessages[slot]
                : null;

        public void UpdateDropped(int messageId, DroppedMessage message) => _droppedMessages[messageId - _firstDroppedId] = message;

        public int IndexOf(int messageId)
        {
            for (var i = Entries.Count - 1; i >= 0; i--)
                if (Entries[i].MessageId == messageId && Entries[i].Kind != SimEntryKind.ButtonPress) return i;
            return -1;
        }

        public Chat ToTelegram() => Type == ChatType.Private
            ? new Chat { Id = Id, Type = ChatType.Private, FirstName = User?.FirstName, LastName = User?.LastName, Username = User?.Username }
            : new Chat { Id = Id, Type = Type, Title = Title, Username = Username };
    }

    /// <summary>A message dropped from a chat's history, as far as an edit of it needs: who sent it, its kind and date, and hashes of its content.</summary>
    readonly record struct DroppedMessage(DateTime Date, int TextHash, int MarkupHash, SimEntryKind Kind, bool FromBot)
    {
        public bool Known => Date != default;

        public static DroppedMessage Of(SimMessage entry) =>
            new(entry.Date.UtcDateTime, HashOfText(entry.Text, entry.Entities), HashOfMarkup(entry.ReplyMarkup), entry.Kind, entry.FromBot);
    }

    static int HashOfText(string? text, IReadOnlyList<MessageEntity> entities)
    {
        var hash = new HashCode();
        hash.Add(text);
        foreach (var e in entities)
            hash.Add(HashCode.Combine(e.Type, e.Offset, e.Length, e.Url));
        return hash.ToHashCode();
    }

    static int HashOfMarkup(global::Telegram.Bot.Types.ReplyMarkups.InlineKeyboardMarkup? markup) =>
        JsonSerializer.Serialize(markup, global::Telegram.Bot.JsonBotAPI.Options).GetHashCode(StringComparison.Ordinal);

    sealed class PendingUpdate(Update update, long chatKey)
    {
        public Update Update { get; } = update;
        public long Id => Update.Id;
        public long ChatKey { get; } = chatKey;
        public int Attempts { get; set; }
        public DateTimeOffset NotBefore { get; set; }
        public bool InFlight { get; set; }
        public bool Returned { get; set; }
    }

    /// <summary>The latest <c>size</c> items added, oldest first, and how many were ever added.</summary>
    sealed class History<T>(int size) : IEnumerable<T>
    {
        readonly Queue<T> _items = new();

        public long Total { get; private set; }

        public void Add(T item)
        {
            _items.Enqueue(item);
            Total++;
            if (_items.Count > size)
                _items.Dequeue();
        }

        public IEnumerator<T> GetEnumerator() => _items.GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }

    sealed record CallbackState(string Id, long ChatId, DateTimeOffset CreatedAt)
    {
        public bool Answered { get; set; }
    }
}
