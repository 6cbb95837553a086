using System.Globalization;
using System.Text;
using MgLru.Engine.Cgroup;
using MgLru.Engine.Reclaim;
using MgLru.Engine.Reclaim.Mglru;
using MgLru.Engine.Scenario;

namespace MgLru.Engine.Debugfs;

/// <summary>
/// /sys/kernel/debug/lru_gen and lru_gen_full text (mm/vmscan.c lru_gen_seq_show), byte for byte:
/// 6.1 prints blank "not applicable" marks and six mm-walk stats (LOYNFA); 6.12+ prints 'x' marks and
/// four (TYFA); ≥6.14 starts the short view at the smaller min_seq.
/// </summary>
internal static class LruGenDebugfs
{
    public static void Append(StringBuilder sb, MemCgroup memcg, long nowJiffies, bool full, KernelRuleSet ruleSet, bool hasMmState)
    {
        var inv = CultureInfo.InvariantCulture;
        sb.Append("memcg ").Append(memcg.KernelId.ToString(inv).PadLeft(5)).Append(' ').Append(memcg.Path).Append('\n');
        foreach (var l in memcg.Lruvecs) AppendNode(sb, l, nowJiffies, full, ruleSet, hasMmState);
    }

    /// <summary>One lruvec: the " node" line and its generations.</summary>
    private static void AppendNode(StringBuilder sb, Lruvec l, long nowJiffies, bool full, KernelRuleSet ruleSet, bool hasMmState)
    {
        var inv = CultureInfo.InvariantCulture;
        sb.Append(" node ").Append(l.Node.ToString(inv).PadLeft(5)).Append('\n');
        long maxSeq = l.MaxSeq;
        long seq;
        if (!full) seq = ruleSet.AgingFeedback2024 ? System.Math.Min(l.MinSeq[0], l.MinSeq[1]) : l.MinSeq[Lruvec.Anon];
        else seq = maxSeq >= Lruvec.MaxNrGens ? maxSeq - Lruvec.MaxNrGens + 1 : 0;
        for (; seq <= maxSeq; seq++)
        {
            int gen = Lruvec.GenFromSeq(seq);
            long ageMs = nowJiffies - l.Timestamps[gen];
            sb.Append(' ').Append(Num(seq)).Append(' ').Append(Num((uint)ageMs));
            for (int type = 0; type < 2; type++)
            {
                long size = l.Size(gen, type);
                if (size < 0) size = 0;
                char mark = full && seq < l.MinSeq[type] ? 'x' : ' ';
                sb.Append(' ').Append(Num(size)).Append(mark);
            }
            sb.Append('\n');
            if (full) AppendFull(sb, l, maxSeq, seq, ruleSet, hasMmState);
        }
    }

    private static void AppendFull(StringBuilder sb, Lruvec l, long maxSeq, long seq, KernelRuleSet ruleSet, bool hasMmState)
    {
        bool v61 = !ruleSet.DebugfsTyfa;
        // Before 6.14 protected[] is indexed by tier - 1 (tier 0 is never protected); from 6.14 by tier.
        bool protectedByTierMinus1 = !ruleSet.AgingFeedback2024;
        for (int tier = 0; tier < Lruvec.MaxNrTiers; tier++)
        {
            sb.Append("            ").Append(Num(tier));
            for (int type = 0; type < 2; type++)
            {
                string marks = v61 ? "   " : "xxx";
                long n0 = 0, n1 = 0, n2 = 0;
                int k = type * Lruvec.MaxNrTiers + tier;
                if (seq == maxSeq)
                {
                    marks = v61 ? "RT " : "RTx";
                    n0 = l.AvgRefaulted[k];
                    n1 = l.AvgTotal[k];
                }
                else if (seq == l.MinSeq[type])
                {
                    marks = "rep";
                    n0 = l.Refaulted[k];
                    n1 = l.Evicted[k];
                    n2 = protectedByTierMinus1 ? (tier > 0 ? l.Protected[k - 1] : 0) : l.Protected[k];
                }
                sb.Append(' ').Append(Num(n0)).Append(marks[0]);
                sb.Append(' ').Append(Num(n1)).Append(marks[1]);
                sb.Append(' ').Append(Num(n2)).Append(marks[2]);
            }
            sb.Append('\n');
        }
        if (!hasMmState && !v61) return;
        sb.Append("                      ");
        if (v61)
        {
            const string letters = "LOYNFA";
            for (int i = 0; i < 6; i++)
            {
                long n = seq == maxSeq ? l.MmStats[i] : 0;
                sb.Append(' ').Append(Num(n)).Append(seq == maxSeq ? letters[i] : ' ');
            }
        }
        else
        {
            var stats = new[] { MmStat.LeafTotal, MmStat.LeafYoung, MmStat.NonleafFound, MmStat.NonleafAdded };
            const string letters = "TYFA";
            for (int i = 0; i < 4; i++)
            {
                long n = seq == maxSeq ? l.MmStats[(int)stats[i]] : 0;
                sb.Append(' ').Append(Num(n)).Append(seq == maxSeq ? letters[i] : 'x');
            }
        }
        sb.Append('\n');
    }

    private static string Num(long n) => n.ToString(CultureInfo.InvariantCulture).PadLeft(10);
}
