using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using CodeQuiz.Core.Persistence;
using CodeQuiz.Tests.Infrastructure;
using CodeQuiz.Web.Organizers;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CodeQuiz.Tests.Components.Account;

/// <summary>
/// The organizers page (static forms, tested over HTTP against the real app): organizers add, remove and reset each
/// other and change their own password, and a removed account or an old password stops working at once everywhere.
/// </summary>
public class OrganizersPageTests
{
    const string Page = "/account/organizers";
    const string Colleague = "co-host@codeweek.example", ColleaguePassword = "Second-screen-2026";

    /// <summary>The signed-in organizer's own password, which adding an organizer asks for.</summary>
    static readonly (string, string) Yours = ("AddInput.YourPassword", ConsoleClient.Password);

    static CodeQuizFactory WithOrganizer(CapturingLoggerProvider? logs = null)
    {
        var factory = new CodeQuizFactory();
        factory.Settings["Bootstrap:OrganizerEmail"] = ConsoleClient.Email;
        factory.Settings["Bootstrap:OrganizerPassword"] = ConsoleClient.Password;
        if (logs is not null)
            factory.ConfigureServices = services => services.AddLogging(b => b.AddProvider(logs));
        return factory;
    }

    static IEnumerable<string> AccountLog(CapturingLoggerProvider logs) =>
        logs.Entries.Where(e => e.Category == typeof(OrganizerAccounts).FullName).Select(e => e.Text.Split(" Email=")[0]);

    static async Task<ConsoleClient> SignedInAsync(CodeQuizFactory factory, string email = ConsoleClient.Email, string password = ConsoleClient.Password)
    {
        var client = new ConsoleClient(factory);
        var response = await client.LoginAsync(email, password);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", ConsoleClient.RedirectTarget(response));
        return client;
    }

