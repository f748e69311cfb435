using System.Net;
using CodeQuiz.Core.Persistence;
using CodeQuiz.Core.Quizzes;
using CodeQuiz.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CodeQuiz.Tests.Components.Qr;

public class QrEndpointsTests
{
    const string Bot = "CodeWeekQuizBot";

    static async Task<(CodeQuizFactory Factory, ConsoleClient Client, QuizEvent Event, Question Question)> StartAsync(bool signIn = true)
    {
        var factory = new CodeQuizFactory();
        factory.Settings["Bootstrap:OrganizerEmail"] = ConsoleClient.Email;
        factory.Settings["Bootstrap:OrganizerPassword"] = ConsoleClient.Password;
        factory.Settings["Telegram:BotUsername"] = Bot;
        var client = new ConsoleClient(factory);
        if (signIn)
            await client.LoginAsync();
        await using var db = await factory.Services.GetRequiredService<IDbContextFactory<QuizDbContext>>().CreateDbContextAsync();
        var question = new Question { Prompt = "2 + 2?", Kind = QuestionKind.Numeric, NumericAnswer = 4, Code = "Qz7Kp2mX9a", Position = 3 };
        var quizEvent = new QuizEvent { Name = "Code Week final", Questions = [question] };
        db.Events.Add(quizEvent);
        await db.SaveChangesAsync();
        return (factory, client, quizEvent, question);
    }

    [Fact]
    public async Task AQuestionsPngHoldsItsDeepLinkAtPrintResolution()
    {
        var (factory, client, _, question) = await StartAsync();
        await using var _ = factory;

        var response = await client.Http.GetAsync($"/qr/questions/{question.Id}.png");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/png", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("codequiz-question-3-Qz7Kp2mX9a.png", response.Content.Headers.ContentDisposition?.FileNameStar ?? response.Content.Headers.ContentDisposition?.FileName);
        var png = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal($"https://t.me/{Bot}?start=Qz7Kp2mX9a", QrPictures.Read(png));
        var width = QrPictures.Luminance(png).Width;
        Assert.True(width >= 900, $"{width} pixels is too small to print 8 cm at 300 dpi");
    }

    [Fact]
    public async Task AQuestionsSvgIsAScalableImage()
    {
        var (factory, client, _, question) = await StartAsync();
        await using var _ = factory;

        var response = await client.Http.GetAsync($"/qr/questions/{question.Id}.svg");

        Assert.Equal("image/svg+xml", response.Content.Headers.ContentType?.MediaType);
        var svg = await response.Content.ReadAsStringAsync();
        Assert.StartsWith("<svg", svg.TrimStart());
        Assert.Contains("viewBox", svg);
    }

    [Fact]
    public async Task TheTeamRegistrationCodeStartsTheRegistrationDialog()
    {
        var (factory, client, quizEvent, _) = await StartAsync();
        await using var _ = factory;

        var response = await client.Http.GetAsync($"/qr/events/{quizEvent.Id}/register.png");

        Assert.Equal($"https://t.me/{Bot}?start=register", QrPictures.Read(await response.Content.ReadAsByteArrayAsync()));
        Assert.Equal(HttpStatusCode.OK, (await client.Http.GetAsync($"/qr/events/{quizEvent.Id}/register.svg")).StatusCode);
    }

    [Fact]
    public async Task AnUnknownQuestionIsANotFoundProblem()
    {
        var (factory, client, _, _) = await StartAsync();
        await using var _ = factory;

        var response = await client.Http.GetAsync("/qr/questions/999.png");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("There is no question 999.", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("/qr/questions/99999999999.png", "There is no question 99999999999.")]
    [InlineData("/qr/events/99999999999/register.svg", "There is no event 99999999999.")]
    [InlineData("/qr/questions/{question}.gif", "QR codes download as .png or .svg, not .gif.")]
    [InlineData("/qr/events/{event}/register.jpeg", "QR codes download as .png or .svg, not .jpeg.")]
    public async Task AnIdTooLargeOrAnotherFormatIsANotFoundProblemWithTheReason(string path, string reason)
    {
        var (factory, client, quizEvent, question) = await StartAsync();
        await using var _ = factory;

        var response = await client.Http.GetAsync(path.Replace("{question}", $"{question.Id}").Replace("{event}", $"{quizEvent.Id}"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(reason, await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("/qr/questions/Qz7Kp2mX9a.png", "\"Qz7Kp2mX9a\" is not a question id")]
    [InlineData("/qr/questions/first.svg", "\"first\" is not a question id")]
    [InlineData("/qr/events/final/register.png", "\"final\" is not an event id")]
    [InlineData("/qr/questions/{question}", "/qr/questions/{id}.png")]
    [InlineData("/qr/question/{question}.png", "/qr/questions/{id}.png")]
    public async Task AnAddressThatIsNoQrDownloadIsANotFoundProblemSayingWhatTheAddressesAre(string path, string reason)
    {
        var (factory, client, _, question) = await StartAsync();
        await using var _ = factory;

        var response = await client.Http.GetAsync(path.Replace("{question}", $"{question.Id}"));

        // A script (or a hand-typed address) is told what to fix, not sent the console's "not found" page.
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(reason, System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task QrCodesNeedASignedInOrganizer()
    {
        var (factory, client, _, question) = await StartAsync(signIn: false);
        await using var _ = factory;

        var response = await client.Http.GetAsync($"/qr/questions/{question.Id}.png");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/login", ConsoleClient.RedirectTarget(response));
    }

    [Fact]
    public async Task HeadIsAnsweredAsTheGetAndOtherMethodsAreRefusedWithWhatIsAllowed()
    {
        var (factory, client, _, question) = await StartAsync();
        await using var _ = factory;

        var head = await client.Http.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/qr/questions/{question.Id}.png"));
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal("image/png", head.Content.Headers.ContentType?.MediaType);
        var unknown = await client.Http.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/qr/questions/999.svg"));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);

        var post = await client.Http.PostAsync($"/qr/questions/{question.Id}.png", null);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, post.StatusCode);
        Assert.Equal("GET, HEAD", string.Join(", ", post.Content.Headers.Allow));
    }
}
