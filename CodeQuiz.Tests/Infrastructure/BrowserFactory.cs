using Microsoft.Playwright;

namespace CodeQuiz.Tests.Infrastructure;

/// <summary>
/// The app for the browser tests: the console's organizer set up (unless the test goes through the first-run page or
/// needs no console), and Chromium started when first asked for. Disposing closes Chromium, then stops the app.
/// </summary>
sealed class BrowserFactory : CodeQuizFactory
{
    public const string Email = "host@codeweek.example", Password = "Quiz-night-2026";

    IPlaywright? _playwright;
    IBrowser? _browser;

    public BrowserFactory(bool withOrganizer = true)
    {
        if (!withOrganizer) return;
        Settings["Bootstrap:OrganizerEmail"] = Email;
        Settings["Bootstrap:OrganizerPassword"] = Password;
    }

    /// <summary>Chromium, started on the first call; each of its pages is a browser of its own, with its own cookies.</summary>
    public async Task<IBrowser> ChromiumAsync()
    {
        _playwright ??= await Playwright.CreateAsync();
        return _browser ??= await Chromium.LaunchAsync(_playwright);
    }

    /// <summary>A new page on the app started by <see cref="CodeQuizFactory.StartOnKestrel"/>, on a laptop's screen, 1366 px wide.</summary>
    public async Task<IPage> NewPageAsync(int height = 768, string? timezoneId = null)
    {
        var browser = await ChromiumAsync();
        var page = await browser.NewPageAsync(new()
        {
            BaseURL = Address, ViewportSize = new() { Width = 1366, Height = height }, TimezoneId = timezoneId,
        });
        // Generous: the whole suite runs in parallel on two cores; nothing here waits longer than it must.
        page.SetDefaultTimeout(90_000);
        return page;
    }

    /// <summary>A new page signed in as the organizer, on <paramref name="path"/> (else where signing in leads), once it is interactive.</summary>
    public async Task<IPage> SignedInPageAsync(string? path = null)
    {
        var page = await NewPageAsync();
        await SignInAsync(page);
        if (path is not null)
            await page.GotoAsync(path);
        await WaitForInteractiveAsync(page);
        return page;
    }

    public static async Task SignInAsync(IPage page)
    {
        await page.GotoAsync("/account/login");
        await page.FillAsync("[data-testid=login-email]", Email);
        await page.FillAsync("[data-testid=login-password]", Password);
        await page.ClickAsync("[data-testid=login-submit]");
        await page.WaitForFunctionAsync("() => !location.pathname.startsWith('/account/login')");
    }

    /// <summary>
    /// Until the page's circuit is up: before that, clicks and typing reach only the prerendered HTML. Then until the
    /// router's FocusOnNavigate has put the keyboard on the page's heading, which it does after the first interactive
    /// render through a call to the browser: on a loaded machine that call came after a test had focused a button, and
    /// the Enter meant for the button went to the heading. A page whose heading comes later is not waited for long.
    /// </summary>
    public static async Task WaitForInteractiveAsync(IPage page)
    {
        await page.WaitForSelectorAsync("[data-testid=interactive]", new() { State = WaitForSelectorState.Attached });
        try
        {
            await page.WaitForFunctionAsync("() => { const h = document.querySelector('h1'); return !h || document.activeElement === h; }",
                null, new() { Timeout = 5_000 });
        }
        catch (TimeoutException)
        {
            // The heading came after the first render: FocusOnNavigate found none to focus, and will not focus it later.
        }
    }

    public override async ValueTask DisposeAsync()
    {
        if (_browser is not null)
            await _browser.DisposeAsync();
        _playwright?.Dispose();
        await base.DisposeAsync();
    }
}
