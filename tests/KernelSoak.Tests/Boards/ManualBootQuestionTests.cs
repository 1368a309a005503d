using KernelSoak.Boards;

namespace KernelSoak.Tests.Boards;

/// <summary>A manual boot that came back on another release: the person's answer decides, a guess never does.</summary>
public class ManualBootQuestionTests
{
    private string _dir = "";
    private readonly List<string> _said = [];

    [SetUp]
    public void Dir()
    {
        _dir = Directory.CreateTempSubdirectory("ks-ask-").FullName;
        _said.Clear();
    }

    [TearDown]
    public void Remove() => Directory.Delete(_dir, recursive: true);

    [TestCase("no-boot", ManualBootAnswer.NoBoot)]
    [TestCase("missed", ManualBootAnswer.LabelMissed)]
    public async Task The_file_the_person_touches_is_the_answer_and_is_consumed(string file, ManualBootAnswer expected)
    {
        var question = new ManualBootQuestion(_said.Add, _dir, TimeSpan.FromMinutes(1));
        File.WriteAllText(Path.Combine(_dir, "no-boot"), "left from an earlier question");
        var asking = question.AskAsync("6.1.0-known-good", "7.0.0-rc3-lockdep-kasan", "arch_devices_lockdep_kasan");
        await Task.Delay(300);
        Assert.That(asking.IsCompleted, Is.False, "an answer left from before is not this question's");
        File.WriteAllText(Path.Combine(_dir, file), "");

        Assert.That(await asking.WaitAsync(TimeSpan.FromSeconds(10)), Is.EqualTo(expected));
        Assert.That(Directory.GetFiles(_dir), Is.Empty, "the next question waits again");
        Assert.That(_said.Single(), Does.Contain("came up on 6.1.0-known-good, not 7.0.0-rc3-lockdep-kasan")
            .And.Contain($"touch {question.NoBootFile}").And.Contain($"touch {question.MissedFile}").And.Contain("arch_devices_lockdep_kasan"));
    }

    [Test]
    public async Task Nobody_answering_is_unanswered_not_a_verdict() =>
        Assert.That(await new ManualBootQuestion(_said.Add, _dir, TimeSpan.FromMilliseconds(500)).AskAsync("a", "b", "l"), Is.EqualTo(ManualBootAnswer.Unanswered));
}
