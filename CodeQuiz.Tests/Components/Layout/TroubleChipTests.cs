using Bunit;
using CodeQuiz.Core.Outbox;
using CodeQuiz.Web.Components.Layout;
using Microsoft.Extensions.DependencyInjection;

namespace CodeQuiz.Tests.Components.Layout;

public class TroubleChipTests : ConsoleTestBase
{
    [Fact]
    public async Task TheAppBarWarnsOnEveryPageWhileAnswersAreNotStoredOrTelegramIsOutOfReach()
    {
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        var counters = ctx.Services.GetRequiredService<OutboxCounters>();
        var cut = ctx.Render<TroubleChip>();
        Assert.Empty(cut.FindAll("a"));

        counters.Outage.Raise(Time.GetUtcNow(), "Connection refused");
        Time.Advance(TimeSpan.FromSeconds(2));
        await cut.WaitForAssertionAsync(() => Assert.Equal("⚠ Telegram unreachable", cut.Find("[data-testid=trouble-telegram]").TextContent));

        // Not storing answers matters more: it takes the place.
        Live.Storage.Raise(Time.GetUtcNow(), "database or disk is full");
        Time.Advance(TimeSpan.FromSeconds(2));
        await cut.WaitForAssertionAsync(() => Assert.Equal("⚠ Answers not stored", cut.Find("[data-testid=trouble-storage]").TextContent));
        Assert.Empty(cut.FindAll("[data-testid=trouble-telegram]"));
        Assert.Equal("/bot", cut.Find("a").GetAttribute("href"));

        Live.Storage.Clear();
        counters.Outage.Clear();
        Time.Advance(TimeSpan.FromSeconds(2));
        await cut.WaitForAssertionAsync(() => Assert.Empty(cut.FindAll("a")));
    }
}
