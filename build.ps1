# KernelSoak bootstrap for PowerShell (pwsh on Linux): build the task host and run it.
# Host packages are Debian's (scripts/setup-host.sh); this script does not install them.
$ErrorActionPreference = 'Stop'
Set-Location $PSScriptRoot
$env:KERNELSOAK_ROOT = $PSScriptRoot
$env:DOTNET_CLI_TELEMETRY_OPTOUT = '1'
dotnet build build/Build.csproj -c Release -nologo -v quiet -clp:ErrorsOnly
if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
dotnet build/bin/Release/net10.0/KernelSoak.Build.dll @args
exit $LASTEXITCODE
