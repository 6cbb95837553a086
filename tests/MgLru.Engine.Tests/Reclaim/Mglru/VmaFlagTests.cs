using MgLru.Engine.Memory;
using MgLru.Engine.Mm;
using MgLru.Engine.Scenario;
using MgLru.Engine.Stats;
using Xunit;

namespace MgLru.Engine.Tests.Reclaim.Mglru;

/// <summary>VMA flags (invariant 12): what walks skip, where faults land, what cannot be reclaimed.</summary>
public sealed class VmaFlagTests
{
    private static Engine.Simulation.Simulation Sim(VmaFlags flags, MemoryBackend backend = MemoryBackend.Anon, long limitPages = 1024, long accesses = 0, ReclaimPolicy policy = ReclaimPolicy.Mglru)
    {
        var task = new TaskSpec("t", new WorkloadSpec(WorkloadKind.Sequential, backend: backend), 16 * Scenarios.Page, accesses, vmaFlags: flags);
        var cg = new MemCgroupSpec("t", limitPages * Scenarios.Page, tasks: new[] { task });
        var sim = Engine.Simulation.Simulation.Create(new ScenarioSpec(new[] { cg }, new RunOptions { Policy = policy, LruGenEnabled = 7, SwapBytes = 1 << 24, CheckInvariants = true }));
        sim.Run();
        return sim;
    }

    [Theory]
    [InlineData(VmaFlags.Locked)]
    [InlineData(VmaFlags.SeqRead)]
    [InlineData(VmaFlags.RandRead)]
    [InlineData(VmaFlags.NoReuse)]
    public void Walks_never_look_at_locked_or_no_recency_VMAs(VmaFlags flags)
    {
        var sim = Sim(flags);
        sim.WriteLruGen("+ 2 0 3");
        Assert.Equal(0, sim.Counter("t", VmEvent.WalkPtes));
        Assert.NotEqual(0u, sim.Machine.PageTables.Ptes[0] & Pte.Young); // nothing cleared, nothing promoted
    }

    [Fact]
    public void A_plain_VMA_is_walked()
    {
        var sim = Sim(VmaFlags.None);
        sim.WriteLruGen("+ 2 0 3");
        Assert.Equal(16, sim.Counter("t", VmEvent.WalkPtes));
    }

    [Fact]
    public void Faults_in_a_MADV_RANDOM_file_mapping_are_not_active_and_land_in_the_oldest_generation()
    {
        // lru_gen_enter_fault: no recency, so folio_add_lru does not set PG_active; a clean file folio then
        // goes to max_seq - 3 (min_seq). With recency it would go to max_seq - 1.
        var random = Sim(VmaFlags.RandRead, MemoryBackend.FileMmap);
        // (16 file reads take about 1 ms: the age column is not checked.)
        Assert.Matches(@"\n {10}0 +\d+ {10}0 {10}16 \n", random.LruGenText());
        var normal = Sim(VmaFlags.None, MemoryBackend.FileMmap);
        Assert.Matches(@"\n {10}2 +\d+ {10}0 {10}16 \n", normal.LruGenText());
    }

    [Fact]
    public void Mlocked_pages_are_unevictable_so_a_full_memcg_OOM_kills()
    {
        var sim = Sim(VmaFlags.Locked, limitPages: 8);
        var r = sim.Results()[0];
        Assert.Equal(1, r.OomKill);
        Assert.Equal(0, r.PgSteal);
        Assert.Equal(0, r.PgScan);
    }

    [Theory]
    [InlineData(ReclaimPolicy.Mglru)]
    [InlineData(ReclaimPolicy.Classic)]
    public void Mlocked_pages_show_as_unevictable(ReclaimPolicy policy)
    {
        // Each policy keeps its own unevictable list; memory.stat reads the one in use.
        var sim = Sim(VmaFlags.Locked, policy: policy);
        Assert.Contains("unevictable 65536\n", sim.MemoryStatText("t"));
        Assert.Contains("anon 0\n", sim.MemoryStatText("t"));
    }

    [Fact]
    public void A_PFN_mapping_never_faults_pages_onto_an_LRU()
    {
        var sim = Sim(VmaFlags.PfnMap, accesses: 100);
        var r = sim.Results()[0];
        Assert.Equal(116, r.Accesses);
        Assert.Equal(0, r.PgFault);
        Assert.Equal(0, r.ResidentPages);
    }
}
