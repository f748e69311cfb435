using System.Text;
using System.Text.Json;
using CodeQuiz.Core.Telegram;
using Telegram.Bot;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;
using Telegram.Bot.Types.ReplyMarkups;

namespace CodeQuiz.Web.Rehearsal;

public sealed partial class TelegramSimulator
{
    /// <summary>
    /// One Bot API call, validated as Telegram validates it. Returns the value of "result";
    /// throws <see cref="BotApiException"/> with Telegram's error_code and description.
    /// </summary>
    public async Task<object> ExecuteAsync(string token, string method, BotApiParameters parameters, CancellationToken cancellationToken)
    {
        if (token != TelegramOptions.RehearsalToken)
            throw BotApiException.Unauthorized();
        if (Outage)
            throw new BotApiException(502, "Bad Gateway"); // what Telegram's front answers while its servers are down
        try
        {
            // Telegram matches method names case-insensitively.
            switch (method.ToLowerInvariant())
            {
                case "getme": return Bot;
                case "setwebhook": return SetWebhook(parameters);
                case "deletewebhook": return DeleteWebhook(parameters);
                case "getwebhookinfo": return GetWebhookInfo();
                case "getupdates": return await GetUpdatesAsync(parameters, cancellationToken);
                case "sendmessage":
                    await LearnChannelAsync(parameters, cancellationToken);
                    RefuseWhereTheBotIsNotIn(parameters);
                    return SendMessage(parameters);
                case "sendphoto":
                    await LearnChannelAsync(parameters, cancellationToken);
                    RefuseWhereTheBotIsNotIn(parameters);
                    return SendPhoto(parameters);
                case "editmessagetext":
                    await LearnChannelAsync(parameters, cancellationToken);
                    RefuseWhereTheBotIsNotIn(parameters);
                    return EditMessageText(parameters);
                case "editmessagereplymarkup":
                    await LearnChannelAsync(parameters, cancellationToken);
                    RefuseWhereTheBotIsNotIn(parameters);
                    return EditMessageReplyMarkup(parameters);
                case "answercallbackquery": return AnswerCallbackQuery(parameters);
                case "getchat":
                    await LearnChannelAsync(parameters, cancellationToken);
                    return GetChat(parameters);
                case "getchatmember":
                    await LearnChannelAsync(parameters, cancellationToken);
                    return GetChatMember(parameters);
                default: throw BotApiException.NotFound();
            }
        }
        catch (BotApiException e) when (e.ErrorCode != 429)
        {
            Interlocked.Increment(ref _errors);
            _log.LogInformation("Rehearsal Bot API {Method}: {Description}", method, e.Description);
            throw;
        }
    }

    async Task LearnChannelAsync(BotApiParameters parameters, CancellationToken cancellationToken)
    {
        if (parameters.String("chat_id") is not { } chatId || !(RehearsalChannels.IsChannelId(chatId) || RehearsalChannels.IsBasicGroupId(chatId))) return;
        lock (_gate)
            if (TryFindChat(chatId) is not null) return;
        if (_channels is not null && await _channels.FindEventNameAsync(chatId, cancellationToken) is { } eventName)
            RegisterChannel(chatId, $"{eventName} ({chatId})");
    }

    /// <summary>The drill of <see cref="BotNotInChannels"/>: Telegram's answer to a post where the bot was never added.</summary>
    void RefuseWhereTheBotIsNotIn(BotApiParameters parameters)
    {
        if (!BotNotInChannels || parameters.String("chat_id") is not { } chatId) return;
        lock (_gate)
            if (TryFindChat(chatId) is { Type: not ChatType.Private and var type, UpgradedTo: null })
                throw BotApiException.Forbidden($"bot is not a member of the {type.ToString().ToLowerInvariant()} chat");
    }

    /// <summary>
    /// An event's channel exists, and the bot is an administrator there that may post (see <see cref="RegisterChannel"/>),
    /// unless the drill of <see cref="BotNotInChannels"/> has it in none.
    /// </summary>
    ChatFullInfo GetChat(BotApiParameters parameters)
    {
        Chat info;
        lock (_gate) info = FindChat(parameters).ToTelegram();
        return new ChatFullInfo
        {
            Id = info.Id, Type = info.Type, Title = info.Title, Username = info.Username, FirstName = info.FirstName, LastName = info.LastName,
            AccentColorId = 0, MaxReactionCount = 11,
        };
    }

