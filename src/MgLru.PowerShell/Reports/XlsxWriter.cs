using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.IO.Compression;
using System.Linq;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using A = DocumentFormat.OpenXml.Drawing;
using C = DocumentFormat.OpenXml.Drawing.Charts;
using Xdr = DocumentFormat.OpenXml.Drawing.Spreadsheet;

namespace MgLru.PowerShell.Reports;

/// <summary>
/// Writes report sheets to an .xlsx with DocumentFormat.OpenXml: styled numbers, a frozen header row,
/// column widths from the text (no System.Drawing), and native line and bar charts whose series carry
/// explicit colours (LibreOffice draws nothing without them) and cached values (so viewers need no
/// recalculation). Numbers are written with the invariant culture.
/// </summary>
internal static class XlsxWriter
{
    /// <summary>Series colours (the tab10 palette), in order.</summary>
    private static readonly string[] Palette = { "1F77B4", "FF7F0E", "2CA02C", "D62728", "9467BD", "8C564B", "E377C2", "7F7F7F", "BCBD22", "17BECF" };

    // Cell style indexes in the stylesheet below.
    private const uint StyleHeader = 1, StyleInteger = 2, StyleDecimal = 3, StylePercent = 4, StyleTitle = 5;

    /// <summary>
    /// The date every zip entry carries, so that the same report gives the same bytes (the packaging layer
    /// stamps entries with the current time).
    /// </summary>
    private static readonly DateTimeOffset EntryTime = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private const string WorkbookContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml";

    /// <summary>
    /// Writes the workbook. The same sheets give the same bytes: relationship ids are numbered here (the
    /// SDK draws random ones) and zip entries get a fixed date.
    /// </summary>
    public static void Write(Stream stream, IReadOnlyList<ReportSheet> sheets)
    {
        using var package = new MemoryStream();
        WritePackage(package, sheets);
        package.Position = 0;
        using var source = new ZipArchive(package, ZipArchiveMode.Read);
        using var target = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
        foreach (var entry in source.Entries)
        {
            var copy = target.CreateEntry(entry.FullName, CompressionLevel.Optimal);
            copy.LastWriteTime = EntryTime;
            using var from = entry.Open();
            using var to = copy.Open();
            from.CopyTo(to);
        }
    }

    private static string RelationshipId(int n) => "rId" + n.ToString(CultureInfo.InvariantCulture);

    private static void WritePackage(Stream stream, IReadOnlyList<ReportSheet> sheets)
    {
        using var doc = SpreadsheetDocument.Create(stream, SpreadsheetDocumentType.Workbook);
        var workbookPart = doc.AddNewPart<WorkbookPart>(WorkbookContentType, RelationshipId(1));
        workbookPart.Workbook = new Workbook();
        var styles = workbookPart.AddNewPart<WorkbookStylesPart>(RelationshipId(1));
        styles.Stylesheet = Stylesheet();
        var sheetList = workbookPart.Workbook.AppendChild(new Sheets());
        uint sheetId = 1;
        foreach (var sheet in sheets)
        {
            var part = workbookPart.AddNewPart<WorksheetPart>(RelationshipId((int)sheetId + 1));
            WriteSheet(part, sheet);
            sheetList.Append(new Sheet { Id = workbookPart.GetIdOfPart(part), SheetId = sheetId++, Name = sheet.Name });
        }
        workbookPart.Workbook.Save();
    }

