using Bunit;
using CodeQuiz.Core.Ingest;
using CodeQuiz.Core.Outbox;
using CodeQuiz.Web.Components.Pages.Bot;
using CodeQuiz.Web.Telegram;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CodeQuiz.Tests.Components.Bot;

public class BotStatusPageTests : ConsoleTestBase
{
    [Fact]
    public async Task ShowsTheModeTheBotAndTheOutboxCounts()
    {
        BotNameFromTelegram = "CodeWeekQuizBot";
        await using (var db = await Db.CreateDbContextAsync())
        {
            for (var i = 0; i < 3; i++)
                db.OutboxMessages.Add(new OutboxMessage { ChatId = "42", Status = OutboxStatus.Pending, CreatedAt = Time.GetUtcNow().AddSeconds(-90) });
            db.OutboxMessages.Add(new OutboxMessage { ChatId = "42", Status = OutboxStatus.Sent, CreatedAt = Time.GetUtcNow() });
            db.OutboxMessages.Add(new OutboxMessage
            {
                ChatId = "@codeweek", Purpose = OutboxPurpose.ChannelResults, Status = OutboxStatus.Failed, Attempts = 5,
                LastError = "Forbidden: bot is not a member of the channel chat", CreatedAt = Time.GetUtcNow(),
            });
            await db.SaveChangesAsync();
        }
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        ctx.Services.GetRequiredService<OutboxCounters>().Reset(pending: 3, failed: 1, sent: 1); // as the writer counts them at start

        var (page, _) = RenderPage<BotStatusPage>(ctx);

        await page.WaitForAssertionAsync(() => Assert.Equal("3", page.Find("[data-testid=outbox-pending]").TextContent));
        Assert.Equal("Rehearsal", page.Find("[data-testid=bot-mode]").TextContent);
        Assert.Equal("@CodeWeekQuizBot", page.Find("[data-testid=bot-username]").TextContent);
        Assert.Equal("1", page.Find("[data-testid=outbox-sent]").TextContent);
        Assert.Equal("1", page.Find("[data-testid=outbox-failed]").TextContent);
        Assert.Contains("bot is not a member of the channel chat", page.Find("[data-testid=failures]").TextContent);
        Assert.Equal("Results post", page.Find("[data-testid=failures] tbody td:nth-child(2)").TextContent);
        Assert.Contains("1 min 30 s ago", page.Markup);
    }

    [Fact]
    public async Task FailedRepliesAreSentAgainWithOneClickAndChannelPostsAreLeftToTheLivePage()
    {
        await using (var db = await Db.CreateDbContextAsync())
        {
            for (var i = 0; i < 2; i++)
                db.OutboxMessages.Add(new OutboxMessage
                {
                    ChatId = $"4{i}", Status = OutboxStatus.Failed, Attempts = 1, LastError = "401: Unauthorized", CreatedAt = Time.GetUtcNow(),
                });
            db.OutboxMessages.Add(new OutboxMessage
            {
                ChatId = "@codeweek", Purpose = OutboxPurpose.ChannelCount, QuestionId = 7, Status = OutboxStatus.Failed, Attempts = 1,
                LastError = "401: Unauthorized", CreatedAt = Time.GetUtcNow(),
            });
            // A participant who blocked the bot: Telegram would refuse it again, so it is not sent again.
            db.OutboxMessages.Add(new OutboxMessage
            {
                ChatId = "4242", Status = OutboxStatus.Failed, Attempts = 1, LastError = "403: Forbidden: bot was blocked by the user",
                CreatedAt = Time.GetUtcNow(),
            });
            await db.SaveChangesAsync();
        }
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        var counters = ctx.Services.GetRequiredService<OutboxCounters>();
        counters.Reset(pending: 0, failed: 4);
        var (page, providers) = RenderPage<BotStatusPage>(ctx);
        await page.WaitForAssertionAsync(() => Assert.Equal("Send the 2 failed replies again", page.Find("[data-testid=replies-again]").TextContent.Trim()));

        await page.InvokeAsync(() => page.Find("[data-testid=replies-again]").ClickAsync(new()));

        await page.WaitForAssertionAsync(() => Assert.Equal("2", page.Find("[data-testid=outbox-pending]").TextContent));
        Assert.Equal("2", page.Find("[data-testid=outbox-failed]").TextContent);
        Assert.Empty(page.FindAll("[data-testid=replies-again]"));
        var rows = await QueryAsync(db => db.OutboxMessages.OrderBy(m => m.Id).ToListAsync());
        Assert.Equal([(OutboxStatus.Pending, 0, null), (OutboxStatus.Pending, 0, null)], rows.Take(2).Select(r => (r.Status, r.Attempts, r.LastError)));
        Assert.Equal(OutboxStatus.Failed, rows[2].Status); // an old count edit would only undo a newer one
        Assert.Equal(OutboxStatus.Failed, rows[3].Status);
        Assert.Equal((2, 2), (counters.Pending, counters.Failed));
        Assert.Contains("2 replies wait to be sent again", ctx.Services.GetRequiredService<MudBlazor.ISnackbar>().ShownSnackbars.Single().Message);
    }

