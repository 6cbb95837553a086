using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace MgLru.Engine.Scenario;

/// <summary>
/// A minimal JSON reader and writer for scenario files (the engine takes no dependencies, and the
/// module must load in Windows PowerShell 5.1 too). Numbers keep their text, read with the invariant
/// culture; errors name the line and column.
/// </summary>
internal abstract class JsonNode
{
    public int Line { get; init; }
    public int Column { get; init; }
}

internal sealed class JsonObject : JsonNode
{
    public readonly List<KeyValuePair<string, JsonNode>> Members = new();

    public JsonNode? Get(string key)
    {
        foreach (var m in Members)
            if (m.Key == key) return m.Value;
        return null;
    }
}

internal sealed class JsonArray : JsonNode
{
    public readonly List<JsonNode> Items = new();
}

internal sealed class JsonScalar : JsonNode
{
    /// <summary>The string's value, the number's text, "true"/"false", or null for JSON null.</summary>
    public string? Text { get; init; }
    public bool IsString { get; init; }
}

/// <summary>A scenario file that is not well-formed or holds a wrong value: the message names where.</summary>
public sealed class ScenarioFormatException : FormatException
{
    public ScenarioFormatException(string message, int line, int column)
        : base($"line {line}, column {column}: {message}")
    {
        Line = line;
        Column = column;
    }

    public int Line { get; }
    public int Column { get; }
}

internal sealed class JsonReader
{
    private readonly string _s;
    private int _i, _line = 1, _lineStart;
    private int _depth;

    /// <summary>
    /// Nesting a scenario never comes near; deeper input is refused instead of recursing until the
    /// stack overflows (which would take the PowerShell host down with it).
    /// </summary>
    public const int MaxDepth = 64;

    private JsonReader(string s) => _s = s;

    public static JsonNode Parse(string text)
    {
        var r = new JsonReader(text);
        var value = r.Value();
        r.Space();
        if (r._i < r._s.Length) throw r.Error("unexpected text after the end of the document");
        return value;
    }

    private ScenarioFormatException Error(string message) => new(message, _line, _i - _lineStart + 1);

    private void Space()
    {
        while (_i < _s.Length)
        {
            char c = _s[_i];
            if (c == '\n') { _line++; _lineStart = _i + 1; }
            else if (c != ' ' && c != '\t' && c != '\r') return;
            _i++;
        }
    }

    /// <summary>The members of an object whose '{' was just read, up to its '}'.</summary>
    private JsonObject ObjectBody(int line, int column)
    {
        var o = new JsonObject { Line = line, Column = column };
        Space();
        if (Peek('}')) { _i++; return o; }
        while (true)
        {
            Space();
            if (!Peek('"')) throw Error("expected a quoted member name");
            string key = String();
            Space();
            Expect(':');
            o.Members.Add(new KeyValuePair<string, JsonNode>(key, Value()));
            Space();
            if (Peek(',')) { _i++; continue; }
            Expect('}');
            return o;
        }
    }

    /// <summary>The items of an array whose '[' was just read, up to its ']'.</summary>
    private JsonArray ArrayBody(int line, int column)
    {
        var a = new JsonArray { Line = line, Column = column };
        Space();
        if (Peek(']')) { _i++; return a; }
        while (true)
        {
            a.Items.Add(Value());
            Space();
            if (Peek(',')) { _i++; continue; }
            Expect(']');
            return a;
        }
    }

    private JsonNode Value()
    {
        Space();
        if (_i >= _s.Length) throw Error("the document ends where a value was expected");
        int line = _line, column = _i - _lineStart + 1;
        char c = _s[_i];
        if (c == '{' || c == '[')
        {
            if (_depth == MaxDepth) throw Error($"values are nested more than {MaxDepth} deep");
            _i++;
            _depth++;
            JsonNode node = c == '{' ? ObjectBody(line, column) : ArrayBody(line, column);
            _depth--;
            return node;
        }
        if (c == '"') return new JsonScalar { Text = String(), IsString = true, Line = line, Column = column };
        int start = _i;
        while (_i < _s.Length && (char.IsLetterOrDigit(_s[_i]) || _s[_i] is '-' or '+' or '.')) _i++;
        string word = _s.Substring(start, _i - start);
        if (word.Length == 0) throw Error($"unexpected '{c}'");
        if (word == "null") return new JsonScalar { Text = null, Line = line, Column = column };
        if (word is "true" or "false") return new JsonScalar { Text = word, Line = line, Column = column };
        if (!double.TryParse(word, NumberStyles.Float, CultureInfo.InvariantCulture, out _)) throw new ScenarioFormatException($"'{word}' is not a JSON value", line, column);
        return new JsonScalar { Text = word, Line = line, Column = column };
    }

