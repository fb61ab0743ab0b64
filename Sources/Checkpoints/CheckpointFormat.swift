import Foundation

/// The on-disk formats ``CheckpointReader`` understands.
enum CheckpointFormat {
    case torchZip, torchLegacy, safetensors

    /// Identifies the format from the first bytes of the file.
    static func detect(_ data: Data, url: URL) throws -> CheckpointFormat {
        if data.isEmpty { throw CheckpointError.emptyFile(url) }
        return try data.withUnsafeBytes { raw in
            // Local file header, or the end record of an empty archive.
            if raw.count >= 4, raw[0] == 0x50, raw[1] == 0x4b, (raw[2], raw[3]) == (3, 4) || (raw[2], raw[3]) == (5, 6) {
                return .torchZip
            }
            // Legacy files start with a PROTO opcode (0x80, protocol 2..5).
            if raw.count >= 2, raw[0] == 0x80, (2...5).contains(raw[1]) { return .torchLegacy }
            if SafetensorsHeader.looksLike(raw) { return .safetensors }
            if raw.count < 10 { throw CheckpointError.truncated(url, "only \(raw.count) bytes, too short for any checkpoint format") }
            throw CheckpointError.unrecognizedFormat(url)
        }
    }
}
