using System.Runtime.CompilerServices;

namespace CodeQuiz.Tests.Infrastructure;

/// <summary>
/// bUnit's WaitForAssertion, WaitForElement and WaitForState give up after one second unless told otherwise. A page that
/// reads SQLite, or hears a change on the thread pool, can take longer than that on a busy CI machine running the whole
/// suite at once: the waits end as soon as the condition holds, so a long limit costs a passing test nothing.
/// </summary>
static class BunitWaits
{
    [ModuleInitializer]
    internal static void Initialize() => Bunit.BunitContext.DefaultWaitTimeout = TimeSpan.FromSeconds(15);
}
