using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using MgLru.Engine.Stats;

namespace MgLru.PowerShell.Infrastructure;

/// <summary>Tab completion of result-row metric names (the numeric properties of ReclaimResult).</summary>
public sealed class ResultMetricCompleter : IArgumentCompleter
{
    private static readonly string[] Names = typeof(ReclaimResult).GetProperties()
        .Where(p => p.PropertyType == typeof(long) || p.PropertyType == typeof(int) || p.PropertyType == typeof(double) || p.PropertyType == typeof(ulong))
        .Select(p => p.Name).OrderBy(n => n).ToArray();

    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        => Names.Where(n => n.StartsWith(wordToComplete ?? "", System.StringComparison.OrdinalIgnoreCase))
            .Select(n => new CompletionResult(n, n, CompletionResultType.ParameterValue, n));
}
