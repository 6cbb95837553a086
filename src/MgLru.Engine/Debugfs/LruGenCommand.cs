using System;
using System.Collections.Generic;
using System.Globalization;

namespace MgLru.Engine.Debugfs;

/// <summary>A failed write to a kernel interface file (lru_gen, memory.reclaim), carrying the errno the kernel returns (EINVAL, EEXIST, ERANGE, EAGAIN).</summary>
public sealed class KernelWriteException : Exception
{
    public KernelWriteException(string errno, string command, string message)
        : base($"{errno}: '{command}': {message}")
    {
        Errno = errno;
        Command = command;
    }

    public string Errno { get; }
    public string Command { get; }
}

/// <summary>One parsed command of a write to /sys/kernel/debug/lru_gen (lru_gen_seq_write).</summary>
public readonly struct LruGenCommand
{
    public LruGenCommand(char op, int memcgId, int node, ulong seq, int? swappiness, ulong? opt, string text)
    {
        Op = op;
        MemcgId = memcgId;
        Node = node;
        Seq = seq;
        Swappiness = swappiness;
        Opt = opt;
        Text = text;
    }

    /// <summary>'+' (run_aging) or '-' (run_eviction).</summary>
    public char Op { get; }
    public int MemcgId { get; }
    public int Node { get; }
    public ulong Seq { get; }
    /// <summary>Parsed swappiness; null when omitted. 201 means "max" (anon only).</summary>
    public int? Swappiness { get; }
    /// <summary>force_scan for '+', nr_to_reclaim for '-'; null when omitted.</summary>
    public ulong? Opt { get; }
    public string Text { get; }

    /// <summary>Splits a write into commands: separated by newline, ',' or ';'; leading blanks skipped, empty commands ignored.</summary>
    public static IEnumerable<string> Split(string input)
    {
        foreach (var piece in input.Split('\n', ',', ';'))
        {
            string cmd = piece.TrimStart(' ', '\t', '\r');
            if (cmd.Trim().Length == 0) continue;
            yield return cmd;
        }
    }

    /// <summary>Parses "cmd memcg_id node_id seq [swappiness [opt]]"; anything else is EINVAL.</summary>
    public static LruGenCommand Parse(string cmd, bool acceptMax)
    {
        var fields = cmd.Split(new[] { ' ', '\t', '\r' }, StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < 4 || fields.Length > 6) throw Invalid(cmd, "expected 'cmd memcg_id node_id seq [swappiness [opt]]'");
        if (fields[0].Length != 1) throw Invalid(cmd, $"unknown command '{fields[0]}'");
        char op = fields[0][0];
        if (!uint.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out uint memcgId) || memcgId > ushort.MaxValue)
            throw Invalid(cmd, $"memcg id '{fields[1]}' is not an unsigned number");
        if (!int.TryParse(fields[2], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int node))
            throw Invalid(cmd, $"node id '{fields[2]}' is not a number");
        if (!ulong.TryParse(fields[3], NumberStyles.None, CultureInfo.InvariantCulture, out ulong seq))
            throw Invalid(cmd, $"generation '{fields[3]}' is not an unsigned number");
        int? swappiness = null;
        if (fields.Length >= 5)
        {
            if (acceptMax && fields[4] == "max") swappiness = 201;
            else if (uint.TryParse(fields[4], NumberStyles.None, CultureInfo.InvariantCulture, out uint s)) swappiness = s > int.MaxValue ? int.MaxValue : (int)s;
            else throw Invalid(cmd, $"swappiness '{fields[4]}' is not an unsigned number{(acceptMax ? " or 'max'" : "")}");
        }
        ulong? opt = null;
        if (fields.Length == 6)
        {
            if (!ulong.TryParse(fields[5], NumberStyles.None, CultureInfo.InvariantCulture, out ulong o)) throw Invalid(cmd, $"'{fields[5]}' is not an unsigned number");
            opt = o;
        }
        if (op != '+' && op != '-') throw Invalid(cmd, $"unknown command '{op}' (expected '+' or '-')");
        return new LruGenCommand(op, (int)memcgId, node, seq, swappiness, opt, cmd);
    }

    public static KernelWriteException Invalid(string cmd, string why) => new("EINVAL", cmd.Trim(), why);
}
