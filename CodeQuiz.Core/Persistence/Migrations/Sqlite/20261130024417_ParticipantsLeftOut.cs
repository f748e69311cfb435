using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CodeQuiz.Core.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ParticipantsLeftOut : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "LeftOutAt",
                table: "Participants",
                type: "INTEGER",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "LeftOutAt",
                table: "Participants");
        }
    }
}
