using Microsoft.Extensions.Options;

namespace CodeQuiz.Web.Organizers;

/// <summary>Creates the organizer named by the Bootstrap settings at start, once, when there is none.</summary>
sealed class OrganizerBootstrap(IServiceScopeFactory scopes, IOptions<BootstrapOptions> options, ILogger<OrganizerBootstrap> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
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

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
