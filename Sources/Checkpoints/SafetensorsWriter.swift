import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes safetensors files.
public enum SafetensorsWriter {
    /// Writes every tensor of `dict`, in dict order, as `type` (`.float32`,
    /// `.float16` or `.bfloat16`; integer tensors are converted too, which is
    /// exact for the small counters checkpoints hold).
    ///
    /// The file appears atomically: it is written to a temporary file in the
    /// same directory and renamed over `url`, so readers never see half a file.
    /// The header is padded with spaces to a multiple of 8 bytes, as the
    /// format allows, so the data region is 8-byte aligned.
    public static func write(_ dict: TensorDict, metadata: [String: String] = [:], to url: URL, as type: StorageType = .float32) throws {
        guard [.float32, .float16, .bfloat16].contains(type) else { throw CheckpointError.unsupportedOutputType(type) }
        for (name, tensor) in dict.entries where tensor.values.count != tensor.elementCount {
            throw CheckpointError.badTensor(url, name, "has \(tensor.values.count) values for shape \(tensor.shape)")
        }

        let header = headerBytes(dict, metadata: metadata, type: type)
        let dataSize = dict.entries.reduce(0) { $0 + $1.tensor.values.count * type.byteSize }
        var file = Data(count: 8 + header.count + dataSize)
        file.withUnsafeMutableBytes { raw in
            raw.storeBytes(of: UInt64(header.count).littleEndian, as: UInt64.self)
            header.withUnsafeBytes { raw.baseAddress!.advanced(by: 8).copyMemory(from: $0.baseAddress!, byteCount: header.count) }
            var offset = 8 + header.count
            for (_, tensor) in dict.entries {
                encode(tensor.values, as: type, into: raw.baseAddress!.advanced(by: offset))
                offset += tensor.values.count * type.byteSize
            }
        }
        try replaceAtomically(url, with: file)
    }

    /// Same as ``SafetensorsReader/readMetadata(_:)``; here for symmetry with `write`.
    public static func readMetadata(_ url: URL) throws -> [String: String] {
        try SafetensorsReader.readMetadata(url)
    }

    /// JSON header in dict order with `__metadata__` first, space-padded to 8 bytes.
    static func headerBytes(_ dict: TensorDict, metadata: [String: String], type: StorageType) -> [UInt8] {
        var parts: [String] = []
        if !metadata.isEmpty {
            // Sorted so identical inputs give byte-identical files.
            let fields = metadata.sorted { $0.key < $1.key }.map { "\(jsonString($0.key)):\(jsonString($0.value))" }
            parts.append("\"__metadata__\":{\(fields.joined(separator: ","))}")
        }
        var offset = 0
        for (name, tensor) in dict.entries {
            let end = offset + tensor.values.count * type.byteSize
            let shape = tensor.shape.map(String.init).joined(separator: ",")
            parts.append("\(jsonString(name)):{\"dtype\":\"\(SafetensorsDType.name(of: type))\",\"shape\":[\(shape)],\"data_offsets\":[\(offset),\(end)]}")
            offset = end
        }
        var bytes = Array("{\(parts.joined(separator: ","))}".utf8)
        while bytes.count % 8 != 0 { bytes.append(UInt8(ascii: " ")) }
        return bytes
    }

    /// A JSON string literal (quotes, backslashes and control characters escaped).
    static func jsonString(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    private static func encode(_ values: [Float], as type: StorageType, into target: UnsafeMutableRawPointer) {
        values.withUnsafeBufferPointer { source in
            switch type {
            case .float16:
                HalfPrecision.halves(from: source, into: UnsafeMutableBufferPointer(start: target.assumingMemoryBound(to: UInt16.self), count: source.count))
            case .bfloat16:
                HalfPrecision.bfloat16s(from: source, into: UnsafeMutableBufferPointer(start: target.assumingMemoryBound(to: UInt16.self), count: source.count))
            default:
                target.copyMemory(from: source.baseAddress!, byteCount: source.count * 4)
            }
        }
    }

    /// Temp file next to the target, then rename(2), which is atomic within a file system.
    private static func replaceAtomically(_ url: URL, with data: Data) throws {
        let directory = url.deletingLastPathComponent()
        let temporary = directory.appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp")
        do {
            try data.write(to: temporary)
        } catch {
            throw CheckpointError.writeFailed(url, error.localizedDescription)
        }
        if rename(temporary.path, url.path) != 0 {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
            throw CheckpointError.writeFailed(url, reason)
        }
    }
}