    static async Task<string> AddColleagueAsync(CodeQuizFactory factory)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<Organizer>>();
        var result = await users.CreateAsync(new Organizer { UserName = Colleague, Email = Colleague }, ColleaguePassword);
        Assert.True(result.Succeeded, string.Join(" ", result.Errors.Select(e => e.Description)));
        return (await users.FindByEmailAsync(Colleague))!.Id;
    }

    static async Task<HttpClient> BearerClientAsync(CodeQuizFactory factory, string email, string password)
    {
        var client = factory.CreateClient();
        var response = await client.PostAsJsonAsync("/api/auth/login", new { email, password });
        response.EnsureSuccessStatusCode();
        var token = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    static async Task<int> CountOrganizersAsync(CodeQuizFactory factory)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return scope.ServiceProvider.GetRequiredService<UserManager<Organizer>>().Users.Count();
    }

    [Fact]
    public async Task ThePageListsEveryOrganizerAndMarksYou()
    {
        await using var factory = WithOrganizer();
        await AddColleagueAsync(factory);
        var client = await SignedInAsync(factory);

        var html = await client.GetHtmlAsync(Page);

        Assert.Contains(ConsoleClient.Email, html);
        Assert.Contains(Colleague, html);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(html, "data-testid=\"organizer-you\""));
        // Only the colleague's row offers removal: nobody removes themselves.
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(html, "data-testid=\"organizer-remove\""));
        Assert.Contains($"href=\"{Page}\"", await client.GetHtmlAsync("/bot")); // in the app bar
    }

    [Fact]
    public async Task ThePageSaysTheDatabaseDidNotAnswerAndTryAgainShowsTheOrganizers()
    {
        await using var factory = WithOrganizer();
        await AddColleagueAsync(factory);
        var client = await SignedInAsync(factory);
        await client.GetHtmlAsync("/bot"); // this browser's session is checked once, as on any page opened before
        await ConsoleClient.OrganizersAwayAsync(factory);

        var html = await client.GetNotReadHtmlAsync(Page);

        ConsoleClient.SaysNotRead(html, "The organizers could not be read: SQLite Error 1: &#x27;no such table: AspNetUsers&#x27;.");
        Assert.DoesNotContain("data-testid=\"add-submit\"", html); // nothing is changed against a list not read
        await ConsoleClient.OrganizersBackAsync(factory);
        html = await client.GetHtmlAsync(ConsoleClient.TryAgainLink(html));
        Assert.Contains(Colleague, html);
        Assert.DoesNotContain("page-not-read", html);
    }

    [Fact]
    public async Task AnOrganizerWhoIsNotThereIsStillSaidGoneOnceTheDatabaseAnswers()
    {
        await using var factory = WithOrganizer();
        var client = await SignedInAsync(factory);
        await client.GetHtmlAsync("/bot");
        await ConsoleClient.OrganizersAwayAsync(factory);

        var html = await client.GetNotReadHtmlAsync($"{Page}?remove=removed-long-ago");

        ConsoleClient.SaysNotRead(html, "The organizers could not be read");
        await ConsoleClient.OrganizersBackAsync(factory);
        html = await client.GetHtmlAsync(ConsoleClient.TryAgainLink(html));
        Assert.Contains("That organizer is not on the list any more", html);
    }

    [Theory]
    [InlineData("add-organizer")]
    [InlineData("remove-organizer")]
    [InlineData("reset-password")]
    [InlineData("change-password")]
    public async Task AFormPostedWhileTheDatabaseDoesNotAnswerSaysSoAndChangesNothing(string formName)
    {
        await using var factory = WithOrganizer();
        var colleagueId = await AddColleagueAsync(factory);
        var client = await SignedInAsync(factory);
        var page = formName switch
        {
            "remove-organizer" => $"{Page}?remove={colleagueId}",
            "reset-password" => $"{Page}?reset={colleagueId}",
            _ => Page,
        };
        // Opened while the database answered, sent after it stopped.
        var form = await client.GetHtmlAsync(page);
        Assert.Contains($"value=\"{formName}\"", form);
        await ConsoleClient.OrganizersAwayAsync(factory);
        const string NewPassword = "Brand-new-2026";

        var sent = await client.Http.PostAsync(page, new FormUrlEncodedContent(new[]
        {
            ("__RequestVerificationToken", ConsoleClient.HiddenField(form, "__RequestVerificationToken")), ("_handler", formName),
            ("AddInput.Attempt", ConsoleClient.HiddenField(form, "AddInput.Attempt")),
            ("AddInput.Email", "third@codeweek.example"), ("AddInput.Password", NewPassword), ("AddInput.ConfirmPassword", NewPassword), Yours,
            ("RemoveInput.Id", colleagueId), ("RemoveInput.YourPassword", ConsoleClient.Password),
            ("ResetInput.Id", colleagueId), ("ResetInput.Password", NewPassword), ("ResetInput.ConfirmPassword", NewPassword),
            ("ResetInput.YourPassword", ConsoleClient.Password),
            ("PasswordInput.CurrentPassword", ConsoleClient.Password), ("PasswordInput.NewPassword", NewPassword),
            ("PasswordInput.ConfirmPassword", NewPassword),
        }.Select(f => KeyValuePair.Create(f.Item1, f.Item2))));

        var html = await sent.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.ServiceUnavailable, sent.StatusCode);
        ConsoleClient.SaysNotRead(html, "The organizers could not be read");
        Assert.Contains("Nothing was changed", html);
        await ConsoleClient.OrganizersBackAsync(factory);
        Assert.Equal(2, await CountOrganizersAsync(factory));
        await SignedInAsync(factory, Colleague, ColleaguePassword); // their password is unchanged
        await SignedInAsync(factory); // and so is yours
    }

    [Fact]
    public async Task AVisitorWhoIsNotSignedInIsSentToTheLoginPage()
    {
        await using var factory = WithOrganizer();

        var response = await new ConsoleClient(factory).Http.GetAsync(Page);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/account/login?ReturnUrl=%2Faccount%2Forganizers", ConsoleClient.RedirectTarget(response));
    }

    [Fact]
    public async Task AnOrganizerAddedOnThePageCanSignIn()
    {
        var logs = new CapturingLoggerProvider();
        await using var factory = WithOrganizer(logs);
        var client = await SignedInAsync(factory);

        var response = await client.SubmitFormAsync(Page, "add-organizer",
            ("AddInput.Email", Colleague), ("AddInput.Password", ColleaguePassword), ("AddInput.ConfirmPassword", ColleaguePassword), Yours);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal($"{Page}?done=added", ConsoleClient.RedirectTarget(response));
        Assert.Contains("Organizer added", await client.GetHtmlAsync($"{Page}?done=added"));
        var colleague = await SignedInAsync(factory, Colleague, ColleaguePassword);
        Assert.Contains("Bot status", await colleague.GetHtmlAsync("/bot"));
        Assert.Equal([$"Organizer {Colleague} added by {ConsoleClient.Email}"], AccountLog(logs));
    }

    [Fact]
    public async Task AnAddSentTwiceByADoubleClickAddsTheOrganizerOnceAndSaysTheyWereAdded()
    {
        var logs = new CapturingLoggerProvider();
        await using var factory = WithOrganizer(logs);
        var client = await SignedInAsync(factory);
        const string Other = "third-screen@codeweek.example";

        // A double click posts the form twice, as the page showed it: the second after the first was answered, or while
        // the first is still creating the account.
        async Task<Func<Task<HttpResponseMessage>>> DoubleClickAsync(string email)
        {
            var form = await client.GetHtmlAsync(Page);
            (string, string)[] fields =
            [
                ("__RequestVerificationToken", ConsoleClient.HiddenField(form, "__RequestVerificationToken")), ("_handler", "add-organizer"),
                ("AddInput.Attempt", ConsoleClient.HiddenField(form, "AddInput.Attempt")),
                ("AddInput.Email", email), ("AddInput.Password", ColleaguePassword), ("AddInput.ConfirmPassword", ColleaguePassword), Yours,
            ];
            return () => client.Http.PostAsync(Page, new FormUrlEncodedContent(fields.Select(f => KeyValuePair.Create(f.Item1, f.Item2))));
        }
        var one = await DoubleClickAsync(Colleague);
        HttpResponseMessage[] oneAfterTheOther = [await one(), await one()];
        var two = await DoubleClickAsync(Other);
        var atOnce = await Task.WhenAll(two(), two());

        foreach (var response in oneAfterTheOther.Concat(atOnce))
        {
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.Equal($"{Page}?done=added", ConsoleClient.RedirectTarget(response));
        }
        Assert.Equal(3, await CountOrganizersAsync(factory));
        Assert.Equal([$"Organizer {Colleague} added by {ConsoleClient.Email}", $"Organizer {Other} added by {ConsoleClient.Email}"], AccountLog(logs));
        await SignedInAsync(factory, Other, ColleaguePassword);
    }

    [Fact]
    public async Task AnAddOfAnEmailInUseFromAFormOfItsOwnIsStillRefused()
    {
        await using var factory = WithOrganizer();
        await AddColleagueAsync(factory);
        var client = await SignedInAsync(factory);

        // Someone else's add of that email, or this organizer's own from a new page: not a double click.
        var taken = await client.SubmitFormAsync(Page, "add-organizer",
            ("AddInput.Email", Colleague), ("AddInput.Password", ColleaguePassword), ("AddInput.ConfirmPassword", ColleaguePassword), Yours);

        Assert.Equal(HttpStatusCode.OK, taken.StatusCode);
        Assert.Contains("is already taken.", await taken.Content.ReadAsStringAsync());
        Assert.Equal(2, await CountOrganizersAsync(factory));
    }

    [Fact]
    public async Task AFormPostedWithoutItsAntiforgeryTokenAddsNobody()
    {
        // Another site cannot make a signed-in organizer's browser add an organizer of its choosing.
        await using var factory = WithOrganizer();
        var client = await SignedInAsync(factory);
        var form = new FormUrlEncodedContent([new("_handler", "add-organizer"), new("AddInput.Email", "intruder@evil.example"),
            new("AddInput.Password", ColleaguePassword), new("AddInput.ConfirmPassword", ColleaguePassword)]);

        var response = await client.Http.PostAsync(Page, form);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(1, await CountOrganizersAsync(factory));
    }

    [Fact]
    public async Task AnEmailInUseOrAWeakPasswordIsRefusedAtItsFieldAndAddsNobody()
    {
        await using var factory = WithOrganizer();
        var client = await SignedInAsync(factory);

        var taken = await client.SubmitFormAsync(Page, "add-organizer",
            ("AddInput.Email", ConsoleClient.Email), ("AddInput.Password", ColleaguePassword), ("AddInput.ConfirmPassword", ColleaguePassword), Yours);
        var weak = await client.SubmitFormAsync(Page, "add-organizer",
            ("AddInput.Email", Colleague), ("AddInput.Password", "short"), ("AddInput.ConfirmPassword", "short"), Yours);
        var mistyped = await client.SubmitFormAsync(Page, "add-organizer",
            ("AddInput.Email", Colleague), ("AddInput.Password", ColleaguePassword), ("AddInput.ConfirmPassword", "Second-screen-2027"), Yours);

        Assert.Equal(HttpStatusCode.OK, taken.StatusCode);
        Assert.Contains("is already taken.", await taken.Content.ReadAsStringAsync());
        Assert.Contains("Passwords must be at least", await weak.Content.ReadAsStringAsync());
        Assert.Contains("The two passwords differ.", await mistyped.Content.ReadAsStringAsync());
        Assert.Equal(1, await CountOrganizersAsync(factory));
    }

    [Fact]
    public async Task RemovingAnOrganizerSignsThemOutOfTheConsoleAndTheApiAtOnce()
    {
        var logs = new CapturingLoggerProvider();
        await using var factory = WithOrganizer(logs);
        var colleagueId = await AddColleagueAsync(factory);
        var colleague = await SignedInAsync(factory, Colleague, ColleaguePassword);
        var colleagueApi = await BearerClientAsync(factory, Colleague, ColleaguePassword);
        Assert.Equal(HttpStatusCode.OK, (await colleague.Http.GetAsync("/bot")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await colleagueApi.GetAsync("/api/events")).StatusCode);
        var client = await SignedInAsync(factory);

        var confirm = await client.GetHtmlAsync($"{Page}?remove={colleagueId}");
        Assert.Contains($"Remove <b>{Colleague}</b>?", confirm);
        var response = await client.SubmitFormAsync($"{Page}?remove={colleagueId}", "remove-organizer", ("RemoveInput.Id", colleagueId), ("RemoveInput.YourPassword", ConsoleClient.Password));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal($"{Page}?done=removed", ConsoleClient.RedirectTarget(response));
        Assert.DoesNotContain(Colleague, await client.GetHtmlAsync(Page));
        var console = await colleague.Http.GetAsync("/bot");
        Assert.Equal(HttpStatusCode.Redirect, console.StatusCode);
        Assert.StartsWith("/account/login", ConsoleClient.RedirectTarget(console));
        Assert.Equal(HttpStatusCode.Unauthorized, (await colleagueApi.GetAsync("/api/events")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await (await SignedInAsync(factory)).Http.GetAsync("/bot")).StatusCode);
        Assert.Equal([$"Organizer {Colleague} removed by {ConsoleClient.Email}"], AccountLog(logs));
    }

    [Fact]
    public async Task ChangingWhoCanSignInAsksForYourOwnPasswordAndWrongOnesCountTowardsTheLockOut()
    {
        // A console left signed in on a laptop at the venue is not enough to add, remove or reset an organizer.
        await using var factory = WithOrganizer();
        var colleagueId = await AddColleagueAsync(factory);
        var client = await SignedInAsync(factory);
        const string Wrong = "Not-my-password-1";

        var add = await client.SubmitFormAsync(Page, "add-organizer", ("AddInput.Email", "third@codeweek.example"),
            ("AddInput.Password", ColleaguePassword), ("AddInput.ConfirmPassword", ColleaguePassword), ("AddInput.YourPassword", Wrong));
        var remove = await client.SubmitFormAsync($"{Page}?remove={colleagueId}", "remove-organizer",
            ("RemoveInput.Id", colleagueId), ("RemoveInput.YourPassword", Wrong));
        var reset = await client.SubmitFormAsync($"{Page}?reset={colleagueId}", "reset-password",
            ("ResetInput.Id", colleagueId), ("ResetInput.Password", "Brand-new-2026"), ("ResetInput.ConfirmPassword", "Brand-new-2026"),
            ("ResetInput.YourPassword", ""));

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK), (add.StatusCode, remove.StatusCode, reset.StatusCode));
        Assert.Contains("That is not your password.", await add.Content.ReadAsStringAsync());
        Assert.Contains("That is not your password.", await remove.Content.ReadAsStringAsync());
        Assert.Contains("Enter your own password: it confirms that it is you.", await reset.Content.ReadAsStringAsync());
        Assert.Equal(2, await CountOrganizersAsync(factory));
        await SignedInAsync(factory, Colleague, ColleaguePassword); // their password is unchanged

        // Wrong passwords count as at the login: after five, not even the right one is taken for a while.
        for (var i = 0; i < 3; i++)
            await client.SubmitFormAsync($"{Page}?remove={colleagueId}", "remove-organizer", ("RemoveInput.Id", colleagueId), ("RemoveInput.YourPassword", Wrong));
        var locked = await client.SubmitFormAsync($"{Page}?remove={colleagueId}", "remove-organizer",
            ("RemoveInput.Id", colleagueId), ("RemoveInput.YourPassword", ConsoleClient.Password));
        Assert.Contains("Too many wrong passwords", await locked.Content.ReadAsStringAsync());
        Assert.Equal(2, await CountOrganizersAsync(factory));
    }

    [Fact]
    public async Task ARemovalSentTwiceSaysTheOrganizerIsGoneRatherThanFailing()
    {
        await using var factory = WithOrganizer();
        var colleagueId = await AddColleagueAsync(factory);
        var client = await SignedInAsync(factory);
        var page = $"{Page}?remove={colleagueId}";
        var confirm = await client.GetHtmlAsync(page);
        (string, string)[] fields = [("RemoveInput.Id", colleagueId), ("RemoveInput.YourPassword", ConsoleClient.Password)];
        Assert.Equal(HttpStatusCode.Redirect, (await client.SubmitFormAsync(page, "remove-organizer", fields)).StatusCode);

        // The second click of a double click: the same form, sent again from the page as it was.
        var again = await client.Http.PostAsync(page, new FormUrlEncodedContent(
            new[] { ("__RequestVerificationToken", ConsoleClient.HiddenField(confirm, "__RequestVerificationToken")), ("_handler", "remove-organizer") }
                .Concat(fields).Select(f => KeyValuePair.Create(f.Item1, f.Item2))));

        var html = await again.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Contains("That organizer is not on the list any more", html);
        Assert.DoesNotContain(Colleague, html);
        Assert.Equal(1, await CountOrganizersAsync(factory));
    }

    [Fact]
    public async Task ANewPasswordForAnOrganizerRemovedMeanwhileSaysTheyAreGoneRatherThanFailing()
    {
        await using var factory = WithOrganizer();
        var colleagueId = await AddColleagueAsync(factory);
        var client = await SignedInAsync(factory);
        var resetPage = $"{Page}?reset={colleagueId}";
        var form = await client.GetHtmlAsync(resetPage);
        // Another organizer removes them while this one types the new password.
        var removePage = $"{Page}?remove={colleagueId}";
        await client.GetHtmlAsync(removePage);
        Assert.Equal(HttpStatusCode.Redirect, (await client.SubmitFormAsync(removePage, "remove-organizer",
            ("RemoveInput.Id", colleagueId), ("RemoveInput.YourPassword", ConsoleClient.Password))).StatusCode);

        var sent = await client.Http.PostAsync(resetPage, new FormUrlEncodedContent(new[]
        {
            ("__RequestVerificationToken", ConsoleClient.HiddenField(form, "__RequestVerificationToken")), ("_handler", "reset-password"),
            ("ResetInput.Id", colleagueId), ("ResetInput.Password", "Brand-new-2026"), ("ResetInput.ConfirmPassword", "Brand-new-2026"),
            ("ResetInput.YourPassword", ConsoleClient.Password),
        }.Select(f => KeyValuePair.Create(f.Item1, f.Item2))));

        Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
        Assert.Contains("That organizer is not on the list any more", await sent.Content.ReadAsStringAsync());
        Assert.Equal(1, await CountOrganizersAsync(factory));
    }

    [Fact]
    public async Task YouCannotRemoveYourself()
    {
        await using var factory = WithOrganizer();
        var client = await SignedInAsync(factory);
        await using var scope = factory.Services.CreateAsyncScope();
        var myId = (await scope.ServiceProvider.GetRequiredService<UserManager<Organizer>>().FindByEmailAsync(ConsoleClient.Email))!.Id;

        // The page shows no removal for yourself, so a hand-made form for it names no form on the page.
        var confirm = await client.GetHtmlAsync($"{Page}?remove={myId}");
        var response = await client.SubmitMissingFormAsync($"{Page}?remove={myId}", "remove-organizer", ("RemoveInput.Id", myId));
        var direct = await scope.ServiceProvider.GetRequiredService<OrganizerAccounts>().RemoveAsync(myId, currentId: myId, by: ConsoleClient.Email);

        Assert.DoesNotContain("data-testid=\"remove-confirm\"", confirm);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal([OrganizerAccounts.NotYourself.Code], direct.Errors.Select(e => e.Code));
        Assert.Equal(1, await CountOrganizersAsync(factory));
        Assert.Equal(HttpStatusCode.OK, (await client.Http.GetAsync("/bot")).StatusCode);
    }

    [Fact]
    public async Task ChangingYourPasswordKeepsThisBrowserSignedInAndSignsOutTheOthers()
    {
        await using var factory = WithOrganizer();
        var laptop = await SignedInAsync(factory);
        var tablet = await SignedInAsync(factory);
        var script = await BearerClientAsync(factory, ConsoleClient.Email, ConsoleClient.Password);
        var login = await factory.CreateClient().PostAsJsonAsync("/api/auth/login", new { email = ConsoleClient.Email, password = ConsoleClient.Password });
        var refreshToken = (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("refreshToken").GetString();
        const string newPassword = "Livestream-2026!";

        var response = await laptop.SubmitFormAsync(Page, "change-password",
            ("PasswordInput.CurrentPassword", ConsoleClient.Password), ("PasswordInput.NewPassword", newPassword),
            ("PasswordInput.ConfirmPassword", newPassword));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal($"{Page}?done=password", ConsoleClient.RedirectTarget(response));
        Assert.Contains("Your password is changed.", await laptop.GetHtmlAsync($"{Page}?done=password"));
        Assert.Equal(HttpStatusCode.Redirect, (await tablet.Http.GetAsync("/bot")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await script.GetAsync("/api/events")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await factory.CreateClient().PostAsJsonAsync("/api/auth/refresh", new { refreshToken })).StatusCode);
        Assert.Contains("Wrong email or password.", await (await new ConsoleClient(factory).LoginAsync()).Content.ReadAsStringAsync());
        await SignedInAsync(factory, ConsoleClient.Email, newPassword);
    }

    [Fact]
    public async Task AWrongCurrentPasswordIsRefusedAtItsField()
    {
        await using var factory = WithOrganizer();
        var client = await SignedInAsync(factory);

        var response = await client.SubmitFormAsync(Page, "change-password",
            ("PasswordInput.CurrentPassword", "not-my-password"), ("PasswordInput.NewPassword", "Livestream-2026!"),
            ("PasswordInput.ConfirmPassword", "Livestream-2026!"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("The current password is wrong.", await response.Content.ReadAsStringAsync());
        await SignedInAsync(factory); // the old password still works
    }

    [Fact]
    public async Task WrongCurrentPasswordsCountAsAtTheLoginSoAnOpenConsoleIsNoWayToGuessIt()
    {
        await using var factory = WithOrganizer();
        var client = await SignedInAsync(factory);
        const string newPassword = "Livestream-2026!";
        Task<HttpResponseMessage> ChangeAsync(string current) => client.SubmitFormAsync(Page, "change-password",
            ("PasswordInput.CurrentPassword", current), ("PasswordInput.NewPassword", newPassword), ("PasswordInput.ConfirmPassword", newPassword));

        for (var attempt = 0; attempt < 5; attempt++)
            await ChangeAsync($"guess-{attempt}");
        var locked = await ChangeAsync(ConsoleClient.Password);

        Assert.Equal(HttpStatusCode.OK, locked.StatusCode);
        Assert.Contains("Too many wrong passwords", await locked.Content.ReadAsStringAsync());
        // Not changed: the right password was not even checked while locked.
        using var scope = factory.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<Organizer>>();
        var me = (await users.FindByEmailAsync(ConsoleClient.Email))!;
        Assert.True(await users.CheckPasswordAsync(me, ConsoleClient.Password));
        Assert.False(await users.CheckPasswordAsync(me, newPassword));
    }

    [Fact]
    public async Task ALockoutSaysHowLongItLastsNotATimeOfTheServersClock()
    {
        // The page is rendered on the server, which runs in UTC while the organizers are in Europe: "locked until 17:05"
        // read at 18:01 by a clock in Rome looks long over. How long it lasts needs no time zone.
        await using var factory = WithOrganizer();
        await AddColleagueAsync(factory);
        var locked = new ConsoleClient(factory);
        for (var attempt = 0; attempt < 5; attempt++)
            await locked.LoginAsync(Colleague, $"guess-{attempt}");
        var client = await SignedInAsync(factory);

        var page = await client.GetHtmlAsync(Page);

        Assert.Matches(@"locked for another [45] min\b", page);
        Assert.DoesNotMatch(@"locked until", page);
    }

    [Fact]
    public async Task ANewPasswordFromAnotherOrganizerEndsALockout()
    {
        var logs = new CapturingLoggerProvider();
        await using var factory = WithOrganizer(logs);
        var colleagueId = await AddColleagueAsync(factory);
        var locked = new ConsoleClient(factory);
        for (var attempt = 0; attempt < 5; attempt++)
            await locked.LoginAsync(Colleague, $"guess-{attempt}");
        var client = await SignedInAsync(factory);
        Assert.Contains("locked for another", await client.GetHtmlAsync(Page));
        const string newPassword = "Back-on-stage-2026";

        var form = await client.GetHtmlAsync($"{Page}?reset={colleagueId}");
        Assert.Contains($"A new password for {Colleague}", form);
        var response = await client.SubmitFormAsync($"{Page}?reset={colleagueId}", "reset-password",
            ("ResetInput.Id", colleagueId), ("ResetInput.Password", newPassword), ("ResetInput.ConfirmPassword", newPassword),
            ("ResetInput.YourPassword", ConsoleClient.Password));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal($"{Page}?done=reset", ConsoleClient.RedirectTarget(response));
        Assert.DoesNotContain("locked for", await client.GetHtmlAsync(Page));
        await SignedInAsync(factory, Colleague, newPassword);
        Assert.Equal([$"Organizer {Colleague} was given a new password by {ConsoleClient.Email}"], AccountLog(logs));
    }

    [Fact]
    public async Task AnOpenConsoleTabOfARemovedOrganizerIsSignedOut()
    {
        await using var factory = WithOrganizer();
        var colleagueId = await AddColleagueAsync(factory);
        await using var circuit = factory.Services.CreateAsyncScope(); // what a console tab's circuit holds
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var signIn = scope.ServiceProvider.GetRequiredService<SignInManager<Organizer>>();
            var principal = await signIn.CreateUserPrincipalAsync((await signIn.UserManager.FindByIdAsync(colleagueId))!);
            var tab = circuit.ServiceProvider.GetRequiredService<AuthenticationStateProvider>();
            Assert.IsType<OrganizerCircuitAuthentication>(tab);
            ((IHostEnvironmentAuthenticationStateProvider)tab).SetAuthenticationState(Task.FromResult(new AuthenticationState(principal)));
        }
        var provider = circuit.ServiceProvider.GetRequiredService<AuthenticationStateProvider>();
        var signedOut = new TaskCompletionSource<AuthenticationState>(TaskCreationOptions.RunContinuationsAsynchronously);
        provider.AuthenticationStateChanged += async state => signedOut.TrySetResult(await state);

        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var result = await scope.ServiceProvider.GetRequiredService<OrganizerAccounts>().RemoveAsync(colleagueId, currentId: "someone else", by: "someone else");
            Assert.True(result.Succeeded);
        }

        var state = await signedOut.Task.WaitAsync(OrganizerCircuitAuthentication.Interval * 3);
        Assert.False(state.User.Identity?.IsAuthenticated);
    }
    [Fact]
    public async Task AnOpenConsoleTabStaysSignedInWhenItsSessionCannotBeChecked()
    {
        // No Identity in this container: every check throws, as a database that cannot be read would.
        var services = new ServiceCollection().BuildServiceProvider();
        var sessions = new OrganizerSessions(services.GetRequiredService<IServiceScopeFactory>(),
            Microsoft.Extensions.Options.Options.Create(new IdentityOptions()), TimeProvider.System);
        var logs = new CapturingLoggerProvider();
        using var tab = new OrganizerCircuitAuthentication(LoggerFactory.Create(b => b.AddProvider(logs)), sessions, TimeSpan.FromMilliseconds(50));
        var organizer = new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity(
            [new(System.Security.Claims.ClaimTypes.NameIdentifier, "organizer-1"), new("AspNet.Identity.SecurityStamp", "stamp")], "Identity.Application"));
        var signedOut = false;
        tab.AuthenticationStateChanged += async state => signedOut |= (await state).User.Identity?.IsAuthenticated != true;

        ((IHostEnvironmentAuthenticationStateProvider)tab).SetAuthenticationState(Task.FromResult(new AuthenticationState(organizer)));
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (logs.Entries.Count(e => e.Text.StartsWith("Could not check", StringComparison.Ordinal)) < 3 && DateTime.UtcNow < deadline)
            await Task.Delay(20);

        Assert.True(logs.Entries.Count(e => e.Text.StartsWith("Could not check", StringComparison.Ordinal)) >= 3, "the tab's session was never checked");
        Assert.False(signedOut);
        Assert.True((await tab.GetAuthenticationStateAsync()).User.Identity?.IsAuthenticated);
    }
}
