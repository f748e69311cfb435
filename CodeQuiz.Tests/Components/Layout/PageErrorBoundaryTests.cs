using Bunit;
using CodeQuiz.Web.Components.Layout;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using MudBlazor.Services;

namespace CodeQuiz.Tests.Components.Layout;

public class PageErrorBoundaryTests
{
    [Fact]
    public async Task AnErrorAPageDidNotExpectIsShownInPlaceAndTheNextPageStartsClean()
    {
        await using var ctx = new BunitContext();
        ctx.Services.AddMudServices();
        ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        var cut = ctx.Render<PageErrorBoundary>(p => p.AddChildContent<Thrower>());
        Assert.Empty(cut.FindAll("[data-testid=page-error]"));

        await cut.Find("button#fails").ClickAsync(new MouseEventArgs());

        var alert = cut.Find("[data-testid=page-error]");
        Assert.Contains("This page ran into a problem and stopped: the database is locked", alert.TextContent);
        Assert.Contains("nothing is lost", alert.TextContent);
        Assert.Empty(cut.FindAll("button#fails"));

        await cut.InvokeAsync(cut.Instance.Recover); // what MainLayout does on the next page
        Assert.Empty(cut.FindAll("[data-testid=page-error]"));
        Assert.Single(cut.FindAll("button#fails"));
    }

    sealed class Thrower : ComponentBase
    {
        protected override void BuildRenderTree(Microsoft.AspNetCore.Components.Rendering.RenderTreeBuilder builder)
        {
            builder.OpenElement(0, "button");
            builder.AddAttribute(1, "id", "fails");
            builder.AddAttribute(2, "onclick", EventCallback.Factory.Create<MouseEventArgs>(this, () => throw new InvalidOperationException("the database is locked")));
            builder.CloseElement();
        }
    }
}
