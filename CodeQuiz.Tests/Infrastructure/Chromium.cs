using Microsoft.Playwright;

namespace CodeQuiz.Tests.Infrastructure;

/// <summary>Debian's Chromium, headless, as every browser test starts it: no browser is downloaded, nothing leaves the machine.</summary>
static class Chromium
{
    public const string Path = "/usr/bin/chromium";

    static readonly string[] Args =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ];

    public static Task<IBrowser> LaunchAsync(IPlaywright playwright, float? timeout = null)
    {
        if (!File.Exists(Path))
            throw new InvalidOperationException($"The browser tests need Debian's Chromium at {Path}: `apt-get install -y chromium` (.ci/run installs it).");
        return playwright.Chromium.LaunchAsync(new() { ExecutablePath = Path, Headless = true, Args = Args, Timeout = timeout });
    }
}
