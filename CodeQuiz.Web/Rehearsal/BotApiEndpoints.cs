using System.Text.Json;
using Microsoft.AspNetCore.Routing.Matching;
using Microsoft.AspNetCore.Routing.Patterns;
using Telegram.Bot;

namespace CodeQuiz.Web.Rehearsal;

/// <summary>The simulator's Bot API at /bot{token}/{method}, with Telegram's envelope and status codes.</summary>
public static class BotApiEndpoints
{
    public static IEndpointRouteBuilder MapBotApi(this IEndpointRouteBuilder app)
    {
        // Not "/bot{token}/{method}": a complex segment matches "bot" at its last occurrence, and the
        // rehearsal token itself contains "bot".
        var pattern = RoutePatternFactory.Parse("/{botToken}/{method}", defaults: null, parameterPolicies: new { botToken = new BotTokenSegment() });
        app.Map(pattern, HandleAsync)
            .WithMetadata(new HttpMethodMetadata(["GET", "POST"]), new Microsoft.AspNetCore.Mvc.SkipStatusCodePagesAttribute())
            .DisableAntiforgery()
            .AllowAnonymous()
            .ExcludeFromDescription();
        return app;
    }

    static async Task HandleAsync(HttpContext context, string botToken, string method, TelegramSimulator simulator)
    {
        var token = botToken["bot".Length..];
        var cancellationToken = context.RequestAborted;
        string body;
        try
        {
            // The bot calls the simulator on the app's own address. Its token is no secret (it is in the source), so from
            // anywhere else setWebhook would have the app post every update to an address of the caller's choosing, and
            // getUpdates, sendMessage and the rest would take over the rehearsal.
            if (!ThisMachine.IsCaller(context))
                throw BotApiException.Forbidden("the rehearsal Bot API answers only the app itself, on this machine");
            if (token != CodeQuiz.Core.Telegram.TelegramOptions.RehearsalToken)
                throw BotApiException.Unauthorized();
            var parameters = await BotApiParameters.ReadAsync(context.Request, cancellationToken);
            var result = await simulator.ExecuteAsync(token, method, parameters, cancellationToken);
            context.Response.StatusCode = StatusCodes.Status200OK;
            body = $$"""{"ok":true,"result":{{JsonSerializer.Serialize(result, result.GetType(), JsonBotAPI.Options)}}}""";
        }
        catch (BotApiException e)
        {
            context.Response.StatusCode = e.ErrorCode;
            if (e.RetryAfter is { } retryAfter)
                context.Response.Headers.RetryAfter = retryAfter.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var error = new Dictionary<string, object>
            {
                ["ok"] = false,
                ["error_code"] = e.ErrorCode,
                ["description"] = e.Description,
            };
            if (e.RetryAfter is { } seconds)
                error["parameters"] = new Dictionary<string, long> { ["retry_after"] = seconds };
            if (e.MigrateToChatId is { } supergroup)
                error["parameters"] = new Dictionary<string, long> { ["migrate_to_chat_id"] = supergroup };
            body = JsonSerializer.Serialize(error);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return;
        }
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body, cancellationToken);
    }

    /// <summary>The "bot{token}" path segment.</summary>
    /// <remarks>
    /// Also a literal policy, so routing rules the pattern out for "/api/…" before it weighs methods and content types:
    /// otherwise, as a candidate that takes any body, it would turn the API's 415 for a wrong Content-Type into a 404.
    /// </remarks>
    sealed class BotTokenSegment : IRouteConstraint, IParameterLiteralNodeMatchingPolicy
    {
        public bool Match(HttpContext? httpContext, IRouter? route, string routeKey, RouteValueDictionary values, RouteDirection routeDirection) =>
            values.TryGetValue(routeKey, out var value) && value is string segment && IsBotToken(segment);

        public bool MatchesLiteral(string parameterName, string literal) => IsBotToken(literal);

        static bool IsBotToken(string segment) => segment.StartsWith("bot", StringComparison.Ordinal) && segment.Length > 3;
    }
}
