using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CodeQuiz.Core.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class TeamNameAsShown : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The team name's column is longer in the model (256 UTF-16 units); SQLite does not hold TEXT to a length.
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
        }
    }
}
