using System;
using System.Globalization;
using System.Management.Automation.Host;

namespace MgLru.Host;

/// <summary>The PSHost: identity, culture, and the exit code a script asks for with 'exit N'.</summary>
public sealed class ScriptHost : PSHost
{
    private readonly Guid _id = Guid.NewGuid();
    private readonly HostUserInterface _ui;

    public ScriptHost(HostUserInterface ui) => _ui = ui;

    public int? ExitCode { get; private set; }

    public override CultureInfo CurrentCulture => CultureInfo.CurrentCulture;
    // Help lives in en-US; a fixed UI culture makes Get-Help find it on any machine.
    public override CultureInfo CurrentUICulture => CultureInfo.GetCultureInfo("en-US");
    public override Guid InstanceId => _id;
    public override string Name => "MgLru.Host";
    public override PSHostUserInterface UI => _ui;
    public override Version Version => typeof(ScriptHost).Assembly.GetName().Version ?? new Version(0, 1);

    public override void EnterNestedPrompt() => throw new NotSupportedException();
    public override void ExitNestedPrompt() => throw new NotSupportedException();
    public override void NotifyBeginApplication() { }
    public override void NotifyEndApplication() { }
    public override void SetShouldExit(int exitCode) => ExitCode = exitCode;
}
