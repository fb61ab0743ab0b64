import Foundation

/// The parsed JSON header of a safetensors file.
///
/// Layout: 8-byte little-endian header size N, N bytes of JSON (may be padded
/// with spaces), then the data region that `data_offsets` index into.
struct SafetensorsHeader {
    struct Entry {
        let name: String
        let type: StorageType
        let shape: [Int]
        let begin: Int
        let end: Int
    }

    /// Tensors in stored order: by position in the data region (names break
    /// ties between empty tensors). Writers lay data out in header order, and
    /// Foundation's JSON parser does not keep key order, so this is how we
    /// recover the stored order.
    let entries: [Entry]
    let metadata: [String: String]
    /// Absolute file offset where the data region starts.
    let dataStart: Int

    /// The spec caps the header at 100 MB; a larger size means a different file type.
    static let maximumHeaderSize = 100_000_000

    /// Cheap sniff used by format detection: size field plausible and JSON starts with `{`.
    static func looksLike(_ raw: UnsafeRawBufferPointer) -> Bool {
        guard raw.count >= 10 else { return false }
        let size = raw.loadUnaligned(as: UInt64.self).littleEndian
        return size >= 2 && size <= UInt64(maximumHeaderSize) && raw[8] == UInt8(ascii: "{")
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
        let json: Any
        do {
            json = try JSONSerialization.jsonObject(with: data[data.startIndex + 8..<data.startIndex + dataStart])
        } catch {
            throw CheckpointError.malformedSafetensors(url, "header is not valid JSON")
        }
        guard let object = json as? [String: Any] else { throw CheckpointError.malformedSafetensors(url, "header is not a JSON object") }

        var metadata: [String: String] = [:]
        if let raw = object["__metadata__"] {
            guard let dict = raw as? [String: Any] else { throw CheckpointError.malformedSafetensors(url, "__metadata__ is not an object") }
            for (key, value) in dict {
                guard let text = value as? String else { throw CheckpointError.malformedSafetensors(url, "__metadata__[\(key)] is not a string") }
                metadata[key] = text
            }
        }
        self.metadata = metadata
        guard parseTensors else { entries = []; return }

        let dataSize = data.count - dataStart
        var entries: [Entry] = []
        for (name, value) in object where name != "__metadata__" {
            guard let info = value as? [String: Any],
                  let dtypeName = info["dtype"] as? String,
                  let shapeList = info["shape"] as? [Any],
                  let offsetList = info["data_offsets"] as? [Any], offsetList.count == 2
            else { throw CheckpointError.malformedSafetensors(url, "entry '\(name)' lacks dtype, shape or data_offsets") }
            guard let type = SafetensorsDType.type(named: dtypeName) else { throw CheckpointError.unsupportedDType(url, dtypeName) }
            let shape = shapeList.compactMap { $0 as? Int }
            let offsets = offsetList.compactMap { $0 as? Int }
            guard shape.count == shapeList.count, shape.allSatisfy({ $0 >= 0 }), offsets.count == 2 else {
                throw CheckpointError.malformedSafetensors(url, "entry '\(name)' has a bad shape or data_offsets")
            }
            guard offsets[0] >= 0, offsets[0] <= offsets[1] else {
                throw CheckpointError.malformedSafetensors(url, "entry '\(name)' has reversed data_offsets")
            }
            guard offsets[1] <= dataSize else {
                throw CheckpointError.truncated(url, "tensor '\(name)' ends at \(offsets[1]) but the data region has \(dataSize) bytes")
            }
            var count = 1
            for d in shape {
                let (product, overflow) = count.multipliedReportingOverflow(by: d)
                guard !overflow else { throw CheckpointError.malformedSafetensors(url, "entry '\(name)' shape overflows") }
                count = product
            }
            guard count.multipliedReportingOverflow(by: type.byteSize) == (offsets[1] - offsets[0], false) else {
                throw CheckpointError.malformedSafetensors(url, "entry '\(name)' has \(offsets[1] - offsets[0]) bytes for shape \(shape) of \(dtypeName)")
            }
            entries.append(Entry(name: name, type: type, shape: shape, begin: offsets[0], end: offsets[1]))
        }
        self.entries = entries.sorted { ($0.begin, $0.name) < ($1.begin, $1.name) }
    }
}
