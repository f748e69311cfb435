using Telegram.Bot.Types.Enums;

namespace CodeQuiz.Tests.Infrastructure;

public class FixtureTests
{
    [Fact]
    public void EveryFixtureParsesWithTheBotApiOptions()
    {
        var names = Fixtures.All().ToList();
        Assert.NotEmpty(names);
        foreach (var name in names)
        {
            var update = Fixtures.Update(name);
            Assert.True(update.Id > 0, name);
            Assert.NotEqual(UpdateType.Unknown, update.Type);
        }
    }
}
