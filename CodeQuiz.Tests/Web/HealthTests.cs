using System.Net;
using CodeQuiz.Tests.Infrastructure;

namespace CodeQuiz.Tests.Web;

public class HealthTests
{
    [Fact]
    public async Task HealthzAnswersOkOnceTheDatabaseIsMigrated()
    {
        await using var factory = new CodeQuizFactory();
        var response = await factory.CreateClient().GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(File.Exists(factory.DatabasePath));
    }
}
