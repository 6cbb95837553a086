namespace MgLru.PowerShell.Model;

/// <summary>Realistic profiles that Add-Task -Workload builds from the generators.</summary>
public enum WorkloadProfile
{
    /// <summary>An anonymous key-value cache: Zipf keys over slab pages, -Threads workers sharing one mm and one key popularity, 10 % sets.</summary>
    Memcached,

    /// <summary>fio's buffered random I/O through a file descriptor (the page cache): uniform offsets (randread), or zipf:alpha with -Alpha; -Backend FileMmap for ioengine=mmap.</summary>
    Fio,
}
