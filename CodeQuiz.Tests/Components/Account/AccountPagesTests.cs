using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using CodeQuiz.Tests.Infrastructure;

namespace CodeQuiz.Tests.Components.Account;

/// <summary>Login, first run and sign-out are static forms that set cookies, so they are tested over HTTP against the real app.</summary>
public class AccountPagesTests
{
    static CodeQuizFactory WithOrganizer()
    {
        var factory = new CodeQuizFactory();
        factory.Settings["Bootstrap:OrganizerEmail"] = ConsoleClient.Email;
        factory.Settings["Bootstrap:OrganizerPassword"] = ConsoleClient.Password;
        return factory;
    }

    [Fact]
    public async Task AConsolePageSendsAVisitorWhoIsNotSignedInToTheLoginPage()
    {
        await using var factory = WithOrganizer();
        var client = new ConsoleClient(factory);

        var response = await client.Http.GetAsync("/bot");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/account/login?ReturnUrl=%2Fbot", ConsoleClient.RedirectTarget(response));
    }

    [Fact]
    public async Task TheRightPasswordSignsInAndReturnsToTheAskedPage()
    {
        await using var factory = WithOrganizer();
        var client = new ConsoleClient(factory);

        var response = await client.LoginAsync(page: "/account/login?ReturnUrl=%2Fbot");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/bot", ConsoleClient.RedirectTarget(response));
        Assert.Contains("Bot status", await client.GetHtmlAsync("/bot"));
    }

    [Fact]
    public async Task AReturnUrlToAnotherSiteIsIgnored()
    {
        await using var factory = WithOrganizer();
        var client = new ConsoleClient(factory);

        var response = await client.LoginAsync(page: "/account/login?ReturnUrl=https%3A%2F%2Fevil.example%2F");

        Assert.Equal("/", ConsoleClient.RedirectTarget(response));
    }

    [Fact]
    public async Task AWrongPasswordIsRefusedWithAMessage()
    {
        await using var factory = WithOrganizer();
        var client = new ConsoleClient(factory);

        var response = await client.LoginAsync(password: "not-the-password");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Wrong email or password.", await response.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Redirect, (await client.Http.GetAsync("/bot")).StatusCode);
    }

    [Fact]
    public async Task AnEmptyFormGetsAMessageAtEachField()
    {
        await using var factory = WithOrganizer();
        var client = new ConsoleClient(factory);

        var html = await (await client.LoginAsync(email: "", password: "")).Content.ReadAsStringAsync();

        Assert.Contains("Enter your email.", html);
        Assert.Contains("Enter your password.", html);
    }

