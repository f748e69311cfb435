using CodeQuiz.Core.Ingest;
using CodeQuiz.Web;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CodeQuiz.Tests.Web;

/// <summary>The line an operator reads when a setting stops start-up, from the exceptions the host really throws.</summary>
public class ConfigurationMistakeMessageTests
{
    static Exception Thrown(string key, string value)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [key] = value }).Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration);
        services.AddOptions<IngestOptions>().BindConfiguration(IngestOptions.Section).ValidateDataAnnotations();
        using var provider = services.BuildServiceProvider();
        return Assert.ThrowsAny<Exception>(() => provider.GetRequiredService<IOptions<IngestOptions>>().Value);
    }

    [Fact]
    public void AValueOutOfRangeReadsAsOurMessageAloneWithoutTheFrameworksFrame() =>
        Assert.Equal("Ingest:MaxBatchSize must be between 1 and 100000.", InvalidConfigurationException.Describe(Thrown("Ingest:MaxBatchSize", "-1")));

    [Fact]
    public void AValueThatIsNoNumberSaysWhatTheSettingTakes() =>
        Assert.Equal("Ingest:MaxBatchSize must be a whole number (was 'lots').", InvalidConfigurationException.Describe(Thrown("Ingest:MaxBatchSize", "lots")));

    [Fact]
    public void AnythingElseIsNoConfigurationMistake() =>
        Assert.Null(InvalidConfigurationException.Describe(new InvalidOperationException("Sequence contains no elements")));
}
