using System.Net;
using CodeQuiz.Core.Live;
using CodeQuiz.Core.Persistence;
using CodeQuiz.Tests.Components;
using CodeQuiz.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CodeQuiz.Tests.Web;

public class HealthTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("sqlite")] // written in any case, as Telegram:Mode is
    public async Task HealthzAnswersOkOnceTheDatabaseIsMigrated(string? provider)
    {
        await using var factory = new CodeQuizFactory();
        if (provider is not null)
            factory.Settings["Database:Provider"] = provider;
        var response = await factory.CreateClient().GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(File.Exists(factory.DatabasePath));
    }

    [Fact]
    public async Task HealthzAnswersAMonitorsHeadAndTellsAPostItIsTheWrongMethod()
    {
        await using var factory = new CodeQuizFactory();
        var client = factory.CreateClient();

        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/healthz"))).StatusCode);
        var post = await client.PostAsync("/healthz", new StringContent("{}"));
        Assert.Equal(HttpStatusCode.MethodNotAllowed, post.StatusCode);
        Assert.Contains("GET", post.Content.Headers.Allow);
        Assert.Equal("application/problem+json", post.Content.Headers.ContentType?.MediaType);
        Assert.Contains("does not take POST; it takes GET, HEAD", await post.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task EveryPageNamesAnIconThatIsServed()
    {
        await using var factory = new CodeQuizFactory();
        var client = factory.CreateClient();
        var html = await client.GetStringAsync("/account/login");

        var href = System.Text.RegularExpressions.Regex.Match(html, @"<link rel=""icon""[^>]*href=""([^""]+)""").Groups[1].Value;
        Assert.NotEmpty(href); // without it a browser asks for /favicon.ico on every page and logs a 404
        var icon = await client.GetAsync("/" + href.TrimStart('/'));
        Assert.Equal(HttpStatusCode.OK, icon.StatusCode);
        Assert.Equal("image/svg+xml", icon.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task WhileUpdatesCannotBeStoredHealthzAnswers503TheLiveStateSaysWhyAndNothingIsAcknowledged()
    {
        await using var factory = new CodeQuizFactory();
        factory.Settings["Telegram:SecretToken"] = "health-secret";
        factory.Settings["Bootstrap:OrganizerEmail"] = ConsoleClient.Email;
        factory.Settings["Bootstrap:OrganizerPassword"] = ConsoleClient.Password;
        var client = factory.CreateClient();
        var telegram = new TelegramUpdates(client, "health-secret");
        var live = factory.Services.GetRequiredService<LiveStats>();
        await telegram.SendAsync(70, "/start", "Ada");

        // The database refuses every write from now on, as a full disk would.
        await ExecuteAsync(factory, "CREATE TRIGGER refuse BEFORE INSERT ON ProcessedUpdates BEGIN SELECT RAISE(FAIL, 'database or disk is full'); END");
        var update = telegram.Text(71, "/start", "Bruno");
        var refused = await telegram.TryPostAsync(update);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode); // Telegram sends it again
        var health = await client.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        var reason = await health.Content.ReadAsStringAsync();
        Assert.Contains("Storing updates has failed since", reason);
        Assert.DoesNotContain("disk is full", reason); // the error itself is for organizers only
        Assert.Contains("database or disk is full", live.Storage.Current?.LastError);
        var console = new ConsoleClient(factory);
        Assert.Equal(HttpStatusCode.Redirect, (await console.LoginAsync()).StatusCode);
        var statusPage = await console.GetHtmlAsync("/bot");
        Assert.Contains("Updates cannot be stored since", statusPage);
        Assert.Contains("Answers not stored", statusPage); // the app bar, on every page

        // The disk has room again: Telegram's next try is stored, and all is well.
        await ExecuteAsync(factory, "DROP TRIGGER refuse");
        Assert.Equal(HttpStatusCode.OK, (await telegram.TryPostAsync(update)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);
        Assert.Null(live.Storage.Current);
        await using var db = await factory.Services.GetRequiredService<IDbContextFactory<QuizDbContext>>().CreateDbContextAsync();
        Assert.Equal(2, await db.ProcessedUpdates.CountAsync());
    }

    static async Task ExecuteAsync(CodeQuizFactory factory, string sql)
    {
        await using var db = await factory.Services.GetRequiredService<IDbContextFactory<QuizDbContext>>().CreateDbContextAsync();
        await db.Database.ExecuteSqlRawAsync(sql);
    }
}