    [Fact]
    public async Task FiveWrongPasswordsLockTheirAddressOutOfTheAccountEvenWithTheRightOne()
    {
        await using var factory = WithOrganizer();
        var client = new ConsoleClient(factory);
        for (var attempt = 0; attempt < 5; attempt++)
            await client.LoginAsync(password: $"guess-{attempt}");

        var response = await client.LoginAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Too many failed attempts from this address: signing in from it is locked. Try again in 5 minutes.", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task WithNoOrganizerTheLoginPageLeadsToTheFirstRunPage()
    {
        await using var factory = new CodeQuizFactory();
        var client = new ConsoleClient(factory);

        var response = await client.Http.GetAsync("/account/login");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/account/first-run", ConsoleClient.RedirectTarget(response));
    }

    [Fact]
    public async Task TheLoginPageSaysTheDatabaseDidNotAnswerAndTryAgainShowsTheForm()
    {
        var logs = new CapturingLoggerProvider();
        await using var factory = WithOrganizer();
        factory.ConfigureServices = services => services.AddLogging(b => b.AddProvider(logs));
        var client = new ConsoleClient(factory);
        await ConsoleClient.OrganizersAwayAsync(factory);

        var html = await client.GetNotReadHtmlAsync("/account/login?ReturnUrl=%2Fbot");

        ConsoleClient.SaysNotRead(html, "The organizers could not be read. What the database answered is in the server&#x27;s log.");
        Assert.DoesNotContain("AspNetUsers", html); // not for a visitor not signed in
        Assert.Contains(logs.Entries, e => e.Level == LogLevel.Warning && e.Text.Contains("The organizers could not be read") && e.Text.Contains("no such table: AspNetUsers"));
        Assert.DoesNotContain("data-testid=\"login-submit\"", html);
        await ConsoleClient.OrganizersBackAsync(factory);
        Assert.Equal("/account/login?ReturnUrl=%2Fbot", ConsoleClient.TryAgainLink(html));
        Assert.Contains("data-testid=\"login-submit\"", await client.GetHtmlAsync(ConsoleClient.TryAgainLink(html)));
    }

    [Fact]
    public async Task ASignInSentWhileTheDatabaseDoesNotAnswerSaysSoWithoutItsAnswerAndSignsNobodyIn()
    {
        await using var factory = WithOrganizer();
        var client = new ConsoleClient(factory);
        var form = await client.GetHtmlAsync("/account/login");
        await ConsoleClient.OrganizersAwayAsync(factory);

        var sent = await client.Http.PostAsync("/account/login", new FormUrlEncodedContent(new[]
        {
            ("__RequestVerificationToken", ConsoleClient.HiddenField(form, "__RequestVerificationToken")), ("_handler", "login"),
            ("Input.Email", ConsoleClient.Email), ("Input.Password", ConsoleClient.Password),
        }.Select(f => KeyValuePair.Create(f.Item1, f.Item2))));

        var html = await sent.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.ServiceUnavailable, sent.StatusCode);
        ConsoleClient.SaysNotRead(html, "The organizers could not be read. What the database answered is in the server&#x27;s log.");
        Assert.DoesNotContain("AspNetUsers", html); // not for a visitor not signed in
        await ConsoleClient.OrganizersBackAsync(factory);
        Assert.Equal(HttpStatusCode.Redirect, (await client.Http.GetAsync("/bot")).StatusCode); // to the login page: not signed in
    }

