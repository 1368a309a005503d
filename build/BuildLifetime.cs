using Cake.Core;
using Cake.Frosting;

namespace KernelSoak.Build;

/// <summary>Says which campaign and board the run is about, and closes the journal.</summary>
public sealed class BuildLifetime : FrostingLifetime<BuildContext>
{
    public override void Setup(BuildContext context, ISetupContext info)
    {
        var mode = context.DryRun ? " (dry run: nothing is changed)" : "";
        context.Output.Info($"campaign {context.Campaign.Id} ({context.Campaign.Info.Title}), board {context.Settings.Board.Kind.ToString().ToLowerInvariant()} at {context.Board.Address}{mode}");
        context.Output.Info($"artifacts: {context.ArtifactsDir}");
    }

    public override void Teardown(BuildContext context, ITeardownContext info)
    {
        if (FindingException.In(info.ThrownException) is { } finding)
            context.Output.Warn(finding.WhatToChange);
        else if (!info.Successful && !context.DryRun)
            context.Output.Warn($"the run stopped: re-run the same command to resume; the journal is {context.JournalPath}");
        context.DropBoardSession();
        context.Journal.Dispose();
    }
}
