using System.Linq;
using MgLru.Engine.Memory;
using MgLru.Engine.Mm;
using MgLru.Engine.Scenario;
using MgLru.Engine.Stats;
using Xunit;

namespace MgLru.Engine.Tests.Reclaim.Mglru;

/// <summary>
/// The 6.1 → 6.12 differences of linux-mglru-versions.md PART 2, each on a scenario small enough to
/// follow by hand: ten anonymous pages in one PTE table of a 64-page memcg, aged by command until they
/// sit in the oldest generation, then evicted by command.
/// </summary>
public sealed class RuleSetTests
{
    private static Engine.Simulation.Simulation TenPages(KernelRules rules, VmaFlags flags = VmaFlags.None)
    {
        var task = new TaskSpec("t", new WorkloadSpec(WorkloadKind.Sequential), 10 * Scenarios.Page, 0, vmaFlags: flags);
        var cg = new MemCgroupSpec("t", 64 * Scenarios.Page, tasks: new[] { task });
        var options = new RunOptions { Rules = rules, LruGenEnabled = 1, SwapBytes = 1L << 24, CheckInvariants = true };
        var sim = Engine.Simulation.Simulation.Create(new ScenarioSpec(new[] { cg }, options));
        sim.Run();
        // Before 6.14 four generations need force_scan to age: max_seq 3 → 5, min_seq 0 → 2.
        sim.WriteLruGen("+ 2 0 3 60 1; + 2 0 4 60 1");
        return sim;
    }

    private static int FrameOf(Engine.Simulation.Simulation sim, int page)
        => Pte.Frame(sim.Machine.PageTables.Ptes[sim.Machine.Mms[0].Vmas[0].Start + page]);

    [Fact]
    public void Under_61_look_around_activates_the_evicted_folio_and_its_isolated_neighbours_are_kept()
    {
        // The pages faulted in order into max_seq (seq 3), young. "- 2 0 3" isolates all ten (page 0 at the
        // tail first). Page 0's rmap finds its PTE young: 6.1's look-around walks the ten-PTE window with the
        // trigger inside the loop — page 0 (isolated) gets PG_referenced, pages 1..9 (isolated too) have their
        // young bits cleared and get PG_referenced. folio_check_references: page 0 has a young PTE and
        // PG_referenced → ACTIVATE. Pages 1..9 meet "folio_update_gen() tried to promote this page?" in
        // shrink_folio_list (mapped and referenced) → keep. Nothing is reclaimed.
        var sim = TenPages(KernelRules.V6_1);
        sim.WriteLruGen("- 2 0 3 60");
        Assert.Equal(10, sim.Counter("t", VmEvent.PgScanDirect));
        Assert.Equal(1, sim.Counter("t", VmEvent.PgActivate));
        Assert.Equal(0, sim.Counter("t", VmEvent.PgStealDirect));
        Assert.Equal(0u, sim.Machine.PageTables.Ptes[sim.Machine.Mms[0].Vmas[0].Start + 9] & Pte.Young); // stripped
    }

    [Fact]
    public void Under_612_look_around_clears_the_trigger_first_so_the_evicted_folio_is_kept_not_activated()
    {
        // 6.12-rc6: page 0's own PTE is cleared before looking around, so page 0 gets no PG_referenced:
        // folio_check_references sees one young PTE, sets PG_referenced and KEEPs (no pgactivate). Pages
        // 1..9 are stripped and marked as under 6.1 and kept by shrink_folio_list. All ten are put back
        // referenced → PG_active → max_seq 5.
        var sim = TenPages(KernelRules.V6_12);
        sim.WriteLruGen("- 2 0 3 60");
        Assert.Equal(10, sim.Counter("t", VmEvent.PgScanDirect));
        Assert.Equal(0, sim.Counter("t", VmEvent.PgActivate));
        Assert.Equal(0, sim.Counter("t", VmEvent.PgStealDirect));
        Assert.Matches(@"\n {10}5 +\d+ {9}10 {11}0 \n", sim.LruGenText()); // max_seq 5 holds all ten
    }

    [Fact]
    public void Under_614_isolated_neighbours_are_left_alone_and_each_folio_is_kept_by_lru_gen_set_refs()
    {
        // ≥6.14: get_pfn_folio skips folios off the LRU, so pages 1..9 keep their young bits; each isolated
        // folio then has one young PTE of its own: lru_gen_set_refs → PG_referenced, KEEP.
        var sim = TenPages(KernelRules.V6_14);
        sim.WriteLruGen("- 2 0 2 60"); // 6.14 placed the faults at max_seq - 1
        Assert.Equal(10, sim.Counter("t", VmEvent.PgScanDirect));
        Assert.Equal(0, sim.Counter("t", VmEvent.PgActivate));
        Assert.Equal(0, sim.Counter("t", VmEvent.PgStealDirect));
    }

