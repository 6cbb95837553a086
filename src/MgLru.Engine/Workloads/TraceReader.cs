using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;

namespace MgLru.Engine.Workloads;

/// <summary>Formats Import-AccessTrace reads.</summary>
public enum TraceFormat
{
    /// <summary>One object id per line, as C's strtoull with base 0 reads it (0x hex, leading-0 octal); empty lines skipped.</summary>
    Txt,
    /// <summary>Delimited text with an id column (1-based), optionally time and size columns; delimiter and header detected when not given.</summary>
    Csv,
    /// <summary>libCacheSim oracleGeneral: packed little-endian 24-byte records {u32 time, u64 id, u32 size, i64 next}; size-0 records skipped.</summary>
    OracleGeneral,
    /// <summary>Raw little-endian uint32 page indexes, one access each (the kernel lab's traces).</summary>
    U32,
}

/// <summary>How to read a trace.</summary>
public sealed class TraceReadOptions
{
    public int IdColumn { get; init; } = 2;
    public int? TimeColumn { get; init; }
    public int? SizeColumn { get; init; }
    /// <summary>Null: detected from the first line (',', tab, ';' or space).</summary>
    public char? Delimiter { get; init; }
    /// <summary>Null: a header is detected when the first line's id field is not a number.</summary>
    public bool? HasHeader { get; init; }
    /// <summary>Pages each object occupies; a request touches all of them.</summary>
    public int PagesPerObject { get; init; } = 1;
}

/// <summary>A malformed trace: names the file, the line or record, and what was expected.</summary>
public sealed class TraceFormatException : FormatException
{
    public TraceFormatException(string path, string where, string message)
        : base($"{path}: {where}: {message}")
    {
        Path = path;
        Where = where;
    }

    public string Path { get; }
    public string Where { get; }
}

/// <summary>A loaded trace: the page each access touches, with objects numbered densely in order of first appearance.</summary>
public sealed class AccessTraceData
{
    public AccessTraceData(string path, TraceFormat format, uint[] pages, long requests, long objects, int pagesPerObject)
    {
        Path = path;
        Format = format;
        Pages = pages;
        Requests = requests;
        Objects = objects;
        PagesPerObject = pagesPerObject;
    }

    public string Path { get; }
    public TraceFormat Format { get; }
    /// <summary>Page index of every access (a request of an object of several pages is several accesses).</summary>
    public uint[] Pages { get; }
    public long Requests { get; }
    public long Objects { get; }
    public int PagesPerObject { get; }
    /// <summary>Pages the trace spans (its task's size).</summary>
    public long FootprintPages => Objects * PagesPerObject;
}

/// <summary>Readers for the trace formats (libCacheSim's txt, csv and oracleGeneral, and raw uint32 page indexes).</summary>
public static class TraceReader
{
    public static AccessTraceData Read(string path, TraceFormat format, TraceReadOptions? options = null)
    {
        using var stream = File.OpenRead(path);
        return Read(stream, path, format, options);
    }

    /// <summary>
    /// Reads a trace from <paramref name="stream"/> (read forward only, so a decompressing stream works);
    /// <paramref name="name"/> names it in errors and in the result.
    /// </summary>
    public static AccessTraceData Read(Stream stream, string name, TraceFormat format, TraceReadOptions? options = null)
    {
        if (stream == null) throw new ArgumentNullException(nameof(stream));
        string path = name;
        options ??= new TraceReadOptions();
        if (options.PagesPerObject < 1) throw new ArgumentOutOfRangeException(nameof(options), options.PagesPerObject, "Pages per object must be at least 1.");
        var ids = new DenseIds(path, options.PagesPerObject);
        switch (format)
        {
            case TraceFormat.Txt: ReadTxt(stream, path, ids); break;
            case TraceFormat.Csv: ReadCsv(stream, path, options, ids); break;
            case TraceFormat.OracleGeneral: ReadOracleGeneral(stream, path, ids); break;
            case TraceFormat.U32: return ReadU32(stream, path);
            default: throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown trace format.");
        }
        return new AccessTraceData(path, format, ids.ToPages(), ids.Requests, ids.Objects, options.PagesPerObject);
    }

