using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Management.Automation.Runspaces;
using MgLru.PowerShell.Model;

namespace MgLru.PowerShell.Infrastructure;

/// <summary>
/// Completion from the live simulation a command acts on: the -InputObject value, or the variable piped
/// into the command (<c>$sim | Get-MemCgroupStat &lt;Tab&gt;</c>). Variables are only read, never evaluated.
/// </summary>
public abstract class SimulationCompleter : IArgumentCompleter
{
    protected abstract IEnumerable<string> Candidates(ReclaimSimulation? simulation);

    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        string word = (wordToComplete ?? "").Trim('\'', '"');
        return Candidates(SimulationOf(commandAst, fakeBoundParameters))
            .Where(c => c.StartsWith(word, StringComparison.OrdinalIgnoreCase))
            .Select(c => new CompletionResult(c.IndexOfAny(new[] { ' ', '/', '$' }) >= 0 ? "'" + c + "'" : c, c, CompletionResultType.ParameterValue, c));
    }

    private static ReclaimSimulation? SimulationOf(CommandAst command, IDictionary fake)
    {
        if (Unwrap(fake?["InputObject"]) is ReclaimSimulation bound) return bound;
        if (command?.Parent is PipelineAst pipeline)
        {
            int i = pipeline.PipelineElements.IndexOf(command);
            if (i > 0 && pipeline.PipelineElements[i - 1] is CommandExpressionAst { Expression: VariableExpressionAst variable } && !variable.Splatted)
                return ReadVariable(variable.VariablePath.UserPath);
        }
        return null;
    }

    private static object? Unwrap(object? value) => value is PSObject pso ? pso.BaseObject : value;

    /// <summary>The variable's value, read by a nested pipeline in the running session (completion runs inside one).</summary>
    private static ReclaimSimulation? ReadVariable(string name)
    {
        if (Runspace.DefaultRunspace == null) return null;
        try
        {
            using var ps = System.Management.Automation.PowerShell.Create(RunspaceMode.CurrentRunspace);
            ps.AddScript("${" + name.Replace("`", "``").Replace("}", "`}") + "}");
            var result = ps.Invoke();
            return result.Count == 1 ? Unwrap(result[0]) as ReclaimSimulation : null;
        }
        catch (Exception e) when (e is PSInvalidOperationException or RuntimeException)
        {
            return null;
        }
    }
}

/// <summary>Memcg names of the simulation (the root as "/").</summary>
public sealed class MemCgroupNameCompleter : SimulationCompleter
{
    protected override IEnumerable<string> Candidates(ReclaimSimulation? simulation)
        => simulation == null ? Array.Empty<string>() : simulation.Engine.Memcgs().Select(m => m.Path == "/" ? "/" : m.Path.TrimStart('/')).Where(n => n != "/");
}

/// <summary>Task names of the simulation.</summary>
public sealed class TaskNameCompleter : SimulationCompleter
{
    protected override IEnumerable<string> Candidates(ReclaimSimulation? simulation)
        => simulation == null ? Array.Empty<string>() : simulation.Engine.Scenario.Cgroups.SelectMany(c => c.Tasks).Select(t => t.Name);
}

/// <summary>Node ids of the simulation (0 to 7 without one).</summary>
public sealed class NodeIdCompleter : SimulationCompleter
{
    protected override IEnumerable<string> Candidates(ReclaimSimulation? simulation)
        => Enumerable.Range(0, simulation?.Engine.Scenario.Options.NodeCount ?? Engine.Scenario.NodeSpec.MaxNodes).Select(n => n.ToString(CultureInfo.InvariantCulture));
}
