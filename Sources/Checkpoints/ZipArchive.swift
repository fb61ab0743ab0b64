import Foundation

/// The entries of a zip archive already in memory (the memory-mapped file),
/// located through its central directory with every offset and size checked
/// against the file before use.
///
/// Only what `torch.save` writes is supported: stored (uncompressed),
/// unencrypted entries, with or without zip64 records. An entry's contents
/// are a slice of the file, so reading one allocates nothing, whatever size
/// the directory declares. (A general zip library was used before; it trapped
/// on zip64 offsets past 2^63 and allocated buffers of the declared size.)
struct ZipArchive {
    struct Entry {
        let path: String
        /// Where the entry's bytes lie in the file.
        let range: Range<Int>
    }

    /// Entries by path; a repeated path keeps its last directory record.
    private(set) var entries: [String: Entry] = [:]
    private let data: Data
    private let url: URL

    init(data: Data, url: URL) throws {
        self.data = data
        self.url = url
        // The directory is read in place; entry contents stay slices of `data`.
        entries = try data.withUnsafeBytes { bytes in
            let directory = try Self.locateDirectory(bytes, url: url)
            var entries: [String: Entry] = [:]
            var position = directory.offset
            for _ in 0..<directory.count {
                let (entry, next) = try Self.readDirectoryRecord(bytes, at: position, directoryEnd: directory.end, url: url)
                entries[entry.path] = entry
                position = next
            }
            return entries
        }
    }

    /// The bytes of `entry`, sharing the file's memory.
    func contents(of entry: Entry) -> Data {
        data[data.startIndex + entry.range.lowerBound..<data.startIndex + entry.range.upperBound]
    }

    // MARK: - End of central directory

    private struct Directory {
        let offset: Int
        let end: Int
        let count: Int
    }

    private static func locateDirectory(_ b: UnsafeRawBufferPointer, url: URL) throws -> Directory {
        // The end record is 22 bytes plus a comment of at most 65535 bytes.
        let earliest = max(0, b.count - 22 - 0xFFFF)
        var found: Int?
        var p = b.count - 22
        while p >= earliest {
            if read32(b, p) == 0x0605_4b50, p + 22 + Int(read16(b, p + 20)) <= b.count { found = p; break }
            p -= 1
        }
        guard let end = found else { throw CheckpointError.notAZip(url, "no end-of-central-directory record") }
        var count = UInt64(read16(b, end + 10))
        var size = UInt64(read32(b, end + 12))
        var offset = UInt64(read32(b, end + 16))
        var directoryLimit = end
        if count == 0xFFFF || size == 0xFFFF_FFFF || offset == 0xFFFF_FFFF {
            // Zip64: a locator just before the end record points at the zip64 end record.
            let locator = end - 20
            guard locator >= 0, read32(b, locator) == 0x0706_4b50 else {
                throw CheckpointError.notAZip(url, "zip64 sizes without a zip64 locator")
            }
            let record64 = read64(b, locator + 8)
            guard record64 <= UInt64(locator), Int(record64) + 56 <= locator, read32(b, Int(record64)) == 0x0606_4b50 else {
                throw CheckpointError.notAZip(url, "zip64 end record is missing or outside the file")
            }
            let r = Int(record64)
            count = read64(b, r + 32)
            size = read64(b, r + 40)
            offset = read64(b, r + 48)
            directoryLimit = r
        }
        guard offset <= UInt64(directoryLimit), size <= UInt64(directoryLimit) - offset else {
            throw CheckpointError.notAZip(url, "central directory (\(size) bytes at offset \(offset)) lies outside the \(b.count)-byte file")
        }
        // Each directory record takes at least 46 bytes.
        guard count <= size / 46 else {
            throw CheckpointError.notAZip(url, "central directory claims \(count) entries in \(size) bytes")
        }
        return Directory(offset: Int(offset), end: Int(offset + size), count: Int(count))
    }

