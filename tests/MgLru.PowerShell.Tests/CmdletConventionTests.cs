using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Reflection;
using Xunit;

namespace MgLru.PowerShell.Tests;

/// <summary>The rules every cmdlet of the module follows (approved verbs, sealed, [OutputType], one per file).</summary>
public sealed class CmdletConventionTests
{
    private static readonly Type[] Cmdlets = typeof(Commands.InvokeReclaimCommand).Assembly.GetTypes()
        .Where(t => t.GetCustomAttribute<CmdletAttribute>() != null).ToArray();

    private static string NameOf(Type t)
    {
        var a = t.GetCustomAttribute<CmdletAttribute>()!;
        return a.VerbName + "-" + a.NounName;
    }

    [Fact]
    public void Every_cmdlet_in_the_assembly_is_exported_and_every_export_exists()
        => Assert.Equal(Ps.ExportedCmdlets, Cmdlets.Select(NameOf).OrderBy(n => n));

    [Fact]
    public void Cmdlets_are_sealed_with_approved_verbs_and_an_output_type()
    {
        var approved = new[] { typeof(VerbsCommon), typeof(VerbsData), typeof(VerbsLifecycle), typeof(VerbsDiagnostic), typeof(VerbsCommunications), typeof(VerbsSecurity), typeof(VerbsOther) }
            .SelectMany(t => t.GetFields(BindingFlags.Public | BindingFlags.Static)).Select(f => (string)f.GetValue(null)!).ToHashSet();
        foreach (var t in Cmdlets)
        {
            Assert.True(t.IsSealed, t.Name + " must be sealed");
            Assert.Contains(t.GetCustomAttribute<CmdletAttribute>()!.VerbName, approved);
            Assert.NotEmpty(t.GetCustomAttributes<OutputTypeAttribute>());
            Assert.Equal(t.GetCustomAttribute<CmdletAttribute>()!.VerbName + t.GetCustomAttribute<CmdletAttribute>()!.NounName + "Command", t.Name);
        }
    }

    [Fact]
    public void Each_cmdlet_lives_alone_in_a_file_named_after_it()
    {
        string dir = Path.Combine(Ps.RepoRoot, "src", "MgLru.PowerShell", "Commands");
        foreach (var file in Directory.GetFiles(dir, "*.cs"))
        {
            string text = File.ReadAllText(file);
            Assert.Single(System.Text.RegularExpressions.Regex.Matches(text, @"\[Cmdlet\("));
            Assert.Contains("sealed class " + Path.GetFileNameWithoutExtension(file), text);
        }
        Assert.Equal(Cmdlets.Length, Directory.GetFiles(dir, "*.cs").Length);
    }

    [Fact]
    public void Every_output_type_of_the_module_has_a_table_view()
    {
        string views = File.ReadAllText(Path.Combine(Ps.RepoRoot, "src", "MgLru.PowerShell", "MgLru.format.ps1xml"));
        var types = Cmdlets.SelectMany(t => t.GetCustomAttributes<OutputTypeAttribute>()).SelectMany(a => a.Type).Select(t => t.Type)
            .Where(t => t != null && t != typeof(string) && t != typeof(FileInfo)).Distinct().ToArray();
        Assert.NotEmpty(types);
        foreach (var type in types)
            Assert.Contains("<TypeName>" + type!.FullName + "</TypeName>", views);
    }

    [Fact]
    public void Output_property_names_are_never_cell_addresses()
    {
        // Export-Excel and Excel formulas read a header such as Gen1 or AB12 as a cell reference.
        var types = Cmdlets.SelectMany(t => t.GetCustomAttributes<OutputTypeAttribute>()).SelectMany(a => a.Type).Select(t => t.Type)
            .Where(t => t != null && t.Namespace!.StartsWith("MgLru", System.StringComparison.Ordinal)).Distinct().ToArray();
        foreach (var type in types)
            foreach (var property in type!.GetProperties())
                Assert.False(System.Text.RegularExpressions.Regex.IsMatch(property.Name, "^[A-Za-z]{1,3}[0-9]+$"), $"{type.Name}.{property.Name} looks like a cell address");
    }
}
