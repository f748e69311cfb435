using System.Text.Json;
using System.Text.Json.Serialization;

namespace CodeQuiz.Web.Organizers;

/// <summary>
/// Enums in the API's JSON by their names only ("kind": "Numeric", in any case). JsonStringEnumConverter also takes
/// numbers, as 2 or "2", and lists such as "FreeText, Numeric": numbers a script can get wrong without noticing, and
/// values no question can have.
/// </summary>
public sealed class EnumNamesConverter : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) => typeToConvert.IsEnum;

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(typeof(Converter<>).MakeGenericType(typeToConvert))!;

    sealed class Converter<T> : JsonConverter<T> where T : struct, Enum
    {
        static readonly string[] Names = Enum.GetNames<T>();

        // A null for a field that cannot be empty gets the same answer as a wrong name.
        public override bool HandleNull => true;

        public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType == JsonTokenType.String && reader.GetString() is { } text
                && Names.FirstOrDefault(n => string.Equals(n, text, StringComparison.OrdinalIgnoreCase)) is { } name)
                return Enum.Parse<T>(name);
            throw new NotANameException(Names);
        }

        public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToString());
    }

    /// <summary>The value of an enum field is not one of its names; <see cref="Allowed"/> lists them for the answer.</summary>
    public sealed class NotANameException(IReadOnlyList<string> allowed) : JsonException($"Must be one of {string.Join(", ", allowed)}.")
    {
        public IReadOnlyList<string> Allowed { get; } = allowed;
    }
}