    ChatMember GetChatMember(BotApiParameters parameters)
    {
        var userId = parameters.Long("user_id") ?? throw BotApiException.BadRequest("user_id is empty");
        lock (_gate)
        {
            var chat = FindChat(parameters);
            if (userId == BotId)
                return chat.Type == ChatType.Private ? new ChatMemberMember { User = Bot }
                    : BotNotInChannels ? new ChatMemberLeft { User = Bot }
                    : new ChatMemberAdministrator { User = Bot, CanPostMessages = true, CanEditMessages = true, CanDeleteMessages = true };
            if (chat.User is { } user && user.Id == userId)
                return new ChatMemberMember { User = user.ToTelegram() };
        }
        throw BotApiException.BadRequest("member not found");
    }

    ChatState FindChat(BotApiParameters parameters)
    {
        var chatId = parameters.String("chat_id");
        if (string.IsNullOrEmpty(chatId)) throw BotApiException.BadRequest("chat_id is empty");
        var chat = TryFindChat(chatId) ?? throw BotApiException.BadRequest("chat not found");
        if (chat.UpgradedTo is { } supergroup) throw BotApiException.Upgraded(supergroup);
        return chat;
    }

    ChatState Chat(BotApiParameters parameters)
    {
        var chat = FindChat(parameters);
        if (chat.Blocked) throw BotApiException.Forbidden("bot was blocked by the user");
        return chat;
    }

    static FormattedText Format(string? text, string? parseMode, bool caption)
    {
        text ??= "";
        var formatted = string.IsNullOrEmpty(parseMode) ? FormattedText.Plain(text)
            : parseMode.Equals("HTML", StringComparison.OrdinalIgnoreCase) ? TelegramHtml.Parse(text)
            : parseMode is "Markdown" or "MarkdownV2"
                ? throw BotApiException.BadRequest("can't parse entities: the rehearsal simulator understands parse_mode HTML only")
                : throw BotApiException.BadRequest("unsupported parse_mode");
        if (caption)
        {
            if (formatted.Text.Length > MaxCaptionLength) throw BotApiException.BadRequest("message caption is too long");
        }
        else
        {
            // Telegram's two words for it: no text given at all, or one that turned out blank (spaces, empty tags).
            if (text.Length == 0) throw BotApiException.BadRequest("message text is empty");
            if (string.IsNullOrWhiteSpace(formatted.Text)) throw BotApiException.BadRequest("text must be non-empty");
            if (formatted.Text.Length > MaxTextLength) throw BotApiException.BadRequest("message is too long");
        }
        return formatted;
    }

    static InlineKeyboardMarkup? Keyboard(BotApiParameters parameters)
    {
        if (parameters.String("reply_markup") is not { } raw) return null;
        using var document = ParseObject(raw, "reply keyboard markup JSON object");
        if (!document.RootElement.TryGetProperty("inline_keyboard", out _))
            return null; // reply keyboards and force_reply are accepted but not shown
        var markup = parameters.Json<InlineKeyboardMarkup>("reply_markup", "inline keyboard markup JSON object")!;
        foreach (var button in markup.InlineKeyboard.SelectMany(row => row))
        {
            if (string.IsNullOrEmpty(button.Text)) throw BotApiException.BadRequest("text buttons are unallowed in the inline keyboard");
            // An inline button must do something; an empty callback_data counts as none, as on Telegram.
            if (!HasAction(button))
                throw BotApiException.BadRequest("can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard");
            if (button.CallbackData is { } data && Encoding.UTF8.GetByteCount(data) > 64)
                throw BotApiException.BadRequest("BUTTON_DATA_INVALID");
        }
        return markup;
    }

    static bool HasAction(InlineKeyboardButton button) => button is not
    {
        CallbackData: null or "", Url: null, WebApp: null, LoginUrl: null, SwitchInlineQuery: null, SwitchInlineQueryCurrentChat: null,
        SwitchInlineQueryChosenChat: null, CopyText: null, CallbackGame: null, Pay: false,
    };

    static JsonDocument ParseObject(string raw, string what)
    {
        try
        {
            var document = JsonDocument.Parse(raw);
            if (document.RootElement.ValueKind == JsonValueKind.Object) return document;
            document.Dispose();
        }
        catch (JsonException) { }
        throw BotApiException.BadRequest($"can't parse {what}");
    }