    [Fact]
    public async Task SendingFailedRepliesAgainThatTheDatabaseRefusesIsReportedAndThePageCarriesOn()
    {
        await using (var db = await Db.CreateDbContextAsync())
        {
            db.OutboxMessages.Add(new OutboxMessage { ChatId = "41", Status = OutboxStatus.Failed, Attempts = 1, LastError = "401: Unauthorized", CreatedAt = Time.GetUtcNow() });
            await db.SaveChangesAsync();
            // As with the disk full: every change to the outbox is refused.
            await db.Database.ExecuteSqlRawAsync("CREATE TRIGGER refuse BEFORE UPDATE ON OutboxMessages BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END");
        }
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        var (page, _) = RenderPage<BotStatusPage>(ctx);
        await page.WaitForElementAsync("[data-testid=replies-again]");

        await page.InvokeAsync(() => page.Find("[data-testid=replies-again]").ClickAsync(new()));

        Assert.Contains("Not done, nothing was changed: SQLite Error 19: 'database or disk is full'.",
            ctx.Services.GetRequiredService<MudBlazor.ISnackbar>().ShownSnackbars.Single().Message);
        Assert.False(page.Find("[data-testid=replies-again]").HasAttribute("disabled")); // still there, to try again
        Assert.Equal(OutboxStatus.Failed, (await QueryAsync(db => db.OutboxMessages.SingleAsync())).Status);
    }

    [Fact]
    public async Task SaysWhyNothingIsTakenWhileTelegramHasNotConfirmedAnotherBotsToken()
    {
        await using (var db = await Db.CreateDbContextAsync())
        {
            db.UpdateSources.Add(new UpdateSource { BotId = 5_555_555, Since = Time.GetUtcNow() });
            await db.SaveChangesAsync();
        }
        var adoption = new BotAdoption(Db, Time, Microsoft.Extensions.Logging.Abstractions.NullLogger<BotAdoption>.Instance);
        await adoption.StartAsync(5_555_556, confirmed: false);
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        ctx.Services.AddSingleton(adoption);

        var (page, _) = RenderPage<BotStatusPage>(ctx);

        var warning = page.WaitForElementAsync("[data-testid=bot-adoption-waiting]");
        Assert.Contains("holds bot 5555555's updates and unsent messages, and Telegram:BotToken is bot 5555556's", (await warning).TextContent);

        await adoption.ConfirmAsync(5_555_556);
        page.Render();
        Assert.Empty(page.FindAll("[data-testid=bot-adoption-waiting]"));
    }

