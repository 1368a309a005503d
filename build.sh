#!/usr/bin/env bash
# KernelSoak bootstrap: make sure the host has what the board and kernel builds need, build the
# task host when its sources changed, and run it with the given arguments (./build.sh --help).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")" && pwd)
cd "$ROOT"
export KERNELSOAK_ROOT=$ROOT DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
# Host packages are for builds and the board: not for help, the task tree, a dry run or classifying a saved log.
case " $* " in *" --help "*|*" --tree "*|*" --description "*|*" --dryrun "*|*" --target=Classify "*) ;; *) scripts/setup-host.sh ;; esac
HOST=build/bin/Release/net10.0/KernelSoak.Build.dll
# Rebuild only when a source is newer than the host (a no-op dotnet build costs seconds).
if [ ! -f "$HOST" ] || [ -n "$(find build src Directory.*.props Directory.Build.targets -newer "$HOST" \( -name '*.cs' -o -name '*.csproj' -o -name '*.props' -o -name '*.targets' \) -not -path '*/obj/*' -not -path '*/bin/*' -print -quit)" ]; then
  mkdir -p artifacts
  dotnet build build/Build.csproj -c Release -nologo -v quiet > artifacts/host-build.log 2>&1 \
    || { grep -E 'error|warning' artifacts/host-build.log >&2; echo "building the task host failed (log: artifacts/host-build.log)" >&2; exit 1; }
fi
exec dotnet "$HOST" "$@"
