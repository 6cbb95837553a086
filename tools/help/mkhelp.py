#!/usr/bin/env python3
# Writes src/MgLru.PowerShell/en-US/MgLru.dll-Help.xml (MAML) from the cmdlet descriptions below.
# Edit the descriptions here, run `python3 tools/help/mkhelp.py`, and commit both files; the xunit
# HelpTests check that every parameter is documented and run every example.
import html, re, sys
NS='xmlns:maml="http://schemas.microsoft.com/maml/2004/10" xmlns:command="http://schemas.microsoft.com/maml/dev/command/2004/10" xmlns:dev="http://schemas.microsoft.com/maml/dev/2004/10"'
def esc(s): return html.escape(s, quote=False)
def para(t): return ''.join(f'<maml:para>{esc(p)}</maml:para>' for p in t.split('\n\n'))
SIM=('InputObject','ReclaimSimulation','MgLru.PowerShell.Model.ReclaimSimulation',True,'named','True (ByValue)','The live simulation from Start-ReclaimSimulation.',None)
def cmd(name, synopsis, desc, params, inputs, outputs, examples, related):
    verb,noun=name.split('-')
    o=[f'  <command:command {NS}>','    <command:details>',f'      <command:name>{name}</command:name>',f'      <command:verb>{verb}</command:verb>',f'      <command:noun>{noun}</command:noun>',f'      <maml:description>{para(synopsis)}</maml:description>','    </command:details>',f'    <maml:description>{para(desc)}</maml:description>','    <command:syntax>','      <command:syntaxItem>',f'        <maml:name>{name}</maml:name>']
    for (pn,pt,pfull,req,pos,pipe,pd,dflt) in params:
        val='' if pt=='SwitchParameter' else f'<command:parameterValue required="true">{pt}</command:parameterValue>'
        o.append(f'        <command:parameter required="{str(req).lower()}" position="{pos}" pipelineInput="{pipe}"><maml:name>{pn}</maml:name>{val}</command:parameter>')
    o+=['      </command:syntaxItem>','    </command:syntax>','    <command:parameters>']
    for (pn,pt,pfull,req,pos,pipe,pd,dflt) in params:
        o.append(f'      <command:parameter required="{str(req).lower()}" position="{pos}" pipelineInput="{pipe}">')
        o.append(f'        <maml:name>{pn}</maml:name>')
        o.append(f'        <maml:description>{para(pd)}</maml:description>')
        o.append(f'        <command:parameterValue required="{"false" if pt=="SwitchParameter" else "true"}">{pt}</command:parameterValue>')
        o.append(f'        <dev:type><maml:name>{pfull}</maml:name></dev:type>')
        if dflt is not None: o.append(f'        <dev:defaultValue>{esc(dflt)}</dev:defaultValue>')
        o.append('      </command:parameter>')
    o+=['    </command:parameters>','    <command:inputTypes>']
    for t,d in inputs: o.append(f'      <command:inputType><dev:type><maml:name>{t}</maml:name></dev:type><maml:description>{para(d)}</maml:description></command:inputType>')
    o+=['    </command:inputTypes>','    <command:returnValues>']
    for t,d in outputs: o.append(f'      <command:returnValue><dev:type><maml:name>{t}</maml:name></dev:type><maml:description>{para(d)}</maml:description></command:returnValue>')
    o+=['    </command:returnValues>','    <command:examples>']
    for i,(title,code,rem) in enumerate(examples,1):
        o+=['      <command:example>',f'        <maml:title>Example {i}: {esc(title)}</maml:title>',f'        <dev:code>{esc(code)}</dev:code>',f'        <dev:remarks>{para(rem)}</dev:remarks>','      </command:example>']
    o+=['    </command:examples>','    <maml:relatedLinks>']
    for r in related: o.append(f'      <maml:navigationLink><maml:linkText>{r}</maml:linkText></maml:navigationLink>')
    o+=['    </maml:relatedLinks>','  </command:command>']
    return '\n'.join(o)+'\n'
