#!/usr/bin/env bash
# KernelSoak bootstrap: make sure the host has what the board and kernel builds need, build the
# task host when its sources changed, and run it with the given arguments (./build.sh --help).
set -euo pipefail
# No silent stop: name the line and the command that failed.
trap 'rc=$?; echo "build.sh: line $LINENO: \`$BASH_COMMAND\` failed (exit $rc)" >&2; exit $rc' ERR
ROOT=$(cd "$(dirname "$0")" && pwd)
cd "$ROOT"
export KERNELSOAK_ROOT=$ROOT DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
# Host packages are for builds and the board: not for help, the task tree, a dry run or classifying a saved log.
case " $* " in *" --help "*|*" --tree "*|*" --description "*|*" --dryrun "*|*" --target=Classify "*|*" --version "*) ;; *) scripts/setup-host.sh ;; esac
# Newer than $1: a source of the named projects (or the props that build them).
# (obj/ and bin/ pruned, not walked: Classify's start-up is timed against grep's in bench/classifier.sh)
stale() { local out=$1; shift; [ ! -e "$out" ] || [ -n "$(find "$@" Directory.*.props Directory.Build.targets \( -name obj -o -name bin \) -prune -o -newer "$out" \( -name '*.cs' -o -name '*.csproj' -o -name '*.props' -o -name '*.targets' \) -print -quit)" ]; }
# Classify runs as a native program (kernelsoak-classify, AOT-compiled once on this machine): no JIT, no
# task host, a 100 MB log at grep's pace. A command line it does not read (exit 100) or a machine that
# cannot build it (no C toolchain for the AOT linker) goes to the task host below.
case " $* " in *" --target=Classify "*)
  CLASSIFY=build/bin/classify/kernelsoak-classify
  SOURCES=(src/KernelSoak.Classify src/KernelSoak.Reports src/KernelSoak.Settings src/KernelSoak.Campaigns)
  fresh=1; stale "$CLASSIFY" "${SOURCES[@]}" && fresh=0  # one look at the sources: each costs a find
  if [ "$fresh" = 0 ] && stale build/bin/classify-failed "${SOURCES[@]}"; then
    mkdir -p artifacts build/bin
    echo "building the native classifier (once; log: artifacts/classify-build.log)" >&2
    dotnet publish src/KernelSoak.Classify -c Release -o build/bin/classify -nologo -v quiet > artifacts/classify-build.log 2>&1 \
      && touch "$CLASSIFY" && rm -f build/bin/classify-failed && fresh=1 \
      || { touch build/bin/classify-failed; rm -f "$CLASSIFY"; echo "the native classifier did not build (artifacts/classify-build.log): using the task host" >&2; }
  fi
  if [ -x "$CLASSIFY" ] && [ "$fresh" = 1 ]; then
    rc=0; "$CLASSIFY" "$@" || rc=$?
    [ "$rc" -eq 100 ] || exit "$rc"
  fi ;;
esac
HOST=build/bin/Release/net10.0/KernelSoak.Build.dll
# Rebuild only when a source is newer than the host (a no-op dotnet build costs seconds).
if stale "$HOST" build src; then
  mkdir -p artifacts
  dotnet build build/Build.csproj -c Release -nologo -v quiet > artifacts/host-build.log 2>&1 \
    || { grep -E 'error|warning' artifacts/host-build.log >&2; echo "building the task host failed (log: artifacts/host-build.log)" >&2; exit 1; }
fi
exec dotnet "$HOST" "$@"
