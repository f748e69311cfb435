namespace CodeQuiz.Web.Rehearsal;

/// <summary>Names as a Code Week audience writes them: accents, other scripts, emoji, and text that must be escaped.</summary>
static class CrowdNames
{
    /// <summary>The first participants always include the names that break careless HTML.</summary>
    public static readonly (string First, string? Last)[] Tricky =
    [
        ("<b>Bob</b>", null), ("Tom & Jerry", null), ("Giò", "D'Angelo"), ("Zoë", "O'Brien"), ("🦄 Luna", null),
    ];

    public static readonly string[] First =
    [
        "José", "Zoë", "Łukasz", "Søren", "Françoise", "Björn", "Αλέξανδρος", "Дмитрий", "李娜", "Ömer", "Nguyễn", "Aoife",
        "Siobhán", "Raphaël", "Chloé", "Noémie", "Mateo", "Jürgen", "Ilse", "Krzysztof", "Małgorzata", "Ioana", "Ștefan",
        "Dragoș", "Elif", "Yağmur", "Kateřina", "Tomáš", "Zsófia", "Ágnes", "Lucía", "Iñigo", "Ása", "Þór", "Eglė", "Jānis",
        "Mārtiņš", "Päivi", "Kalle", "Maria Chiara", "Giulia", "Matteo", "Sofia", "Lorenzo", "Emma", "Liam", "Noah", "Olivia",
        "Ana", "Ivan", "Marta", "Pedro", "Inês", "João", "Nikola", "Milica", "Aleksandra", "Anja", "Luka", "Mia 🐱", "Max",
        "Sara", "Ali", "Fatima", "Yusuf", "Hana", "Kenji", "Priya", "Arjun", "Chiara", "Francesco", "Élodie", "Théo", "Ava",
    ];

    public static readonly string?[] Last =
    [
        null, null, null, "Rossi", "Müller", "Nowak", "García", "Dubois", "Jensen", "Kovačević", "Horváth", "Novák", "Papadopoulos",
        "Ivanova", "Yılmaz", "Silva", "Virtanen", "Jónsdóttir", "Ó Briain", "Esposito", "Schäfer", "Wiśniewska", "Popescu",
        "Petrović", "Costa", "Fernández", "Kowalski", "Lindqvist", "de la Cruz", "van der Berg", "🚀", "Bianchi", "Nagy",
    ];

    public static readonly string[] Teams =
    [
        "3B Liceo Galilei", "Coding Club Ljubljana", "Les Petits Hackers", "Klasse 7a 🚀", "<script>alert(1)</script>",
        "Tom & Jerry's class", "Εκπαιδευτικοί Αθήνας", "Robotics @ Gdańsk", "CoderDojo Cork", "IES Cervantes 2ºB",
        "Scuola Media Dante <3", "Team \"Null Pointer\"", "Škola Hrvatska 4.c", "Gymnázium Brno", "Les Déboggueurs",
        "Bit & Byte", "Colegio San José 🇪🇸", "Mädchen-MINT-Club", "Klasa 2c", "Coding Girls Tirana",
    ];

    /// <summary>Plausible wrong answers, some of which must be escaped when the bot repeats them.</summary>
    public static readonly string[] WrongAnswers =
    [
        "I don't know 🤷", "null", "undefined", "NaN", "42", "<script>alert(1)</script>", "a && b", "Tom & Jerry",
        "¯\\_(ツ)_/¯", "idk", "segmentation fault", "true", "0", "print(\"hello\")", "<b>bold</b> guess", "non lo so",
    ];
}