    [Fact]
    public async Task AFirstRunFormSentWhileTheDatabaseDoesNotAnswerSaysSoWithoutItsAnswerAndCreatesNobody()
    {
        await using var factory = new CodeQuizFactory();
        var client = new ConsoleClient(factory);
        var form = await client.GetHtmlAsync("/account/first-run");
        await ConsoleClient.OrganizersAwayAsync(factory);

        var sent = await client.Http.PostAsync("/account/first-run", new FormUrlEncodedContent(new[]
        {
            ("__RequestVerificationToken", ConsoleClient.HiddenField(form, "__RequestVerificationToken")), ("_handler", "first-run"),
            ("Input.Email", ConsoleClient.Email), ("Input.Password", ConsoleClient.Password), ("Input.ConfirmPassword", ConsoleClient.Password),
        }.Select(f => KeyValuePair.Create(f.Item1, f.Item2))));

        var html = await sent.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.ServiceUnavailable, sent.StatusCode);
        ConsoleClient.SaysNotRead(html, "The organizers could not be read. What the database answered is in the server&#x27;s log.");
        Assert.DoesNotContain("AspNetUsers", html); // not for a visitor not signed in
        await ConsoleClient.OrganizersBackAsync(factory);
        Assert.Contains("data-testid=\"first-run-submit\"", await client.GetHtmlAsync("/account/first-run")); // still nobody
    }

    [Fact]
    public async Task TheFirstRunPageSaysTheDatabaseDidNotAnswerAndTryAgainShowsTheForm()
    {
        await using var factory = new CodeQuizFactory();
        var client = new ConsoleClient(factory);
        await ConsoleClient.OrganizersAwayAsync(factory);

        var html = await client.GetNotReadHtmlAsync("/account/first-run");

        ConsoleClient.SaysNotRead(html, "The organizers could not be read. What the database answered is in the server&#x27;s log.");
        Assert.DoesNotContain("AspNetUsers", html); // not for a visitor not signed in
        Assert.DoesNotContain("data-testid=\"first-run-submit\"", html);
        await ConsoleClient.OrganizersBackAsync(factory);
        Assert.Contains("data-testid=\"first-run-submit\"", await client.GetHtmlAsync(ConsoleClient.TryAgainLink(html)));
    }

    [Fact]
    public async Task APasswordFieldSaysWhatAPasswordNeedsBeforeTheFirstTry()
    {
        await using var factory = new CodeQuizFactory();
        var client = new ConsoleClient(factory);

        var page = await client.GetHtmlAsync("/account/first-run");

        Assert.Contains("aria-describedby=\"first-run-password-rules\"", page);
        Assert.Contains("id=\"first-run-password-rules\">At least 6 characters, with a capital letter, a small letter, a digit and a symbol such as ! or -.</small>", page);
    }

    [Fact]
    public void WhatAPasswordNeedsIsReadFromTheRulesIdentityChecks()
    {
        var rules = new Microsoft.AspNetCore.Identity.PasswordOptions { RequiredLength = 12, RequireUppercase = false, RequireNonAlphanumeric = false };
        Assert.Equal("At least 12 characters, with a small letter and a digit.", CodeQuiz.Web.Components.Pages.Account.PasswordRules.Describe(rules));
        rules.RequireDigit = false;
        Assert.Equal("At least 12 characters, with a small letter.", CodeQuiz.Web.Components.Pages.Account.PasswordRules.Describe(rules));
        rules.RequireLowercase = false;
        Assert.Equal("At least 12 characters.", CodeQuiz.Web.Components.Pages.Account.PasswordRules.Describe(rules));
    }

    [Fact]
    public async Task TheFirstRunPageCreatesTheFirstOrganizerSignsInAndThenCloses()
    {
        await using var factory = new CodeQuizFactory();
        var client = new ConsoleClient(factory);

        var response = await client.SubmitAsync("/account/first-run",
            ("Input.Email", ConsoleClient.Email), ("Input.Password", ConsoleClient.Password), ("Input.ConfirmPassword", ConsoleClient.Password));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", ConsoleClient.RedirectTarget(response));
        Assert.Equal(HttpStatusCode.OK, (await client.Http.GetAsync("/bot")).StatusCode);
        var again = await new ConsoleClient(factory).Http.GetAsync("/account/first-run");
        Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
        Assert.Equal("/account/login", ConsoleClient.RedirectTarget(again));
    }

    [Fact]
    public async Task FromAnotherMachineTheFirstRunPageNeedsTheCodeWrittenInTheLog()
    {
        var logs = new CapturingLoggerProvider();
        await using var factory = new CodeQuizFactory { ConfigureServices = services => services.AddLogging(b => b.AddProvider(logs)) };
        var address = factory.StartOnKestrel();
        var code = factory.Services.GetRequiredService<CodeQuiz.Web.Organizers.FirstRunCode>().Value;
        // Whoever started CodeQuiz finds the link in its log.
        Assert.Contains(logs.Entries, e => e.Level == LogLevel.Warning && e.Text.Contains($"/account/first-run?code={code} "));
        var accounts = factory.Services.GetRequiredService<CodeQuiz.Web.Organizers.OrganizerAccounts>();
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new() }) { BaseAddress = new Uri(address) };
        // Someone on the internet, through the reverse proxy on this machine.
        http.DefaultRequestHeaders.Add("X-Forwarded-For", "203.0.113.7");
        Task<HttpResponseMessage> SubmitAsync(string path, string page, string email) => http.PostAsync(path, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = ConsoleClient.HiddenField(page, "__RequestVerificationToken"),
            ["_handler"] = "first-run",
            ["Input.Email"] = email,
            ["Input.Password"] = ConsoleClient.Password,
            ["Input.ConfirmPassword"] = ConsoleClient.Password,
        }));

        foreach (var path in new[] { "/account/first-run", "/account/first-run?code=wrong" })
        {
            var refused = await http.GetAsync(path);
            var html = await refused.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.Contains("data-testid=\"first-run-code-needed\"", html);
            Assert.DoesNotContain("data-testid=\"first-run-submit\"", html);
        }
        // Typed by hand, on a phone that capitalizes, the code still opens the form.
        Assert.Contains("data-testid=\"first-run-submit\"", await (await http.GetAsync($"/account/first-run?code={code.ToUpperInvariant()}")).Content.ReadAsStringAsync());
        var page = await (await http.GetAsync($"/account/first-run?code={code}")).Content.ReadAsStringAsync();
        Assert.Contains("data-testid=\"first-run-submit\"", page);
        // The form's token alone, posted without the code, makes nobody (the page shows no form to take it: 400).
        Assert.Equal(HttpStatusCode.BadRequest, (await SubmitAsync("/account/first-run", page, "intruder@example.org")).StatusCode);
        Assert.False(await accounts.AnyAsync(CancellationToken.None));

        var created = await SubmitAsync($"/account/first-run?code={code}", page, ConsoleClient.Email);

        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        Assert.True(await accounts.AnyAsync(CancellationToken.None));
    }

    [Fact]
    public async Task AMonitorsHeadIsSentWhereTheGetIsBetweenSignInAndFirstRun()
    {
        await using var factory = new CodeQuizFactory();
        var client = new ConsoleClient(factory);
        Task<HttpResponseMessage> HeadAsync(string path) => client.Http.SendAsync(new HttpRequestMessage(HttpMethod.Head, path));

        // No organizer yet: the sign-in page sends HEAD, as GET, to the first run.
        foreach (var response in new[] { await client.Http.GetAsync("/account/login"), await HeadAsync("/account/login") })
        {
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.Equal("/account/first-run", ConsoleClient.RedirectTarget(response));
        }
        await client.SubmitAsync("/account/first-run",
            ("Input.Email", ConsoleClient.Email), ("Input.Password", ConsoleClient.Password), ("Input.ConfirmPassword", ConsoleClient.Password));

        // Once one exists, the first run sends both to sign in.
        foreach (var response in new[] { await client.Http.GetAsync("/account/first-run"), await HeadAsync("/account/first-run") })
        {
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.Equal("/account/login", ConsoleClient.RedirectTarget(response));
        }
    }

    [Fact]
    public async Task AFirstRunFormSentOnceAnOrganizerExistsSaysSoAndCreatesNobody()
    {
        await using var factory = new CodeQuizFactory();
        var first = new ConsoleClient(factory);
        var second = new ConsoleClient(factory);
        // Both browsers show the form; the second submits after the first.
        var secondPage = await second.GetHtmlAsync("/account/first-run");
        await first.SubmitAsync("/account/first-run",
            ("Input.Email", ConsoleClient.Email), ("Input.Password", ConsoleClient.Password), ("Input.ConfirmPassword", ConsoleClient.Password));

        var response = await second.Http.PostAsync("/account/first-run", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = ConsoleClient.HiddenField(secondPage, "__RequestVerificationToken"),
            ["_handler"] = "first-run",
            ["Input.Email"] = "someone-else@codeweek.example",
            ["Input.Password"] = "Another-quiz-2026",
            ["Input.ConfirmPassword"] = "Another-quiz-2026",
        }));

        var html = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("An organizer already exists", html);
        Assert.Contains("data-testid=\"first-run-sign-in\"", html);
        Assert.DoesNotContain("data-testid=\"first-run-submit\"", html);
        Assert.Equal(HttpStatusCode.Redirect, (await second.Http.GetAsync("/bot")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await second.LoginAsync("someone-else@codeweek.example", "Another-quiz-2026")).StatusCode);
    }

    [Fact]
    public async Task TheFirstRunPageShowsPasswordRulesAtThePasswordField()
    {
        await using var factory = new CodeQuizFactory();
        var client = new ConsoleClient(factory);

        var response = await client.SubmitAsync("/account/first-run",
            ("Input.Email", ConsoleClient.Email), ("Input.Password", "short"), ("Input.ConfirmPassword", "different"));

        var html = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("The two passwords differ.", html);

        html = await (await client.SubmitAsync("/account/first-run",
            ("Input.Email", ConsoleClient.Email), ("Input.Password", "short"), ("Input.ConfirmPassword", "short"))).Content.ReadAsStringAsync();
        Assert.Contains("Passwords must be at least", html);
        Assert.Equal(HttpStatusCode.Redirect, (await client.Http.GetAsync("/bot")).StatusCode);
    }

    [Fact]
    public async Task SigningOutEndsTheSession()
    {
        await using var factory = WithOrganizer();
        var client = new ConsoleClient(factory);
        await client.LoginAsync();

        var response = await client.SignOutAsync();

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/account/login", ConsoleClient.RedirectTarget(response));
        Assert.Equal(HttpStatusCode.Redirect, (await client.Http.GetAsync("/bot")).StatusCode);
    }
}