    [Fact]
    public void Under_612_a_refault_through_a_MADV_RANDOM_mapping_is_recent_but_not_taken_in_a_fault()
    {
        // A 256-page shared file mapping under MADV_RANDOM in a 128-page memcg, read twice in order. Faults
        // without recency add folios inactive (min_seq), so no aging is needed and every refault finds its
        // generation still the oldest: 256 activations. But lru_gen_in_fault() is the mapping's recency
        // (lru_gen_enter_fault), so none restores PG_workingset (workingset_restore 0). (Anon swap-ins
        // through a mapping with recency restore every recent refault: KernelLabTests.) A memory.stat read
        // when the memcg is full flushes its stats, so the shadow-node budget does not read 0.
        uint[] trace = new uint[512];
        for (int i = 0; i < 512; i++) trace[i] = (uint)(i % 256);
        var task = new TaskSpec("t", WorkloadSpec.FromTrace(trace, backend: MemoryBackend.FileMmap), 256 * Scenarios.Page, 0, vmaFlags: VmaFlags.RandRead,
            memoryStatReads: new long[] { 120 });
        var cg = new MemCgroupSpec("t", 128 * Scenarios.Page, tasks: new[] { task });
        var sim = Engine.Simulation.Simulation.Create(new ScenarioSpec(new[] { cg }, new RunOptions { Rules = KernelRules.V6_12, LruGenEnabled = 1, CheckInvariants = true }));
        sim.Run();
        Assert.Equal(0, sim.Counter("t", VmEvent.LruGenAging));
        Assert.Equal(256, sim.Counter("t", VmEvent.WorkingsetRefaultFile));
        Assert.Equal(256, sim.Counter("t", VmEvent.WorkingsetActivateFile));
        Assert.Equal(0, sim.Counter("t", VmEvent.WorkingsetRestoreFile));
    }

    [Fact]
    public void Under_612_look_around_without_a_walker_queues_activations_off_the_lru_until_drained()
    {
        // The 20-page setup of the walker test: pages 0..9 in seq 3, 10..19 in seq 4, max_seq 5, all young.
        // Look-around for page 0 outside any reclaimer (no walker): its 19 young neighbours are promotable and
        // go through folio_activate, which in 6.12 clears PG_lru and queues them; nothing moves yet.
        var sim = TwentyPages(KernelRules.V6_12);
        var frames = sim.Machine.Frames;
        int page0 = FrameOf(sim, 0);
        sim.Policy.LookAround(page0, sim.Machine.Mms[0].Vmas[0].Start);
        Assert.Equal(0, sim.Counter("t", VmEvent.PgActivate));
        for (int page = 1; page < 20; page++)
        {
            int f = FrameOf(sim, page);
            Assert.True(sim.Policy.IsQueuedOffLru(f));
            Assert.Equal(0u, frames.Flags[f] & PageFlags.Lru);
            Assert.Equal((page < 10 ? 3 : 4) % 4, PageFlags.Gen(frames.Flags[f])); // still where they were
        }
        // Evicting seq 3 meets pages 1..9 queued: ineligible, each to seq 4 (pgrefill 9); page 0 alone is
        // isolated (its own PTE is young: kept and put back active).
        sim.WriteLruGen("- 2 0 3 60");
        Assert.Equal(9, sim.Counter("t", VmEvent.PgRefill));
        Assert.Equal(1, sim.Counter("t", VmEvent.PgScanDirect));
        Assert.Equal(0, sim.Counter("t", VmEvent.PgActivate));
        // The next lruvec shrink starts with lru_add_drain: all 19 are activated into max_seq.
        sim.WriteMemoryReclaim("t", "4096");
        Assert.Equal(19, sim.Counter("t", VmEvent.PgActivate));
        Assert.False(sim.Policy.IsQueuedOffLru(FrameOf(sim, 12)));
    }

    private static Engine.Simulation.Simulation TwentyPages(KernelRules rules)
    {
        uint[] trace = new uint[20];
        for (int i = 0; i < 20; i++) trace[i] = (uint)i;
        var task = new TaskSpec("t", WorkloadSpec.FromTrace(trace), 20 * Scenarios.Page, 0);
        var cg = new MemCgroupSpec("t", 64 * Scenarios.Page, tasks: new[] { task });
        var sim = Engine.Simulation.Simulation.Create(new ScenarioSpec(new[] { cg }, new RunOptions { Rules = rules, LruGenEnabled = 1, SwapBytes = 1L << 24, CheckInvariants = true }));
        sim.Step(10);
        sim.WriteLruGen("+ 2 0 3 60 1");
        sim.Step(10);
        sim.WriteLruGen("+ 2 0 4 60 1");
        return sim;
    }

