using CodeQuiz.Web.Components.Pages.Account;
using Microsoft.Extensions.Options;

namespace CodeQuiz.Web.Organizers;

/// <summary>
/// Creates the organizer named by the Bootstrap settings at start, once, when there is none; without them, writes in the
/// log how to reach the first-run page (<see cref="FirstRunCode"/>). A start-up step run by
/// Program rather than a hosted service: a refused password ends start-up with one line naming the setting, where a
/// hosted service's failure is also logged by the host with its stack trace.
/// </summary>
sealed partial class OrganizerBootstrap(IServiceScopeFactory scopes, IOptions<BootstrapOptions> options, FirstRunCode firstRun, ILogger<OrganizerBootstrap> logger)
{
    public async Task CreateFirstOrganizerAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        await using var scope = scopes.CreateAsyncScope();
        var accounts = scope.ServiceProvider.GetRequiredService<OrganizerAccounts>();
        if (await accounts.AnyAsync(cancellationToken))
            return;
        if (!settings.IsSet)
        {
            LogNoOrganizerYet(AccountEndpoints.FirstRunPath, $"{AccountEndpoints.FirstRunPath}?code={firstRun.Value}");
            return;
        }
        var result = await accounts.CreateFirstAsync(settings.OrganizerEmail!, settings.OrganizerPassword!, cancellationToken);
        if (result.Succeeded)
        {
            logger.LogInformation("Created the first organizer {Email} from the Bootstrap settings", settings.OrganizerEmail);
            return;
        }
        if (result.Errors.Any(e => e.Code == OrganizerAccounts.AlreadyExists.Code))
            return;
        var reasons = string.Join(" ", result.Errors.Select(e => e.Description));
        var setting = result.Errors.Any(e => e.Code.StartsWith("Password", StringComparison.Ordinal))
            ? "Bootstrap:OrganizerPassword"
            : "Bootstrap:OrganizerEmail";
        throw new InvalidConfigurationException($"{setting} was refused: {reasons}");
    }

    [LoggerMessage(LogLevel.Warning, "No organizer yet: create the first one at {Path} in a browser on this machine, or from any other at {Link} (this start's code).")]
    partial void LogNoOrganizerYet(string path, string link);
}
