using CodeQuiz.Core.Persistence;
using CodeQuiz.Core.Quizzes;
using CodeQuiz.Core.Settings;
using CodeQuiz.Web.Organizers;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Identity;
using Microsoft.OpenApi;

namespace CodeQuiz.Web;

public static class OrganizerSetup
{
    /// <summary>Accepts the console's cookie and the API's bearer token; every /api route except login requires it.</summary>
    public const string OrganizerPolicy = "Organizer", DownloadPolicy = "OrganizerDownload";

    /// <summary>Identity, cookie and bearer authentication, the first organizer from Bootstrap settings.</summary>
    public static WebApplicationBuilder AddOrganizers(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddIdentityCore<Organizer>(o =>
            {
                o.User.RequireUniqueEmail = true;
                // Identity's lockout is per account, so anyone could set it off; SignInThrottle counts per address too.
                o.Lockout.AllowedForNewUsers = false;
            })
            .AddEntityFrameworkStores<QuizDbContext>()
            .AddSignInManager()
            .AddDefaultTokenProviders();

        var authentication = services.AddAuthentication(o =>
        {
            o.DefaultScheme = IdentityConstants.ApplicationScheme;
            o.DefaultSignInScheme = IdentityConstants.ExternalScheme;
        });
        // Both check the organizer's security stamp: removing an organizer or changing a password ends their sessions.
        authentication.AddBearerToken(IdentityConstants.BearerScheme, o => o.Events.OnMessageReceived = OrganizerSessions.ValidateBearerAsync);
        authentication.AddIdentityCookies();
        services.ConfigureApplicationCookie(o =>
        {
            o.LoginPath = "/account/login";
            o.Events.OnValidatePrincipal = OrganizerSessions.ValidateCookieAsync;
            // The API answers 401/403 problems; only the console's pages redirect to the login page.
            o.Events.OnRedirectToLogin = context => ApiOrRedirect(context.HttpContext, StatusCodes.Status401Unauthorized, context.RedirectUri);
            o.Events.OnRedirectToAccessDenied = context => ApiOrRedirect(context.HttpContext, StatusCodes.Status403Forbidden, context.RedirectUri);
        });

        services.AddAuthorizationBuilder()
            .AddPolicy(OrganizerPolicy, p => p
                .AddAuthenticationSchemes(IdentityConstants.ApplicationScheme, IdentityConstants.BearerScheme)
                .RequireAuthenticatedUser())
            // Downloads for the console's links and for scripts: the cookie's challenge comes last, so a browser
            // that is not signed in is sent to the login page rather than shown a bare 401.
            .AddPolicy(DownloadPolicy, p => p
                .AddAuthenticationSchemes(IdentityConstants.BearerScheme, IdentityConstants.ApplicationScheme)
                .RequireAuthenticatedUser());

        services.AddScoped<OrganizerAccounts>();
        services.AddSingleton<SignInThrottle>();
        services.AddScoped<OrganizerSignIn>();
        services.AddSingleton<OrganizerSessions>();
        services.AddQuizzes();
        services.AddOptions<BootstrapOptions>().BindSettings(BootstrapOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<OrganizerBootstrap>();
        services.AddSingleton<FirstRunCode>();

        services.AddProblemDetails();
        // An unreadable body reaches ApiProblems as an exception, which can name the field at fault.
        services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddExceptionHandler<ApiProblems.ExceptionHandler>();
        services.AddUnknownIds();
        services.AddTransient<IStartupFilter, ApiProblems.StartupFilter>();
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.Converters.Add(new EnumNamesConverter());
            // {"name":"Final","name":"Rehearsal"} is refused naming the field, rather than saved as whichever came last.
            o.SerializerOptions.AllowDuplicateProperties = false;
        });
        services.AddOpenApi(o => o.AddSchemaTransformer((schema, context, _) =>
        {
            // EnumNamesConverter is a converter of its own, which the description cannot see into: it said nothing of
            // "kind" or "scoring", and a client generated from it sent numbers, which the API refuses. Names, as it takes them.
            if (context.JsonTypeInfo.Type.IsEnum)
            {
                schema.Type = JsonSchemaType.String;
                schema.Enum = [.. Enum.GetNames(context.JsonTypeInfo.Type).Select(name => (System.Text.Json.Nodes.JsonNode)name)];
            }
            return Task.CompletedTask;
        }).AddDocumentTransformer((document, _, _) =>
        {
            // Tools reading the description learn to send the token from POST /api/auth/login.
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes["Bearer"] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                Description = "The accessToken from POST /api/auth/login.",
            };
            document.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("Bearer", document)] = [] }];
            return Task.CompletedTask;
        }));
        return builder;
    }

    /// <summary>The first organizer from the Bootstrap settings; after the migrations, before the app takes traffic.</summary>
    public static Task CreateFirstOrganizerAsync(this WebApplication app) =>
        app.Services.GetRequiredService<OrganizerBootstrap>().CreateFirstOrganizerAsync(app.Lifetime.ApplicationStopping);

    /// <summary>The organizer HTTP API under /api.</summary>
    public static IEndpointRouteBuilder MapOrganizerApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup(ApiProblems.Prefix)
            .RequireAuthorization(OrganizerPolicy)
            .WithMetadata(new Microsoft.AspNetCore.Mvc.SkipStatusCodePagesAttribute())
            .AddEndpointFilter(CrossSiteRequests.RefuseAsync)
            .AnswersWrongMethods();
        api.MapAuth();
        api.MapEvents();
        api.MapQuestions();
        api.MapResults();
        api.MapOpenApi("/openapi/{documentName}.json");
        app.MapUnknownIds();
        // No catch-all fallback, nor one per collection for the ids too large: it would win over the 405 (wrong method) and
        // 415 (wrong Content-Type) answers, telling a client that used a real route wrongly that the route does not exist.
        return app;
    }

    static async Task ApiOrRedirect(HttpContext context, int status, string redirectUri)
    {
        if (ApiProblems.IsApi(context))
            context.Response.StatusCode = status;
        else if (ApiProblems.SentBearerToken(context))
        {
            // A script downloading QR codes with an expired or wrong token: a 401 it can act on, not a login page.
            context.Response.StatusCode = status;
            await ApiProblems.WriteAsync(context);
        }
        else
            context.Response.Redirect(redirectUri);
    }
}
