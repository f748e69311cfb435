using Bunit;
using CodeQuiz.Web.Components.Layout;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace CodeQuiz.Tests.Components.Layout;

public class PageErrorBoundaryTests
{
    [Fact]
    public async Task AnErrorAPageDidNotExpectIsShownInPlaceAndTheNextPageStartsClean()
    {
        await using var ctx = new BunitContext();
        ctx.Services.AddMudServices();
        ctx.AddAuthorization().SetAuthorized("organizer@example.com");
        ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        ctx.Renderer.SetRendererInfo(new RendererInfo("Server", isInteractive: true));
        var cut = ctx.Render<PageErrorBoundary>(p => p.AddChildContent<Thrower>());
        Assert.Empty(cut.FindAll("[data-testid=page-error]"));

        await cut.Find("button#fails").ClickAsync(new MouseEventArgs());

        var alert = cut.Find("[data-testid=page-error]");
        Assert.Contains("This page ran into a problem and stopped: the database is locked", alert.TextContent);
        Assert.Contains("nothing is lost", alert.TextContent);
        Assert.Equal("BUTTON", cut.Find("[data-testid=page-error-reload]").TagName); // the circuit reloads the page
        Assert.Empty(cut.FindAll("button#fails"));

        await cut.InvokeAsync(cut.Instance.Recover); // what MainLayout does on the next page
        Assert.Empty(cut.FindAll("[data-testid=page-error]"));
        Assert.Single(cut.FindAll("button#fails"));
    }

    [Fact]
    public async Task OnAPageOfPlainFormsReloadIsALinkToThePage()
    {
        await using var ctx = new BunitContext();
        ctx.Services.AddMudServices();
        ctx.AddAuthorization().SetAuthorized("organizer@example.com");
        ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        ctx.Renderer.SetRendererInfo(new RendererInfo("Static", isInteractive: false)); // sign-in, organizers: no circuit
        ctx.Services.GetRequiredService<NavigationManager>().NavigateTo("/account/organizers?remove=7");

        var cut = ctx.Render<PageErrorBoundary>(p => p.AddChildContent<FailsAtOnce>());

        Assert.Contains("This page ran into a problem and stopped: the database is locked", cut.Find("[data-testid=page-error]").TextContent);
        var reload = cut.Find("[data-testid=page-error-reload]");
        Assert.Equal("A", reload.TagName); // a button's click would go nowhere
        Assert.Equal("http://localhost/account/organizers?remove=7", reload.GetAttribute("href"));
    }

    [Fact]
    public async Task AVisitorNotSignedInIsNotShownWhatWentWrongOnlyWhereToFindIt()
    {
        await using var ctx = new BunitContext();
        ctx.Services.AddMudServices();
        ctx.AddAuthorization(); // nobody signed in
        ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        ctx.Renderer.SetRendererInfo(new RendererInfo("Static", isInteractive: false)); // sign-in, first run
        ctx.Services.GetRequiredService<NavigationManager>().NavigateTo("/account/login");

        var cut = ctx.Render<PageErrorBoundary>(p => p.AddChildContent<FailsAtOnce>());

        var alert = cut.Find("[data-testid=page-error]").TextContent;
        Assert.Contains("This page ran into a problem and stopped. What went wrong is in the server's log.", alert);
        Assert.DoesNotContain("the database is locked", alert);
        Assert.Contains("nothing is lost", alert);
        Assert.Equal("http://localhost/account/login", cut.Find("[data-testid=page-error-reload]").GetAttribute("href"));
    }

    sealed class FailsAtOnce : ComponentBase
    {
        protected override void OnInitialized() => throw new InvalidOperationException("the database is locked");
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