START='$sim = New-MemCgroup -Name web -Limit 16MB | Add-Task -Name kv -Rss 32MB -Accesses 100000 | Start-ReclaimSimulation -Swap 256MB'
SCEN_PARAMS=[
 ('InputObject','MemCgroup[]','MgLru.PowerShell.Model.MemCgroup[]',True,'named','True (ByValue)','The memcgs to simulate together, usually from Add-Task.',None),
 ('Policy','ReclaimPolicy[]','MgLru.Engine.Scenario.ReclaimPolicy[]',False,'named','False','The reclaim policy: Mglru (the Multi-Gen LRU), Classic (the active/inactive lists per type with refault-distance activation, as with lru_gen enabled 0x0000) or Lru (one exact LRU list per memcg, every access moves the page to the head: a reference for cache simulators, not a kernel policy). Several values sweep: Invoke-Reclaim runs one simulation per combination of -Policy, -KernelRules, -Swappiness and -Seed (Start-ReclaimSimulation takes one value).','Mglru'),
 ('KernelRules','KernelRules[]','MgLru.Engine.Scenario.KernelRules[]',False,'named','False','The kernel\'s MGLRU rules where versions differ: V6_1 (6.1.69 to 6.13) or V6_14 (6.14 and later). Several values sweep: Invoke-Reclaim runs one simulation per combination of -Policy, -KernelRules, -Swappiness and -Seed (Start-ReclaimSimulation takes one value).','V6_14'),
 ('PageTableWalk','SwitchParameter','System.Management.Automation.SwitchParameter',False,'named','False','Age by walking page tables (lru_gen enabled 0x0007) instead of rmap only (0x0001).',None),
 ('LruGenEnabled','Int32','System.Int32',False,'named','False','The /sys/kernel/mm/lru_gen/enabled bits directly, 0 to 7 (0x1 core, 0x2 page-table walks, 0x4 non-leaf young). Overrides -PageTableWalk. 0 turns the Multi-Gen LRU off: the classic LRU (-Policy Classic).',None),
 ('Walkers','Int32','System.Int32',False,'named','False','How many reclaimers age a lruvec together, as kswapd and direct reclaimers on other CPUs do: they take turns mm by mm, iterate_mm_list hands each a unique mm, and the one that reaches the end of the mm list increments max_seq. A check on the kernel\'s invariant: results are the same for any number.','1'),
 ('WalkForceScan','SwitchParameter','System.Management.Automation.SwitchParameter',False,'named','False','Every page-table walk force-scans, ignoring the mm bitmap (mms that have not run), the Bloom filters (sparse PTE tables) and non-leaf PMD accessed bits, as a debugfs "+" command does by default. Not a kernel setting: it measures what those filters save.',None),
 ('LookAround','SwitchParameter','System.Management.Automation.SwitchParameter',False,'named','False','Look-around on the eviction path (lru_gen_look_around): when rmap finds a young PTE, the neighbouring PTEs of the same table are tested and their pages promoted. On by default; -LookAround:$false turns it off.','True'),
 ('Memory','Int64','System.Int64',False,'named','False','The node\'s memory in bytes. When the memcgs together need more, free memory falls below the watermarks: kswapd reclaims in the background (its CPU time is reported apart, KswapdCpuMs), allocations reclaim directly, and the global OOM killer runs when nothing can be reclaimed. By default the node holds every memcg up to its limit, so only limits create pressure.','automatic'),
 ('Swap','Int64','System.Int64',False,'named','False','Swap size in bytes. The default is no swap, as on a machine without swap.','0'),
 ('SwapDevice','SwapDeviceKind','MgLru.Engine.Scenario.SwapDeviceKind',False,'named','False','Zram (compressed RAM) or Ssd.','Zram'),
 ('Swappiness','Int32[]','System.Int32[]',False,'named','False','vm.swappiness, 0 to 200. A memcg\'s own -Swappiness wins. Several values sweep: Invoke-Reclaim runs one simulation per combination of -Policy, -KernelRules, -Swappiness and -Seed (Start-ReclaimSimulation takes one value).','60'),
 ('MinTtl','Int32','System.Int32',False,'named','False','/sys/kernel/mm/lru_gen/min_ttl_ms (0 = off).','0'),
 ('CostModel','CostModel','MgLru.Engine.Scenario.CostModel',False,'named','False','Nanoseconds per operation (New-ReclaimCostModel): they drive the simulated clock, so ages, min_ttl, throughput (OpsPerSecond) and the reclaim CPU profile (Profile*Pct) follow from them.','the defaults of New-ReclaimCostModel'),
 ('Seed','Int64[]','System.Int64[]',False,'named','False','Seed of every random choice; the same memcgs and seed give identical results. Several values sweep: Invoke-Reclaim runs one simulation per combination of -Policy, -KernelRules, -Swappiness and -Seed (Start-ReclaimSimulation takes one value).','1'),
]
NEW=[
cmd('Start-ReclaimSimulation','Builds a live simulation of the memcgs it receives, without running it.',
 'Start-ReclaimSimulation takes the same memcgs and parameters as Invoke-Reclaim and returns the simulation before its first access. Drive it with Step-ReclaimSimulation, age or evict by hand with Invoke-LruGenCommand, and read its state with Get-LruGen and Get-MemCgroupStat at any point.',
 SCEN_PARAMS,[('MgLru.PowerShell.Model.MemCgroup','The memcgs to simulate.')],[('MgLru.PowerShell.Model.ReclaimSimulation','The live simulation.')],
 [('a simulation to drive step by step', START, 'Builds the simulation; nothing has run yet.'),
  ('run half of it, then look at the generations', START+'\n$sim | Step-ReclaimSimulation -Accesses 60000 | ForEach-Object { $_.PgMajFault }\n$sim | Get-LruGen', 'Steps 60,000 accesses, prints the major faults so far and the lru_gen text.')],
 ['Step-ReclaimSimulation','Invoke-LruGenCommand','Get-LruGen','Get-MemCgroupStat','Invoke-Reclaim']),
cmd('Step-ReclaimSimulation','Advances a live simulation by a number of accesses.',
 'Step-ReclaimSimulation runs the simulation for -Accesses more accesses (tasks take turns in time slices), or to the end of every task\'s workload when -Accesses is omitted, and emits the result rows at that point, as Invoke-Reclaim does at the end. Stepping a finished simulation does nothing.',
 [SIM,('Accesses','Int64','System.Int64',False,'0','False','How many accesses to run; omit it to run to the end.','all'),
  ('PassThru','SwitchParameter','System.Management.Automation.SwitchParameter',False,'named','False','Emit the simulation instead of its result rows.',None)],
 [('MgLru.PowerShell.Model.ReclaimSimulation','The simulation to advance.')],[('MgLru.Engine.Stats.ReclaimResult','One row per memcg (default).'),('MgLru.PowerShell.Model.ReclaimSimulation','The simulation, with -PassThru.')],
 [('step in slices and watch major faults grow', START+'\n1..4 | ForEach-Object { ($sim | Step-ReclaimSimulation -Accesses 25000).PgMajFault }', 'Prints the cumulative major faults after each quarter of the run.'),
  ('run to the end', START+'\n$sim | Step-ReclaimSimulation | ForEach-Object { $_.PgSteal }', 'Runs what is left and prints the pages reclaimed.')],
 ['Start-ReclaimSimulation','Get-LruGen']),
cmd('Invoke-LruGenCommand','Writes aging and eviction commands to a simulation\'s /sys/kernel/debug/lru_gen.',
 'Invoke-LruGenCommand parses and runs lru_gen commands as the kernel\'s lru_gen_seq_write does. "+ memcg_id node_id max_gen_nr [swappiness [force_scan]]" runs the aging (a new generation, by page-table walk when walks are on; force_scan defaults to 1); "- memcg_id node_id min_gen_nr [swappiness [nr_to_reclaim]]" evicts generations up to min_gen_nr. Several commands may be separated by newlines, commas or semicolons.\n\nErrors carry the kernel\'s errno as their error id: EINVAL for malformed commands, an unknown memcg or node, a max_gen_nr above max_seq, or a min_gen_nr within the two youngest generations; EEXIST when aging did not create a generation (6.14 rules); ERANGE when aging without force_scan finds four generations already (6.1 rules). The commands after a failing one in the same write are not run.',
 [SIM,('Command','String[]','System.String[]',True,'0','False','The writes; each may hold several commands.',None),
  ('PassThru','SwitchParameter','System.Management.Automation.SwitchParameter',False,'named','False','Emit the simulation afterwards.',None)],
 [('MgLru.PowerShell.Model.ReclaimSimulation','The simulation to write to.')],[('MgLru.PowerShell.Model.ReclaimSimulation','The simulation, with -PassThru.')],
 [('age memcg 2 on node 0', START+'\n$sim | Step-ReclaimSimulation -Accesses 10000 | ForEach-Object { $_.MaxSeq }\n$sim | Invoke-LruGenCommand \'+ 2 0 3\' -PassThru | Get-LruGen', 'Creates generation 4 of /web (memcg id 2) and prints lru_gen.'),
  ('evict the oldest generation, and see an EINVAL', START+'\n$max = ($sim | Step-ReclaimSimulation -Accesses 10000).MaxSeq\n$sim | Invoke-LruGenCommand "- 2 0 $($max - 2) 60 100"\ntry { $sim | Invoke-LruGenCommand "- 2 0 $($max - 1)" -ErrorAction Stop } catch { $_.FullyQualifiedErrorId }', 'Reclaims up to 100 pages from the generations up to max_seq - 2, then shows that max_seq - 1 cannot be evicted: EINVAL.')],
 ['Get-LruGen','Start-ReclaimSimulation']),
cmd('Get-LruGen','Reads a simulation\'s /sys/kernel/debug/lru_gen or lru_gen_full.',
 'Get-LruGen prints the generations of every memcg and node in the kernel\'s exact format (lru_gen_seq_show): "memcg ID PATH", " node N", then one line per generation with its sequence number, age in milliseconds and anon and file pages. With -Full it prints lru_gen_full, which adds per-tier refaulted (r), evicted (e) and protected (p) counters, the controller\'s averages (R, T) on max_seq, and the page-table-walk statistics. The 6.1 rule set prints the 6.1 format (blank marks, LOYNFA statistics); 6.14 prints x marks and TYFA.',
 [SIM,('Full','SwitchParameter','System.Management.Automation.SwitchParameter',False,'named','False','Print lru_gen_full.',None),
  ('AsObject','SwitchParameter','System.Management.Automation.SwitchParameter',False,'named','False','Emit one row per generation (MemcgId, MemcgPath, Node, Seq, AgeMs, AnonPages, FilePages, Active) instead of text.',None)],
 [('MgLru.PowerShell.Model.ReclaimSimulation','The simulation to read.')],[('System.String','The debugfs text (default).'),('MgLru.Engine.Stats.LruGenRow','Rows, with -AsObject.')],
 [('the lru_gen text after a run', START+'\n$sim | Step-ReclaimSimulation | ForEach-Object { $_.PgSteal }\n$sim | Get-LruGen', 'Prints the generations as /sys/kernel/debug/lru_gen would.'),
  ('rows for a chart', START+'\n$sim | Step-ReclaimSimulation -PassThru | Get-LruGen -AsObject | Where-Object MemcgPath -eq \'/web\'', 'One row per generation of /web.')],
 ['Start-ReclaimSimulation','Invoke-LruGenCommand','Get-MemCgroupStat']),
cmd('Get-MemCgroupStat','Reads a memcg\'s memory.stat from a simulation.',
 'Get-MemCgroupStat prints the memcg\'s memory.stat as cgroup v2 does, "key value" per line, for the keys the simulator models: anon, file, the compat active/inactive sizes (generations max_seq and max_seq - 1 count as active), workingset_refault/activate/restore, pgscan and pgsteal with their kswapd/direct/khugepaged/proactive parts, pgfault, pgmajfault, pgrefill, pgactivate, pgdeactivate. Sizes are in bytes, events in pages.',
 [SIM,('Name','String','System.String',True,'0','False','The memcg\'s name, or "/" for the root.',None),
  ('AsObject','SwitchParameter','System.Management.Automation.SwitchParameter',False,'named','False','Emit objects (Memcg, Key, Value) instead of text.',None)],
 [('MgLru.PowerShell.Model.ReclaimSimulation','The simulation to read.')],[('System.String','memory.stat text (default).'),('MgLru.Engine.Stats.MemoryStatEntry','Objects, with -AsObject.')],
 [('memory.stat of /web', START+'\n$sim | Step-ReclaimSimulation | ForEach-Object { $_.PgSteal }\n$sim | Get-MemCgroupStat web', 'Prints memory.stat after the run.'),
  ('one counter as a number', START+'\n$sim | Step-ReclaimSimulation -Accesses 50000 | ForEach-Object { $_.PgFault }\n($sim | Get-MemCgroupStat web -AsObject | Where-Object Key -eq \'workingset_refault_anon\').Value', 'Reads workingset_refault_anon.')],
 ['Get-LruGen','Start-ReclaimSimulation']),
]
NEW.insert(0, cmd('Invoke-Reclaim','Simulates the memcgs it receives under the Multi-Gen LRU and emits one result row per memcg.',
 'Invoke-Reclaim collects every memory cgroup from the pipeline and runs one simulation over all of them to the end: tasks take turns (time slices), page faults charge their memcg, and a charge beyond memory.max triggers direct reclaim in the faulting task (try_to_free_mem_cgroup_pages), priority 12 down to 0, through the MGLRU: aging (new generations, by rmap or by page-table walks), eviction of the oldest generation with tier protection by the PID controller, look-around, swap-out with shadow entries, and refault detection. When nothing can be reclaimed after 16 retries, the memcg\'s largest task is OOM-killed.\n\nEach row carries the kernel\'s counters named as in memory.stat (PgFault, PgMajFault, PswpIn, PswpOut, PgScan, PgSteal, PgRefill, PgActivate, Workingset*, OomKill) and the MGLRU state at the end (MaxSeq, MinSeqAnon, MinSeqFile). The same memcgs and -Seed give identical results. Runs longer than about a second show progress; Ctrl+C stops them.\n\nSeveral values of -Policy, -KernelRules, -Swappiness or -Seed make a sweep: one independent simulation per combination (policy outermost, seed innermost), run in parallel, -ThrottleLimit at a time, each deterministic. The rows come in combination order and carry their configuration (Policy, KernelRules, Swappiness, Seed).',
 SCEN_PARAMS+[('ThrottleLimit','Int32','System.Int32',False,'named','False','How many simulations of a sweep run at once (1 to 256).','the number of processors')],[('MgLru.PowerShell.Model.MemCgroup','The memcgs to simulate.')],[('MgLru.Engine.Stats.ReclaimResult','One flat row per memcg, with scalar properties only.')],
 [('the quickstart','New-MemCgroup -Name web -Limit 64MB | Add-Task -Name kv -Workload Zipf -Rss 128MB -Accesses 200000 | Invoke-Reclaim -PageTableWalk -Swap 1GB -Seed 1','A Zipf task twice the size of its memcg, swapping to zram, with page-table-walk aging.'),
  ('rmap-only aging under the 6.1 rules','$cg = New-MemCgroup -Name db -Limit 32MB | Add-Task -Name q -Rss 48MB -Accesses 100000\n$cg | Invoke-Reclaim -LruGenEnabled 1 -KernelRules V6_1 -Swap 256MB | ForEach-Object { \'{0}: {1} major faults, {2} pages reclaimed\' -f $_.Memcg, $_.PgMajFault, $_.PgSteal }','Runs with lru_gen enabled 0x0001 and prints a one-line summary per memcg.'),
  ('a sweep over policies and swappiness','$cg = New-MemCgroup -Name web -Limit 16MB | Add-Task -Name kv -Workload Zipf -Rss 32MB -Accesses 60000\n$cg | Invoke-Reclaim -Policy Mglru,Classic -Swappiness 10,100 -Swap 256MB | ForEach-Object { \'{0,-7} swappiness {1,3}: {2} major faults\' -f $_.Policy, $_.Swappiness, $_.PgMajFault }','Four simulations, two at a time on two processors; one line per configuration.')],
 ['New-MemCgroup','Add-Task','Start-ReclaimSimulation','about_MgLru']))