    void TakeRateToken(ChatState chat)
    {
        if (_limits.TryAcquire(chat.Id, chat.Type != ChatType.Private) is int retryAfter)
        {
            _rateLimited++;
            throw BotApiException.TooManyRequests(retryAfter);
        }
    }

    Message SendMessage(BotApiParameters parameters)
    {
        var formatted = Format(parameters.String("text"), parameters.String("parse_mode"), caption: false);
        var keyboard = Keyboard(parameters);
        Message result;
        lock (_gate)
        {
            var chat = Chat(parameters);
            TakeRateToken(chat);
            var now = _time.GetUtcNow();
            var entry = new SimMessage(chat.Id, chat.NextMessageId++, true, null, SimEntryKind.Text, now,
                formatted.Text, formatted.Entities, formatted.DisplayHtml, keyboard);
            Keep(chat, entry, now);
            _botMessages++;
            result = ToTelegram(chat, entry);
        }
        Changed();
        return result;
    }

    Message SendPhoto(BotApiParameters parameters)
    {
        var photo = parameters.String("photo");
        if (photo is null && !parameters.Files.ContainsKey("photo"))
            throw BotApiException.BadRequest("there is no photo in the request");
        if (photo is not null && photo.StartsWith("attach://", StringComparison.Ordinal) && !parameters.Files.ContainsKey(photo["attach://".Length..]))
            throw BotApiException.BadRequest("wrong remote file identifier specified: can't unserialize it");
        var formatted = Format(parameters.String("caption"), parameters.String("parse_mode"), caption: true);
        var keyboard = Keyboard(parameters);
        Message result;
        lock (_gate)
        {
            var chat = Chat(parameters);
            TakeRateToken(chat);
            var now = _time.GetUtcNow();
            var entry = new SimMessage(chat.Id, chat.NextMessageId++, true, null, SimEntryKind.Photo, now,
                formatted.Text.Length > 0 ? formatted.Text : null, formatted.Entities,
                "🖼️ <i>(photo)</i>" + (formatted.Text.Length > 0 ? "<br>" + formatted.DisplayHtml : ""), keyboard);
            Keep(chat, entry, now);
            _botMessages++;
            result = ToTelegram(chat, entry);
        }
        Changed();
        return result;
    }

    /// <summary>
    /// The bot's message an edit names: an entry of the chat, or one dropped from what the simulator keeps, which
    /// Telegram still has and edits all the same (<paramref name="index"/> is then -1 and <paramref name="dropped"/> says what it was).
    /// </summary>
    ChatState MessageToEdit(BotApiParameters parameters, out int messageId, out int index, out DroppedMessage dropped)
    {
        if (parameters.Has("inline_message_id"))
            throw BotApiException.BadRequest("MESSAGE_ID_INVALID");
        messageId = parameters.Int("message_id") ?? throw BotApiException.BadRequest("message identifier is not specified");
        var chat = Chat(parameters);
        index = chat.IndexOf(messageId);
        dropped = index < 0 && chat.FindDropped(messageId) is { } d ? d : default;
        if (index < 0 && !dropped.Known && chat.Type == ChatType.Channel && messageId > 0 && messageId < _firstChannelPostId)
            index = EarlierChannelPost(chat, messageId);
        if (index < 0 && !dropped.Known) throw BotApiException.BadRequest("message to edit not found");
        if (!(index >= 0 ? chat.Entries[index].FromBot : dropped.FromBot)) throw BotApiException.BadRequest("message can't be edited");
        return chat;
    }

    /// <summary>
    /// An edit of a message dropped from the chat's history: Telegram still has it, so the edit is checked against what
    /// is known of it and answered as Telegram answers, though the page no longer shows it. Its text is not kept, so an
    /// editMessageReplyMarkup answers without it.
    /// </summary>
    Message EditDropped(ChatState chat, int messageId, DroppedMessage dropped, FormattedText? text, InlineKeyboardMarkup? keyboard)
    {
        var textHash = text is null ? dropped.TextHash : HashOfText(text.Text, text.Entities);
        var markupHash = HashOfMarkup(keyboard);
        if (textHash == dropped.TextHash && markupHash == dropped.MarkupHash)
            throw BotApiException.BadRequest(NotModified);
        TakeRateToken(chat);
        var now = _time.GetUtcNow();
        chat.UpdateDropped(messageId, dropped with { TextHash = textHash, MarkupHash = markupHash });
        _edits++;
        return ToTelegram(chat, new SimMessage(chat.Id, messageId, true, null, dropped.Kind, new DateTimeOffset(dropped.Date, TimeSpan.Zero),
            text?.Text, text?.Entities ?? [], "", keyboard, EditedAt: now));
    }

