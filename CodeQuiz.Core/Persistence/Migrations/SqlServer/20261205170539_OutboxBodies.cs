using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CodeQuiz.Core.Persistence.Migrations.SqlServer
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
                type: "bigint",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "OutboxBodies",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false),
                    Text = table.Column<string>(type: "nvarchar(max)", nullable: true),
                    ReplyMarkupJson = table.Column<string>(type: "nvarchar(max)", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_OutboxBodies", x => x.Id);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // Rows that name a shared body get its text and keyboard back before the bodies go.
            migrationBuilder.Sql("""
                UPDATE m SET Text = b.Text, ReplyMarkupJson = b.ReplyMarkupJson
                FROM OutboxMessages m JOIN OutboxBodies b ON b.Id = m.BodyId;
                """);

            migrationBuilder.DropTable(
                name: "OutboxBodies");

            migrationBuilder.DropColumn(
                name: "BodyId",
                table: "OutboxMessages");
        }
    }
}