NEW.insert(0, cmd('Add-Task','Adds a task with its own memory and workload to a memory cgroup.',
 'Add-Task adds a task to the memcg it receives from the pipeline, and passes the memcg on, so several Add-Task stages chain. The task has one memory object of -Rss bytes: private anonymous memory (-Backend Anon, the default), a file read through a file descriptor (FileRead: every access is a read() of one page, which goes through the page cache and its fd-access tiers, with no mapping), or a file mapped shared and read through page tables (FileMmap).\n\nThe task first touches every page once, in order (the populate pass; -NoPopulate skips it), then makes -Accesses accesses drawn from -Workload: Sequential loops over the pages, Uniform picks any page, Zipf picks page ranks by a Zipf(-Alpha) law with the popular ranks scattered over the range. Anonymous accesses are stores (the simulated MMU sets the PTE\'s accessed and dirty bits); file accesses are reads. A page that is not present takes a page fault (or, for FileRead, a page-cache miss) that is charged to the memcg.',
 [('InputObject','MemCgroup','MgLru.PowerShell.Model.MemCgroup',True,'named','True (ByValue)','The memcg that receives the task, usually from New-MemCgroup.',None),
  ('Name','String','System.String',True,'0','False','The task\'s name.',None),
  ('Workload','Object','System.Object',False,'named','False','The access pattern: a generator name (Sequential, Uniform, Zipf, Gaussian, HotCold, Scan, with default parameters); a profile: Memcached (an anonymous key-value cache: Zipf(-Alpha) keys over its slab pages, -Threads worker tasks named Name, Name-1, ... sharing one mm and one key popularity, the accesses split among them, 10 % writes unless -WriteFraction says otherwise) or Fio (fio with direct=0: random offsets of a file read through a descriptor, uniform as rw=randread or zipf:alpha when -Alpha is given, reads only unless -WriteFraction; -Backend FileMmap for ioengine=mmap; sequential reads are -Workload Sequential -Backend FileRead); a workload from New-Workload, or a trace from Import-AccessTrace (replayed once, in order; its objects become the task\'s pages).','Zipf'),
  ('Alpha','Double','System.Double',False,'named','False','The Zipf exponent, 0.01 to 3. Larger values concentrate accesses on fewer pages.','0.9'),
  ('Rss','Int64','System.Int64',False,'named','False','Size of the task\'s memory in bytes (rounded up to 4 KiB pages). Required for a generated workload; a trace brings its own footprint.',None),
  ('Accesses','Int64','System.Int64',False,'named','False','Accesses drawn from the workload after the populate pass.','1000000'),
  ('Backend','MemoryBackend','MgLru.Engine.Scenario.MemoryBackend',False,'named','False','Anon, FileRead (a file read through a descriptor: page cache, fd tiers, no mapping) or FileMmap (a shared file mapping read through page tables).','Anon'),
  ('RunFraction','Double','System.Double',False,'named','False','Share of the scheduler\'s turns the task runs, above 0 up to 1; it sleeps through the others (spread evenly). A sleeping task does not switch to its mm, so page-table walkers skip the mm (its bitmap bit stays clear) until it runs again.','1'),
  ('File','String','System.String',False,'named','False','The file a FileRead or FileMmap task uses. Tasks naming the same file share its page cache (the first to touch a page reads it in and is charged for it); tasks that map it share its pages, so reclaim\'s rmap walk visits every mapping. Without -File a task gets a file of its own.',None),
  ('ShareMmWith','String','System.String',False,'named','False','Make the task a thread of this earlier task of the same memcg: it shares that task\'s mm (its pages, page tables and mm-list entry, so a walk visits it once) and makes its own accesses over the same pages, as the worker threads of memcached do. Its -Rss must still be given; the leader\'s size is used.',None),
  ('VmaFlags','VmaFlags','MgLru.Engine.Scenario.VmaFlags',False,'named','False','Flags of the task\'s mapping, comma-separated: Locked (mlock: pages are unevictable), SeqRead and RandRead (MADV_SEQUENTIAL, MADV_RANDOM) and NoReuse (POSIX_FADV_NOREUSE): no recency, so faults are not active, references are ignored and walks skip the mapping; PfnMap (device memory: no pages on any LRU).','None'),
  ('MoveTo','MemCgroup','MgLru.PowerShell.Model.MemCgroup',False,'named','False','Move the task to this memcg during the run (pipe that memcg to Invoke-Reclaim too): its mm leaves the old memcg\'s mm list for the new one (lru_gen_migrate_mm) and new pages are charged to the new memcg; pages already charged stay behind, and the new memcg\'s page-table walkers leave them alone.',None),
  ('At','Double','System.Double',False,'named','False','When to move: the fraction of the task\'s accesses (populate pass included) done by then, 0 to 1.','0.5'),
  ('WriteFraction','Double','System.Double',False,'named','False','Share of accesses that write, 0 to 1: stores to anonymous memory or a file mapping, write() for FileRead. Written file pages are dirty until the flushers write them back (every 5 s, or when reclaim finds only dirty pages).','1 for Anon, 0 for files'),
  ('NoPopulate','SwitchParameter','System.Management.Automation.SwitchParameter',False,'named','False','Skip the populate pass, so pages are first touched in workload order.',None),
  ('Threads','Int32','System.Int32',False,'named','False','Worker threads of the Memcached profile, 1 to 64; only with -Workload Memcached.','4')],
 [('MgLru.PowerShell.Model.MemCgroup','The memcg to add the task to.')],[('MgLru.PowerShell.Model.MemCgroup','The same memcg, with the task added.')],
 [('a Zipf key-value task','New-MemCgroup -Name web -Limit 64MB | Add-Task -Name kv -Workload Zipf -Rss 128MB -Accesses 200000','A task whose 128 MiB working set is twice its memcg\'s limit.'),
  ('memcached with four workers, and fio next to it','$mc = New-MemCgroup -Name mc -Limit 32MB | Add-Task -Name memcached -Workload Memcached -Rss 64MB -Accesses 100000\n$io = New-MemCgroup -Name io -Limit 16MB | Add-Task -Name job -Workload Fio -Alpha 1.0 -Rss 64MB -Accesses 50000\n$mc, $io | Invoke-Reclaim -Swap 256MB | ForEach-Object { \'{0}: {1} major faults, {2} KiB read\' -f $_.Memcg, $_.PgMajFault, $_.PgPgIn }','Four memcached threads over one key popularity in one memcg, a zipf:1.0 fio job through the page cache in another.'),
  ('an anon service next to a file scanner','New-MemCgroup -Name app -Limit 32MB | Add-Task -Name hot -Rss 16MB -Alpha 1.2 | Add-Task -Name scan -Workload Sequential -Backend FileRead -Rss 256MB -NoPopulate -Accesses 65536','Add-Task passes the memcg on, so stages chain; the scanner reads a 256 MiB file once through its descriptor.')],
 ['New-MemCgroup','Invoke-Reclaim']))
