import Foundation

/// How much memory reading one checkpoint may take, decided from its size
/// before anything is allocated.
///
/// Stored bytes become at most 4 bytes of Float32 each (uint8 and bool grow
/// fourfold, float16 twofold), and a storage shared by two tensors (tied
/// weights) is materialised twice; 8 x the file size covers both. Stride-0
/// (expanded) views are legitimate but small in real checkpoints, which the
/// fixed 256 MiB allowance covers. A 582-byte file declaring a 16384 x 16384
/// stride-0 view of one float (1 GiB) is refused; a 100 MB checkpoint may use
/// up to about 1 GB.
///
/// The same budget bounds bytes read out of zip entries, so that many
/// directory records pointing at the same data cannot multiply the reads.
final class ExpansionBudget {
    /// Fixed allowance on top of the per-byte one.
    static let allowance = 256 << 20
    /// Bytes allowed per byte of file.
    static let bytesPerFileByte = 8

    let fileSize: Int
    let limit: Int
    private(set) var spent = 0

    init(fileSize: Int) {
        self.fileSize = fileSize
        let (scaled, overflow) = fileSize.multipliedReportingOverflow(by: Self.bytesPerFileByte)
        limit = overflow ? Int.max : scaled.addingReportingOverflow(Self.allowance).partialValue
    }

    /// Takes `bytes` out of the budget or refuses the file, naming `what` needed them.
    func spend(_ bytes: Int, for what: String, url: URL) throws {
        let (total, overflow) = spent.addingReportingOverflow(bytes)
        guard bytes >= 0, !overflow, total <= limit else {
            throw CheckpointError.limitExceeded(url, "\(what) would need \(Self.format(bytes)) of memory, beyond the "
                + "\(Self.format(limit)) allowed for a \(fileSize)-byte file (8 bytes per file byte + 256 MiB)")
        }
        spent = total
    }

    /// Bytes in the largest binary unit that keeps the number at least 1.
    static func format(_ bytes: Int) -> String {
        let units = ["bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"]
        var value = Double(bytes), unit = 0
        while value >= 1024, unit < units.count - 1 { value /= 1024; unit += 1 }
        return unit == 0 ? "\(bytes) bytes" : String(format: "%.1f", value) + " " + units[unit]
    }
}
