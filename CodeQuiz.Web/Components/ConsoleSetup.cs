using CodeQuiz.Web.Components;
using CodeQuiz.Web.Components.Pages.Account;
using CodeQuiz.Web.Components.Pages.Qr;
using CodeQuiz.Web.Organizers;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor.Services;

namespace CodeQuiz.Web;

public static class ConsoleSetup
{
    /// <summary>The Blazor Server console with MudBlazor.</summary>
    public static WebApplicationBuilder AddConsole(this WebApplicationBuilder builder)
    {
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddMudServices(o =>
        {
            // Bottom right, narrow (app.css): on the live page at 1366×768 it covers no control, open or closed, at most the
            // right end of a podium row or a last answer, whose text is at their left. Top right hid the organizer's name and
            // Sign out, top centre the presenter card's Copy link; bottom centre covers the list's Open buttons and the
            // leave-out buttons, bottom left the list's questions.
            o.SnackbarConfiguration.PositionClass = MudBlazor.Defaults.Classes.Position.BottomRight;
            o.SnackbarConfiguration.PreventDuplicates = true;
            o.SnackbarConfiguration.NewestOnTop = true;
            o.SnackbarConfiguration.VisibleStateDuration = 4000;
            // Fully there at once: half faded in, what is under it shows through and both are hard to read.
            o.SnackbarConfiguration.ShowTransitionDuration = 150;
            o.SnackbarConfiguration.HideTransitionDuration = 150;
        });
        // Framing is decided per page by SecurityHeaders: the console never, the presenter and overlay anywhere. The
        // antiforgery token would otherwise make every page, the overlay included, SAMEORIGIN.
        builder.Services.AddAntiforgery(o => o.SuppressXFrameOptionsHeader = true);
        builder.Services.AddCascadingAuthenticationState();
        builder.Services.AddScoped<AuthenticationStateProvider, OrganizerCircuitAuthentication>();
        builder.Services.AddAuthorization();
        builder.Services.AddSingleton<BotLinks>();
        return builder;
    }

    public static WebApplication UseConsole(this WebApplication app)
    {
        if (!app.Environment.IsDevelopment())
            app.UseExceptionHandler("/Error", createScopeForErrors: true);
        else
            // `dotnet run` is Development: the console keeps the developer page, but the API still answers its problem
            // details (the field at fault, the names an enum takes), never a stack trace echoing the bearer token.
            app.UseWhen(ApiProblems.IsApi, api => api.UseExceptionHandler());
        // The console's "not found" page is for people in a browser; the API answers problem details (ApiProblems). Only
        // for GET: re-executed for a POST (to /healthz, say), the page refuses it for want of an antiforgery token, and
        // the client's 405 becomes a bare 400.
        app.UseWhen(context => !ApiProblems.IsApi(context) && HttpMethods.IsGet(context.Request.Method),
            console => console.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true));
        // The other methods get a line that says why, where the status alone would have been all: routing's 405 for
        // TRACE, PROPFIND or OPTIONS on a page, whose empty body a client may read as success. HEAD keeps the GET's headers.
        app.UseWhen(context => !ApiProblems.IsApi(context) && !HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method),
            other => other.UseStatusCodePages(SayWhyAsync));
        // Routing and authorization after the two re-executing handlers, so /Error and /not-found are routed
        // and authorized again when they are re-executed (both are [AllowAnonymous] pages).
        app.UseRouting();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();
        return app;
    }

    public static IEndpointRouteBuilder MapConsole(this WebApplication app)
    {
        app.MapStaticAssets();
        // SecurityHeaders forbids framing the console outright, which also covers what Blazor's own frame-ancestors 'self'
        // is for (its compressed WebSocket); left on, Blazor's would keep the overlay out of streaming studios' frames.
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode(o => o.ContentSecurityFrameAncestorsPolicy = null).Add(TakeHeadAsGet);
        app.MapAccountEndpoints();
        app.MapQrCodes();
        return app;
    }

    static Task SayWhyAsync(Microsoft.AspNetCore.Diagnostics.StatusCodeContext status)
    {
        var response = status.HttpContext.Response;
        response.ContentType = "text/plain; charset=utf-8";
        return response.WriteAsync(response.StatusCode == StatusCodes.Status405MethodNotAllowed && response.Headers.Allow is { Count: > 0 } allow
            ? $"This address does not take {status.HttpContext.Request.Method}; it takes {allow}.\n"
            : $"{response.StatusCode} {Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(response.StatusCode)}\n");
    }

    /// <summary>
    /// Pages take GET and POST only, so curl -I, uptime monitors and link checkers asking for a presenter link or the
    /// sign-in page with HEAD were told 404. HEAD is answered as the GET is; Kestrel sends no body for it.
    /// </summary>
    static void TakeHeadAsGet(EndpointBuilder endpoint)
    {
        var index = endpoint.Metadata.ToList().FindIndex(m => m is HttpMethodMetadata);
        if (index >= 0 && endpoint.Metadata[index] is HttpMethodMetadata { HttpMethods: var methods } && methods.Contains(HttpMethods.Get) && !methods.Contains(HttpMethods.Head))
            endpoint.Metadata[index] = new HttpMethodMetadata([.. methods, HttpMethods.Head]);
    }
}