NEW.insert(0, cmd('New-MemCgroup','Creates a memory cgroup with its memory.max, memory.min, memory.low and swappiness.',
 'New-MemCgroup creates a cgroup-v2 memory controller node, a child of the root cgroup, whose path is /Name. Its memory.max (-Limit) makes the memcg reclaim from its own LRU when a task\'s page fault would charge it beyond the limit, exactly as the kernel\'s try_charge does. memory.min (-Min) and memory.low (-Low) protect it from global reclaim (kswapd and direct reclaim when the node runs low, see Invoke-Reclaim -Memory): below memory.min it is never reclaimed; below memory.low the classic LRU spares it while other memcgs have memory to give, and the MGLRU defers it to its next visit.\n\nPipe the memcg to Add-Task to give it tasks, then to Invoke-Reclaim to simulate it. Sizes accept PowerShell\'s numeric suffixes: 64MB is 67108864 bytes.',
 [('Name','String','System.String',True,'0','True (ByValue, ByPropertyName)','The memcg\'s name: letters, digits, \'.\', \'_\' and \'-\'. Its path is /Name.',None),
  ('Limit','Int64','System.Int64',False,'1','True (ByPropertyName)','memory.max in bytes, at least 4096. Omit it for "max" (no limit).','max'),
  ('Min','Int64','System.Int64',False,'named','True (ByPropertyName)','memory.min in bytes.','0'),
  ('Low','Int64','System.Int64',False,'named','True (ByPropertyName)','memory.low in bytes.','0'),
  ('Swappiness','Int32','System.Int32',False,'named','True (ByPropertyName)','memory.swappiness, 0 to 200. Omit it to use Invoke-Reclaim\'s -Swappiness (vm.swappiness).',None),
  ('Overhead','Int64','System.Int64',False,'named','True (ByPropertyName)','Memory charged to the memcg from the start that reclaim cannot take: page tables, kernel memory, a program\'s pinned helper arrays. It takes frames from the node, counts in memory.current and shows as memory.stat kernel, so a limit leaves the same room for reclaimable pages as on a real machine. Must be below -Limit.','0')],
 [('System.String','Memcg names.')],[('MgLru.PowerShell.Model.MemCgroup','The new memcg, ready for Add-Task.')],
 [('a memcg limited to 64 MiB','New-MemCgroup -Name web -Limit 64MB','Creates /web with memory.max = 67108864 bytes.'),
  ('several memcgs from the pipeline, one protected','\'web\', \'batch\' | New-MemCgroup -Limit 256MB -Swappiness 100\nNew-MemCgroup -Name db -Min 128MB -Low 192MB','Creates two memcgs with the same limit and memory.swappiness, and one with memory.min and memory.low.')],
 ['Add-Task','Invoke-Reclaim','about_MgLru']))

