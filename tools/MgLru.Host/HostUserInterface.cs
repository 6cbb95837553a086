using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Globalization;
using System.IO;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;
using System.Text;
using System.Text.RegularExpressions;

namespace MgLru.Host;

/// <summary>
/// The host's user interface: Out-Default's formatted lines go to the output writer, errors,
/// warnings and progress to the error writer. Non-interactive: prompts fail instead of hanging.
/// </summary>
public sealed class HostUserInterface : PSHostUserInterface
{
    private readonly TextWriter _out;
    private readonly TextWriter _err;
    private readonly HostRawUserInterface _raw;
    private readonly bool _progressOnTerminal;
    private readonly bool _plainText;
    private string _lastProgress = "";
    private static readonly Regex Escapes = new("\x1b\\[[0-9;]*m", RegexOptions.Compiled);

    /// <param name="plainText">Strip the VT colour sequences PowerShell 7 puts in table headers (for files and pipes).</param>
    public HostUserInterface(TextWriter output, TextWriter error, int width, bool progressOnTerminal, bool plainText)
    {
        _out = output;
        _err = error;
        _raw = new HostRawUserInterface(width);
        _progressOnTerminal = progressOnTerminal;
        _plainText = plainText;
    }

    public override PSHostRawUserInterface RawUI => _raw;

    private string Plain(string value) => _plainText ? Escapes.Replace(value, "") : value;

    public override void Write(string value) => _out.Write(Plain(value));
    public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) => _out.Write(Plain(value));
    public override void WriteLine(string value) => _out.WriteLine(Plain(value));
    public override void WriteErrorLine(string value) => _err.WriteLine(value);
    public override void WriteDebugLine(string message) => _err.WriteLine("DEBUG: " + message);
    public override void WriteVerboseLine(string message) => _err.WriteLine("VERBOSE: " + message);
    public override void WriteWarningLine(string message) => _err.WriteLine("WARNING: " + message);

    public override void WriteProgress(long sourceId, ProgressRecord record)
    {
        if (record.RecordType == ProgressRecordType.Completed)
        {
            if (_progressOnTerminal && _lastProgress.Length > 0) _err.Write("\r" + new string(' ', _lastProgress.Length) + "\r");
            _lastProgress = "";
            return;
        }
        string pct = record.PercentComplete >= 0 ? record.PercentComplete.ToString(CultureInfo.InvariantCulture) + "% " : "";
        string line = $"{record.Activity}: {pct}{record.StatusDescription}";
        if (_progressOnTerminal)
        {
            if (line.Length > _raw.BufferSize.Width - 1) line = line.Substring(0, _raw.BufferSize.Width - 1);
            _err.Write("\r" + line.PadRight(_lastProgress.Length));
            _lastProgress = line;
        }
        else if (line != _lastProgress)
        {
            _err.WriteLine(line);
            _lastProgress = line;
        }
    }

    public override Dictionary<string, PSObject> Prompt(string caption, string message, Collection<FieldDescription> descriptions)
        => throw new PSInvalidOperationException("MgLru.Host is not interactive: a script asked for input (" + caption + ").");

    public override int PromptForChoice(string caption, string message, Collection<ChoiceDescription> choices, int defaultChoice)
        => throw new PSInvalidOperationException("MgLru.Host is not interactive: a script asked to confirm (" + caption + ": " + message + "). Pass -Confirm:$false.");

    public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName)
        => throw new PSInvalidOperationException("MgLru.Host is not interactive.");

    public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName, PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options)
        => throw new PSInvalidOperationException("MgLru.Host is not interactive.");

    public override string ReadLine() => throw new PSInvalidOperationException("MgLru.Host is not interactive: a script tried to read a line.");

    public override SecureString ReadLineAsSecureString() => throw new PSInvalidOperationException("MgLru.Host is not interactive.");
}

/// <summary>A fixed-width virtual console: enough for Out-Default's table layout.</summary>
public sealed class HostRawUserInterface : PSHostRawUserInterface
{
    private Size _size;

    public HostRawUserInterface(int width) => _size = new Size(width, 9999);

    public override ConsoleColor BackgroundColor { get; set; } = ConsoleColor.Black;
    public override ConsoleColor ForegroundColor { get; set; } = ConsoleColor.Gray;
    public override Size BufferSize { get => _size; set => _size = value; }
    public override Coordinates CursorPosition { get; set; }
    public override int CursorSize { get; set; }
    public override bool KeyAvailable => false;
    public override Size MaxPhysicalWindowSize => _size;
    public override Size MaxWindowSize => _size;
    public override Coordinates WindowPosition { get; set; }
    public override Size WindowSize { get => new Size(_size.Width, 50); set { } }
    public override string WindowTitle { get; set; } = "MgLru";

    public override void FlushInputBuffer() { }
    public override BufferCell[,] GetBufferContents(Rectangle rectangle) => throw new NotSupportedException();
    public override KeyInfo ReadKey(ReadKeyOptions options) => throw new PSInvalidOperationException("MgLru.Host is not interactive.");
    public override void ScrollBufferContents(Rectangle source, Coordinates destination, Rectangle clip, BufferCell fill) { }
    public override void SetBufferContents(Coordinates origin, BufferCell[,] contents) { }
    public override void SetBufferContents(Rectangle rectangle, BufferCell fill) { }
}
