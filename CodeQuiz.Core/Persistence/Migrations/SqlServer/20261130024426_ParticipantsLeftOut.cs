using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CodeQuiz.Core.Persistence.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class ParticipantsLeftOut : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "LeftOutAt",
                table: "Participants",
                type: "datetimeoffset",
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
