using Bunit;
using CodeQuiz.Core.Quizzes;
using CodeQuiz.Web.Components.Pages.Present;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace CodeQuiz.Tests.Components.Present;

public class PresenterLinkCardTests : ConsoleTestBase
{
    async Task<(BunitContext Ctx, IRenderedComponent<MudDialogProvider> Dialogs, IRenderedComponent<PresenterLinkCard> Card, QuizEvent Event)> RenderAsync()
    {
        var ctx = new BunitContext();
        AddTestServices(ctx);
        ctx.Services.AddQuizzes();
        var quizEvent = await SeedEventAsync(FreeText());
        var dialogs = ctx.Render<MudDialogProvider>();
        var card = ctx.Render<PresenterLinkCard>(p => p.Add(x => x.EventId, quizEvent.Id).Add(x => x.Token, quizEvent.PresenterToken));
        return (ctx, dialogs, card, quizEvent);
    }

    [Fact]
    public async Task PresenterLinkCard_ShowsTheAbsoluteLinkAndCopiesItAndTheOverlayLink()
    {
        var (ctx, _, card, quizEvent) = await RenderAsync();
        await using var _ = ctx;

        Assert.Equal($"http://localhost/present/{quizEvent.PresenterToken}", card.Find("input").GetAttribute("value"));

        card.Find("[data-testid=copy-presenter-link]").Click();
        card.Find("[data-testid=copy-overlay-link]").Click();

        var copied = ctx.JSInterop.Invocations["codeQuizCopy"].Select(i => i.Arguments[0]).ToList();
        Assert.Equal([$"http://localhost/present/{quizEvent.PresenterToken}", $"http://localhost/present/{quizEvent.PresenterToken}?overlay=1"], copied);
    }

    [Fact]
    public async Task PresenterLinkCard_MakesANewLinkOnlyAfterConfirmation()
    {
        var (ctx, dialogs, card, quizEvent) = await RenderAsync();
        await using var _ = ctx;

        card.Find("[data-testid=regenerate-presenter-link]").Click();
        dialogs.WaitForAssertion(() => Assert.Contains("stops updating", dialogs.Markup));
        dialogs.FindAll("button").Single(b => b.TextContent.Contains("Cancel")).Click();
        Assert.Equal(quizEvent.PresenterToken, await QueryAsync(db => db.Events.Select(e => e.PresenterToken).SingleAsync()));

        card.Find("[data-testid=regenerate-presenter-link]").Click();
        dialogs.WaitForAssertion(() => Assert.Contains("Make a new link", dialogs.Markup));
        dialogs.FindAll("button").Single(b => b.TextContent.Contains("Make a new link")).Click();

        card.WaitForAssertion(() => Assert.DoesNotContain(quizEvent.PresenterToken, card.Find("input").GetAttribute("value")));
        var newToken = await QueryAsync(db => db.Events.Select(e => e.PresenterToken).SingleAsync());
        Assert.NotEqual(quizEvent.PresenterToken, newToken);
        Assert.Equal($"http://localhost/present/{newToken}", card.Find("input").GetAttribute("value"));
    }

    [Fact]
    public async Task PresenterLinkCard_ANewLinkTheDatabaseRefusesIsReportedAndTheLivePageCarriesOn()
    {
        var (ctx, dialogs, card, quizEvent) = await RenderAsync();
        await using var _ = ctx;
        await QueryAsync(db => db.Database.ExecuteSqlRawAsync(
            "CREATE TRIGGER refuse BEFORE UPDATE OF PresenterToken ON Events BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END"));

        card.Find("[data-testid=regenerate-presenter-link]").Click();
        dialogs.WaitForAssertion(() => Assert.Contains("Make a new link", dialogs.Markup));
        dialogs.FindAll("button").Single(b => b.TextContent.Contains("Make a new link")).Click();

        await card.WaitForAssertionAsync(() => Assert.Contains("Not done, the old link still works: SQLite Error 19: 'database or disk is full'.",
            ctx.Services.GetRequiredService<ISnackbar>().ShownSnackbars.Last().Message), TimeSpan.FromSeconds(15));
        Assert.Equal($"http://localhost/present/{quizEvent.PresenterToken}", card.Find("input").GetAttribute("value"));
        Assert.False(card.Find("[data-testid=regenerate-presenter-link]").HasAttribute("disabled"));
    }

    [Fact]
    public async Task PresenterLinkCard_ShowsTheLinkThePageReadAfterAnotherOrganizerMadeANewOne()
    {
        var (ctx, _, card, quizEvent) = await RenderAsync();
        await using var _ = ctx;
        var renewed = (await ctx.Services.GetRequiredService<QuizCatalog>().RegeneratePresenterTokenAsync(quizEvent.Id)).Value!.PresenterToken;

        card.Render(p => p.Add(x => x.Token, renewed)); // the live page read the event again

        Assert.Equal($"http://localhost/present/{renewed}", card.Find("input").GetAttribute("value"));
    }
}
