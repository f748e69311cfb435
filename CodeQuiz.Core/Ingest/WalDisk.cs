namespace CodeQuiz.Core.Ingest;

/// <summary>
/// Puts SQLite's write-ahead log on disk for <see cref="GroupCommit"/>: fsync(2) of the -wal file. Tests stand in
/// a disk whose flush fails, which no real disk here can be made to do.
/// </summary>
public class WalDisk
{
    public virtual void Flush(FileStream log) => log.Flush(flushToDisk: true);
}
