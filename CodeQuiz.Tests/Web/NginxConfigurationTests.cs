using System.Text.RegularExpressions;
using CodeQuiz.Core.Ingest;
using CodeQuiz.Core.Quizzes;
using CodeQuiz.Tests.Infrastructure;

namespace CodeQuiz.Tests.Web;

/// <summary>
/// The nginx configuration of docs/running-an-event.md, copied as it is, lets through every body CodeQuiz itself takes:
/// nginx refuses a larger body than its client_max_body_size (1 MB unless set) with a 413 page of its own, before
/// CodeQuiz sees it, so a question bank the API takes would be refused behind the proxy, and not in CodeQuiz's words.
/// </summary>
public partial class NginxConfigurationTests
{
    const long NginxDefault = 1024 * 1024;

    static long ClientMaxBodySize()
    {
        var text = File.ReadAllText(Path.Combine(Repository.Root, "docs", "running-an-event.md"));
        var block = NginxBlock().Match(text);
        Assert.True(block.Success, "running-an-event.md has an nginx configuration");
        if (BodySize().Match(block.Groups[1].Value) is not { Success: true } size)
            return NginxDefault;
        var number = long.Parse(size.Groups["n"].Value, System.Globalization.CultureInfo.InvariantCulture);
        return size.Groups["unit"].Value.ToLowerInvariant() switch
        {
            "k" => number * 1024,
            "m" => number * 1024 * 1024,
            "g" => number * 1024 * 1024 * 1024,
            _ => number,
        };
    }

    [Fact]
    public void ItLetsThroughTheLargestQuestionBankTheApiTakes() =>
        Assert.True(ClientMaxBodySize() >= Csv.ImportMaxBytes,
            $"client_max_body_size is {ClientMaxBodySize()} bytes; POST /api/events/{{id}}/questions.csv takes {Csv.ImportMaxBytes}");

    [Fact]
    public void ItLetsThroughTheLargestWebhookBodyByDefault() =>
        Assert.True(ClientMaxBodySize() >= new IngestOptions().MaxBodyBytes,
            $"client_max_body_size is {ClientMaxBodySize()} bytes; Ingest:MaxBodyBytes is {new IngestOptions().MaxBodyBytes}");

    [GeneratedRegex(@"```nginx\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex NginxBlock();

    [GeneratedRegex(@"^\s*client_max_body_size\s+(?<n>[0-9]+)(?<unit>[kKmMgG]?)\s*;", RegexOptions.Multiline)]
    private static partial Regex BodySize();
}
