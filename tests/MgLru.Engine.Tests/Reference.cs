using System;
using System.Collections.Generic;
using System.IO;

namespace MgLru.Engine.Tests;

/// <summary>Independent references the engine is checked against, and where the project's shared data lives.</summary>
internal static class Reference
{
    /// <summary>An obviously correct LRU cache of <paramref name="capacity"/> ids: its misses, cold ones included.</summary>
    public static long NaiveLruMisses(IEnumerable<uint> trace, int capacity)
    {
        var list = new LinkedList<uint>(); // most recent first
        var where = new Dictionary<uint, LinkedListNode<uint>>();
        long misses = 0;
        foreach (var id in trace)
        {
            if (where.TryGetValue(id, out var node)) list.Remove(node);
            else
            {
                misses++;
                if (list.Count == capacity) { where.Remove(list.Last!.Value); list.RemoveLast(); }
            }
            where[id] = list.AddFirst(id);
        }
        return misses;
    }

    /// <summary>shared/ (traces, the kernel lab) beside the checkout, found by walking up from the test binaries.</summary>
    public static string SharedFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "shared");
            if (Directory.Exists(Path.Combine(candidate, "data", "traces"))) return candidate;
        }
        throw new DirectoryNotFoundException("shared/ (the project's data, beside the checkout) was not found above " + AppContext.BaseDirectory);
    }
}