    private static Stylesheet Stylesheet() => new(
        new NumberingFormats(
            new NumberingFormat { NumberFormatId = 164, FormatCode = "#,##0" },
            new NumberingFormat { NumberFormatId = 165, FormatCode = "#,##0.000" },
            new NumberingFormat { NumberFormatId = 166, FormatCode = "0.0%" }) { Count = 3 },
        new Fonts(
            new Font(new FontSize { Val = 11 }, new FontName { Val = "Calibri" }),
            new Font(new Bold(), new FontSize { Val = 11 }, new FontName { Val = "Calibri" }),
            new Font(new Bold(), new FontSize { Val = 14 }, new FontName { Val = "Calibri" })) { Count = 3 },
        new Fills(
            new Fill(new PatternFill { PatternType = PatternValues.None }),
            new Fill(new PatternFill { PatternType = PatternValues.Gray125 }),
            new Fill(new PatternFill(new ForegroundColor { Rgb = "FFDDEBF7" }) { PatternType = PatternValues.Solid })) { Count = 3 },
        new Borders(new Border(new LeftBorder(), new RightBorder(), new TopBorder(), new BottomBorder(), new DiagonalBorder())) { Count = 1 },
        new CellStyleFormats(new CellFormat { NumberFormatId = 0, FontId = 0, FillId = 0, BorderId = 0 }) { Count = 1 },
        new CellFormats(
            new CellFormat { NumberFormatId = 0, FontId = 0, FillId = 0, BorderId = 0, FormatId = 0 },
            new CellFormat { NumberFormatId = 0, FontId = 1, FillId = 2, BorderId = 0, FormatId = 0, ApplyFont = true, ApplyFill = true },
            new CellFormat { NumberFormatId = 164, FontId = 0, FillId = 0, BorderId = 0, FormatId = 0, ApplyNumberFormat = true },
            new CellFormat { NumberFormatId = 165, FontId = 0, FillId = 0, BorderId = 0, FormatId = 0, ApplyNumberFormat = true },
            new CellFormat { NumberFormatId = 166, FontId = 0, FillId = 0, BorderId = 0, FormatId = 0, ApplyNumberFormat = true },
            new CellFormat { NumberFormatId = 0, FontId = 2, FillId = 0, BorderId = 0, FormatId = 0, ApplyFont = true }) { Count = 6 },
        new CellStyles(new CellStyle { Name = "Normal", FormatId = 0, BuiltinId = 0 }) { Count = 1 });

    private static void WriteSheet(WorksheetPart part, ReportSheet sheet)
    {
        int header = sheet.HeaderRow;
        var views = new SheetViews(new SheetView(
            new Pane { VerticalSplit = header, TopLeftCell = "A" + (header + 1).ToString(CultureInfo.InvariantCulture), ActivePane = PaneValues.BottomLeft, State = PaneStateValues.Frozen },
            new Selection { Pane = PaneValues.BottomLeft }) { WorkbookViewId = 0 });
        var data = new SheetData();
        uint r = 1;
        foreach (var line in sheet.Preamble)
        {
            var row = new Row { RowIndex = r };
            if (line.Length > 0) row.Append(TextCell(1, r, line, r == 1 ? StyleTitle : 0));
            if (line.Length > 0 && r == 1) { row.CustomHeight = true; row.Height = 21; }
            data.Append(row);
            r++;
        }
        var headerRow = new Row { RowIndex = r };
        for (int c = 0; c < sheet.Headers.Count; c++) headerRow.Append(TextCell(c + 1, r, sheet.Headers[c], StyleHeader));
        data.Append(headerRow);
        r++;
        foreach (var values in sheet.Rows)
        {
            var row = new Row { RowIndex = r };
            for (int c = 0; c < values.Length; c++)
            {
                var cell = ValueCell(c + 1, r, values[c], sheet.Formats[c]);
                if (cell != null) row.Append(cell);
            }
            data.Append(row);
            r++;
        }
        // Printed (and rendered by LibreOffice) landscape, one page wide.
        var worksheet = new Worksheet(new SheetProperties(new PageSetupProperties { FitToPage = true }), views, Columns(sheet), data,
            new PageMargins { Left = 0.5, Right = 0.5, Top = 0.6, Bottom = 0.6, Header = 0.3, Footer = 0.3 },
            new PageSetup { Orientation = OrientationValues.Landscape, FitToWidth = 1, FitToHeight = 0 });
        part.Worksheet = worksheet;
        if (sheet.Charts.Count > 0) AddCharts(part, sheet);
        part.Worksheet.Save();
    }

    /// <summary>Widths from the longest text of each column (about one unit a character), within limits.</summary>
    private static Columns Columns(ReportSheet sheet)
    {
        var cols = new Columns();
        for (int c = 0; c < sheet.Headers.Count; c++)
        {
            int longest = sheet.Headers[c].Length;
            foreach (var row in sheet.Rows)
                if (c < row.Length) longest = Math.Max(longest, Display(row[c], sheet.Formats[c]).Length);
            double width = Math.Min(60, Math.Max(8, longest + 2));
            cols.Append(new Column { Min = (uint)(c + 1), Max = (uint)(c + 1), Width = width, CustomWidth = true });
        }
        return cols;
    }

