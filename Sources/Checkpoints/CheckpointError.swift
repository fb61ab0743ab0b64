import Foundation

/// Everything that can go wrong reading or writing a weight file.
///
/// Each message names the file, so a failure deep inside model loading still
/// tells the user which file to look at.
public enum CheckpointError: Error, CustomStringConvertible, Sendable {
    /// The file could not be opened or read at all.
    case unreadable(URL, String)
    /// The file has zero bytes.
    case emptyFile(URL)
    /// The first bytes match none of the supported formats.
    case unrecognizedFormat(URL)
    /// It starts like a zip but the archive structure is broken.
    case notAZip(URL, String)
    /// The file ends before the data it announces.
    case truncated(URL, String)
    /// The pickle stream uses an opcode this reader does not implement.
    case unsupportedPickleOpcode(URL, opcode: UInt8, offset: Int)
    /// The pickle stream is structurally wrong (stack underflow, bad memo index, ...).
    case malformedPickle(URL, String, offset: Int)
    /// The file asks for more than the reader allows (nesting depth, memo
    /// size, memory for its values): a hostile or broken file, refused before
    /// it can exhaust the stack or memory.
    case limitExceeded(URL, String)
    /// A tensor refers to a storage that is not in the file.
    case missingStorageEntry(URL, String)
    /// A tensor's shape, strides or offset do not fit its storage.
    case badTensor(URL, String, String)
    /// An element type that has no `StorageType` equivalent.
    case unsupportedDType(URL, String)
    /// The safetensors header is not what the format requires.
    case malformedSafetensors(URL, String)
    /// The file is not a well-formed ONNX model (protobuf structure, missing graph).
    case malformedONNX(URL, String)
    /// Parsing worked but no tensors were found.
    case noTensors(URL)
    /// Writing the output failed.
    case writeFailed(URL, String)
    /// The writer was asked for an element type it does not produce.
    case unsupportedOutputType(StorageType)

    public var description: String {
        switch self {
        case let .unreadable(url, why): return "\(url.path): cannot read file: \(why)"
        case let .emptyFile(url): return "\(url.path): file is empty (0 bytes)"
        case let .unrecognizedFormat(url):
            return "\(url.path): not a PyTorch checkpoint (zip or legacy pickle) nor a safetensors file"
        case let .notAZip(url, why): return "\(url.path): not a valid zip archive: \(why)"
        case let .truncated(url, what): return "\(url.path): file is truncated: \(what)"
        case let .unsupportedPickleOpcode(url, op, offset):
            return "\(url.path): unsupported pickle opcode 0x\(String(op, radix: 16)) at offset \(offset)"
        case let .malformedPickle(url, why, offset): return "\(url.path): malformed pickle at offset \(offset): \(why)"
        case let .limitExceeded(url, why): return "\(url.path): refused: \(why)"
        case let .missingStorageEntry(url, key): return "\(url.path): missing storage entry '\(key)'"
        case let .badTensor(url, name, why): return "\(url.path): tensor '\(name)': \(why)"
        case let .unsupportedDType(url, type): return "\(url.path): unsupported element type \(type)"
        case let .malformedSafetensors(url, why): return "\(url.path): malformed safetensors file: \(why)"
        case let .malformedONNX(url, why): return "\(url.path): not a usable ONNX model: \(why)"
        case let .noTensors(url): return "\(url.path): no tensors found"
        case let .writeFailed(url, why): return "\(url.path): cannot write: \(why)"
        case let .unsupportedOutputType(type): return "safetensors writer cannot store \(type.rawValue); use float32, float16 or bfloat16"
        }
    }
}
