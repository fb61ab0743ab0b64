import Foundation

/// The parsed JSON header of a safetensors file.
///
/// Layout: 8-byte little-endian header size N, N bytes of JSON (may be padded
/// with spaces), then the data region that `data_offsets` index into.
///
/// Validation follows the reference `safetensors` library (checked case by
/// case against version 0.7.0 by tools/checkpoints/make_safetensors_cases.py):
/// dimensions and offsets must be JSON integers (not `true`, `2.0`, `-2` or
/// `"2"`), a repeated tensor name keeps its last entry, a repeated field in an
/// entry is an error, and the tensors must tile the data region exactly:
/// sorted by offset, each starts where the previous ends, the first at 0, the
/// last at the end of the file (no overlap, aliasing, gap or trailing bytes).
struct SafetensorsHeader {
    struct Entry {
        let name: String
        let type: StorageType
        let shape: [Int]
        let begin: Int
        let end: Int
    }

    /// Tensors in stored order: by position in the data region (names break
    /// ties between empty tensors). Writers lay data out in header order, so
    /// this is the order they were written in.
    let entries: [Entry]
    let metadata: [String: String]
    /// Absolute file offset where the data region starts.
    let dataStart: Int

    /// The spec caps the header at 100 MB; a larger size means a different file type.
    static let maximumHeaderSize = 100_000_000

    /// The dtype names the reference library knows but this reader does not
    /// convert; they get "unsupported element type" rather than "malformed".
    static let knownUnsupportedDTypes: Set<String> = ["F4", "F6_E2M3", "F6_E3M2", "F8_E5M2", "F8_E4M3", "F8_E8M0", "U16", "U32", "U64", "C64"]

    /// Cheap sniff used by format detection: size field plausible and the JSON
    /// starts with `{` (after any whitespace, which the library allows).
    static func looksLike(_ raw: UnsafeRawBufferPointer) -> Bool {
        guard raw.count >= 10 else { return false }
        let size = raw.loadUnaligned(as: UInt64.self).littleEndian
        guard size >= 2, size <= UInt64(maximumHeaderSize) else { return false }
        let end = min(raw.count, 8 + Int(size))
        guard let first = raw[8..<end].firstIndex(where: { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }) else { return false }
        return raw[first] == UInt8(ascii: "{")
    }

