import Foundation
import ZIPFoundation

/// Checks a zip entry's declared sizes against the archive before it is read.
///
/// ZIPFoundation allocates a buffer of the declared size, so a 600-byte file
/// whose directory claims a 4 GB entry would cost 4 GB before failing. A
/// stored entry cannot hold more bytes than the file; a deflated one cannot
/// expand more than deflate's maximum ratio (about 1032:1).
enum ZipEntryLimits {
    /// Deflate's largest possible expansion of one compressed byte.
    static let maximumDeflateRatio: UInt64 = 1032

    /// The entry's uncompressed size, once it is plausible for a `fileSize`-byte archive.
    static func checkedSize(of entry: Entry, fileSize: Int, url: URL) throws -> Int {
        let archiveBytes = UInt64(max(fileSize, 0))
        let stored = entry.compressedSize, expanded = entry.uncompressedSize
        guard stored <= archiveBytes else {
            throw CheckpointError.truncated(url, "zip entry '\(entry.path)' declares \(stored) bytes in a \(fileSize)-byte file")
        }
        if entry.isCompressed {
            let (bound, overflow) = stored.multipliedReportingOverflow(by: maximumDeflateRatio)
            guard overflow || expanded <= bound + 64 else {
                throw CheckpointError.notAZip(url, "zip entry '\(entry.path)' declares \(expanded) bytes from \(stored) compressed, more than deflate can produce")
            }
        } else {
            guard expanded <= archiveBytes else {
                throw CheckpointError.truncated(url, "zip entry '\(entry.path)' declares \(expanded) bytes in a \(fileSize)-byte file")
            }
        }
        guard expanded <= UInt64(Int.max) else {
            throw CheckpointError.notAZip(url, "zip entry '\(entry.path)' declares an impossible size")
        }
        return Int(expanded)
    }
}
