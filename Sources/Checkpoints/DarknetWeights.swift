import Foundation

/// A Darknet `.weights` file: a small header, then every layer's float32 values back to back, in
/// the order of the layers of its `.cfg` (which the file itself does not name).
///
/// Header: `major`, `minor`, `revision` (int32 each), then the count of images seen in training,
/// 8 bytes when `major * 10 + minor >= 2` (and both are below 1000), else 4 — the rule Darknet
/// itself applies, so both old and new files read. Values are little-endian float32.
///
/// The reader is a cursor: the network builder takes each layer's arrays in turn (`take`) and
/// calls `finish()` at the end, so a file for another configuration fails with how many values
/// were missing or left over instead of loading shifted weights.
public struct DarknetWeights: Sendable {
    public let url: URL
    public let major: Int32, minor: Int32, revision: Int32
    /// Images seen in training (informative only).
    public let seen: UInt64
    /// Every value after the header.
    public let values: [Float]
    private(set) var position = 0

    /// Reads and checks the header of `url` and loads its values.
    public init(contentsOf url: URL) throws {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw CheckpointError.unreadable(url, error.localizedDescription)
        }
        try self.init(data: data, url: url)
    }

    /// Parses an in-memory file; `url` names it in errors.
    public init(data: Data, url: URL) throws {
        guard !data.isEmpty else { throw CheckpointError.emptyFile(url) }
        let bytes = [UInt8](data)
        func int32(_ at: Int) -> Int32 {
            Int32(bitPattern: UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8 | UInt32(bytes[at + 2]) << 16 | UInt32(bytes[at + 3]) << 24)
        }
        guard bytes.count >= 16 else {
            throw CheckpointError.truncated(url, "\(bytes.count) bytes is shorter than a Darknet weights header")
        }
        major = int32(0); minor = int32(4); revision = int32(8)
        // In Int: any int32 version (a fuzzed 0x7fffffff) must not overflow the arithmetic.
        let wideSeen = Int(major) * 10 + Int(minor) >= 2 && major < 1000 && minor < 1000
        let headerSize = wideSeen ? 20 : 16
        guard bytes.count >= headerSize else {
            throw CheckpointError.truncated(url, "\(bytes.count) bytes is shorter than the \(headerSize)-byte Darknet header of version \(major).\(minor)")
        }
        seen = wideSeen ? UInt64(UInt32(bitPattern: int32(12))) | UInt64(UInt32(bitPattern: int32(16))) << 32
                        : UInt64(UInt32(bitPattern: int32(12)))
        let body = bytes.count - headerSize
        guard body % 4 == 0 else {
            throw CheckpointError.truncated(url, "\(body) bytes after the header is not a whole number of float32 values")
        }
        var values = [Float](repeating: 0, count: body / 4)
        values.withUnsafeMutableBytes { dst in
            bytes.withUnsafeBytes { src in dst.copyMemory(from: UnsafeRawBufferPointer(rebasing: src[headerSize...])) }
        }
        // The format is little-endian; convert on a big-endian host.
        if UInt32(1).bigEndian == 1 { values = values.map { Float(bitPattern: $0.bitPattern.byteSwapped) } }
        self.values = values
        self.url = url
    }

    /// The next `count` values, for `what` (e.g. "layer 3 (convolutional) biases").
    /// - Throws: `CheckpointError.truncated` naming `what` when the file has fewer left.
    public mutating func take(_ count: Int, for what: String) throws -> [Float] {
        guard count >= 0, values.count - position >= count else {
            throw CheckpointError.truncated(url, "\(what) needs \(count) values but only \(values.count - position) remain; the weights do not fit this configuration")
        }
        defer { position += count }
        return Array(values[position..<(position + count)])
    }

    /// Checks that every value was used.
    /// - Throws: `CheckpointError.badTensor` when values are left over (weights of a larger network).
    public func finish() throws {
        guard position == values.count else {
            throw CheckpointError.badTensor(url, "weights", "\(values.count - position) values left over after the last layer; the weights belong to a different configuration")
        }
    }
}