    static bool SameMarkup(InlineKeyboardMarkup? a, InlineKeyboardMarkup? b) =>
        JsonSerializer.Serialize(a, JsonBotAPI.Options) == JsonSerializer.Serialize(b, JsonBotAPI.Options);

    const string NotModified = "message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message";

    Message EditMessageText(BotApiParameters parameters)
    {
        var formatted = Format(parameters.String("text"), parameters.String("parse_mode"), caption: false);
        // As on Telegram, an edit without reply_markup removes the inline keyboard.
        var keyboard = Keyboard(parameters);
        Message result;
        lock (_gate)
        {
            var chat = MessageToEdit(parameters, out var messageId, out var index, out var dropped);
            if ((index >= 0 ? chat.Entries[index].Kind : dropped.Kind) != SimEntryKind.Text)
                throw BotApiException.BadRequest("there is no text in the message to edit");
            if (index < 0)
                result = EditDropped(chat, messageId, dropped, formatted, keyboard);
            else
            {
                var current = chat.Entries[index];
                if (current.Text == formatted.Text && SameEntities(current.Entities, formatted.Entities) && SameMarkup(current.ReplyMarkup, keyboard))
                    throw BotApiException.BadRequest(NotModified);
                TakeRateToken(chat);
                var now = _time.GetUtcNow();
                var edited = current with
                {
                    Text = formatted.Text, Entities = formatted.Entities, DisplayHtml = formatted.DisplayHtml,
                    ReplyMarkup = keyboard, EditedAt = now, Edits = current.Edits + 1,
                };
                chat.Entries[index] = edited;
                _edits++;
                result = ToTelegram(chat, edited);
            }
        }
        Changed();
        return result;
    }

    Message EditMessageReplyMarkup(BotApiParameters parameters)
    {
        var keyboard = Keyboard(parameters);
        Message result;
        lock (_gate)
        {
            var chat = MessageToEdit(parameters, out var messageId, out var index, out var dropped);
            if (index < 0)
                result = EditDropped(chat, messageId, dropped, text: null, keyboard);
            else
            {
                var current = chat.Entries[index];
                if (SameMarkup(current.ReplyMarkup, keyboard))
                    throw BotApiException.BadRequest(NotModified);
                TakeRateToken(chat);
                var now = _time.GetUtcNow();
                var edited = current with { ReplyMarkup = keyboard, EditedAt = now, Edits = current.Edits + 1 };
                chat.Entries[index] = edited;
                _edits++;
                result = ToTelegram(chat, edited);
            }
        }
        Changed();
        return result;
    }

    static bool SameEntities(IReadOnlyList<MessageEntity> a, IReadOnlyList<MessageEntity> b) =>
        a.Count == b.Count && a.Zip(b).All(p => p.First.Type == p.Second.Type && p.First.Offset == p.Second.Offset
            && p.First.Length == p.Second.Length && p.First.Url == p.Second.Url);