    private static string Display(object? value, NumberStyle format) => value switch
    {
        null => "",
        string s => s,
        bool b => b ? "TRUE" : "FALSE",
        _ => format switch
        {
            NumberStyle.Integer => Convert.ToDouble(value, CultureInfo.InvariantCulture).ToString("#,##0", CultureInfo.InvariantCulture),
            NumberStyle.Decimal => Convert.ToDouble(value, CultureInfo.InvariantCulture).ToString("#,##0.000", CultureInfo.InvariantCulture),
            NumberStyle.Percent => "100.0%",
            _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
        },
    };

    public static string Reference(int column, uint row) => ColumnName(column) + row.ToString(CultureInfo.InvariantCulture);

    /// <summary>1 → A, 27 → AA.</summary>
    public static string ColumnName(int column)
    {
        string name = "";
        for (int c = column; c > 0; c = (c - 1) / 26) name = (char)('A' + (c - 1) % 26) + name;
        return name;
    }

    private static Cell TextCell(int column, uint row, string text, uint style)
        => new(new InlineString(new Text(text) { Space = SpaceProcessingModeValues.Preserve })) { CellReference = Reference(column, row), DataType = CellValues.InlineString, StyleIndex = style };

    private static Cell? ValueCell(int column, uint row, object? value, NumberStyle format)
    {
        switch (value)
        {
            case null:
                return null;
            case string s:
                return TextCell(column, row, s, 0);
            case bool b:
                return new Cell(new CellValue(b ? "1" : "0")) { CellReference = Reference(column, row), DataType = CellValues.Boolean };
            default:
                double d = Convert.ToDouble(value, CultureInfo.InvariantCulture);
                if (double.IsNaN(d) || double.IsInfinity(d)) return TextCell(column, row, "n/a", 0);
                uint style = format switch { NumberStyle.Integer => StyleInteger, NumberStyle.Decimal => StyleDecimal, NumberStyle.Percent => StylePercent, _ => 0 };
                return new Cell(new CellValue(d.ToString("R", CultureInfo.InvariantCulture))) { CellReference = Reference(column, row), StyleIndex = style };
        }
    }

    private static void AddCharts(WorksheetPart part, ReportSheet sheet)
    {
        var drawings = part.AddNewPart<DrawingsPart>(RelationshipId(1));
        drawings.WorksheetDrawing = new Xdr.WorksheetDrawing();
        uint id = 2;
        foreach (var chart in sheet.Charts)
        {
            var chartPart = drawings.AddNewPart<ChartPart>(RelationshipId((int)id - 1));
            chartPart.ChartSpace = ChartSpace(chart.Source ?? sheet, chart);
            chartPart.ChartSpace.Save();
            drawings.WorksheetDrawing.Append(new Xdr.TwoCellAnchor(
                new Xdr.FromMarker(new Xdr.ColumnId(chart.AnchorColumn.ToString(CultureInfo.InvariantCulture)), new Xdr.ColumnOffset("0"), new Xdr.RowId(chart.AnchorRow.ToString(CultureInfo.InvariantCulture)), new Xdr.RowOffset("0")),
                new Xdr.ToMarker(new Xdr.ColumnId((chart.AnchorColumn + chart.WidthColumns).ToString(CultureInfo.InvariantCulture)), new Xdr.ColumnOffset("0"), new Xdr.RowId((chart.AnchorRow + chart.HeightRows).ToString(CultureInfo.InvariantCulture)), new Xdr.RowOffset("0")),
                new Xdr.GraphicFrame(
                    new Xdr.NonVisualGraphicFrameProperties(new Xdr.NonVisualDrawingProperties { Id = id, Name = "Chart " + (id - 1).ToString(CultureInfo.InvariantCulture) }, new Xdr.NonVisualGraphicFrameDrawingProperties()),
                    new Xdr.Transform(new A.Offset { X = 0, Y = 0 }, new A.Extents { Cx = 0, Cy = 0 }),
                    new A.Graphic(new A.GraphicData(new C.ChartReference { Id = drawings.GetIdOfPart(chartPart) }) { Uri = "http://schemas.openxmlformats.org/drawingml/2006/chart" })) { Macro = "" },
                new Xdr.ClientData()));
            id++;
        }
        drawings.WorksheetDrawing.Save();
        part.Worksheet.Append(new Drawing { Id = part.GetIdOfPart(drawings) });
    }

