using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Management.Automation;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using DocumentFormat.OpenXml.Validation;
using MgLru.Engine.Stats;
using Xunit;
using C = DocumentFormat.OpenXml.Drawing.Charts;

namespace MgLru.PowerShell.Tests;

/// <summary>Export-MgLruReport: a valid workbook, charts over the right ranges, values that read back as the run's.</summary>
public sealed class ReportTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mglru-report-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string File(string name) => Path.Combine(_dir, name);

    private static WorksheetPart Sheet(SpreadsheetDocument doc, string name)
    {
        var wb = doc.WorkbookPart!;
        var sheet = wb.Workbook.Sheets!.Elements<Sheet>().Single(s => s.Name == name);
        return (WorksheetPart)wb.GetPartById(sheet.Id!);
    }

    private static string? CellText(WorksheetPart part, string reference)
    {
        var cell = part.Worksheet.Descendants<Cell>().SingleOrDefault(c => c.CellReference == reference);
        if (cell == null) return null;
        return cell.DataType?.Value == CellValues.InlineString ? cell.InlineString!.InnerText : cell.CellValue?.Text;
    }

    [Fact]
    public void A_tiered_simulation_and_a_sweep_make_a_valid_workbook_whose_numbers_are_the_runs()
    {
        string path = File("report.xlsx");
        var (output, shell) = Ps.Run(
            "$sim = New-MemCgroup -Name app | Add-Task -Name app -Workload HotCold -Rss 48MB -Accesses 200000 | " +
            "Start-ReclaimSimulation -Node (New-NumaNode 0 Dram 16MB), (New-NumaNode 1 Pmem 64MB) -Demotion -Promotion NumaBalancing -PromotionScanPeriodMs 10 -HotThresholdMs 10 -TimelineIntervalMs 10; " +
            "$null = $sim | Step-ReclaimSimulation; $sim | Get-ReclaimTimeline -Node 0; $sim | Get-LruGenAging; " +
            $"$sim | Export-MgLruReport '{path}' -Title 'tiers'");
        Assert.False(shell.HadErrors, string.Join("\n", shell.Streams.Error));
        var timeline = output.Select(o => o.BaseObject).OfType<TimelineRow>().ToList();
        var agings = output.Select(o => o.BaseObject).OfType<AgingRow>().ToList();
        Assert.NotEmpty(agings);

        using var doc = SpreadsheetDocument.Open(path, false);
        var errors = new OpenXmlValidator().Validate(doc).ToList();
        Assert.True(errors.Count == 0, string.Join("\n", errors.Select(e => $"{e.Part?.Uri} {e.Path?.XPath}: {e.Description}")));
        var names = doc.WorkbookPart!.Workbook.Sheets!.Elements<Sheet>().Select(s => s.Name!.Value).ToArray();
        Assert.Equal(new[] { "Summary", "Cgroups", "Nodes", "Counters", "Timeline", "Generations", "Agings" }, names);
        // The summary repeats the timeline chart over the Timeline sheet's rows.
        var summaryChart = Sheet(doc, "Summary").DrawingsPart!.ChartParts.Single().ChartSpace;
        Assert.StartsWith("'Timeline'!$F$3:", summaryChart.Descendants<C.LineChartSeries>().First().GetFirstChild<C.Values>()!.Descendants<C.Formula>().Single().Text);

        // The timeline sheet: a note, the header on row 2, frozen; one row per interval; machine-wide refaults
        // in column D, node 0's share in F, its pages in G, its youngest generation in K.
        var sheet = Sheet(doc, "Timeline");
        Assert.Equal("Refaults", CellText(sheet, "D2"));
        Assert.Equal("Node0_AccessShare", CellText(sheet, "F2"));
        Assert.Equal("Node1_AccessShare", CellText(sheet, "O2"));
        var pane = sheet.Worksheet.Descendants<Pane>().Single();
        Assert.Equal(PaneStateValues.Frozen, pane.State!.Value);
        Assert.Equal("A3", pane.TopLeftCell!.Value);
        for (int i = 0; i < timeline.Count; i++)
        {
            string row = (i + 3).ToString(CultureInfo.InvariantCulture);
            Assert.Equal(timeline[i].Refaults, long.Parse(CellText(sheet, "D" + row)!, CultureInfo.InvariantCulture));
            Assert.Equal(timeline[i].AccessShare, double.Parse(CellText(sheet, "F" + row)!, CultureInfo.InvariantCulture));
            Assert.Equal(timeline[i].ResidentPages, long.Parse(CellText(sheet, "G" + row)!, CultureInfo.InvariantCulture));
            Assert.Equal(timeline[i].PagesMaxSeq, long.Parse(CellText(sheet, "K" + row)!, CultureInfo.InvariantCulture));
        }
        // Its chart: a line per node over exactly those rows, with explicit colours and cached values.
        var chart = sheet.DrawingsPart!.ChartParts.Single().ChartSpace;
        var series = chart.Descendants<C.LineChartSeries>().ToList();
        Assert.Equal(2, series.Count);
        string last = (timeline.Count + 2).ToString(CultureInfo.InvariantCulture);
        Assert.Equal($"'Timeline'!$F$3:$F${last}", series[0].GetFirstChild<C.Values>()!.Descendants<C.Formula>().Single().Text);
        Assert.Equal($"'Timeline'!$O$3:$O${last}", series[1].GetFirstChild<C.Values>()!.Descendants<C.Formula>().Single().Text);
        Assert.Equal($"'Timeline'!$C$3:$C${last}", series[0].GetFirstChild<C.CategoryAxisData>()!.Descendants<C.Formula>().Single().Text);
        Assert.All(series, s => Assert.NotNull(s.Descendants<DocumentFormat.OpenXml.Drawing.RgbColorModelHex>().FirstOrDefault()));
        var cached = series[0].GetFirstChild<C.Values>()!.Descendants<C.NumericPoint>().Select(p => double.Parse(p.NumericValue!.Text, CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(timeline.Select(t => t.AccessShare), cached);

        // The agings sheet: Get-LruGenAging's rows (max_seq in D, trigger in H, young PTEs in O), charted
        // against their time (E) with what each left in max_seq - 2 (T).
        var agingSheet = Sheet(doc, "Agings");
        Assert.Equal("YoungPtes", CellText(agingSheet, "O2"));
        for (int i = 0; i < agings.Count; i++)
        {
            string row = (i + 3).ToString(CultureInfo.InvariantCulture);
            Assert.Equal(agings[i].MaxSeq, long.Parse(CellText(agingSheet, "D" + row)!, CultureInfo.InvariantCulture));
            Assert.Equal(agings[i].Trigger.ToString(), CellText(agingSheet, "H" + row));
            Assert.Equal(agings[i].YoungPtes, long.Parse(CellText(agingSheet, "O" + row)!, CultureInfo.InvariantCulture));
        }
        Assert.Null(CellText(agingSheet, "A" + (agings.Count + 3).ToString(CultureInfo.InvariantCulture)));
        string lastAging = (agings.Count + 2).ToString(CultureInfo.InvariantCulture);
        var agingSeries = agingSheet.DrawingsPart!.ChartParts.Single().ChartSpace.Descendants<C.LineChartSeries>().ToList();
        Assert.Equal(new[] { $"'Agings'!$O$3:$O${lastAging}", $"'Agings'!$T$3:$T${lastAging}" },
            agingSeries.Select(s => s.GetFirstChild<C.Values>()!.Descendants<C.Formula>().Single().Text));
        Assert.Equal($"'Agings'!$E$3:$E${lastAging}", agingSeries[0].GetFirstChild<C.CategoryAxisData>()!.Descendants<C.Formula>().Single().Text);
    }

    [Fact]
    public void The_same_runs_give_the_same_workbook_bytes()
    {
        // Written at different times from the same rows: relationship ids and zip entry dates must not
        // depend on the moment or a random draw, so a report can be diffed and checked in.
        string a = File("a.xlsx"), b = File("b.xlsx");
        var (_, shell) = Ps.Run("$rows = New-MemCgroup -Name web -Limit 4MB | Add-Task -Name kv -Rss 8MB -Accesses 20000 | Invoke-Reclaim -Policy Mglru, Classic -Swap 64MB; " +
            $"$rows | Export-MgLruReport '{a}'; [System.Threading.Thread]::Sleep(2100); $rows | Export-MgLruReport '{b}'");
        Assert.False(shell.HadErrors, string.Join("\n", shell.Streams.Error));
        Assert.Equal(System.IO.File.ReadAllBytes(a), System.IO.File.ReadAllBytes(b));
        using var doc = SpreadsheetDocument.Open(a, false);
        Assert.Empty(new OpenXmlValidator().Validate(doc));
        Assert.Equal("rId1", doc.GetIdOfPart(doc.WorkbookPart!));
        // The zip layer's dates are fixed too (the packaging layer stamps the current time).
        using var zip = new System.IO.Compression.ZipArchive(System.IO.File.OpenRead(a));
        Assert.All(zip.Entries, e => Assert.Equal(2000, e.LastWriteTime.Year));
    }

    [Fact]
    public void A_sweep_gets_a_comparison_bar_chart_and_the_differences()
    {
        string path = File("sweep.xlsx");
        var (output, shell) = Ps.Run("$rows = New-MemCgroup -Name web -Limit 4MB | Add-Task -Name kv -Rss 8MB -Accesses 20000 | Invoke-Reclaim -Policy Mglru, Classic -Swap 64MB; " +
            $"$rows; $rows | Export-MgLruReport '{path}'");
        Assert.False(shell.HadErrors, string.Join("\n", shell.Streams.Error));
        var rows = output.Select(o => (ReclaimResult)o.BaseObject).ToArray();
        using var doc = SpreadsheetDocument.Open(path, false);
        Assert.Empty(new OpenXmlValidator().Validate(doc));
        var names = doc.WorkbookPart!.Workbook.Sheets!.Elements<Sheet>().Select(s => s.Name!.Value).ToArray();
        Assert.Equal(new[] { "Summary", "Cgroups", "Comparison", "Differences" }, names);
        var comparison = Sheet(doc, "Comparison");
        Assert.Equal("Mglru", CellText(comparison, "A2"));
        Assert.Equal("Classic", CellText(comparison, "A3"));
        Assert.Equal(rows[1].PgMajFault.ToString(CultureInfo.InvariantCulture), CellText(comparison, "B3"));
        var bar = comparison.DrawingsPart!.ChartParts.Single().ChartSpace.Descendants<C.BarChartSeries>().ToList();
        Assert.Equal(3, bar.Count);
        Assert.Equal("'Comparison'!$B$2:$B$3", bar[0].GetFirstChild<C.Values>()!.Descendants<C.Formula>().Single().Text);
        Assert.Equal("'Comparison'!$A$2:$A$3", bar[0].GetFirstChild<C.CategoryAxisData>()!.Descendants<C.Formula>().Single().Text);
        // The summary's title row, then its table; the memcg rows carry the runs' numbers.
        var summary = Sheet(doc, "Summary");
        Assert.Equal("MgLru report", CellText(summary, "A1"));
        Assert.Equal("Run", CellText(summary, "A4"));
        Assert.Equal("PgMajFault", CellText(summary, "J4"));
        Assert.Equal(rows[0].PgMajFault.ToString(CultureInfo.InvariantCulture), CellText(summary, "J5"));
        var differences = Sheet(doc, "Differences");
        Assert.Equal("PgFault", CellText(differences, "A3"));
        Assert.Equal("Classic", CellText(differences, "D3"));
    }

    [Fact]
    public void LibreOffice_renders_the_workbook_where_it_is_installed()
    {
        // CI machines have no LibreOffice; where soffice is on the PATH the report must open and print.
        string? soffice = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(d => Path.Combine(d, "soffice")).FirstOrDefault(System.IO.File.Exists);
        if (soffice == null) return;
        string path = File("lo.xlsx");
        var (_, shell) = Ps.Run("$rows = New-MemCgroup -Name web -Limit 4MB | Add-Task -Name kv -Rss 8MB -Accesses 20000 | Invoke-Reclaim -Policy Mglru, Classic -Swap 64MB; " +
            $"$rows | Export-MgLruReport '{path}'");
        Assert.False(shell.HadErrors, string.Join("\n", shell.Streams.Error));
        var start = new System.Diagnostics.ProcessStartInfo(soffice, $"--headless --convert-to pdf --outdir \"{_dir}\" \"{path}\"") { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = System.Diagnostics.Process.Start(start)!;
        Assert.True(process.WaitForExit(120_000), "soffice did not finish within two minutes");
        var pdf = new FileInfo(File("lo.pdf"));
        Assert.True(pdf.Exists && pdf.Length > 10_000, $"no PDF: {process.StandardError.ReadToEnd()}");
    }

    [Fact]
    public void WhatIf_and_an_existing_file_write_nothing()
    {
        string path = File("r.xlsx");
        var (_, shell) = Ps.Run($"New-MemCgroup -Name web | Add-Task -Name kv -Rss 1MB -Accesses 0 | Invoke-Reclaim | Export-MgLruReport '{path}' -WhatIf");
        Assert.False(shell.HadErrors);
        Assert.False(System.IO.File.Exists(path));
        System.IO.File.WriteAllText(path, "mine");
        (_, shell) = Ps.Run($"New-MemCgroup -Name web | Add-Task -Name kv -Rss 1MB -Accesses 0 | Invoke-Reclaim | Export-MgLruReport '{path}'");
        Assert.Equal("FileExists,MgLru.PowerShell.Commands.ExportMgLruReportCommand", Assert.Single(shell.Streams.Error).FullyQualifiedErrorId);
        Assert.Equal("mine", System.IO.File.ReadAllText(path));
        Assert.Single(Directory.GetFiles(_dir));
        // A folder is not a file to write (it used to fail as "the file exists" after running everything).
        (_, shell) = Ps.Run($"New-MemCgroup -Name web | Add-Task -Name kv -Rss 1MB -Accesses 0 | Invoke-Reclaim | Export-MgLruReport '{_dir}' -Force");
        var error = Assert.Single(shell.Streams.Error);
        Assert.Equal("PathIsFolder,MgLru.PowerShell.Commands.ExportMgLruReportCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        // -Force replaces an existing report in one step.
        (_, shell) = Ps.Run($"New-MemCgroup -Name web | Add-Task -Name kv -Rss 1MB -Accesses 0 | Invoke-Reclaim | Export-MgLruReport '{path}' -Force");
        Assert.False(shell.HadErrors, string.Join("\n", shell.Streams.Error));
        using (var doc = SpreadsheetDocument.Open(path, false)) Assert.NotNull(doc.WorkbookPart);
        Assert.Single(Directory.GetFiles(_dir));
    }
}
