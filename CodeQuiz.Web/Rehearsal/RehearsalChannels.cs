using CodeQuiz.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CodeQuiz.Web.Rehearsal;

/// <summary>
/// Which channels exist in the rehearsal: the ChannelId of any event in the database, and those listed in
/// Rehearsal:Channels. A channel comes into being the first time the bot posts to it, as if the organizers
/// had created it and made the bot an admin; an event's basic group (a negative id without "-100") as if they had
/// added the bot to it.
/// </summary>
public sealed class RehearsalChannels(IServiceProvider services)
{
    public static bool IsChannelId(string? chatId) =>
        chatId is { Length: > 1 } && (chatId[0] == '@' && chatId.Skip(1).All(c => char.IsAsciiLetterOrDigit(c) || c == '_')
            || chatId.StartsWith("-100", StringComparison.Ordinal) && chatId.Length > 4 && chatId.Skip(1).All(char.IsAsciiDigit));

    /// <summary>A basic group's id: negative, without the "-100" of channels and supergroups.</summary>
    public static bool IsBasicGroupId(string? chatId) =>
        chatId is { Length: > 1 } && chatId[0] == '-' && !chatId.StartsWith("-100", StringComparison.Ordinal) && chatId.Skip(1).All(char.IsAsciiDigit);

    /// <summary>The name of the event whose channel <paramref name="chatId"/> is, or null when no event names it.</summary>
    public async Task<string?> FindEventNameAsync(string chatId, CancellationToken cancellationToken)
    {
        if (services.GetService<IDbContextFactory<QuizDbContext>>() is not { } factory) return null;
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var alternative = chatId.StartsWith('@') ? chatId[1..] : chatId;
        return await db.Events.Where(e => e.ChannelId == chatId || e.ChannelId == alternative)
            .Select(e => e.Name).FirstOrDefaultAsync(cancellationToken);
    }
}
