using System.ComponentModel.DataAnnotations;
using System.Reflection;
using CodeQuiz.Core.Ingest;

namespace CodeQuiz.Tests.Web;

/// <summary>
/// A refused value stops start-up with its validation message, so each message names its setting as an operator types
/// it (Presenter:PodiumSeconds), never the framework's "The field PodiumSeconds…".
/// </summary>
public class SettingsValidationTests
{
    static readonly Assembly[] Assemblies = [typeof(IngestOptions).Assembly, typeof(Program).Assembly];

    [Fact]
    public void EveryValidationMessageOfAnOptionsClassNamesItsSetting()
    {
        var checkedAttributes = 0;
        var unnamed = new List<string>();
        foreach (var type in Assemblies.SelectMany(a => a.GetTypes()))
        {
            if (type.GetField("Section", BindingFlags.Public | BindingFlags.Static) is not { IsLiteral: true } field) continue;
            var section = (string)field.GetRawConstantValue()!;
            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            foreach (var attribute in property.GetCustomAttributes<ValidationAttribute>())
            {
                checkedAttributes++;
                var setting = $"{section}:{property.Name}";
                if (attribute.ErrorMessage?.StartsWith(setting, StringComparison.Ordinal) != true)
                    unnamed.Add($"{setting} ({attribute.GetType().Name}: '{attribute.ErrorMessage}')");
            }
        }
        Assert.True(checkedAttributes > 10, "no validation attributes found: the reflection above finds no options class");
        Assert.True(unnamed.Count == 0, "messages not naming their setting: " + string.Join(", ", unnamed));
    }
}
