namespace MgLru.Engine.Reclaim.Mglru;

// The refault-feedback (PID) controller over tiers and types (mm/vmscan.c read_ctrl_pos,
// reset_ctrl_pos, positive_ctrl_err, get_tier_idx, get_type_to_scan). NR_HIST_GENS = 1.
internal sealed partial class MglruPolicy
{
    /// <summary>struct ctrl_pos.</summary>
    public readonly struct CtrlPos
    {
        public CtrlPos(long refaulted, long total, int gain)
        {
            Refaulted = refaulted;
            Total = total;
            Gain = gain;
        }

        public long Refaulted { get; }
        public long Total { get; }
        public int Gain { get; }
    }

    /// <summary>
    /// read_ctrl_pos: tier 0..3 reads one tier, tier 4 (MAX_NR_TIERS) sums all tiers (≥6.14).
    /// The 6.1 rules count protected[tier-1] into tier k's total and never protected pages of tier 0.
    /// </summary>
    public CtrlPos ReadCtrlPos(Lruvec l, int type, int tier, int gain)
    {
        long refaulted = 0, total = 0;
        int first = tier % Lruvec.MaxNrTiers, last = tier < Lruvec.MaxNrTiers - 1 ? tier : Lruvec.MaxNrTiers - 1;
        for (int i = first; i <= last; i++)
        {
            int k = type * Lruvec.MaxNrTiers + i;
            refaulted += l.AvgRefaulted[k] + l.Refaulted[k];
            total += l.AvgTotal[k] + l.Evicted[k];
            if (_rules.AgingFeedback2024) total += l.Protected[k];
            else if (i > 0) total += l.Protected[k - 1];
        }
        return new CtrlPos(refaulted, total, gain);
    }

    /// <summary>
    /// reset_ctrl_pos: on carry-over (min_seq[type]++) fold the counters into the EMAs with factor 1/2
    /// and clear them (NR_HIST_GENS == 1). Without carry-over there is nothing to clear with one history slot.
    /// </summary>
    public void ResetCtrlPos(Lruvec l, int type, bool carryover)
    {
        if (!carryover) return;
        for (int tier = 0; tier < Lruvec.MaxNrTiers; tier++)
        {
            int k = type * Lruvec.MaxNrTiers + tier;
            l.AvgRefaulted[k] = (l.AvgRefaulted[k] + l.Refaulted[k]) / 2;
            long prot = _rules.AgingFeedback2024 ? l.Protected[k] : (tier > 0 ? l.Protected[k - 1] : 0);
            l.AvgTotal[k] = (l.AvgTotal[k] + prot + l.Evicted[k]) / 2;
        }
        for (int tier = 0; tier < Lruvec.MaxNrTiers; tier++)
        {
            int k = type * Lruvec.MaxNrTiers + tier;
            l.Refaulted[k] = 0;
            l.Evicted[k] = 0;
            l.Protected[k] = 0;
        }
    }

    /// <summary>
    /// positive_ctrl_err: true when the process variable's refault ratio (weighted by gain) is not
    /// above the setpoint's, i.e. PV needs no protection. Below MIN_LRU_BATCH refaults there is too little signal.
    /// </summary>
    public static bool PositiveCtrlErr(in CtrlPos sp, in CtrlPos pv)
        => pv.Refaulted < MinLruBatch
           || pv.Refaulted * (sp.Total + MinLruBatch) * sp.Gain <= (sp.Refaulted + 1) * pv.Total * pv.Gain;

    /// <summary>get_tier_idx: tiers above the returned index are protected from eviction.</summary>
    public int GetTierIdx(Lruvec l, int type)
    {
        // ≥6.14 leaves a 2:3 margin; 6.1 a 1:2 margin.
        var sp = ReadCtrlPos(l, type, 0, _rules.AgingFeedback2024 ? 2 : 1);
        int tier;
        for (tier = 1; tier < Lruvec.MaxNrTiers; tier++)
        {
            var pv = ReadCtrlPos(l, type, tier, _rules.AgingFeedback2024 ? 3 : 2);
            if (!PositiveCtrlErr(sp, pv)) break;
        }
        return tier - 1;
    }

    /// <summary>get_type_to_scan (≥6.14): compare all tiers of anon (gain swappiness) against file (gain 200 - swappiness).</summary>
    public int GetTypeToScan(Lruvec l, int swappiness)
    {
        if (swappiness <= 1) return Lruvec.File;
        if (swappiness >= MaxSwappiness) return Lruvec.Anon;
        if (_rules.AgingFeedback2024)
        {
            var sp = ReadCtrlPos(l, Lruvec.Anon, Lruvec.MaxNrTiers, swappiness);
            var pv = ReadCtrlPos(l, Lruvec.File, Lruvec.MaxNrTiers, MaxSwappiness - swappiness);
            return PositiveCtrlErr(sp, pv) ? Lruvec.File : Lruvec.Anon;
        }
        // 6.1: tier 0 against tier 0.
        var sp0 = ReadCtrlPos(l, Lruvec.Anon, 0, swappiness);
        var pv0 = ReadCtrlPos(l, Lruvec.File, 0, MaxSwappiness - swappiness);
        return PositiveCtrlErr(sp0, pv0) ? Lruvec.File : Lruvec.Anon;
    }
}
