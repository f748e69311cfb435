using Microsoft.Extensions.Options;

namespace CodeQuiz.Web.Organizers;

/// <summary>
/// Creates the organizer named by the Bootstrap settings at start, once, when there is none. A start-up step run by
/// Program rather than a hosted service: a refused password ends start-up with one line naming the setting, where a
/// hosted service's failure is also logged by the host with its stack trace.
/// </summary>
sealed class OrganizerBootstrap(IServiceScopeFactory scopes, IOptions<BootstrapOptions> options, ILogger<OrganizerBootstrap> logger)
{
    public async Task CreateFirstOrganizerAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (!settings.IsSet)
            return;
        await using var scope = scopes.CreateAsyncScope();
        var accounts = scope.ServiceProvider.GetRequiredService<OrganizerAccounts>();
        if (await accounts.AnyAsync(cancellationToken))
            return;
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
}