    [Theory]
    [InlineData(KernelRules.V6_1)]
    [InlineData(KernelRules.V6_12)]
    public void With_a_walker_look_around_updates_generations_in_place_and_a_later_scan_sorts_them(KernelRules rules)
    {
        // Pages 0..9 fault into seq 3; an aging; pages 10..19 fault into seq 4; another aging: max_seq 5,
        // min_seq 2. A debugfs command holds a walker (lru_gen_seq_write allocates one). "- 2 0 3" isolates
        // pages 0..9; page 0's young PTE triggers look-around over the 20-PTE window: pages 10..19 are young
        // and in seq 4, so their generation becomes seq 5 in place (no folio_activate, no pgactivate) and
        // they stay on seq 4's list. After one more aging, evicting seq 4 meets them: sort_folio moves all
        // ten to their generation's list (pgrefill 10) and isolates none.
        var sim = TwentyPages(rules);
        sim.WriteLruGen("- 2 0 3 60");
        Assert.Equal(10, sim.Counter("t", VmEvent.PgScanDirect));
        Assert.Equal(rules == KernelRules.V6_1 ? 1 : 0, sim.Counter("t", VmEvent.PgActivate)); // 6.1: the trigger folio only
        Assert.Equal(10, sim.Counter("t", VmEvent.LookAroundPromotions));
        var frames = sim.Machine.Frames;
        for (int page = 10; page < 20; page++)
            Assert.Equal(5 % 4, PageFlags.Gen(frames.Flags[FrameOf(sim, page)]));
        sim.WriteLruGen("+ 2 0 5 60 1");
        sim.WriteLruGen("- 2 0 4 60");
        Assert.Equal(10, sim.Counter("t", VmEvent.PgRefill));
        Assert.Equal(10, sim.Counter("t", VmEvent.PgScanDirect)); // nothing more isolated
    }

    [Theory]
    [InlineData(KernelRules.V6_1, 1)]
    [InlineData(KernelRules.V6_12, 0)]
    public void A_protected_folio_counts_as_an_activation_only_under_61(KernelRules rules, long activations)
    {
        // Page 5 carries what a restored refault leaves: refs bits saturated + PG_workingset, i.e. refs 4.
        // sort_folio protects refs == 4 (6.1.69+ and 6.12): folio_inc_gen to min_seq + 1, pgrefill 1.
        // 6.1 also counts WORKINGSET_ACTIVATE there; 6.5+ count activations at refault time instead.
        var sim = TenPages(rules);
        int f = FrameOf(sim, 5);
        sim.Machine.Frames.Flags[f] |= PageFlags.RefsMask | PageFlags.Workingset;
        sim.WriteLruGen("- 2 0 3 60");
        Assert.Equal(1, sim.Counter("t", VmEvent.PgRefill));
        Assert.Equal(9, sim.Counter("t", VmEvent.PgScanDirect));
        Assert.Equal(activations, sim.Counter("t", VmEvent.WorkingsetActivateAnon));
    }

    [Theory]
    [InlineData(KernelRules.V6_1, 0)]
    [InlineData(KernelRules.V6_12, 10)]
    [InlineData(KernelRules.V6_14, 10)]
    public void Young_PTEs_of_a_MADV_RANDOM_mapping_keep_folios_only_under_61(KernelRules rules, long reclaimed)
    {
        // No recency: faults are not active, so the pages land in max_seq - 1 (seq 2) under the older
        // rules and max_seq - 1 (d = MIN_NR_GENS) under 6.14. 6.1's folio_referenced_one still clears and
        // counts a young PTE of a VM_RAND_READ mapping (only look-around is skipped), so each folio is kept
        // once; 6.4+ ignore the mapping altogether (invalid_folio_referenced_vma), so all ten go to swap.
        var sim = TenPages(rules, VmaFlags.RandRead);
        sim.WriteLruGen("- 2 0 2 60");
        Assert.Equal(10, sim.Counter("t", VmEvent.PgScanDirect));
        Assert.Equal(reclaimed, sim.Counter("t", VmEvent.PgStealDirect));
        Assert.Equal(0, sim.Counter("t", VmEvent.PgActivate));
    }