    /// <summary>
    /// Object ids as they are read, numbered densely in order of first appearance and kept as 4-byte
    /// numbers in fixed-size chunks (no doubling copies): a trace costs about 8 bytes a request at its peak
    /// (the chunks and the final array), not the 20 or more of a growing list of 8-byte ids.
    /// </summary>
    private sealed class DenseIds
    {
        private const int ChunkShift = 20;
        private const int ChunkSize = 1 << ChunkShift;
        private readonly string _path;
        private readonly int _pagesPerObject;
        private readonly Dictionary<ulong, uint> _dense = new();
        private readonly List<uint[]> _chunks = new();
        private uint[] _chunk = Array.Empty<uint>();
        private int _used;

        public DenseIds(string path, int pagesPerObject)
        {
            _path = path;
            _pagesPerObject = pagesPerObject;
        }

        public long Requests { get; private set; }
        public long Objects => _dense.Count;

        public void Add(ulong id)
        {
            if ((Requests + 1) * _pagesPerObject > int.MaxValue)
                throw new TraceFormatException(_path, "whole file", "more accesses than one trace can hold (2^31)");
            if (!_dense.TryGetValue(id, out uint obj))
            {
                obj = (uint)_dense.Count;
                _dense.Add(id, obj);
            }
            if (_used == _chunk.Length)
            {
                _chunk = new uint[ChunkSize];
                _chunks.Add(_chunk);
                _used = 0;
            }
            _chunk[_used++] = obj;
            Requests++;
        }

        /// <summary>The page of every access: each request touches its object's pages in order.</summary>
        public uint[] ToPages()
        {
            int ppo = _pagesPerObject;
            var pages = new uint[Requests * ppo];
            long k = 0;
            for (int c = 0; c < _chunks.Count; c++)
            {
                var chunk = _chunks[c];
                int n = c == _chunks.Count - 1 ? _used : chunk.Length;
                if (ppo == 1)
                {
                    Array.Copy(chunk, 0, pages, k, n);
                    k += n;
                }
                else
                {
                    for (int i = 0; i < n; i++)
                        for (int p = 0; p < ppo; p++) pages[k++] = chunk[i] * (uint)ppo + (uint)p;
                }
                _chunks[c] = null!; // each chunk can go once copied
            }
            return pages;
        }
    }

    /// <summary>strtoull(s, NULL, 0): 0x/0X hex, a leading 0 octal, else decimal; the whole field must be a number.</summary>
    public static bool TryParseCUnsigned(string s, out ulong value)
    {
        value = 0;
        s = s.Trim();
        if (s.StartsWith("+", StringComparison.Ordinal)) s = s.Substring(1);
        if (s.Length == 0) return false;
        int radix = 10, start = 0;
        if (s.Length > 1 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) { radix = 16; start = 2; }
        else if (s.Length > 1 && s[0] == '0') { radix = 8; start = 1; }
        if (start >= s.Length) return false;
        for (int i = start; i < s.Length; i++)
        {
            int d = Digit(s[i]);
            if (d < 0 || d >= radix) return false;
            if (value > (ulong.MaxValue - (ulong)d) / (ulong)radix) return false; // overflow
            value = value * (ulong)radix + (ulong)d;
        }
        return true;
    }

    private static int Digit(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };

    private static void ReadTxt(Stream stream, string path, DenseIds ids)
    {
        using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16, leaveOpen: true);
        int line = 0;
        string? text;
        while ((text = reader.ReadLine()) != null)
        {
            line++;
            if (text.Trim().Length == 0) continue;
            if (!TryParseCUnsigned(text, out ulong id))
                throw new TraceFormatException(path, $"line {line}", $"expected an object id (decimal, 0x hex or 0 octal), found '{Clip(text)}'");
            ids.Add(id);
        }
    }

    private static void ReadCsv(Stream stream, string path, TraceReadOptions o, DenseIds ids)
    {
        if (o.IdColumn < 1) throw new TraceFormatException(path, "options", "the id column is 1-based");
        using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16, leaveOpen: true);
        int line = 0;
        string? text;
        char? delimiter = o.Delimiter;
        bool? header = o.HasHeader;
        while ((text = reader.ReadLine()) != null)
        {
            line++;
            if (text.Trim().Length == 0) continue;
            delimiter ??= DetectDelimiter(text);
            var fields = text.Split(delimiter.Value);
            if (header == null)
            {
                header = fields.Length < o.IdColumn || !TryParseCUnsigned(fields[o.IdColumn - 1], out _);
                if (header.Value) continue;
            }
            else if (header.Value && line == 1) continue;
            if (fields.Length < o.IdColumn)
                throw new TraceFormatException(path, $"line {line}", $"expected at least {o.IdColumn} '{Show(delimiter.Value)}'-separated fields (the id column), found {fields.Length}");
            if (!TryParseCUnsigned(fields[o.IdColumn - 1], out ulong id))
                throw new TraceFormatException(path, $"line {line}", $"expected an object id in column {o.IdColumn}, found '{Clip(fields[o.IdColumn - 1])}'");
            foreach (var (col, name) in new[] { (o.TimeColumn, "time"), (o.SizeColumn, "size") })
            {
                if (col is not int c) continue;
                if (c < 1 || fields.Length < c || !double.TryParse(fields[c - 1], NumberStyles.Float, CultureInfo.InvariantCulture, out _))
                    throw new TraceFormatException(path, $"line {line}", $"expected a number in the {name} column {c}");
            }
            ids.Add(id);
        }
    }

    private static char DetectDelimiter(string firstLine)
    {
        foreach (char c in new[] { ',', '\t', ';', ' ' })
            if (firstLine.IndexOf(c) >= 0) return c;
        return ',';
    }

    private static void ReadOracleGeneral(Stream stream, string path, DenseIds ids)
    {
        var record = new byte[24];
        long n = 0;
        while (true)
        {
            int read = 0;
            while (read < 24)
            {
                int got = stream.Read(record, read, 24 - read);
                if (got == 0) break;
                read += got;
            }
            if (read == 0) break;
            n++;
            if (read < 24) throw new TraceFormatException(path, $"record {n}", $"truncated: {read} of 24 bytes");
            ulong id = BitConverter.ToUInt64(record, 4);
            uint size = BitConverter.ToUInt32(record, 12);
            if (!BitConverter.IsLittleEndian)
            {
                id = Reverse(id);
                size = (uint)(Reverse(size) >> 32);
            }
            if (size == 0) continue;
            ids.Add(id);
        }
    }

    private static AccessTraceData ReadU32(Stream stream, string path)
    {
        var buffer = stream.CanSeek ? new MemoryStream((int)Math.Min(int.MaxValue, Math.Max(0, stream.Length - stream.Position))) : new MemoryStream();
        stream.CopyTo(buffer);
        var bytes = buffer.GetBuffer(); // no second copy of a large trace
        long length = buffer.Length;
        if (length % 4 != 0) throw new TraceFormatException(path, $"record {length / 4 + 1}", $"truncated: {length % 4} of 4 bytes");
        var pages = new uint[length / 4];
        uint max = 0;
        for (int i = 0; i < pages.Length; i++)
        {
            uint v = (uint)(bytes[4 * i] | bytes[4 * i + 1] << 8 | bytes[4 * i + 2] << 16 | bytes[4 * i + 3] << 24);
            pages[i] = v;
            if (v > max) max = v;
        }
        return new AccessTraceData(path, TraceFormat.U32, pages, pages.Length, pages.Length == 0 ? 0 : (long)max + 1, 1);
    }

    private static ulong Reverse(ulong v)
    {
        ulong r = 0;
        for (int i = 0; i < 8; i++) { r = (r << 8) | (v & 0xFF); v >>= 8; }
        return r;
    }

    private static string Clip(string s) => s.Length <= 40 ? s : s.Substring(0, 40) + "...";

    private static string Show(char c) => c == '\t' ? "\\t" : c.ToString();
}