NEW.append(cmd('Invoke-MemCgroupReclaim','Proactively reclaims memory from a memcg of a live simulation (memory.reclaim).',
 'Invoke-MemCgroupReclaim writes "<bytes> [swappiness=N|max]" to the memcg\'s memory.reclaim, as proactive reclaimers such as Senpai do: the kernel reclaims in batches of a quarter of what is left (at least 32 pages) through the memcg\'s LRU, counted in pgscan_proactive and pgsteal_proactive, and gives up with EAGAIN after 16 rounds that reclaimed nothing. A memcg\'s own memory.min and memory.low do not protect it from its own memory.reclaim.',
 [SIM,('Name','String','System.String',True,'0','False','The memcg\'s name.',None),
  ('Bytes','Int64','System.Int64',True,'1','False','How much to reclaim, in bytes.',None),
  ('Swappiness','Int32','System.Int32',False,'named','False','swappiness= for this write, 0 to 200; omit it to use the memcg\'s.',None),
  ('AnonOnly','SwitchParameter','System.Management.Automation.SwitchParameter',False,'named','False','swappiness=max: reclaim anonymous memory only (Multi-Gen LRU).',None)],
 [('MgLru.PowerShell.Model.ReclaimSimulation','The simulation.')],[('MgLru.PowerShell.Model.ProactiveReclaimResult','Memcg, RequestedBytes and ReclaimedBytes.')],
 [('reclaim 4 MiB from /web', START+'\n$sim | Step-ReclaimSimulation -Accesses 50000 | ForEach-Object { $_.ResidentPages }\n$sim | Invoke-MemCgroupReclaim web 4MB', 'Reclaims 1024 pages and reports what it got.'),
  ('no anon allowed, then read the proactive counters', START+'\n$sim | Step-ReclaimSimulation -Accesses 50000 | ForEach-Object { $_.ResidentPages }\ntry { $sim | Invoke-MemCgroupReclaim web 1MB -Swappiness 0 -ErrorAction Stop } catch { $_.FullyQualifiedErrorId }\n$sim | Get-MemCgroupStat web -AsObject | Where-Object Key -like \'*proactive\'', 'With swappiness 0 an anon-only memcg has nothing to give: the write fails with EAGAIN, and the counters show nothing was taken.')],
 ['Start-ReclaimSimulation','Get-MemCgroupStat']))