    private static string Range(ReportSheet sheet, int column, int firstRow, int lastRow)
    {
        uint first = (uint)(sheet.HeaderRow + 1 + firstRow), last = (uint)(sheet.HeaderRow + lastRow);
        string col = ColumnName(column + 1);
        return $"'{sheet.Name.Replace("'", "''")}'!${col}${first.ToString(CultureInfo.InvariantCulture)}:${col}${last.ToString(CultureInfo.InvariantCulture)}";
    }

    private static C.ChartSpace ChartSpace(ReportSheet sheet, ReportChart chart)
    {
        const uint categoryAxisId = 500000001, valueAxisId = 500000002;
        int n = chart.LastRow - chart.FirstRow;
        OpenXmlCompositeElement plot;
        if (chart.Kind == ChartKind.Line)
            plot = new C.LineChart(new C.Grouping { Val = C.GroupingValues.Standard }, new C.VaryColors { Val = false });
        else
            plot = new C.BarChart(new C.BarDirection { Val = C.BarDirectionValues.Column }, new C.BarGrouping { Val = C.BarGroupingValues.Clustered }, new C.VaryColors { Val = false });
        for (int s = 0; s < chart.ValueColumns.Count; s++)
        {
            int col = chart.ValueColumns[s];
            string name = chart.SeriesNames?[s] ?? sheet.Headers[col];
            string color = Palette[s % Palette.Length];
            var series = chart.Kind == ChartKind.Line ? (OpenXmlCompositeElement)new C.LineChartSeries() : new C.BarChartSeries();
            series.Append(new C.Index { Val = (uint)s }, new C.Order { Val = (uint)s },
                new C.SeriesText(new C.NumericValue(name)));
            if (chart.Kind == ChartKind.Line)
            {
                series.Append(new C.ChartShapeProperties(new A.Outline(new A.SolidFill(new A.RgbColorModelHex { Val = color })) { Width = 25400 }));
                series.Append(new C.Marker(new C.Symbol { Val = C.MarkerStyleValues.None }));
            }
            else
            {
                series.Append(new C.ChartShapeProperties(new A.SolidFill(new A.RgbColorModelHex { Val = color })));
                series.Append(new C.InvertIfNegative { Val = false });
            }
            series.Append(Categories(sheet, chart, n));
            series.Append(new C.Values(Numbers(sheet, col, chart.FirstRow, chart.LastRow)));
            if (chart.Kind == ChartKind.Line) series.Append(new C.Smooth { Val = false });
            plot.Append(series);
        }
        if (chart.Kind == ChartKind.Bar) plot.Append(new C.GapWidth { Val = 80 });
        if (chart.Kind == ChartKind.Line) plot.Append(new C.ShowMarker { Val = false });
        plot.Append(new C.AxisId { Val = categoryAxisId }, new C.AxisId { Val = valueAxisId });
        var categoryAxis = new C.CategoryAxis(
            new C.AxisId { Val = categoryAxisId },
            new C.Scaling(new C.Orientation { Val = C.OrientationValues.MinMax }),
            new C.Delete { Val = false },
            new C.AxisPosition { Val = C.AxisPositionValues.Bottom },
            AxisTitle(chart.CategoryAxisTitle),
            new C.NumberingFormat { FormatCode = "General", SourceLinked = true },
            new C.MajorTickMark { Val = C.TickMarkValues.Outside },
            new C.MinorTickMark { Val = C.TickMarkValues.None },
            new C.TickLabelPosition { Val = C.TickLabelPositionValues.NextTo },
            new C.CrossingAxis { Val = valueAxisId },
            new C.Crosses { Val = C.CrossesValues.AutoZero },
            new C.AutoLabeled { Val = true },
            new C.LabelAlignment { Val = C.LabelAlignmentValues.Center },
            new C.LabelOffset { Val = 100 },
            new C.NoMultiLevelLabels { Val = false });
        var valueAxis = new C.ValueAxis(
            new C.AxisId { Val = valueAxisId },
            new C.Scaling(new C.Orientation { Val = C.OrientationValues.MinMax }),
            new C.Delete { Val = false },
            new C.AxisPosition { Val = C.AxisPositionValues.Left },
            new C.MajorGridlines(),
            AxisTitle(chart.ValueAxisTitle),
            new C.NumberingFormat { FormatCode = "General", SourceLinked = true },
            new C.MajorTickMark { Val = C.TickMarkValues.Outside },
            new C.MinorTickMark { Val = C.TickMarkValues.None },
            new C.TickLabelPosition { Val = C.TickLabelPositionValues.NextTo },
            new C.CrossingAxis { Val = categoryAxisId },
            new C.Crosses { Val = C.CrossesValues.AutoZero },
            new C.CrossBetween { Val = chart.Kind == ChartKind.Bar ? C.CrossBetweenValues.Between : C.CrossBetweenValues.MidpointCategory });
        var chartElement = new C.Chart(
            Title(chart.Title),
            new C.AutoTitleDeleted { Val = false },
            new C.PlotArea(new C.Layout(), plot, categoryAxis, valueAxis),
            new C.Legend(new C.LegendPosition { Val = C.LegendPositionValues.Bottom }, new C.Overlay { Val = false }),
            new C.PlotVisibleOnly { Val = true },
            new C.DisplayBlanksAs { Val = C.DisplayBlanksAsValues.Gap });
        return new C.ChartSpace(new C.RoundedCorners { Val = false }, chartElement);
    }

