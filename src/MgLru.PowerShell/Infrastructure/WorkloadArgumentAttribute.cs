using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using MgLru.Engine.Scenario;
using MgLru.PowerShell.Model;

namespace MgLru.PowerShell.Infrastructure;

/// <summary>-Workload takes a generator or profile name, a workload from New-Workload, or a trace from Import-AccessTrace.</summary>
public sealed class WorkloadArgumentAttribute : ArgumentTransformationAttribute
{
    /// <summary>What a name may stand for: the generators that need no data (not Trace, not Phases), then the profiles.</summary>
    internal static readonly object[] Named =
    {
        WorkloadKind.Sequential, WorkloadKind.Uniform, WorkloadKind.Zipf, WorkloadKind.Gaussian, WorkloadKind.HotCold, WorkloadKind.Scan,
        WorkloadProfile.Memcached, WorkloadProfile.Fio,
    };

    public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
    {
        object value = inputData is PSObject pso ? pso.BaseObject : inputData;
        if (value is AccessTrace || value is WorkloadSpec) return value;
        foreach (var named in Named)
            if (named.Equals(value) || (value is string name && string.Equals(name, named.ToString(), StringComparison.OrdinalIgnoreCase)))
                return named;
        throw new ArgumentTransformationMetadataException(
            $"'{value}' is not a workload: use a generator or profile name ({string.Join(", ", Named)}), a workload from New-Workload, or a trace from Import-AccessTrace.");
    }
}

/// <summary>Tab completion of the generator and profile names for -Workload.</summary>
public sealed class WorkloadCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        string word = (wordToComplete ?? "").Trim('\'', '"');
        return WorkloadArgumentAttribute.Named
            .Select(n => n.ToString())
            .Where(n => n.StartsWith(word, StringComparison.OrdinalIgnoreCase))
            .Select(n => new CompletionResult(n, n, CompletionResultType.ParameterValue, n));
    }
}
