using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using CodeQuiz.Tests.Infrastructure;

namespace CodeQuiz.Tests.Web.Api;

/// <summary>The real app with a bootstrapped organizer, and clients signed in through POST /api/auth/login.</summary>
static class ApiTesting
{
    public const string Email = "organizer@codequiz.test";
    public const string Password = "Quiz-Master-2026";

    public static CodeQuizFactory NewFactory()
    {
        var factory = new CodeQuizFactory();
        factory.Settings["Bootstrap:OrganizerEmail"] = Email;
        factory.Settings["Bootstrap:OrganizerPassword"] = Password;
        return factory;
    }

    public static async Task<HttpClient> CreateOrganizerClientAsync(this CodeQuizFactory factory)
    {
        var client = factory.CreateClient();
        var response = await client.PostAsJsonAsync("/api/auth/login", new { email = Email, password = Password });
        response.EnsureSuccessStatusCode();
        var token = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public static async Task<JsonElement> ReadJsonAsync(this HttpResponseMessage response) =>
        await response.Content.ReadFromJsonAsync<JsonElement>();

    /// <summary>Asserts an RFC 7807 body with the given status.</summary>
    public static async Task<JsonElement> AssertProblemAsync(this HttpResponseMessage response, int status)
    {
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.ReadJsonAsync();
        Assert.Equal(status, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("title").GetString()));
        return problem;
    }
}