NEW.append(cmd('New-ReclaimCostModel','Creates the cost model: nanoseconds per simulated operation.',
 'New-ReclaimCostModel returns the cost model Invoke-Reclaim and Start-ReclaimSimulation take with -CostModel. The costs drive the simulated clock: tasks spend AccessNs per hit and fault costs per miss, and direct reclaim runs on the faulting task\'s clock, so generation ages, min_ttl, OpsPerSecond and ReclaimCpuMs all follow from them; kswapd\'s time is kept apart. Reclaim CPU is also sorted into a profile (ProfileRmapPct, ProfileWalkPct, ProfileLookAroundPct, ProfileScanPct, ProfileSwapOutPct, ProfileFreePct), the simulated counterpart of a kswapd perf profile. Every value has a default: pass only what to change.',
 [
  ('AccessNs','Int32','System.Int32',False,'named','False','A load or store that hits a resident page (TLB and cache effects averaged).','100'),
  ('MinorFaultNs','Int32','System.Int32',False,'named','False','A minor fault: the first touch of an anonymous page (zero-fill).','1500'),
  ('MajorFaultNs','Int32','System.Int32',False,'named','False','Fault-path overhead of a major fault, before the device read.','3000'),
  ('ZramReadNs','Int32','System.Int32',False,'named','False','Swap-in of one page from zram (lz4 decompression).','2000'),
  ('ZramWriteNs','Int32','System.Int32',False,'named','False','Swap-out of one page to zram (lz4 compression): the "real work" of reclaim in a kswapd profile.','5000'),
  ('SsdReadNs','Int32','System.Int32',False,'named','False','Swap-in of one page from an SSD.','80000'),
  ('SsdWriteNs','Int32','System.Int32',False,'named','False','CPU to submit a swap-out write to an SSD.','2000'),
  ('PageCacheHitNs','Int32','System.Int32',False,'named','False','read() of one page that is in the page cache (syscall and copy).','400'),
  ('FileReadNs','Int32','System.Int32',False,'named','False','Reading one page of a file from storage.','80000'),
  ('ScanFolioNs','Int32','System.Int32',False,'named','False','Sorting or isolating one folio on an LRU list.','60'),
  ('RmapWalkNs','Int32','System.Int32',False,'named','False','One rmap walk per mapping visited (folio_referenced, try_to_unmap: page_vma_mapped_walk).','400'),
  ('PteVisitNs','Int32','System.Int32',False,'named','False','Visiting one PTE in a page-table walk or look-around.','4'),
  ('PmdVisitNs','Int32','System.Int32',False,'named','False','Visiting one PMD entry in a page-table walk.','10'),
  ('BloomTestNs','Int32','System.Int32',False,'named','False','One Bloom-filter test.','5'),
  ('FreePageNs','Int32','System.Int32',False,'named','False','Freeing a reclaimed page (uncharge, return to the allocator).','150')],
 [],[('MgLru.Engine.Scenario.CostModel','The cost model.')],
 [('the defaults','New-ReclaimCostModel','Shows every cost with its default.'),
  ('a slower compressor, and its effect on the profile','$slow = New-ReclaimCostModel -ZramWriteNs 20000\nNew-MemCgroup -Name kv -Limit 16MB | Add-Task -Name kv -Rss 32MB -Accesses 100000 | Invoke-Reclaim -Swap 256MB -CostModel $slow | ForEach-Object { \'{0:N1} % of reclaim CPU compressing\' -f $_.ProfileSwapOutPct }','Makes zram compression four times dearer and prints its share of reclaim CPU.')],
 ['Invoke-Reclaim','Start-ReclaimSimulation']))