    [Fact]
    public async Task ShowsWebhookInfoAndDeadLetters()
    {
        await using (var db = await Db.CreateDbContextAsync())
        {
            db.DeadLetters.Add(new DeadLetter { ReceivedAt = Time.GetUtcNow(), Reason = "Not a Telegram update", Body = "{\"hello\":1}" });
            await db.SaveChangesAsync();
        }
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        var status = ctx.Services.GetRequiredService<BotStatus>();
        status.Webhook = new Telegram.Bot.Types.WebhookInfo
        {
            Url = "https://quiz.example.org/telegram/webhook", PendingUpdateCount = 17, LastErrorMessage = "Connection timed out",
            LastErrorDate = Time.GetUtcNow().UtcDateTime,
        };
        status.WebhookCheckedAt = Time.GetUtcNow();

        var (page, _) = RenderPage<BotStatusPage>(ctx);

        await page.WaitForElementAsync("[data-testid=dead-letters]");
        Assert.Equal("17", page.Find("[data-testid=pending-updates]").TextContent);
        // Dates read the same everywhere (not 11/30/2026 or 30/11/2026), in the organizer's zone (here the server's).
        var when = Time.GetUtcNow().ToLocalTime().ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal($"Connection timed out ({when})", page.Find("[data-testid=webhook-last-error]").TextContent);
        Assert.Equal("https://quiz.example.org/telegram/webhook", page.Find("[data-testid=webhook-registered]").TextContent);
        Assert.Contains("Not a Telegram update", page.Find("[data-testid=dead-letters]").TextContent);
        Assert.Contains(when, page.Find("[data-testid=dead-letters]").TextContent);
    }

    [Fact]
    public async Task TheOutboxCountsAreTheOnesTheWriterAndSenderKeepNotACountOfTheWholeTable()
    {
        // An event leaves a million sent rows; the page is read again every 5 s, and counting them each time reads the
        // whole outbox index. The writer counts them once at start; from then on the writer and the sender keep count.
        await using (var db = await Db.CreateDbContextAsync())
        {
            db.OutboxMessages.Add(new OutboxMessage { ChatId = "42", Status = OutboxStatus.Sent, CreatedAt = Time.GetUtcNow() });
            await db.SaveChangesAsync();
        }
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        var counters = ctx.Services.GetRequiredService<OutboxCounters>();
        counters.Reset(pending: 40, failed: 2, sent: 1_250_000);
        var (page, _) = RenderPage<BotStatusPage>(ctx);
        await page.WaitForAssertionAsync(() => Assert.Equal("1250000", page.Find("[data-testid=outbox-sent]").TextContent));
        Assert.Equal(("40", "2"), (page.Find("[data-testid=outbox-pending]").TextContent, page.Find("[data-testid=outbox-failed]").TextContent));

        counters.Settled(sent: 1, failed: 1);
        Time.Advance(TimeSpan.FromSeconds(5));

        await page.WaitForAssertionAsync(() => Assert.Equal("1250001", page.Find("[data-testid=outbox-sent]").TextContent));
        Assert.Equal(("38", "3"), (page.Find("[data-testid=outbox-pending]").TextContent, page.Find("[data-testid=outbox-failed]").TextContent));
    }

    [Fact]
    public async Task RefreshReadsTheNewCounts()
    {
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        var (page, _) = RenderPage<BotStatusPage>(ctx);
        await page.WaitForAssertionAsync(() => Assert.Equal("0", page.Find("[data-testid=outbox-pending]").TextContent));

        await using (var db = await Db.CreateDbContextAsync())
        {
            db.OutboxMessages.Add(new OutboxMessage { ChatId = "42", Status = OutboxStatus.Pending, CreatedAt = Time.GetUtcNow() });
            await db.SaveChangesAsync();
        }
        ctx.Services.GetRequiredService<OutboxCounters>().Added(1); // as the writer does after its commit
        await page.InvokeAsync(() => page.Find("[data-testid=refresh-status]").ClickAsync(new()));

        await page.WaitForAssertionAsync(() => Assert.Equal("1", page.Find("[data-testid=outbox-pending]").TextContent));
    }

