using System.Net;
using System.Net.Http.Json;

namespace CodeQuiz.Tests.Web.Api;

public class EventApiTests
{
    [Fact]
    public async Task AnOrganizerCreatesListsEditsAndDeletesAnEvent()
    {
        await using var factory = ApiTesting.NewFactory();
        var client = await factory.CreateOrganizerClientAsync();

        var created = await client.PostAsJsonAsync("/api/events", new { name = "Code Week final", language = "it", channelId = "@codeweek_it" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var ev = await created.ReadJsonAsync();
        var id = ev.GetProperty("id").GetInt32();
        Assert.Equal($"/api/events/{id}", created.Headers.Location?.OriginalString);
        Assert.Equal("it", ev.GetProperty("language").GetString());
        Assert.Equal("CorrectThenDelay", ev.GetProperty("scoring").GetString());

        var list = await (await client.GetAsync("/api/events")).ReadJsonAsync();
        Assert.Equal("Code Week final", Assert.Single(list.EnumerateArray()).GetProperty("name").GetString());

        var edited = await client.PutAsJsonAsync($"/api/events/{id}", new { name = "Code Week 2026", language = "en", channelId = "-1001234567890", scoring = "SpeedPoints" });
        Assert.Equal(HttpStatusCode.OK, edited.StatusCode);
        var fetched = await (await client.GetAsync($"/api/events/{id}")).ReadJsonAsync();
        Assert.Equal("Code Week 2026", fetched.GetProperty("name").GetString());
        Assert.Equal("-1001234567890", fetched.GetProperty("channelId").GetString());
        Assert.Equal("SpeedPoints", fetched.GetProperty("scoring").GetString());

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/events/{id}")).StatusCode);
        await (await client.GetAsync($"/api/events/{id}")).AssertProblemAsync(404);
        await (await client.DeleteAsync($"/api/events/{id}")).AssertProblemAsync(404);
    }

    [Fact]
    public async Task AnInvalidEventIsRefusedWithAnErrorAtEachField()
    {
        await using var factory = ApiTesting.NewFactory();
        var client = await factory.CreateOrganizerClientAsync();

        var response = await client.PostAsJsonAsync("/api/events", new { name = " ", language = "fr", channelId = "codeweek" });
        var problem = await response.AssertProblemAsync(400);
        var errors = problem.GetProperty("errors");
        Assert.Equal(["channelId", "language", "name"], errors.EnumerateObject().Select(p => p.Name).Order());
        Assert.Contains("en, it", errors.GetProperty("language")[0].GetString());

        var badScoring = await client.PostAsJsonAsync("/api/events", new { name = "x", language = "en", scoring = "Fastest" });
        await badScoring.AssertProblemAsync(400);
        Assert.Empty((await (await client.GetAsync("/api/events")).ReadJsonAsync()).EnumerateArray());
    }

    [Fact]
    public async Task RegeneratingThePresenterTokenRetiresTheOldOne()
    {
        await using var factory = ApiTesting.NewFactory();
        var client = await factory.CreateOrganizerClientAsync();
        var ev = await (await client.PostAsJsonAsync("/api/events", new { name = "Final", language = "en" })).ReadJsonAsync();
        var id = ev.GetProperty("id").GetInt32();
        var before = ev.GetProperty("presenterToken").GetString();

        var after = await (await client.PostAsync($"/api/events/{id}/presenter-token", null)).ReadJsonAsync();

        Assert.NotEqual(before, after.GetProperty("presenterToken").GetString());
        Assert.Equal(after.GetProperty("presenterToken").GetString(), (await (await client.GetAsync($"/api/events/{id}")).ReadJsonAsync()).GetProperty("presenterToken").GetString());
        await (await client.PostAsync("/api/events/999/presenter-token", null)).AssertProblemAsync(404);
    }
}
