using CodeQuiz.Core.Quizzes;
using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;

namespace CodeQuiz.Web.Organizers;

/// <summary>
/// Every error under /api leaves as RFC 7807 problem details, including the ones no handler wrote
/// (401 challenges, 400 unreadable bodies, 404 unknown routes, 415) and unhandled exceptions.
/// </summary>
static partial class ApiProblems
{
    public const string Prefix = "/api";

    public static bool IsApi(HttpContext context) => context.Request.Path.StartsWithSegments(Prefix);

    /// <summary>A script's request (a QR download with its token); a browser behind a proxy's basic auth sends "Basic".</summary>
    public static bool SentBearerToken(HttpContext context) =>
        context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase);

    /// <summary>Problem details for the response's status, with the reason for that status.</summary>
    public static async Task WriteAsync(HttpContext context)
    {
        var response = context.Response;
        var problems = context.RequestServices.GetRequiredService<IProblemDetailsService>();
        await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails =
            {
                Status = response.StatusCode,
                Detail = response.StatusCode == StatusCodes.Status405MethodNotAllowed && response.Headers.Allow is { Count: > 0 } allow
                    ? $"This address does not take {context.Request.Method}; it takes {allow}."
                    : response.StatusCode == StatusCodes.Status401Unauthorized && SentBearerToken(context)
                    // A script an hour into the show holds a token that has run out: "sign in first" would not say why.
                    ? "The access token was not accepted: it lasts an hour, and ends when the organizer is removed or their password changes. " +
                      "Get a new one with POST /api/auth/refresh {\"refreshToken\"} or POST /api/auth/login."
                    : DetailFor(response.StatusCode),
            },
        });
    }

    static string? DetailFor(int status) => status switch
    {
        StatusCodes.Status400BadRequest => "The request could not be read; send JSON of the documented shape.",
        StatusCodes.Status401Unauthorized => "Sign in first: POST /api/auth/login, then send the header 'Authorization: Bearer <accessToken>'.",
        StatusCodes.Status403Forbidden => "This organizer may not do that.",
        StatusCodes.Status404NotFound => "There is no such API route; GET /api/openapi/v1.json lists them.",
        StatusCodes.Status405MethodNotAllowed => "This address does not take that HTTP method.",
        StatusCodes.Status413PayloadTooLarge => "The request body is too large.",
        StatusCodes.Status415UnsupportedMediaType => "Send the body as application/json (CSV imports as text/csv).",
        _ => null,
    };

    /// <summary>"$.scoring" → "scoring", "$.options[2]" → "options": the field as the validation errors name it; null for the body as a whole.</summary>
    static string? FieldOf(JsonException json) =>
        json.Path is { Length: > 2 } path && path.StartsWith("$.", StringComparison.Ordinal)
            ? path[2..].Split('.', '[')[0] is { Length: > 0 } field ? field : null
            : null;

    /// <summary>The request's charset when .NET knows no encoding of that name, else null.</summary>
    static string? UnknownCharset(HttpContext context)
    {
        if (!Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(context.Request.ContentType, out var type) || type.Charset is not { HasValue: true } charset)
            return null;
        try
        {
            System.Text.Encoding.GetEncoding(charset.ToString());
            return null;
        }
        catch (ArgumentException)
        {
            return charset.ToString();
        }
    }

    /// <summary>The query parameter and the value the framework could not bind ("Failed to bind parameter \"int top\" from \"abc\"."); null for any other message.</summary>
    static (string Type, string Name, string Value)? QueryValueNotRead(string message) =>
        NotBound().Match(message) is { Success: true } m ? (m.Groups["type"].Value, m.Groups["name"].Value, m.Groups["value"].Value) : null;

    [System.Text.RegularExpressions.GeneratedRegex("""^Failed to bind parameter "(?<type>[^" ]+) (?<name>\w+)" from "(?<value>.*)"\.$""", System.Text.RegularExpressions.RegexOptions.Singleline)]
    private static partial System.Text.RegularExpressions.Regex NotBound();

    /// <summary>
    /// Outermost, so it sees what every inner middleware and endpoint left without a body. A HEAD answer keeps its status
    /// and headers and loses its body, whoever wrote it: Kestrel drops it, but not every host does (the test host keeps it).
    /// </summary>
    public sealed class StartupFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (context, inner) =>
            {
                var api = IsApi(context);
                var head = HttpMethods.IsHead(context.Request.Method);
                if (!api && !head)
                {
                    await inner(context);
                    return;
                }
                var body = context.Response.Body;
                if (head)
                    context.Response.Body = Stream.Null;
                try
                {
                    await inner(context);
                    var response = context.Response;
                    if (api && response.StatusCode >= 400 && !response.HasStarted && response.ContentLength is null && string.IsNullOrEmpty(response.ContentType))
                        await WriteAsync(context);
                }
                finally
                {
                    if (head)
                        context.Response.Body = body;
                }
            });
            next(app);
        };
    }

    /// <summary>Turns exceptions under /api into problem details instead of the console's error page.</summary>
    public sealed class ExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
    {
        public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
        {
            // The middleware has already pointed the request at the console's /Error page: the address asked for is in its feature.
            var asked = context.Features.Get<IExceptionHandlerPathFeature>()?.Path is { } path ? new PathString(path) : context.Request.Path;
            if (!asked.StartsWithSegments(Prefix) && exception is not BadHttpRequestException)
                return false;
            // A syntax error (a body cut off after "name":) carries the reader's own JsonException: that is broken JSON, below.
            if (exception is BadHttpRequestException { InnerException: JsonException { InnerException: not JsonException } json } && FieldOf(json) is { } field)
            {
                // "kind": "Bogus", "seconds": 99999999999, "name": 123, "name" twice: say which field, as validation does.
                var reason = json is EnumNamesConverter.NotANameException name
                    ? $"'{field}' must be one of {string.Join(", ", name.Allowed)}."
                    : json.Message.StartsWith("Duplicate property", StringComparison.Ordinal) ? $"'{field}' is given more than once; send each field once."
                    : null;
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                return await problems.TryWriteAsync(new ProblemDetailsContext
                {
                    HttpContext = context,
                    Exception = exception,
                    ProblemDetails = new HttpValidationProblemDetails(new Dictionary<string, string[]>
                    {
                        [field] = [reason ?? $"'{field}' has a value of the wrong type, or out of range; see the Organizer API in docs/api.md for what it takes."],
                    })
                    {
                        Status = StatusCodes.Status400BadRequest,
                        Detail = $"The request could not be read: {reason ?? $"'{field}' has a value it cannot take."}",
                    },
                });
            }
            if (exception is BadHttpRequestException { InnerException: null } bad && QueryValueNotRead(bad.Message) is var (type, parameter, value))
            {
                // "?top=abc" or "?top=99999999999": the framework's "Failed to bind parameter \"int top\"" told a GET to send JSON.
                var digits = value.TrimStart('-');
                var reason = type.Contains("bool", StringComparison.OrdinalIgnoreCase) ? $"'{parameter}' must be true or false (was '{value}')."
                    : digits.Length > 0 && digits.All(char.IsAsciiDigit) ? $"'{parameter}' is too {(value.StartsWith('-') ? "small" : "large")} a number (was '{value}')."
                    : $"'{parameter}' must be a whole number (was '{value}').";
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                return await problems.TryWriteAsync(new ProblemDetailsContext
                {
                    HttpContext = context,
                    Exception = exception,
                    ProblemDetails = new HttpValidationProblemDetails(new Dictionary<string, string[]> { [parameter] = [reason] })
                    {
                        Status = StatusCodes.Status400BadRequest,
                        Detail = $"The query could not be read: {reason}",
                    },
                });
            }
            var (status, detail) = exception switch
            {
                QuestionStateException e => (StatusCodes.Status409Conflict, e.Message),
                // "application/json; charset=bogus": the framework throws before reading a byte of the body.
                InvalidOperationException { InnerException: ArgumentException } when UnknownCharset(context) is { } charset =>
                    (StatusCodes.Status415UnsupportedMediaType,
                        $"The charset '{charset}' of the body is not one CodeQuiz reads; send it as UTF-8 (Content-Type: application/json; charset=utf-8)."),
                KeyNotFoundException e => (StatusCodes.Status404NotFound, e.Message),
                // Valid JSON of the wrong kind ([…], 42, "…"); a syntax error carries the reader's exception inside.
                BadHttpRequestException { InnerException: JsonException { Path: "$", InnerException: null } } =>
                    (StatusCodes.Status400BadRequest, "The body must be a JSON object ({…}) with the documented fields, not an array, a string or a number."),
                BadHttpRequestException { InnerException: JsonException { LineNumber: { } line, BytePositionInLine: { } position } } =>
                    (StatusCodes.Status400BadRequest, $"The body is not valid JSON (line {line + 1}, position {position + 1}); send JSON of the documented shape."),
                // "Implicit body inferred … but no body was provided", "Required parameter … was not provided from body": a developer's words.
                BadHttpRequestException { StatusCode: StatusCodes.Status400BadRequest, InnerException: null } e when e.Message.Contains(" body", StringComparison.Ordinal) =>
                    (e.StatusCode, "The request has no body (or a body of null); send a JSON object with the documented fields."),
                BadHttpRequestException { StatusCode: StatusCodes.Status400BadRequest } e => (e.StatusCode, $"{e.Message} {DetailFor(e.StatusCode)}"),
                BadHttpRequestException e => (e.StatusCode, DetailFor(e.StatusCode) ?? e.Message),
                _ => (StatusCodes.Status500InternalServerError, "Something went wrong on our side; the server log has the details."),
            };
            context.Response.StatusCode = status;
            return await problems.TryWriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                Exception = exception,
                ProblemDetails = { Status = status, Detail = detail },
            });
        }
    }
}
