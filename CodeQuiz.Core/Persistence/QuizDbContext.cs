using CodeQuiz.Core.Ingest;
using CodeQuiz.Core.Outbox;
using CodeQuiz.Core.Quizzes;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace CodeQuiz.Core.Persistence;

/// <summary>
/// The whole schema. Each provider has a subclass of its own so that each keeps its own
/// migrations (Persistence/Migrations/Sqlite and Persistence/Migrations/SqlServer).
/// </summary>
public abstract class QuizDbContext(DbContextOptions options) : IdentityDbContext<Organizer>(options)
{
    public DbSet<QuizEvent> Events => Set<QuizEvent>();
    public DbSet<Question> Questions => Set<Question>();
    public DbSet<Participant> Participants => Set<Participant>();
    public DbSet<Answer> Answers => Set<Answer>();
    public DbSet<ProcessedUpdate> ProcessedUpdates => Set<ProcessedUpdate>();
    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();
    public DbSet<OutboxBody> OutboxBodies => Set<OutboxBody>();
    public DbSet<DeadLetter> DeadLetters => Set<DeadLetter>();
    public DbSet<UpdateSource> UpdateSources => Set<UpdateSource>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);

        builder.Entity<QuizEvent>(e =>
        {
            e.ToTable("Events");
            e.Property(x => x.Name).HasMaxLength(200);
            e.Property(x => x.Language).HasMaxLength(8);
            e.Property(x => x.ChannelId).HasMaxLength(64);
            e.Property(x => x.PresenterToken).HasMaxLength(64);
            e.HasIndex(x => x.PresenterToken).IsUnique();
            e.HasMany(x => x.Questions).WithOne(q => q.Event).HasForeignKey(q => q.EventId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<Question>(e =>
        {
            e.ToTable("Questions");
            e.Property(x => x.Prompt).HasMaxLength(4000);
            e.Property(x => x.Code).HasMaxLength(16);
            e.HasIndex(x => x.Code).IsUnique();
            e.HasIndex(x => new { x.EventId, x.Position });
            // The catalog edits, moves and deletes drafts; the batch writer opens them. A change read before an open is refused.
            e.Property(x => x.State).IsConcurrencyToken();
            e.Ignore(x => x.Deadline);
            e.Ignore(x => x.TimeAllowedSeconds);
            e.Ignore(x => x.CorrectAnswerText);
        });

        builder.Entity<Participant>(e =>
        {
            e.ToTable("Participants");
            e.Property(x => x.Id).ValueGeneratedNever();
            e.Property(x => x.FirstName).HasMaxLength(256);
            e.Property(x => x.LastName).HasMaxLength(256);
            e.Property(x => x.Username).HasMaxLength(64);
            e.Property(x => x.LanguageCode).HasMaxLength(16);
            e.Property(x => x.TeamName).HasMaxLength(Participant.TeamNameStoredMax);
            e.Ignore(x => x.DisplayName);
            e.Ignore(x => x.People);
        });

        builder.Entity<Answer>(e =>
        {
            e.ToTable("Answers");
            // One index, by question in Telegram's order: what the counts, rankings and closes read. Nothing here is keyed
            // by the participant: a crowd's Telegram ids are scattered over billions, so an index led by them (or a
            // foreign key, which needs one) put each answer of a batch on a page of its own, most of what a commit wrote.
            // The batch writer, the only place answers are written, keeps one answer per participant and question (in
            // memory, loaded from here at every start), and /forget deletes a participant's answers by their questions.
            e.HasIndex(x => new { x.QuestionId, x.UpdateId });
            e.HasOne<Question>().WithMany().HasForeignKey(x => x.QuestionId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<ProcessedUpdate>(e =>
        {
            e.ToTable("ProcessedUpdates");
            e.HasKey(x => x.UpdateId);
            e.Property(x => x.UpdateId).ValueGeneratedNever();
        });

        builder.Entity<OutboxMessage>(e =>
        {
            e.ToTable("OutboxMessages");
            e.Property(x => x.ChatId).HasMaxLength(64);
            e.Property(x => x.CallbackQueryId).HasMaxLength(128);
            // The sender's rare queues (OutboxMessage.HasWaitingIndex) and the refusals organizers see; prompts and
            // acknowledgements are read by id, with no index entry to write for each.
            foreach (var priority in OutboxMessage.Priorities.Where(OutboxMessage.HasWaitingIndex))
                e.HasIndex(x => x.Id, $"IX_OutboxMessages_Pending{priority}").HasFilter($"Status = 0 AND Priority = {priority}");
            e.HasIndex(x => x.Id, "IX_OutboxMessages_Failed").HasFilter("Status = 2");
            // Only channel posts name a question, so replies to participants never touch this index.
            e.HasIndex(x => x.QuestionId).HasFilter("QuestionId IS NOT NULL");
        });

        builder.Entity<OutboxBody>(e =>
        {
            // Numbered by the batch writer, which names a body in the rows of the same transaction. Rows name their body
            // without a foreign key: SQLite could add one only by copying the whole outbox, and bodies are never deleted.
            e.ToTable("OutboxBodies");
            e.Property(x => x.Id).ValueGeneratedNever();
        });

        builder.Entity<DeadLetter>(e => e.ToTable("DeadLetters"));

        builder.Entity<UpdateSource>(e =>
        {
            e.ToTable("UpdateSources");
            e.Property(x => x.Id).ValueGeneratedNever();
        });
    }
}