    init(data: Data, url: URL, parseTensors: Bool = true) throws {
        guard data.count >= 8 else { throw CheckpointError.truncated(url, "no 8-byte safetensors header size") }
        let size = data.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self).littleEndian }
        guard size <= UInt64(Self.maximumHeaderSize) else {
            throw CheckpointError.malformedSafetensors(url, "header size \(size) exceeds the 100 MB limit")
        }
        guard Int(size) <= data.count - 8 else {
            throw CheckpointError.truncated(url, "header claims \(size) bytes, file has \(data.count - 8) after the size field")
        }
        dataStart = 8 + Int(size)
        let json: HeaderJSON
        do {
            json = try HeaderJSONParser.parse(Array(data[data.startIndex + 8..<data.startIndex + dataStart]))
        } catch let problem as HeaderJSONParser.Problem {
            throw CheckpointError.malformedSafetensors(url, "header is not valid JSON: \(problem.message)")
        }
        guard case let .object(pairs) = json else {
            throw CheckpointError.malformedSafetensors(url, "header is \(json.kind), not a JSON object")
        }

        // Every member must be valid, even one a repeated name later replaces
        // (the library deserializes each before its map keeps the last).
        // Sizes and element types are then checked on the entries that remain.
        var metadata: [String: String] = [:]
        var byName: [String: RawEntry] = [:]
        for (name, value) in pairs {
            if name == "__metadata__" {
                metadata = try Self.metadata(value, url: url)
            } else if parseTensors {
                byName[name] = try Self.rawEntry(name, value, url: url)
            }
        }
        self.metadata = metadata
        guard parseTensors else { entries = []; return }

        var entries = try byName.values.map { try Self.entry($0, url: url) }
        entries.sort { ($0.begin, $0.end, $0.name) < ($1.begin, $1.end, $1.name) }
        try Self.checkTiling(entries, dataSize: data.count - dataStart, url: url)
        self.entries = entries
    }

    /// `__metadata__`: absent, null, or an object of strings.
    private static func metadata(_ value: HeaderJSON, url: URL) throws -> [String: String] {
        switch value {
        case .null: return [:]
        case .object: break
        default: throw CheckpointError.malformedSafetensors(url, "__metadata__ is \(value.kind), not an object")
        }
        var result: [String: String] = [:]
        for (key, item) in value.members ?? [:] {
            guard case let .string(text) = item else {
                throw CheckpointError.malformedSafetensors(url, "__metadata__[\(key)] is \(item.kind), not a string")
            }
            result[key] = text
        }
        return result
    }

    /// An entry as written, before its sizes are checked.
    private struct RawEntry {
        let name: String
        let dtype: String
        let shape: [Int]
        let begin: Int
        let end: Int
    }

    /// One tensor's `{"dtype", "shape", "data_offsets"}` with the right JSON
    /// types; other fields are ignored, a repeated field is an error.
    private static func rawEntry(_ name: String, _ value: HeaderJSON, url: URL) throws -> RawEntry {
        func bad(_ why: String) -> CheckpointError { .malformedSafetensors(url, "entry '\(name)' \(why)") }
        guard case let .object(pairs) = value else { throw bad("is \(value.kind), not an object") }
        var fields: [String: HeaderJSON] = [:]
        for (key, item) in pairs {
            guard fields.updateValue(item, forKey: key) == nil else { throw bad("repeats the field '\(key)'") }
        }
        guard case let .string(dtype)? = fields["dtype"] else { throw bad("lacks a dtype string") }
        guard SafetensorsDType.type(named: dtype) != nil || knownUnsupportedDTypes.contains(dtype) else {
            throw bad("has the unknown dtype '\(dtype)'")
        }
        guard case let .array(shapeList)? = fields["shape"] else { throw bad("lacks a shape list") }
        var shape: [Int] = []
        for dimension in shapeList {
            guard let d = dimension.nonNegativeInteger else { throw bad("has \(dimension.kind) as a dimension; dimensions are non-negative integers") }
            shape.append(d)
        }
        guard case let .array(offsetList)? = fields["data_offsets"] else { throw bad("lacks data_offsets") }
        guard offsetList.count == 2 else { throw bad("has \(offsetList.count) data_offsets, not 2") }
        guard let begin = offsetList[0].nonNegativeInteger, let end = offsetList[1].nonNegativeInteger else {
            throw bad("has data_offsets that are not non-negative integers")
        }
        return RawEntry(name: name, dtype: dtype, shape: shape, begin: begin, end: end)
    }

    /// A remaining entry whose element type we convert and whose offsets span
    /// exactly its shape's bytes.
    private static func entry(_ raw: RawEntry, url: URL) throws -> Entry {
        func bad(_ why: String) -> CheckpointError { .malformedSafetensors(url, "entry '\(raw.name)' \(why)") }
        guard let type = SafetensorsDType.type(named: raw.dtype) else { throw CheckpointError.unsupportedDType(url, raw.dtype) }
        var count = 1
        for d in raw.shape {
            let (product, overflow) = count.multipliedReportingOverflow(by: d)
            guard !overflow else { throw bad("has a shape \(raw.shape) whose size overflows") }
            count = product
        }
        let (bytes, overflow) = count.multipliedReportingOverflow(by: type.byteSize)
        guard !overflow else { throw bad("has a shape \(raw.shape) whose size overflows") }
        guard raw.begin <= raw.end, raw.end - raw.begin == bytes else {
            throw bad("has data_offsets [\(raw.begin), \(raw.end)] for shape \(raw.shape) of \(raw.dtype) (\(bytes) bytes)")
        }
        return Entry(name: raw.name, type: type, shape: raw.shape, begin: raw.begin, end: raw.end)
    }

    /// Tensors (sorted by offset) must cover the data region exactly once.
    private static func checkTiling(_ entries: [Entry], dataSize: Int, url: URL) throws {
        var covered = 0
        for entry in entries {
            guard entry.begin == covered else {
                let how = entry.begin < covered ? "overlaps (or repeats) the tensor before it" : "leaves a gap of \(entry.begin - covered) bytes before it"
                throw CheckpointError.malformedSafetensors(url, "tensor '\(entry.name)' at data offset \(entry.begin) \(how)")
            }
            covered = entry.end
        }
        guard covered == dataSize else {
            if covered > dataSize {
                throw CheckpointError.truncated(url, "tensor data needs \(covered) bytes but the data region has \(dataSize)")
            }
            throw CheckpointError.malformedSafetensors(url, "the data region has \(dataSize - covered) bytes after the last tensor")
        }
    }
}