    private bool Peek(char c) => _i < _s.Length && _s[_i] == c;

    private void Expect(char c)
    {
        if (!Peek(c)) throw Error(_i < _s.Length ? $"expected '{c}' but found '{_s[_i]}'" : $"expected '{c}' but the document ends");
        _i++;
    }

    private string String()
    {
        Expect('"');
        var sb = new StringBuilder();
        while (true)
        {
            if (_i >= _s.Length) throw Error("a string is not closed");
            char c = _s[_i++];
            if (c == '"') return sb.ToString();
            if (c == '\n') throw Error("a string runs past the end of its line");
            if (c != '\\') { sb.Append(c); continue; }
            if (_i >= _s.Length) throw Error("a string is not closed");
            char e = _s[_i++];
            switch (e)
            {
                case '"': sb.Append('"'); break;
                case '\\': sb.Append('\\'); break;
                case '/': sb.Append('/'); break;
                case 'b': sb.Append('\b'); break;
                case 'f': sb.Append('\f'); break;
                case 'n': sb.Append('\n'); break;
                case 'r': sb.Append('\r'); break;
                case 't': sb.Append('\t'); break;
                case 'u':
                    if (_i + 4 > _s.Length || !int.TryParse(_s.Substring(_i, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out int code))
                        throw Error("a \\u escape needs four hex digits");
                    sb.Append((char)code);
                    _i += 4;
                    break;
                default: throw Error($"unknown escape '\\{e}'");
            }
        }
    }
}

/// <summary>Writes indented JSON with invariant-culture numbers.</summary>
internal sealed class JsonWriter
{
    private readonly StringBuilder _sb = new();
    private int _depth;
    private bool _first = true;

    public override string ToString() => _sb.ToString();

    private void Separator()
    {
        if (!_first) _sb.Append(',');
        if (_depth > 0) _sb.Append('\n').Append(' ', 2 * _depth);
        _first = false;
    }

    private void Name(string? name)
    {
        Separator();
        if (name != null) { Quote(name); _sb.Append(": "); }
    }

    public void BeginObject(string? name = null) { Name(name); _sb.Append('{'); _depth++; _first = true; }
    public void EndObject() { _depth--; if (!_first) _sb.Append('\n').Append(' ', 2 * _depth); _sb.Append('}'); _first = false; }
    public void BeginArray(string? name = null) { Name(name); _sb.Append('['); _depth++; _first = true; }
    public void EndArray() { _depth--; if (!_first) _sb.Append('\n').Append(' ', 2 * _depth); _sb.Append(']'); _first = false; }

    public void String(string? name, string? value)
    {
        Name(name);
        if (value == null) _sb.Append("null");
        else Quote(value);
    }

    public void Number(string? name, long value) { Name(name); _sb.Append(value.ToString(CultureInfo.InvariantCulture)); }
    public void Number(string? name, ulong value) { Name(name); _sb.Append(value.ToString(CultureInfo.InvariantCulture)); }
    /// <summary>"R" keeps every bit: the file re-runs exactly.</summary>
    public void Number(string? name, double value) { Name(name); _sb.Append(value.ToString("R", CultureInfo.InvariantCulture)); }
    public void Bool(string? name, bool value) { Name(name); _sb.Append(value ? "true" : "false"); }
    public void Null(string name) { Name(name); _sb.Append("null"); }

    /// <summary>A short array on one line.</summary>
    public void InlineNumbers(string? name, IEnumerable<long> values)
    {
        Name(name);
        _sb.Append('[');
        bool first = true;
        foreach (long v in values)
        {
            if (!first) _sb.Append(", ");
            _sb.Append(v.ToString(CultureInfo.InvariantCulture));
            first = false;
        }
        _sb.Append(']');
    }

    private void Quote(string s)
    {
        _sb.Append('"');
        foreach (char c in s)
        {
            switch (c)
            {
                case '"': _sb.Append("\\\""); break;
                case '\\': _sb.Append("\\\\"); break;
                case '\n': _sb.Append("\\n"); break;
                case '\r': _sb.Append("\\r"); break;
                case '\t': _sb.Append("\\t"); break;
                default:
                    if (c < ' ') _sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    else _sb.Append(c);
                    break;
            }
        }
        _sb.Append('"');
    }
}
