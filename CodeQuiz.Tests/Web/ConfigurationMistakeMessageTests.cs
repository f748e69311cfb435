using CodeQuiz.Core.Ingest;
using CodeQuiz.Core.Outbox;
using CodeQuiz.Core.Settings;
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

    /// <summary>The options as the app binds them, every value that cannot be read reported with the other mistakes.</summary>
    static Exception ThrownAsTheAppBinds(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration);
        services.AddOptions<IngestOptions>().BindSettings(IngestOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<OutboxOptions>().BindSettings(OutboxOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        using var provider = services.BuildServiceProvider();
        return Assert.ThrowsAny<Exception>(() => provider.GetRequiredService<IStartupValidator>().Validate());
    }

    [Fact]
    public void AValueOutOfRangeReadsAsOurMessageAloneWithoutTheFrameworksFrame() =>
        Assert.Equal(["Ingest:MaxBatchSize must be between 1 and 100000."], InvalidConfigurationException.Describe(Thrown("Ingest:MaxBatchSize", "-1")));

    [Fact]
    public void AValueThatIsNoNumberSaysWhatTheSettingTakes() =>
        Assert.Equal(["Ingest:MaxBatchSize must be a whole number (was 'lots')."], InvalidConfigurationException.Describe(Thrown("Ingest:MaxBatchSize", "lots")));

    [Fact]
    public void EveryMistakeOfEverySectionIsReportedNotOnlyTheFirst()
    {
        var error = ThrownAsTheAppBinds(new()
        {
            ["Ingest:QueueCapacity"] = "many",
            ["Ingest:MaxBatchSize"] = "lots",
            ["Ingest:DeadlineGraceSeconds"] = "120",
            ["Ingest:MaxBodyBytes"] = "10",
            ["Outbox:MessagesPerSecond"] = "fast",
            ["Outbox:CallTimeoutSeconds"] = "0",
        });

        Assert.Equal(
            [
                "Ingest:QueueCapacity must be a whole number (was 'many').",
                "Ingest:MaxBatchSize must be a whole number (was 'lots').",
                "Ingest:DeadlineGraceSeconds must be between 0 and 60.",
                "Ingest:MaxBodyBytes must be between 1024 and 16777216.",
                "Outbox:MessagesPerSecond must be a whole number (was 'fast').",
                "Outbox:CallTimeoutSeconds must be between 1 and 300.",
            ],
            InvalidConfigurationException.Describe(error));
    }

    [Fact]
    public void ASettingThatCannotBeReadLeavesTheSectionsOtherSettingsBound()
    {
        var options = new IngestOptions();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Ingest:MaxBatchSize"] = "lots",
            ["Ingest:QueueCapacity"] = "500",
        }).Build();

        var mistakes = configuration.BindEach(IngestOptions.Section, options);

        Assert.Equal(["Ingest:MaxBatchSize must be a whole number (was 'lots')."], mistakes);
        Assert.Equal((500, new IngestOptions().MaxBatchSize), (options.QueueCapacity, options.MaxBatchSize));
    }

    [Fact]
    public void ASingleValueGivenToAListOrASectionIsAMistakeNotSilentlyLeftOut()
    {
        // Rehearsal__Channels=@codeweekquiz as an environment variable, or "Channels": "@codeweekquiz" in appsettings.json.
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Rehearsal:Channels"] = "@codeweekquiz",
            ["Rehearsal:RateLimits"] = "off",
            ["Rehearsal:CrowdSize"] = "50",
        }).Build();
        var options = new CodeQuiz.Web.Rehearsal.RehearsalOptions();

        var mistakes = configuration.BindEach(CodeQuiz.Web.Rehearsal.RehearsalOptions.Section, options);

        Assert.Equal(2, mistakes.Count);
        Assert.StartsWith("Rehearsal:Channels is a list: give each entry a key of its own, Rehearsal:Channels:0", mistakes[0]);
        Assert.EndsWith("(was '@codeweekquiz').", mistakes[0]);
        Assert.StartsWith("Rehearsal:RateLimits is a section, not a value: set the settings in it, such as Rehearsal:RateLimits:", mistakes[1]);
        Assert.Equal(50, options.CrowdSize);
    }

    [Fact]
    public void AListGivenEntryByEntryOrLeftEmptyIsNoMistake()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Rehearsal:Channels:0"] = "@codeweekquiz",
            ["Rehearsal:Channels:1"] = "-1001234567890",
            ["Rehearsal:RateLimits:Enabled"] = "false",
        }).Build();
        var options = new CodeQuiz.Web.Rehearsal.RehearsalOptions();

        Assert.Empty(configuration.BindEach(CodeQuiz.Web.Rehearsal.RehearsalOptions.Section, options));
        Assert.Equal(["@codeweekquiz", "-1001234567890"], options.Channels);
        Assert.False(options.RateLimits.Enabled);
        var empty = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Rehearsal:Channels"] = "" }).Build();
        Assert.Empty(empty.BindEach(CodeQuiz.Web.Rehearsal.RehearsalOptions.Section, new CodeQuiz.Web.Rehearsal.RehearsalOptions()));
    }

    [Fact]
    public void AnythingElseIsNoConfigurationMistake() =>
        Assert.Null(InvalidConfigurationException.Describe(new InvalidOperationException("Sequence contains no elements")));
}
