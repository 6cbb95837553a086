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
    public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
    {
        object value = inputData is PSObject pso ? pso.BaseObject : inputData;
        if (value is AccessTrace || value is WorkloadSpec) return value;
        if (value is WorkloadKind k && k is not (WorkloadKind.Trace or WorkloadKind.Phases)) return value;
        if (value is string name && Enum.TryParse(name, ignoreCase: true, out WorkloadKind kind) && Enum.IsDefined(typeof(WorkloadKind), kind)
            && kind is not (WorkloadKind.Trace or WorkloadKind.Phases))
            return kind;
        if (value is WorkloadProfile) return value;
        if (value is string profileName && Enum.TryParse(profileName, ignoreCase: true, out WorkloadProfile profile) && Enum.IsDefined(typeof(WorkloadProfile), profile))
            return profile;
        throw new ArgumentTransformationMetadataException(
            $"'{value}' is not a workload: use Sequential, Uniform, Zipf, Gaussian, HotCold or Scan, the profiles Memcached or Fio, a workload from New-Workload, or a trace from Import-AccessTrace.");
    }
}

/// <summary>Tab completion of the generator and profile names for -Workload.</summary>
public sealed class WorkloadCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        string word = (wordToComplete ?? "").Trim('\'', '"');
        return new[] { WorkloadKind.Sequential, WorkloadKind.Uniform, WorkloadKind.Zipf, WorkloadKind.Gaussian, WorkloadKind.HotCold, WorkloadKind.Scan }
            .Select(k => k.ToString())
            .Concat(Enum.GetNames(typeof(WorkloadProfile)))
            .Where(n => n.StartsWith(word, StringComparison.OrdinalIgnoreCase))
            .Select(n => new CompletionResult(n, n, CompletionResultType.ParameterValue, n));
    }
}
