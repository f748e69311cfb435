using CodeQuiz.Bench;

// The CodeQuiz benchmark (README, "Benchmark"; what a run does: docs/benchmark.md): prints one JSON line on stdout, progress on stderr,
// and exits non-zero when an acknowledged update or answer is missing from the database.
var options = BenchOptions.Parse(args);
if (options is null) return 2;
return await Benchmark.RunAsync(options);