    bool AnswerCallbackQuery(BotApiParameters parameters)
    {
        var id = parameters.String("callback_query_id");
        var text = parameters.String("text");
        if (text is { Length: > 200 }) throw BotApiException.BadRequest("MESSAGE_TOO_LONG");
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            if (id is null || !_callbacks.TryGetValue(id, out var query) || query.Answered
                || now - query.CreatedAt > TimeSpan.FromSeconds(CallbackQueryLifetimeSeconds))
                throw BotApiException.BadRequest("query is too old and response timeout expired or query ID is invalid");
            query.Answered = true;
            if (_chats.TryGetValue(query.ChatId, out var chat))
            {
                var index = chat.Entries.FindLastIndex(e => e.CallbackData == id);
                if (index >= 0) chat.Entries[index] = chat.Entries[index] with { Toast = text ?? "" };
            }
        }
        Changed();
        return true;
    }

    bool SetWebhook(BotApiParameters parameters)
    {
        var url = parameters.String("url");
        if (string.IsNullOrEmpty(url)) return DeleteWebhook(parameters);
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            throw BotApiException.BadRequest("bad webhook: An HTTPS URL must be provided for webhook");
        var secret = parameters.String("secret_token");
        if (secret is not null && !TelegramOptions.IsValidSecret(secret))
            throw BotApiException.BadRequest("secret token contains unallowed characters");
        var allowed = AllowedUpdates(parameters);
        lock (_gate)
        {
            _webhookUrl = url;
            _secretToken = secret;
            _maxConnections = Math.Clamp(parameters.Int("max_connections") ?? 40, 1, 100);
            if (allowed is not null) _allowedUpdates = allowed;
            if (parameters.Bool("drop_pending_updates")) _pending.RemoveAll(p => !p.InFlight);
            _pollGeneration++; // ends a long poll in progress
        }
        _log.LogInformation("Rehearsal webhook set to {Url}", url);
        Changed();
        return true;
    }

    bool DeleteWebhook(BotApiParameters parameters)
    {
        lock (_gate)
        {
            _webhookUrl = null;
            _secretToken = null;
            if (parameters.Bool("drop_pending_updates")) _pending.RemoveAll(p => !p.InFlight);
        }
        Changed();
        return true;
    }

    static HashSet<string>? AllowedUpdates(BotApiParameters parameters) =>
        parameters.Json<string[]>("allowed_updates", "allowed_updates JSON array") is { } list ? [.. list] : null;

    WebhookInfo GetWebhookInfo()
    {
        lock (_gate)
            return new WebhookInfo
            {
                Url = _webhookUrl ?? "",
                HasCustomCertificate = false,
                PendingUpdateCount = _pending.Count,
                MaxConnections = _webhookUrl is null ? null : _maxConnections,
                LastErrorDate = _lastErrorDate?.UtcDateTime,
                LastErrorMessage = _lastErrorMessage,
                AllowedUpdates = _allowedUpdates is null ? null
                    : [.. _allowedUpdates.Select(a => Enum.TryParse<UpdateType>(a.Replace("_", ""), true, out var t) ? t : UpdateType.Unknown)],
            };
    }

    async Task<Update[]> GetUpdatesAsync(BotApiParameters parameters, CancellationToken cancellationToken)
    {
        var offset = parameters.Long("offset") ?? 0;
        var limit = Math.Clamp(parameters.Int("limit") ?? 100, 1, 100);
        var timeout = TimeSpan.FromSeconds(Math.Clamp(parameters.Int("timeout") ?? 0, 0, 50));
        var allowed = AllowedUpdates(parameters);
        int generation;
        lock (_gate)
        {
            if (_webhookUrl is not null)
                throw BotApiException.Conflict("can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first");
            generation = ++_pollGeneration;
            if (allowed is not null) _allowedUpdates = allowed;
            if (offset > 0) _pending.RemoveAll(p => p.Id < offset);
            else if (offset < 0 && _pending.Count > -offset) _pending.RemoveRange(0, _pending.Count - (int)-offset);
        }
        Changed();
        var deadline = _time.GetUtcNow() + timeout;
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                if (generation != _pollGeneration)
                    throw BotApiException.Conflict(_webhookUrl is null
                        ? "terminated by other getUpdates request; make sure that only one bot instance is running"
                        : "terminated by setWebhook request");
                if (_pending.Count > 0 || _time.GetUtcNow() >= deadline)
                {
                    var batch = _pending.Take(limit).ToArray();
                    foreach (var p in batch.Where(p => !p.Returned))
                    {
                        p.Returned = true;
                        _delivered.Add(p.Update);
                    }
                    return [.. batch.Select(p => p.Update)];
                }
                changed = _changed.Task;
            }
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var delay = Task.Delay(deadline - _time.GetUtcNow() is { Ticks: > 0 } left ? left : TimeSpan.Zero, _time, cts.Token);
            await Task.WhenAny(changed, delay);
            await cts.CancelAsync();
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    /// <summary>The calls a bot makes in its webhook response body ({"method":…}), as Telegram executes them.</summary>
    internal async Task ExecuteWebhookReplyAsync(string body, CancellationToken cancellationToken)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("method", out var method) || method.ValueKind != JsonValueKind.String)
                return;
            await ExecuteAsync(TelegramOptions.RehearsalToken, method.GetString()!, BotApiParameters.FromJson(document.RootElement), cancellationToken);
        }
        catch (JsonException) { }
        catch (BotApiException e)
        {
            _log.LogInformation("Rehearsal: the webhook reply failed: {Description}", e.Description);
        }
    }
}
