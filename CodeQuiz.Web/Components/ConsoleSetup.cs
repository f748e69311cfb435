using CodeQuiz.Web.Components;
using CodeQuiz.Web.Components.Pages.Account;
using CodeQuiz.Web.Components.Pages.Qr;
using MudBlazor.Services;

namespace CodeQuiz.Web;

public static class ConsoleSetup
{
    /// <summary>The Blazor Server console with MudBlazor.</summary>
    public static WebApplicationBuilder AddConsole(this WebApplicationBuilder builder)
    {
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddMudServices();
        builder.Services.AddCascadingAuthenticationState();
        builder.Services.AddAuthorization();
        builder.Services.AddSingleton<BotLinks>();
        return builder;
    }

    public static WebApplication UseConsole(this WebApplication app)
    {
        if (!app.Environment.IsDevelopment())
            app.UseExceptionHandler("/Error", createScopeForErrors: true);
        app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
        app.UseAntiforgery();
        return app;
    }

    public static IEndpointRouteBuilder MapConsole(this WebApplication app)
    {
        app.MapStaticAssets();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        app.MapAccountEndpoints();
        app.MapQrCodes();
        return app;
    }
}