NEW.append(cmd('Move-Task','Moves a task of a live simulation to another memcg.',
 'Move-Task does what writing a pid to another cgroup\'s cgroup.procs does to memory: the task\'s mm leaves the old memcg\'s mm list and joins the new one (lru_gen_migrate_mm), and its new pages are charged to the new memcg. Pages already charged stay with the old memcg: the new memcg\'s page-table walkers see them as misplaced and leave them young, and only the old memcg\'s reclaim (through rmap) can promote or evict them. To move a task at a set point of a run instead, use Add-Task -MoveTo -At.',
 [SIM,('Name','String','System.String',True,'0','False','The task\'s name.',None),
  ('Destination','String','System.String',True,'1','False','The memcg to move it to.',None),
  ('PassThru','SwitchParameter','System.Management.Automation.SwitchParameter',False,'named','False','Emit the simulation afterwards.',None)],
 [('MgLru.PowerShell.Model.ReclaimSimulation','The simulation.')],[('MgLru.PowerShell.Model.ReclaimSimulation','The simulation, with -PassThru.')],
 [('move a task halfway', '$a = New-MemCgroup -Name a | Add-Task -Name t -Rss 8MB -Accesses 4000\n$b = New-MemCgroup -Name b\n$sim = $a, $b | Start-ReclaimSimulation -Swap 64MB\n$null = $sim | Step-ReclaimSimulation -Accesses 3000\n$sim | Move-Task t b\n$sim | Step-ReclaimSimulation | ForEach-Object { \'{0}: {1} pages\' -f $_.Memcg, $_.ResidentPages }', 'The pages faulted before the move stay in /a; the rest are charged to /b.'),
  ('the same move, scheduled', '$b = New-MemCgroup -Name b\n$a = New-MemCgroup -Name a | Add-Task -Name t -Rss 8MB -Accesses 4000 -MoveTo $b -At 0.5\n$a, $b | Invoke-Reclaim -Swap 64MB | ForEach-Object { \'{0}: {1} pages\' -f $_.Memcg, $_.ResidentPages }', 'Add-Task -MoveTo -At moves the task when half of its accesses are done.')],
 ['Add-Task','Start-ReclaimSimulation']))
NEW.append(cmd('Import-AccessTrace','Loads an access trace for Add-Task -Workload.',
 'Import-AccessTrace reads a trace of object ids: Txt (one id per line, read as C\'s strtoull with base 0: 0x hex, a leading 0 octal; empty lines skipped), Csv (the id in -IdColumn, 1-based; the delimiter and a header line are detected unless -Delimiter or -Header say otherwise; -TimeColumn and -SizeColumn are checked to hold numbers), OracleGeneral (libCacheSim\'s packed little-endian 24-byte records; records of size 0 skipped) or U32 (raw little-endian uint32 page indexes, as the kernel lab records them). Objects become pages in the order they first appear (-PagesPerObject pages each); sizes are ignored. A malformed file is a MalformedTrace error naming the file and the line or record, and nothing of it is used.\n\nReplayed under -Policy Lru with N pages of memory, a trace faults exactly where an N-object LRU cache misses (cold misses included): MissRatio is the miss ratio libCacheSim\'s LRU reports.',
 [('Path','String','System.String',True,'0','True (ByValue, ByPropertyName)','The trace file.',None),
  ('Format','TraceFormat','MgLru.Engine.Workloads.TraceFormat',True,'named','False','Txt, Csv, OracleGeneral or U32.',None),
  ('IdColumn','Int32','System.Int32',False,'named','False','Csv: the 1-based column of the object id.','2'),
  ('TimeColumn','Int32','System.Int32',False,'named','False','Csv: the 1-based column of the time, checked to hold numbers.',None),
  ('SizeColumn','Int32','System.Int32',False,'named','False','Csv: the 1-based column of the size, checked to hold numbers (sizes are ignored).',None),
  ('Delimiter','Char','System.Char',False,'named','False','Csv: the field delimiter; detected from the first line (comma, tab, semicolon or space) when omitted.',None),
  ('Header','Boolean','System.Boolean',False,'named','False','Csv: whether the first line is a header; detected (the id field is not a number) when omitted.',None),
  ('PagesPerObject','Int32','System.Int32',False,'named','False','Pages each object occupies; a request touches all of them.','1')],
 [('System.String','Paths.')],[('MgLru.PowerShell.Model.AccessTrace','The trace: Path, Format, Requests, Objects, PagesPerObject, FootprintBytes.')],
 [('replay a trace with an exact LRU of 1,000 pages', '$path = [System.IO.Path]::Combine([System.IO.Path]::GetTempPath(), \'mglru-help.txt\')\n[System.IO.File]::WriteAllLines($path, [string[]](1..3000 | ForEach-Object { $_ % 1200 }))\n$trace = Import-AccessTrace $path -Format Txt\nNew-MemCgroup -Name cache -Limit 4000KB | Add-Task -Name replay -Workload $trace | Invoke-Reclaim -Policy Lru -Swap 16MB | ForEach-Object { \'miss ratio {0:P1}\' -f $_.MissRatio }', 'A loop over 1,200 objects through a 1,000-page LRU misses every time.'),
  ('a csv with the id in its second column', '$path = [System.IO.Path]::Combine([System.IO.Path]::GetTempPath(), \'mglru-help.csv\')\n[System.IO.File]::WriteAllText($path, "time,obj_id,size`n1,42,512`n2,43,512`n3,42,512`n")\nImport-AccessTrace $path -Format Csv -IdColumn 2 | ForEach-Object { \'{0} requests over {1} objects\' -f $_.Requests, $_.Objects }', 'The header is detected; three requests touch two objects.')],
 ['Add-Task','Invoke-Reclaim']))
