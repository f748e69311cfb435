using CodeQuiz.Core.Bot;
using CodeQuiz.Core.Quizzes;

namespace CodeQuiz.Tests.Core.Bot;

public sealed class TimeLeftLineTests
{
    static readonly DateTimeOffset Now = new(2026, 10, 14, 18, 0, 0, TimeSpan.Zero);
    const string Prompt = "<b>Question 2</b>\n\nWhich loop runs at least once?\n\n👇 Tap your answer, or send its letter.\n⏱ 90 s left.";

    [Theory]
    [InlineData(30.0, "⏱ 30 s left.")]
    [InlineData(0.4, "⏱ 1 s left.")] // rounded up, as the bot and the projector round it
    [InlineData(89.2, "⏱ 90 s left.")]
    public void ARunningQuestionsPromptSaysWhatIsLeftNow(double secondsLeft, string line)
    {
        var question = new TimedQuestion(QuestionState.Open, Now.AddSeconds(secondsLeft), "en", 2);
        Assert.Equal(Prompt[..Prompt.LastIndexOf('\n')] + "\n" + line, TimeLeftLine.Rewrite(Prompt, question, Now));
    }

    [Fact]
    public void APromptLeavingAfterTheTimeRanOutOrTheCloseSaysTimeIsUp()
    {
        var ranOut = TimeLeftLine.Rewrite(Prompt, new TimedQuestion(QuestionState.Open, Now, "en", 2), Now);
        Assert.EndsWith("\n👇 Tap your answer, or send its letter.\n⏱ Time is up: a late answer does not rank.", ranOut);
        Assert.Equal(ranOut, TimeLeftLine.Rewrite(Prompt, new TimedQuestion(QuestionState.Closed, Now.AddSeconds(20), "en", 2), Now));
        Assert.EndsWith("\n⏱ Tempo scaduto: una risposta in ritardo non entra in classifica.",
            TimeLeftLine.Rewrite(Prompt, new TimedQuestion(QuestionState.Closed, null, "it", 2), Now));
    }

    [Fact]
    public void APromptOfAQuestionGoneOrWithoutALimitSaysNothingOfTime()
    {
        var without = Prompt[..Prompt.LastIndexOf('\n')];
        Assert.Equal(without, TimeLeftLine.Rewrite(Prompt, null, Now));
        Assert.Equal(without, TimeLeftLine.Rewrite(Prompt, new TimedQuestion(QuestionState.Open, null, "en", 2), Now));
        Assert.True(TimeLeftLine.KeepsItsButtons(null));
        Assert.True(TimeLeftLine.KeepsItsButtons(new TimedQuestion(QuestionState.Closed, null, "en", 2)));
    }

    [Fact]
    public void APromptOfAQuestionTakenBackToDraftGivesWayToWhatAScanGetsNowWithoutItsButtons()
    {
        var draft = new TimedQuestion(QuestionState.Draft, null, "en", 2);
        Assert.Equal("⏳ Question 2 is not open yet. When the livestream shows it, send your answer here, or scan its code again to see the question.",
            TimeLeftLine.Rewrite(Prompt, draft, Now));
        Assert.False(TimeLeftLine.KeepsItsButtons(draft));
        Assert.StartsWith("⏳ La domanda 2 non è ancora aperta", TimeLeftLine.Rewrite(Prompt, draft with { Language = "it" }, Now));
    }

    [Fact]
    public void ALongerLineThatWouldMakeTheMessageTooLongForTelegramIsLeftOut()
    {
        // A prompt cut to fit Telegram's 4,096 characters with its short "⏱ 5 s left." line.
        var head = "<b>Question 2</b>\n\n" + new string('x', TelegramHtml.MessageMax - 40);
        var full = head + "\n⏱ 5 s left.";
        Assert.True(TelegramHtml.VisibleLength(full) <= TelegramHtml.MessageMax);

        Assert.Equal(head, TimeLeftLine.Rewrite(full, new TimedQuestion(QuestionState.Closed, null, "en", 2), Now));
        Assert.Equal(head + "\n⏱ 3 s left.", TimeLeftLine.Rewrite(full, new TimedQuestion(QuestionState.Open, Now.AddSeconds(3), "en", 2), Now));
    }

    [Fact]
    public void TextWithoutALineBreakIsSentAsItIs() =>
        Assert.Equal("⏱ 90 s left.", TimeLeftLine.Rewrite("⏱ 90 s left.", new TimedQuestion(QuestionState.Closed, null, "en", 2), Now));
}
