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
        var records = CSVTable.records(text)
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

    static func quote(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Splits text into records of fields, honouring quotes.
    static func records(_ text: String) -> [[String]] {
        var out: [[String]] = [], row: [String] = [], field = ""
        var quoted = false, iterator = Array(text).makeIterator(), pending: Character? = nil
        func next() -> Character? {
            if let p = pending { pending = nil; return p }
            return iterator.next()
        }
        while let c = next() {
            if quoted {
                if c == "\"" {
                    if let n = next() {
                        if n == "\"" { field.append("\"") } else { quoted = false; pending = n }
                    } else { quoted = false }
                } else { field.append(c) }
                continue
            }
            switch c {
            case "\"": quoted = true
            case ",": row.append(field); field = ""
            case "\n", "\r\n": row.append(field); out.append(row); row = []; field = ""
            case "\r": break
            default: field.append(c)
            }
        }
        if !field.isEmpty || !row.isEmpty { row.append(field); out.append(row) }
        return out
    }
}