    [Fact]
    public async Task ARefreshTheDatabaseDoesNotAnswerIsReportedAndThePageKeepsWhatItShowed()
    {
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        ctx.Services.GetRequiredService<OutboxCounters>().Reset(pending: 3, failed: 0);
        var (page, _) = RenderPage<BotStatusPage>(ctx);
        await page.WaitForAssertionAsync(() => Assert.Equal("3", page.Find("[data-testid=outbox-pending]").TextContent));
        // As with a database server restarting: the page's readings fail.
        await QueryAsync(db => db.Database.ExecuteSqlRawAsync("ALTER TABLE DeadLetters RENAME TO DeadLettersAway"));

        await page.InvokeAsync(() => page.Find("[data-testid=refresh-status]").ClickAsync(new()));

        await page.WaitForAssertionAsync(() => Assert.Contains("The status could not be read again: SQLite Error 1: 'no such table: DeadLetters'.",
            ctx.Services.GetRequiredService<MudBlazor.ISnackbar>().ShownSnackbars.Last().Message));
        Assert.Equal("3", page.Find("[data-testid=outbox-pending]").TextContent);
        Assert.False(page.Find("[data-testid=refresh-status]").HasAttribute("disabled")); // to try again
    }

    [Fact]
    public async Task TheCountsAndTimesFollowOnTheirOwn()
    {
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        var (page, _) = RenderPage<BotStatusPage>(ctx);
        await page.WaitForAssertionAsync(() => Assert.Equal("0", page.Find("[data-testid=outbox-pending]").TextContent));

        await using (var db = await Db.CreateDbContextAsync())
        {
            db.OutboxMessages.Add(new OutboxMessage { ChatId = "42", Status = OutboxStatus.Pending, Priority = OutboxMessage.NormalPriority, CreatedAt = Time.GetUtcNow() });
            await db.SaveChangesAsync();
        }
        ctx.Services.GetRequiredService<OutboxCounters>().Added(1);
        Time.Advance(TimeSpan.FromSeconds(5));
        await page.WaitForAssertionAsync(() => Assert.Equal("1", page.Find("[data-testid=outbox-pending]").TextContent));
        await page.WaitForAssertionAsync(() => Assert.Contains("5 s ago", page.Markup)); // the oldest message waiting

        // A channel post made since goes first, but the acknowledgement behind it is still the one waiting longest.
        await using (var db = await Db.CreateDbContextAsync())
        {
            db.OutboxMessages.Add(new OutboxMessage { ChatId = "@codeweek", Status = OutboxStatus.Pending, Priority = OutboxMessage.UrgentPriority, CreatedAt = Time.GetUtcNow() });
            await db.SaveChangesAsync();
        }
        ctx.Services.GetRequiredService<OutboxCounters>().Added(1);
        Time.Advance(TimeSpan.FromSeconds(5));
        await page.WaitForAssertionAsync(() => Assert.Equal("2", page.Find("[data-testid=outbox-pending]").TextContent));
        await page.WaitForAssertionAsync(() => Assert.Contains("10 s ago", page.Markup));
    }

    [Fact]
    public async Task WarnsWhenTelegramNamesAnotherBotThanTheSetting()
    {
        BotNameFromTelegram = "RealQuizBot";
        Telegram.BotUsername = "@OldQuizBot";
        await using var ctx = new BunitContext();
        AddTestServices(ctx);

        var (page, _) = RenderPage<BotStatusPage>(ctx);

        await page.WaitForElementAsync("[data-testid=bot-username-mismatch]");
        Assert.Equal("@RealQuizBot", page.Find("[data-testid=bot-username]").TextContent);
        var warning = page.Find("[data-testid=bot-username-mismatch]").TextContent;
        Assert.Contains("@RealQuizBot", warning);
        Assert.Contains("@OldQuizBot", warning);
    }
}