    [Theory]
    [InlineData(0, true)]
    [InlineData(1, false)]
    public void A_612_refault_counts_always_and_activates_only_while_its_generation_is_the_oldest(int minSeqAdvance, bool recent)
    {
        // lru_gen_refault (6.5–6.13): workingset_refault for every refault into the same lruvec; when recent
        // (the evicted generation is still min_seq) refaulted[] and workingset_activate, and in a fault
        // workingset_restore with the refs bits saturated and PG_workingset.
        var sim = Scenarios.Single(64, 4, new WorkloadSpec(WorkloadKind.Sequential), 0, KernelRules.V6_12);
        sim.Run();
        var memcg = sim.Machine.Memcgs[1];
        var l = memcg.Lruvecs[0];
        ulong shadow = sim.Policy.Eviction(0);
        l.MinSeq[0] += minSeqAdvance;
        uint flags = sim.Policy.Refault(shadow, memcg, 0, PageFlags.SwapBacked, inFault: true);
        Assert.Equal(1, memcg.Events[(int)VmEvent.WorkingsetRefaultAnon]);
        Assert.Equal(recent ? 1 : 0, memcg.Events[(int)VmEvent.WorkingsetActivateAnon]);
        Assert.Equal(recent ? 1 : 0, memcg.Events[(int)VmEvent.WorkingsetRestoreAnon]);
        Assert.Equal(recent ? 1 : 0, l.Refaulted[0]);
        Assert.Equal(recent ? PageFlags.RefsMask | PageFlags.Workingset : 0u, flags & (PageFlags.RefsMask | PageFlags.Workingset));
    }

    [Theory]
    [InlineData(KernelRules.V6_1, SwapDeviceKind.Zram, false)]
    [InlineData(KernelRules.V6_1, SwapDeviceKind.Ssd, true)]
    [InlineData(KernelRules.V6_12, SwapDeviceKind.Zram, true)]
    [InlineData(KernelRules.V6_14, SwapDeviceKind.Ssd, true)]
    public void Swap_io_counts_in_pgpgin_and_pgpgout_unless_61_reaches_zram_through_rw_page(KernelRules rules, SwapDeviceKind device, bool counted)
    {
        // 256 anon pages touched twice in a 64-page memcg: every page is swapped out and most back in.
        // /proc/vmstat pgpgin/pgpgout count block I/O in KiB, swap included (the 6.12 lab run: pgpgin
        // 316,148 = 4 × pswpin 79,037); 6.1's zram rw_page path bypasses submit_bio and is not counted.
        var task = new TaskSpec("t", new WorkloadSpec(WorkloadKind.Sequential), 256 * Scenarios.Page, 512);
        var cg = new MemCgroupSpec("t", 64 * Scenarios.Page, tasks: new[] { task });
        var options = new RunOptions { Rules = rules, LruGenEnabled = 7, SwapBytes = 1L << 24, SwapDevice = device, CheckInvariants = true };
        var sim = Engine.Simulation.Simulation.Create(new ScenarioSpec(new[] { cg }, options));
        sim.Run();
        var r = sim.Results()[0];
        Assert.True(r.PswpIn > 200 && r.PswpOut > r.PswpIn, $"pswpin {r.PswpIn} pswpout {r.PswpOut}");
        Assert.Equal(counted ? 4 * r.PswpIn : 0, r.PgPgIn);
        Assert.Equal(counted ? 4 * r.PswpOut : 0, r.PgPgOut);
    }

    [Theory]
    [InlineData(KernelRules.V6_1, false)]
    [InlineData(KernelRules.V6_12, false)]
    [InlineData(KernelRules.V6_14, true)]
    public void Memory_reclaim_counts_as_direct_reclaim_until_the_proactive_counters(KernelRules rules, bool proactiveKeys)
    {
        // 64 anon pages in a 128-page memcg, then memory.reclaim of 16 pages: reclaimer_offset() had only
        // kswapd, khugepaged and direct before the 2025 proactive counters.
        var task = new TaskSpec("t", new WorkloadSpec(WorkloadKind.Sequential), 64 * Scenarios.Page, 0);
        var cg = new MemCgroupSpec("t", 128 * Scenarios.Page, tasks: new[] { task });
        var sim = Engine.Simulation.Simulation.Create(new ScenarioSpec(new[] { cg }, new RunOptions { Rules = rules, LruGenEnabled = 7, SwapBytes = 1L << 24, CheckInvariants = true }));
        sim.Run();
        long reclaimed = sim.WriteMemoryReclaim("t", (16 * Scenarios.Page).ToString(System.Globalization.CultureInfo.InvariantCulture)); // pages
        Assert.True(reclaimed >= 16, $"reclaimed {reclaimed} pages");
        var stat = sim.MemoryStat("t").ToDictionary(e => e.Key, e => e.Value);
        Assert.Equal(proactiveKeys, stat.ContainsKey("pgsteal_proactive"));
        Assert.Equal(proactiveKeys ? 0 : reclaimed, stat["pgsteal_direct"]);
        if (proactiveKeys) Assert.Equal(reclaimed, stat["pgsteal_proactive"]);
        Assert.Equal(reclaimed, stat["pgsteal"]);
    }
}