    // MARK: - Directory records and local headers

    private static func readDirectoryRecord(_ b: UnsafeRawBufferPointer, at p: Int, directoryEnd: Int, url: URL) throws -> (Entry, Int) {
        guard p + 46 <= directoryEnd, read32(b, p) == 0x0201_4b50 else {
            throw CheckpointError.notAZip(url, "broken central directory record at offset \(p)")
        }
        let flags = read16(b, p + 8), method = read16(b, p + 10)
        var compressed = UInt64(read32(b, p + 20)), uncompressed = UInt64(read32(b, p + 24))
        let nameLength = Int(read16(b, p + 28)), extraLength = Int(read16(b, p + 30)), commentLength = Int(read16(b, p + 32))
        var localOffset = UInt64(read32(b, p + 42))
        let next = p + 46 + nameLength + extraLength + commentLength
        guard next <= directoryEnd else { throw CheckpointError.notAZip(url, "central directory record at offset \(p) runs past the directory") }
        let path = String(decoding: UnsafeRawBufferPointer(rebasing: b[p + 46..<p + 46 + nameLength]), as: UTF8.self)

        // Zip64 extended information: 8-byte values for the fields that are all ones, in this order.
        var e = p + 46 + nameLength
        let extraEnd = e + extraLength
        while e + 4 <= extraEnd {
            let id = read16(b, e), length = Int(read16(b, e + 2))
            guard e + 4 + length <= extraEnd else { break }
            if id == 0x0001 {
                var q = e + 4
                func wide(_ field: inout UInt64, _ narrow: UInt64) {
                    if field == narrow, q + 8 <= e + 4 + length { field = read64(b, q); q += 8 }
                }
                wide(&uncompressed, 0xFFFF_FFFF)
                wide(&compressed, 0xFFFF_FFFF)
                wide(&localOffset, 0xFFFF_FFFF)
            }
            e += 4 + length
        }

        guard flags & 1 == 0 else { throw CheckpointError.notAZip(url, "zip entry '\(path)' is encrypted") }
        guard method == 0 else {
            throw CheckpointError.notAZip(url, "zip entry '\(path)' is compressed (method \(method)); torch.save stores entries uncompressed")
        }
        guard compressed == uncompressed else {
            throw CheckpointError.notAZip(url, "stored zip entry '\(path)' declares \(compressed) stored and \(uncompressed) unpacked bytes")
        }
        // The local header repeats the name and has its own extra field; the data follows it.
        guard localOffset <= UInt64(b.count), Int(localOffset) + 30 <= b.count, read32(b, Int(localOffset)) == 0x0403_4b50 else {
            throw CheckpointError.notAZip(url, "zip entry '\(path)' has no local header at offset \(localOffset)")
        }
        let l = Int(localOffset)
        let start = l + 30 + Int(read16(b, l + 26)) + Int(read16(b, l + 28))
        guard start <= b.count, compressed <= UInt64(b.count - start) else {
            throw CheckpointError.truncated(url, "zip entry '\(path)' declares \(compressed) bytes at offset \(start) of a \(b.count)-byte file")
        }
        return (Entry(path: path, range: start..<start + Int(compressed)), next)
    }

    // MARK: - Little-endian fields (callers check the bounds)

    private static func read16(_ b: UnsafeRawBufferPointer, _ p: Int) -> UInt16 { UInt16(b[p]) | UInt16(b[p + 1]) << 8 }

    private static func read32(_ b: UnsafeRawBufferPointer, _ p: Int) -> UInt32 {
        UInt32(b[p]) | UInt32(b[p + 1]) << 8 | UInt32(b[p + 2]) << 16 | UInt32(b[p + 3]) << 24
    }

    private static func read64(_ b: UnsafeRawBufferPointer, _ p: Int) -> UInt64 { UInt64(read32(b, p)) | UInt64(read32(b, p + 4)) << 32 }
}
