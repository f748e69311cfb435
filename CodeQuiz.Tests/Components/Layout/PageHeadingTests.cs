using Bunit;
using CodeQuiz.Web.Components.Pages;
using CodeQuiz.Web.Components.Pages.Events;
using CodeQuiz.Web.Components.Pages.Live;
using CodeQuiz.Web.Components.Pages.Qr;
using CodeQuiz.Web.Components.Pages.Results;
using Microsoft.AspNetCore.Components;

namespace CodeQuiz.Tests.Components.Layout;

/// <summary>
/// A page that has nothing to show still says so in its one h1: the console moves the focus to the h1 after each
/// navigation, and a screen reader lists the page by it.
/// </summary>
public class PageHeadingTests : ConsoleTestBase
{
    [Theory]
    [InlineData(typeof(EventPage), "There is no such event.")]
    [InlineData(typeof(LivePage), "There is no such event.")]
    [InlineData(typeof(QrSheet), "There is no such event.")]
    [InlineData(typeof(ResultsPage), "There is no such event.")]
    [InlineData(typeof(QuestionEditor), "There is no such question.")]
    [InlineData(typeof(NotFound), "Not found")]
    public async Task APageWithNothingToShowSaysSoInItsOnlyH1(Type page, string heading)
    {
        await using var ctx = new BunitContext();
        AddTestServices(ctx);
        ctx.Renderer.SetRendererInfo(new RendererInfo("Server", isInteractive: true));
        var parameters = new Dictionary<string, object>();
        if (page.GetProperty("QuestionId") is not null) parameters["QuestionId"] = (int?)4242;
        else if (page.GetProperty("EventId") is not null) parameters["EventId"] = 4242;
        ctx.Render(b =>
        {
            b.OpenComponent<MudBlazor.MudPopoverProvider>(0);
            b.CloseComponent();
        });
        var cut = ctx.Render(b =>
        {
            b.OpenComponent(0, page);
            b.AddMultipleAttributes(1, parameters);
            b.CloseComponent();
        });

        await cut.WaitForAssertionAsync(() => Assert.Equal(heading, Assert.Single(cut.FindAll("h1")).TextContent.Trim()), TimeSpan.FromSeconds(10));
    }
}
