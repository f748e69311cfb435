using System.Net;
using System.Text.RegularExpressions;
using CodeQuiz.Core.Persistence;
using CodeQuiz.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CodeQuiz.Tests.Components;

/// <summary>
/// A cookie-keeping HTTP client for the console's static forms (login, first run, sign-out), posting them as a
/// browser would: the antiforgery token and the form's handler name come from the page it read.
/// </summary>
public sealed partial class ConsoleClient(CodeQuizFactory factory)
{
    public HttpClient Http { get; } = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    public const string Email = "organizer@codeweek.example", Password = "Quiz-night-2026";

    /// <summary>Reads <paramref name="page"/>, fills its form with <paramref name="fields"/> and submits it.</summary>
    public Task<HttpResponseMessage> SubmitAsync(string page, params (string Name, string Value)[] fields) =>
        SubmitAsync(page, page, fields);

    /// <summary>Submits the form named <paramref name="formName"/> of a page that has several.</summary>
    public Task<HttpResponseMessage> SubmitFormAsync(string page, string formName, params (string Name, string Value)[] fields) =>
        SubmitAsync(page, page, fields, formName);

    /// <summary>Posts a form the page does not show, as a hand-made request would (with the page's antiforgery token).</summary>
    public Task<HttpResponseMessage> SubmitMissingFormAsync(string page, string formName, params (string Name, string Value)[] fields) =>
        SubmitAsync(page, page, fields, formName, formMustExist: false);

    /// <summary>The sign-out button in the app bar of <paramref name="page"/>.</summary>
    public Task<HttpResponseMessage> SignOutAsync(string page = "/bot") => SubmitAsync(page, "/account/logout");

    Task<HttpResponseMessage> SubmitAsync(string page, string action, params (string Name, string Value)[] fields) =>
        SubmitAsync(page, action, fields, formName: null);

    async Task<HttpResponseMessage> SubmitAsync(string page, string action, (string Name, string Value)[] fields, string? formName,
        bool formMustExist = true)
    {
        var html = await (await Http.GetAsync(page)).Content.ReadAsStringAsync();
        var form = new List<KeyValuePair<string, string>>
        {
            new("__RequestVerificationToken", Hidden(html, "__RequestVerificationToken")),
        };
        if (formName is not null)
        {
            if (formMustExist && !html.Contains($"value=\"{formName}\"", StringComparison.Ordinal))
                throw new InvalidOperationException($"The page {page} has no form {formName}:\n{html}");
            form.Add(new("_handler", formName));
        }
        else if (TryHidden(html, "_handler") is { } handler)
            form.Add(new("_handler", handler));
        form.AddRange(fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)));
        return await Http.PostAsync(action, new FormUrlEncodedContent(form));
    }

    public Task<HttpResponseMessage> LoginAsync(string email = Email, string password = Password, string page = "/account/login") =>
        SubmitAsync(page, ("Input.Email", email), ("Input.Password", password));

    /// <summary>Where a redirect points, as a path and query, whether the app wrote it absolute or relative.</summary>
    public static string? RedirectTarget(HttpResponseMessage response) => response.Headers.Location switch
    {
        null => null,
        { IsAbsoluteUri: true } uri => uri.PathAndQuery,
        var uri => uri.OriginalString,
    };

    public async Task<string> GetHtmlAsync(string path)
    {
        var response = await Http.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>A page that says the database did not answer: 503, to a HEAD request as well, with the page's own words.</summary>
    public async Task<string> GetNotReadHtmlAsync(string path)
    {
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await Http.SendAsync(new HttpRequestMessage(HttpMethod.Head, path))).StatusCode);
        var response = await Http.GetAsync(path);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>A hidden field of a page read earlier, for a form sent later (as from a tab left open).</summary>
    public static string HiddenField(string html, string name) => Hidden(html, name);

    static string Hidden(string html, string name) =>
        TryHidden(html, name) ?? throw new InvalidOperationException($"The page has no hidden field {name}:\n{html}");

    static string? TryHidden(string html, string name)
    {
        foreach (Match input in InputTag().Matches(html))
        {
            if (input.Value.Contains($"name=\"{name}\""))
                return WebUtility.HtmlDecode(ValueAttribute().Match(input.Value).Groups[1].Value);
        }
        return null;
    }

    /// <summary>As with a database server restarting: every reading of the organizers fails.</summary>
    public static Task OrganizersAwayAsync(CodeQuizFactory factory) => RenameAsync(factory, "AspNetUsers", "AspNetUsersAway");

    /// <summary>The database answers again.</summary>
    public static Task OrganizersBackAsync(CodeQuizFactory factory) => RenameAsync(factory, "AspNetUsersAway", "AspNetUsers");

    static async Task RenameAsync(CodeQuizFactory factory, string table, string to)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<QuizDbContext>>().CreateDbContextAsync();
        var rename = $"ALTER TABLE {table} RENAME TO {to}"; // table names of the test's own
        await db.Database.ExecuteSqlRawAsync(rename);
    }

    /// <summary>The page says, in place of itself, that the database did not answer, and <paramref name="text"/>.</summary>
    public static void SaysNotRead(string html, string text)
    {
        Assert.Contains(text, html);
        Assert.Contains("The database did not answer", Assert.Single(Heading().Matches(html)).Groups[1].Value);
        Assert.DoesNotContain("data-testid=\"page-error\"", html);
    }

    /// <summary>Where the page's Try again leads: the page itself, read again.</summary>
    public static string TryAgainLink(string html) => TryAgain().Match(html) is { Success: true } link
        ? "/" + WebUtility.HtmlDecode(link.Groups[1].Value)
        : throw new InvalidOperationException($"The page has no Try again link:\n{html}");

    [GeneratedRegex("<h1[^>]*>([^<]*)</h1>")]
    private static partial Regex Heading();

    [GeneratedRegex("<a [^>]*data-testid=\"page-not-read-again\"[^>]*href=\"([^\"]*)\"")]
    private static partial Regex TryAgain();

    [GeneratedRegex("<input[^>]*>")]
    private static partial Regex InputTag();

    [GeneratedRegex("value=\"([^\"]*)\"")]
    private static partial Regex ValueAttribute();
}
