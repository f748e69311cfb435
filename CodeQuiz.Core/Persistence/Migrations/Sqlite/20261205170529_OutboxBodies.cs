using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CodeQuiz.Core.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class OutboxBodies : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "BodyId",
                table: "OutboxMessages",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "OutboxBodies",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false),
                    Text = table.Column<string>(type: "TEXT", nullable: true),
                    ReplyMarkupJson = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_OutboxBodies", x => x.Id);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // Rows that name a shared body get its text and keyboard back. The column goes with SQLite's own DROP COLUMN:
            // EF Core's DropColumn copies the table into one it builds from the model, which numbers rows with
            // AUTOINCREMENT again (see OutboxAndAnswersWithoutAutoincrement).
            migrationBuilder.Sql("""
                UPDATE OutboxMessages
                SET Text = (SELECT b.Text FROM OutboxBodies b WHERE b.Id = OutboxMessages.BodyId),
                    ReplyMarkupJson = (SELECT b.ReplyMarkupJson FROM OutboxBodies b WHERE b.Id = OutboxMessages.BodyId)
                WHERE BodyId IS NOT NULL;
                """);
            migrationBuilder.Sql("ALTER TABLE OutboxMessages DROP COLUMN BodyId;");
            migrationBuilder.DropTable(
                name: "OutboxBodies");
        }
    }
}
