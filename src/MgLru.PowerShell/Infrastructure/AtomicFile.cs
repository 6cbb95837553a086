using System;
using System.IO;
using System.Management.Automation;

namespace MgLru.PowerShell.Infrastructure;

/// <summary>Files are written to a temporary name beside the target and moved into place: never half a file.</summary>
internal static class AtomicFile
{
    /// <summary>
    /// The target's full path if the cmdlet may write it: an existing file only with -Force (FileExists
    /// otherwise), and -WhatIf/-Confirm asked; null when ShouldProcess declined.
    /// </summary>
    public static string? Target(PSCmdlet cmdlet, string path, bool force, string action)
    {
        string full = cmdlet.GetUnresolvedProviderPathFromPSPath(path);
        if (Directory.Exists(full))
            cmdlet.ThrowTerminatingError(new ErrorRecord(new ArgumentException($"'{full}' is a folder; give the path of the file to write in it.", "Path"), "PathIsFolder", ErrorCategory.InvalidArgument, full));
        if (File.Exists(full) && !force)
            cmdlet.ThrowTerminatingError(new ErrorRecord(new IOException($"The file '{full}' exists; use -Force to overwrite it."), "FileExists", ErrorCategory.ResourceExists, full));
        return cmdlet.ShouldProcess(full, action) ? full : null;
    }

    public static void Write(PSCmdlet cmdlet, string path, Action<Stream> write)
    {
        string? dir = System.IO.Path.GetDirectoryName(path);
        if (string.IsNullOrEmpty(dir) || !Directory.Exists(dir))
        {
            cmdlet.ThrowTerminatingError(new ErrorRecord(new DirectoryNotFoundException($"The folder of '{path}' does not exist."), "FolderNotFound", ErrorCategory.ObjectNotFound, path));
            return;
        }
        string temp = System.IO.Path.Combine(dir, "." + System.IO.Path.GetFileName(path) + "." + Guid.NewGuid().ToString("N").Substring(0, 8) + ".tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.ReadWrite))
                write(stream);
            // Replace swaps the new file in with one rename, so the old one stays whole until then.
            if (File.Exists(path)) File.Replace(temp, path, null);
            else File.Move(temp, path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            try { if (File.Exists(temp)) File.Delete(temp); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            cmdlet.ThrowTerminatingError(new ErrorRecord(e, "WriteFailed", ErrorCategory.WriteError, path));
        }
        catch
        {
            // Ctrl+C or anything else: no half-written file stays behind.
            try { if (File.Exists(temp)) File.Delete(temp); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            throw;
        }
    }
}
