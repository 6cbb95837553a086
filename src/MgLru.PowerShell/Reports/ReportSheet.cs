using System.Collections.Generic;

namespace MgLru.PowerShell.Reports;

/// <summary>How a column's numbers are shown.</summary>
internal enum NumberStyle
{
    General,
    Integer,
    Decimal,
    Percent,
}

/// <summary>A table on a worksheet: a header row, then rows of scalars (string, bool, or numbers).</summary>
internal sealed class ReportSheet
{
    public ReportSheet(string name, IReadOnlyList<string> headers)
    {
        Name = name;
        Headers = headers;
        Formats = new NumberStyle[headers.Count];
    }

    /// <summary>The worksheet's name (at most 31 characters, unique in the workbook).</summary>
    public string Name { get; }
    public IReadOnlyList<string> Headers { get; }
    public NumberStyle[] Formats { get; }
    public List<object?[]> Rows { get; } = new();
    public List<ReportChart> Charts { get; } = new();

    /// <summary>Lines above the table (a title, notes); the table's header row follows them.</summary>
    public List<string> Preamble { get; } = new();

    public void Add(params object?[] row) => Rows.Add(row);

    /// <summary>1-based worksheet row of the header.</summary>
    public int HeaderRow => Preamble.Count + 1;
}

internal enum ChartKind
{
    Line,
    Bar,
}

/// <summary>
/// A native Excel chart over a range of its sheet's table: categories from one column, one series per
/// value column, over data rows [FirstRow, LastRow) of the table (0-based).
/// </summary>
internal sealed class ReportChart
{
    public ChartKind Kind { get; init; }
    /// <summary>The sheet whose table the chart plots; null: the sheet the chart is on.</summary>
    public ReportSheet? Source { get; init; }
    public string Title { get; init; } = "";
    public int CategoryColumn { get; init; }
    public IReadOnlyList<int> ValueColumns { get; init; } = new int[0];
    /// <summary>Series names (default: the value columns' headers).</summary>
    public IReadOnlyList<string>? SeriesNames { get; init; }
    public int FirstRow { get; init; }
    public int LastRow { get; init; }
    public string ValueAxisTitle { get; init; } = "";
    public string CategoryAxisTitle { get; init; } = "";
    /// <summary>Where the chart sits: top-left cell (0-based column, row) and size in cells.</summary>
    public int AnchorColumn { get; init; }
    public int AnchorRow { get; init; }
    public int WidthColumns { get; init; } = 10;
    public int HeightRows { get; init; } = 20;
}
