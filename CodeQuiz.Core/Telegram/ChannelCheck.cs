using CodeQuiz.Core.Outbox;
using Microsoft.Extensions.Options;
using Telegram.Bot;
using Telegram.Bot.Exceptions;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;

namespace CodeQuiz.Core.Telegram;

/// <summary>What a channel check found, in words for the organizer.</summary>
public sealed record ChannelCheckResult(bool CanPost, string Message);

/// <summary>
/// Asks Telegram, before the show, whether the bot can post to an event's channel: that the chat exists (getChat) and that
/// the bot may post there (getChatMember). A results post refused in the middle of a livestream is found out too late.
/// </summary>
public sealed class ChannelCheck(ITelegramBotClient bot, IOptions<OutboxOptions> outbox)
{
    public async Task<ChannelCheckResult> CheckAsync(string channelId, CancellationToken cancellationToken = default)
    {
        channelId = channelId.Trim();
        var timeout = TimeSpan.FromSeconds(outbox.Value.CallTimeoutSeconds);
        using var call = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        call.CancelAfter(timeout);
        try
        {
            var chatId = OutboxSender.ChatOf(channelId);
            var chat = await bot.GetChat(chatId, call.Token);
            if (chat.Type == ChatType.Private)
                return new(false, $"{channelId} is a person's private chat, not a channel or a group.");
            var name = $"“{chat.Title ?? channelId}”";
            var me = await bot.GetMe(call.Token);
            var member = await bot.GetChatMember(chatId, me.Id, call.Token);
            return (chat.Type, member) switch
            {
                (_, ChatMemberOwner) => CanPost(name),
                (ChatType.Channel, ChatMemberAdministrator { CanPostMessages: true }) => CanPost(name),
                (ChatType.Channel, ChatMemberAdministrator) =>
                    new(false, $"The bot is an administrator of {name} but may not post there: give it the right to post messages."),
                (ChatType.Channel, _) =>
                    new(false, $"The bot is not an administrator of {name}: add it as an administrator with the right to post messages."),
                (_, ChatMemberAdministrator or ChatMemberMember) => CanPost(name),
                (_, ChatMemberRestricted { IsMember: true, CanSendMessages: true }) => CanPost(name),
                _ => new(false, $"The bot may not write in {name}: add it to the group with the right to send messages."),
            };
        }
        catch (ApiRequestException e) when (e.Parameters?.MigrateToChatId is long supergroup)
        {
            // Telegram refuses a group's old id for good once the group has become a supergroup, and names the new one.
            return new(false, $"{channelId} has become a supergroup, whose id is {supergroup}: save {supergroup} as the event's channel, then check again.");
        }
        catch (ApiRequestException e) when (e.ErrorCode == 400 && e.Message.Contains("chat not found", StringComparison.OrdinalIgnoreCase))
        {
            // Telegram says the same of a private channel the bot was not added to.
            return new(false, $"Telegram knows no chat {channelId}, or the bot is not in it. Check the name (a public channel's @name, or a private channel's numeric id such as -1001234567890) and add the bot to the channel as an administrator with the right to post messages.");
        }
        catch (ApiRequestException e) when (e.ErrorCode == 400
            && (e.Message.Contains("member not found", StringComparison.OrdinalIgnoreCase) || e.Message.Contains("user not found", StringComparison.OrdinalIgnoreCase)))
        {
            return new(false, $"The bot is not in {channelId}: add it as an administrator with the right to post messages.");
        }
        catch (ApiRequestException e) when (e.ErrorCode == 403)
        {
            return new(false, $"Telegram refused ({e.Message}): add the bot to {channelId} as an administrator with the right to post messages.");
        }
        catch (ApiRequestException e)
        {
            return new(false, $"Telegram answered {e.ErrorCode}: {e.Message}");
        }
        catch (OperationCanceledException) when (call.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return new(false, $"Telegram did not answer within {timeout.TotalSeconds:0} s; try again.");
        }
        catch (RequestException e)
        {
            return new(false, $"Telegram could not be reached: {e.GetBaseException().Message}");
        }
    }

    static ChannelCheckResult CanPost(string name) => new(true, $"The bot can post to {name}.");
}