    private static OpenXmlElement Categories(ReportSheet sheet, ReportChart chart, int n)
    {
        int col = chart.CategoryColumn;
        bool numeric = chart.Rows(sheet).All(r => r[col] is not string);
        if (numeric) return new C.CategoryAxisData(Numbers(sheet, col, chart.FirstRow, chart.LastRow));
        var cache = new C.StringCache(new C.PointCount { Val = (uint)n });
        for (int i = 0; i < n; i++)
            cache.Append(new C.StringPoint(new C.NumericValue(Convert.ToString(sheet.Rows[chart.FirstRow + i][col], CultureInfo.InvariantCulture) ?? "")) { Index = (uint)i });
        return new C.CategoryAxisData(new C.StringReference(new C.Formula(Range(sheet, col, chart.FirstRow, chart.LastRow)), cache));
    }

    private static C.NumberReference Numbers(ReportSheet sheet, int col, int first, int last)
    {
        var cache = new C.NumberingCache(new C.FormatCode("General"), new C.PointCount { Val = (uint)(last - first) });
        for (int i = first; i < last; i++)
        {
            double d = Convert.ToDouble(sheet.Rows[i][col] ?? 0.0, CultureInfo.InvariantCulture);
            if (double.IsNaN(d) || double.IsInfinity(d)) continue;
            cache.Append(new C.NumericPoint(new C.NumericValue(d.ToString("R", CultureInfo.InvariantCulture))) { Index = (uint)(i - first) });
        }
        return new C.NumberReference(new C.Formula(Range(sheet, col, first, last)), cache);
    }

    private static IEnumerable<object?[]> Rows(this ReportChart chart, ReportSheet sheet)
    {
        for (int i = chart.FirstRow; i < chart.LastRow; i++) yield return sheet.Rows[i];
    }

    private static C.Title Title(string text) => Title(text, 1200, bold: true);

    private static C.Title AxisTitle(string text) => Title(text, 1000, bold: false);

    private static C.Title Title(string text, int size, bool bold) => new(
        new C.ChartText(new C.RichText(new A.BodyProperties(), new A.ListStyle(), new A.Paragraph(new A.Run(new A.RunProperties { Language = "en-US", FontSize = size, Bold = bold }, new A.Text(text))))),
        new C.Overlay { Val = false });
}