NEW.append(cmd('New-Workload','Creates a workload: a generator with its parameters, or phases that run in turn.',
 'New-Workload returns a workload for Add-Task -Workload. Generators: Sequential (loops over the pages), Uniform, Zipf (-Alpha; popular ranks scattered over the pages), Gaussian (-Mean and -StdDev as fractions of the footprint, ranks scattered), HotCold (-HotFraction of the pages take -HotProbability of the accesses, as the kernel lab\'s memwl does) and Scan (one streaming pass over every page, which must not flush the working set). Every generator draws from a seeded xoshiro256** stream (Zipf by rejection-inversion, O(1) per sample), so the same seed gives the same accesses. Phases runs the -Phase workloads in turn for -PhaseAccesses accesses each, and round again; each phase scatters its ranks anew, so its hot set lands on other pages.',
 [('Kind','String','System.String',True,'0','False','Sequential, Uniform, Zipf, Gaussian, HotCold or Scan.','Zipf'),
  ('Alpha','Double','System.Double',False,'named','False','Zipf: the exponent, 0.01 to 3 (1.0 included).','0.9'),
  ('Mean','Double','System.Double',False,'named','False','Gaussian: the mean rank as a fraction of the footprint.','0.5'),
  ('StdDev','Double','System.Double',False,'named','False','Gaussian: the standard deviation as a fraction of the footprint.','0.125'),
  ('HotFraction','Double','System.Double',False,'named','False','HotCold: the share of pages that is hot.','0.1'),
  ('HotProbability','Double','System.Double',False,'named','False','HotCold: the share of accesses that goes to the hot pages.','0.9'),
  ('Phase','WorkloadSpec[]','MgLru.Engine.Scenario.WorkloadSpec[]',True,'named','False','Phases: the workloads that run in turn (generators from New-Workload).',None),
  ('PhaseAccesses','Int64[]','System.Int64[]',True,'named','False','Phases: how many accesses each phase lasts, one number per phase.',None),
  ('Backend','MemoryBackend','MgLru.Engine.Scenario.MemoryBackend',False,'named','False','Anon, FileRead or FileMmap.','Anon'),
  ('WriteFraction','Double','System.Double',False,'named','False','Share of accesses that write.','1 for Anon, 0 for files'),
  ('NoPopulate','SwitchParameter','System.Management.Automation.SwitchParameter',False,'named','False','Skip the populate pass that touches every page once, in order, first.',None)],
 [],[('MgLru.Engine.Scenario.WorkloadSpec','The workload.')],
 [('a hot/cold key-value load', '$w = New-Workload HotCold -HotFraction 0.05 -HotProbability 0.95\nNew-MemCgroup -Name kv -Limit 16MB | Add-Task -Name kv -Workload $w -Rss 32MB -Accesses 100000 | Invoke-Reclaim -Swap 256MB | ForEach-Object { \'{0} major faults\' -f $_.PgMajFault }', 'Five percent of the pages take 95 % of the accesses.'),
  ('a hot set that moves', '$hot = New-Workload HotCold -HotFraction 0.1 -NoPopulate\n$w = New-Workload -Phase $hot, $hot -PhaseAccesses 50000, 50000\nNew-MemCgroup -Name app -Limit 8MB | Add-Task -Name app -Workload $w -Rss 16MB -Accesses 100000 | Invoke-Reclaim -Swap 64MB | ForEach-Object { $_.WorkingsetRefaultAnon }', 'After 50,000 accesses the hot set moves to other pages.')],
 ['Add-Task','Import-AccessTrace']))
order=['New-MemCgroup','Add-Task','Invoke-Reclaim','Start-ReclaimSimulation','Step-ReclaimSimulation','Invoke-LruGenCommand','Invoke-MemCgroupReclaim','Get-LruGen','Get-MemCgroupStat','New-ReclaimCostModel','Move-Task','Import-AccessTrace','New-Workload']
NEW.sort(key=lambda b: order.index(re.search(r'<command:name>([A-Za-z-]+)<', b).group(1)) if re.search(r'<command:name>([A-Za-z-]+)<', b).group(1) in order else 99)
out='<?xml version="1.0" encoding="utf-8"?>\n<helpItems schema="maml" xmlns="http://msh">\n'+''.join(NEW)+'</helpItems>\n'
import os
here=os.path.dirname(os.path.abspath(__file__))
open(os.path.join(here,'..','..','src','MgLru.PowerShell','en-US','MgLru.dll-Help.xml'),'w').write(out)
