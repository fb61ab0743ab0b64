import Foundation

/// A small CSV reader and writer (RFC 4180: comma separated, fields with commas, quotes or line
/// breaks quoted, quotes doubled) for the database's label and score files.
public struct CSVTable: Sendable {
    /// Column names, from the first line.
    public var header: [String]
    /// Data rows; each has `header.count` fields (short rows are padded with empty fields).
    public var rows: [[String]]

    public init(header: [String], rows: [[String]] = []) {
        self.header = header
        self.rows = rows
    }

    /// Parses CSV text; `name` is used in error messages. Surrounding spaces of header names are
    /// trimmed (`dist_images, weighted_consistency` reads like `dist_images,weighted_consistency`).
    public init(text: String, name: String) throws {
        var records = try CSVTable.records(text, name: name)
        // Ignore blank lines (a trailing newline, an empty last line).
        records.removeAll { $0.count == 1 && $0[0].isEmpty }
        guard let first = records.first else { throw DatasetError.badCSV(path: name, reason: "empty CSV file (no header line)") }
        header = first.map { $0.trimmingCharacters(in: .whitespaces) }
        if let bom = header.first, bom.hasPrefix("\u{FEFF}") { header[0] = String(bom.dropFirst()) }
        rows = []
        for (i, r) in records.dropFirst().enumerated() {
            guard r.count <= header.count else {
                throw DatasetError.badCSV(path: name, reason: "line \(i + 2) has \(r.count) fields, the header has \(header.count)")
            }
            rows.append(r + Array(repeating: "", count: header.count - r.count))
        }
    }

    /// Reads and parses a CSV file.
    public init(contentsOf url: URL) throws {
        let text: String
        do { text = try String(contentsOf: url, encoding: .utf8) } catch {
            throw DatasetError.readFailed(path: url.path, reason: AtomicFile.reason(error))
        }
        try self.init(text: text, name: url.path)
    }

    /// Index of column `name`, or throws naming the file and the columns it has.
    public func column(_ name: String, in file: String) throws -> Int {
        guard let i = header.firstIndex(of: name) else {
            throw DatasetError.badCSV(path: file, reason: "no column '\(name)' (columns: \(header.joined(separator: ", ")))")
        }
        return i
    }

    /// The CSV text, lines ending in `\n`.
    public var text: String {
        ([header] + rows).map { $0.map(CSVTable.quote).joined(separator: ",") }.joined(separator: "\n") + "\n"
    }

    /// RFC 4180 quoting. Checked on Unicode scalars: Swift sees "\r\n" as one Character, equal
    /// to neither "\r" nor "\n", so a Character test leaves CRLF unquoted.
    static func quote(_ field: String) -> String {
        guard field.unicodeScalars.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Splits text into records of fields, honouring quotes, as Python's `csv` module reads:
    /// records end at LF, CRLF or CR outside quotes; a quote opens a quoted field only at the
    /// start of a field (elsewhere it is literal); `""` inside quotes is one quote.
    /// - Throws: `DatasetError.badCSV` "line N: unbalanced quote" when a quoted field is never
    ///   closed (N: the line the quote opens on), rather than reading the rest of the file as one field.
    static func records(_ text: String, name: String) throws -> [[String]] {
        var out: [[String]] = [], row: [String] = []
        var field = String.UnicodeScalarView()
        var quoted = false, atFieldStart = true
        var line = 1, quoteLine = 1
        let scalars = Array(text.unicodeScalars)
        var i = 0
        func endField() { row.append(String(field)); field = String.UnicodeScalarView(); atFieldStart = true }
        while i < scalars.count {
            let c = scalars[i]
            i += 1
            if quoted {
                if c == "\"" {
                    if i < scalars.count, scalars[i] == "\"" { field.append("\""); i += 1 } else { quoted = false }
                } else {
                    if c == "\n" || (c == "\r" && !(i < scalars.count && scalars[i] == "\n")) { line += 1 }
                    field.append(c)
                }
                continue
            }
            switch c {
            case "\"" where atFieldStart:
                quoted = true
                atFieldStart = false
                quoteLine = line
            case ",":
                endField()
            case "\r", "\n":
                if c == "\r", i < scalars.count, scalars[i] == "\n" { i += 1 }
                endField()
                out.append(row)
                row = []
                line += 1
            default:
                field.append(c)
                atFieldStart = false
            }
        }
        if quoted { throw DatasetError.badCSV(path: name, reason: "line \(quoteLine): unbalanced quote") }
        if !field.isEmpty || !row.isEmpty { endField(); out.append(row) }
        return out
    }
}
