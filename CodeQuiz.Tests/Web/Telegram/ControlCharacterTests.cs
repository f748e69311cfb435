using System.Net;
using System.Text;
using CodeQuiz.Core.Outbox;
using CodeQuiz.Core.Persistence;
using CodeQuiz.Tests.Infrastructure;
using CodeQuiz.Tests.Web.Api;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CodeQuiz.Tests.Web.Telegram;

/// <summary>
/// Control characters and open direction overrides in what participants send (their names, a team name, an answer),
/// followed to where they show: the ranking, the channel post, the answers file.
/// </summary>
public class ControlCharacterTests
{
    const string Secret = "control-secret";

    /// <summary>C0 and C1 control characters other than a line break: nothing a keyboard types, and nothing to show.</summary>
    static bool IsStrayControl(char c) => char.IsControl(c) && c != '\n';

    [Fact]
    public async Task ControlCharactersAreLeftOutAndOverridesClosedWhereNamesTeamsAndAnswersShow()
    {
        await using var factory = ApiTesting.NewFactory();
        factory.Settings["Telegram:SecretToken"] = Secret;
        var client = await factory.CreateOrganizerClientAsync();
        var telegram = new TelegramUpdates(factory.CreateClient(), Secret);
        var (ev, questions) = await Seed.EventAsync(factory.Services, "@codeweek", Seed.FreeText("Ctrl0001", "go"));
        var id = questions[0].Id;
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync($"/api/questions/{id}/open", null)).StatusCode);

        // A name pasted with a NUL and a bell, a surname whose right-to-left override is left open, a team name the same.
        const string First = "Ada\u0000\u0007", Last = "\u202ELovelace\u0085";
        await telegram.SendAsync(51, "/team Classe\u0000 \u202E3B\u009B", First, Last);
        await telegram.SendAsync(51, "12", First, Last);
        await telegram.SendAsync(51, "/start Ctrl0001", First, Last);
        await telegram.SendAsync(51, "g\u0000o\u001B\r\n", First, Last);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync($"/api/questions/{id}/close", null)).StatusCode);

        var ranking = (await (await client.GetAsync($"/api/questions/{id}/results")).ReadJsonAsync()).GetProperty("ranking")[0];
        Assert.Equal("Ada \u202ELovelace \u202C", ranking.GetProperty("name").GetString());
        Assert.Equal("Classe \u202E3B\u202C", ranking.GetProperty("team").GetString());
        await using var db = await factory.Services.GetRequiredService<IDbContextFactory<QuizDbContext>>().CreateDbContextAsync();
        Assert.Equal("go\n", (await db.Answers.SingleAsync()).Text);
        var post = await db.OutboxMessages.SingleAsync(m => m.Purpose == OutboxPurpose.ChannelResults && m.QuestionId == id);
        Assert.Contains("Ada \u202ELovelace \u202C (Classe \u202E3B\u202C", post.Text);
        Assert.DoesNotContain((await db.OutboxMessages.ToListAsync()).SelectMany(m => m.Text ?? ""), IsStrayControl);
        var csv = Encoding.UTF8.GetString(await client.GetByteArrayAsync($"/api/events/{ev.Id}/answers.csv")).Replace("\r\n", "\n");
        Assert.Contains("Classe \u202E3B\u202C", csv);
        Assert.DoesNotContain(csv, IsStrayControl);
    }

    [Fact]
    public async Task AnAnswerOfControlCharactersOnlyGetsTheBlankAnswersReplyAndKeepsTheChance()
    {
        await using var factory = ApiTesting.NewFactory();
        factory.Settings["Telegram:SecretToken"] = Secret;
        var client = await factory.CreateOrganizerClientAsync();
        var telegram = new TelegramUpdates(factory.CreateClient(), Secret);
        var (_, questions) = await Seed.EventAsync(factory.Services, null, Seed.FreeText("Ctrl0002", "go"));
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync($"/api/questions/{questions[0].Id}/open", null)).StatusCode);
        foreach (var user in new long[] { 61, 62 })
            await telegram.SendAsync(user, "/start Ctrl0002");

        await telegram.SendAsync(61, "\u200B"); // blank as Telegram lets it through
        await telegram.SendAsync(62, "\u0000\u0001\u007F\u009F");

        await using var db = await factory.Services.GetRequiredService<IDbContextFactory<QuizDbContext>>().CreateDbContextAsync();
        async Task<string> LastReplyAsync(long chat) => (await db.TextAsync(await db.OutboxMessages.Where(m => m.ChatId == chat.ToString())
            .OrderByDescending(m => m.Id).FirstAsync()))!;
        Assert.Contains("That message looks empty to me", await LastReplyAsync(61));
        Assert.Equal(await LastReplyAsync(61), await LastReplyAsync(62));
        Assert.Empty(await db.Answers.ToListAsync());
        await telegram.SendAsync(62, "go");
        Assert.True((await db.Answers.SingleAsync()).IsCorrect);
    }
}
