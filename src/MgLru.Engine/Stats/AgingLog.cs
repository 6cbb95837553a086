using System.Collections.Generic;

namespace MgLru.Engine.Stats;

/// <summary>
/// The run's agings, the most recent <see cref="Capacity"/> of them: a thrashing memcg can age millions of
/// times in a long run, and the log must not grow without bound. Rows keep their Index, so a log that has
/// dropped its oldest rows starts at an Index above 0.
/// </summary>
internal sealed class AgingLog
{
    public const int Capacity = 100_000;

    private readonly List<AgingRow> _rows = new();
    private int _oldest;

    /// <summary>Agings recorded since the start, dropped ones included.</summary>
    public int Recorded { get; private set; }

    public void Add(AgingRow row)
    {
        Recorded++;
        if (_rows.Count < Capacity)
        {
            _rows.Add(row);
            return;
        }
        _rows[_oldest] = row;
        _oldest = (_oldest + 1) % Capacity;
    }

    /// <summary>The rows kept, oldest first.</summary>
    public List<AgingRow> ToList()
    {
        var rows = new List<AgingRow>(_rows.Count);
        for (int i = 0; i < _rows.Count; i++) rows.Add(_rows[(_oldest + i) % _rows.Count]);
        return rows;
    }
}
