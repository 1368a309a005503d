using Cake.Core;
using Cake.Frosting;
using KernelSoak.Frosting;
using KernelSoak.Steps;

namespace KernelSoak.Build;

/// <summary>Says which campaign and board the run is about, and lets go of the journal and the board.</summary>
public sealed class BuildLifetime : FrostingLifetime<BuildContext>
{
    public override void Setup(BuildContext context, ISetupContext info)
    {
        var mode = context.DryRun ? " (dry run: nothing is changed)" : "";
        context.Output.Info($"campaign {context.Campaign.Id} ({context.Campaign.Info.Title}), board {Plans.ProbeSteps.For(context).Where(context)}{mode}");
        context.Output.Info($"artifacts: {context.ArtifactsDir}");
        if (!context.DryRun) context.ListenForInterrupts();
    }

    public override void Teardown(BuildContext context, ITeardownContext info)
    {
        if (FindingException.In(info.ThrownException) is { } finding)
            context.Output.Warn(finding.WhatToChange);
        else if (!info.Successful && !context.DryRun)
            context.Output.Warn($"the run stopped: re-run the same command to resume; the journal is {context.JournalPath}");
        context.Prebuild.Stop(context, "the run ends");
        context.DropBoardSession();
        // Only a run that holds the journal writes the timeline (one refused by the lease leaves the holder's alone).
        if (!context.DryRun && context.JournalOpen) WriteTimeline(context);
        context.ReleaseLeases();
    }

    /// <summary>The journal on a time axis, rewritten after every run (a killed run leaves the last one).</summary>
    private static void WriteTimeline(BuildContext context)
    {
        try
        {
            var path = Path.Combine(context.ArtifactsDir, "timeline.html");
            File.WriteAllText(path, TimelinePage.Render($"KernelSoak: {context.Campaign.Id}", context.Journal.Entries));
            context.Output.Info($"timeline: {path}");
        }
        catch (IOException e)
        {
            context.Output.Warn($"timeline.html not written: {e.Message}");
        }
    }
}
