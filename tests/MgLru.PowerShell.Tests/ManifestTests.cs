using System.Collections;
using System.Linq;
using System.Management.Automation;
using Xunit;

namespace MgLru.PowerShell.Tests;

public sealed class ManifestTests
{
    [Fact]
    public void Test_ModuleManifest_accepts_the_manifest_and_lists_the_exported_cmdlets()
    {
        var (output, shell) = Ps.Run($"Test-ModuleManifest -Path '{Ps.ManifestPath}'");
        Assert.False(shell.HadErrors, string.Join("\n", shell.Streams.Error));
        var module = (PSModuleInfo)Assert.Single(output).BaseObject;
        Assert.Equal(Ps.ExportedCmdlets, module.ExportedCmdlets.Keys.OrderBy(k => k));
        Assert.Equal("MgLru.dll", module.RootModule);
        Assert.Equal(new System.Version(5, 1), module.PowerShellVersion);
        Assert.Equal(new[] { "Core", "Desktop" }, module.CompatiblePSEditions.OrderBy(e => e));
        Assert.Empty(module.ExportedFunctions);
        Assert.Empty(module.ExportedAliases);
        Assert.Empty(module.ExportedVariables);
    }

    [Fact]
    public void Manifest_has_gallery_metadata_and_no_wildcard_exports()
    {
        // A psd1 is a restricted-language hashtable: evaluate it with the language itself.
        var (output, shell) = Ps.Run($"& ([scriptblock]::Create([System.IO.File]::ReadAllText('{Ps.ManifestPath}')))");
        Assert.False(shell.HadErrors);
        var data = (Hashtable)Assert.Single(output).BaseObject;
        var cmdlets = ((object[])data["CmdletsToExport"]!).Cast<string>().ToArray();
        Assert.DoesNotContain(cmdlets, c => c.Contains('*'));
        Assert.Equal(Ps.ExportedCmdlets, cmdlets.OrderBy(c => c));
        foreach (var key in new[] { "FunctionsToExport", "VariablesToExport", "AliasesToExport" })
            Assert.Empty((object[])data[key]!);
        var psData = (Hashtable)((Hashtable)data["PrivateData"]!)["PSData"]!;
        Assert.NotEmpty((object[])psData["Tags"]!);
        Assert.False(string.IsNullOrEmpty((string?)psData["ProjectUri"]));
        Assert.False(string.IsNullOrEmpty((string?)psData["LicenseUri"]));
    }

    [Fact]
    public void Import_loads_a_binary_module_with_its_format_and_type_files()
    {
        var (output, shell) = Ps.Run("Get-Module MgLru");
        Assert.False(shell.HadErrors);
        var module = (PSModuleInfo)Assert.Single(output).BaseObject;
        Assert.Equal(ModuleType.Binary, module.ModuleType);
        Assert.Contains(module.ExportedFormatFiles, f => f.EndsWith("MgLru.format.ps1xml"));
        Assert.Contains(module.ExportedTypeFiles, f => f.EndsWith("MgLru.types.ps1xml"));
    }
}
