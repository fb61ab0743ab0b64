import Foundation

/// Writes files so that a file under its final name is always complete: the bytes go to a
/// temporary sibling first, which is then renamed over the final name (a rename within one
/// directory is atomic on POSIX file systems). A crash or a full disk leaves at most a
/// temporary file, which `isTemporary` recognises so that a restart can delete it.
public enum AtomicFile {
    /// Prefix of temporary names: hidden, and never a valid MIQD image or label name.
    public static let temporaryPrefix = ".partial-"

    /// Whether `name` (a last path component) is a temporary file of ours.
    public static func isTemporary(_ name: String) -> Bool { name.hasPrefix(temporaryPrefix) }

    /// Writes `data` to `url` through a temporary sibling and a rename.
    /// - Throws: `DatasetError.writeFailed` naming `url` (the temporary file is removed).
    public static func write(_ data: Data, to url: URL) throws {
        let dir = url.deletingLastPathComponent()
        // The process id and a random suffix keep concurrent writers of one folder apart.
        let tmp = dir.appendingPathComponent("\(temporaryPrefix)\(getpid())-\(UInt32.random(in: 0...UInt32.max))-\(url.lastPathComponent)")
        do {
            try data.write(to: tmp)
        } catch {
            try? FileManager.default.removeItem(at: tmp)
            throw DatasetError.writeFailed(path: url.path, reason: reason(error))
        }
        if rename(tmp.path, url.path) != 0 {
            let why = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: tmp)
            throw DatasetError.writeFailed(path: url.path, reason: why)
        }
    }

    /// Writes UTF-8 text atomically.
    public static func write(_ text: String, to url: URL) throws {
        try write(Data(text.utf8), to: url)
    }

    /// Creates a directory (and its parents) or throws `writeFailed` naming it.
    public static func makeDirectory(_ url: URL) throws {
        do {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        } catch {
            throw DatasetError.writeFailed(path: url.path, reason: reason(error))
        }
    }

    /// Removes our temporary files from `dir` (non-recursive); returns how many were removed.
    @discardableResult
    public static func removeTemporaries(in dir: URL) -> Int {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        var removed = 0
        for name in names where isTemporary(name) {
            if (try? FileManager.default.removeItem(at: dir.appendingPathComponent(name))) != nil { removed += 1 }
        }
        return removed
    }

    /// The underlying POSIX reason when Foundation has one ("No space left on device"), else the description.
    static func reason(_ error: Error) -> String {
        let ns = error as NSError
        if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        if ns.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(ns.code))) }
        if ns.domain == NSCocoaErrorDomain, let code = posixCodes[CocoaError.Code(rawValue: ns.code)] {
            return String(cString: strerror(code))
        }
        return ns.localizedDescription
    }

    /// `reason` for writers that hand over only Foundation's description (`SafetensorsWriter`):
    /// the POSIX text when the description is that of one of the file errors below.
    static func reason(description: String) -> String {
        for (cocoa, posix) in posixCodes where CocoaError(cocoa).localizedDescription == description {
            return String(cString: strerror(posix))
        }
        return description
    }

    /// Foundation on Linux reports a full disk as `CocoaError.fileWriteOutOfSpace` ("There isn't
    /// enough space.") without the POSIX error; the POSIX text is the one users search for.
    private static let posixCodes: [CocoaError.Code: Int32] = [
        .fileWriteOutOfSpace: ENOSPC, .fileWriteNoPermission: EACCES, .fileReadNoPermission: EACCES,
        .fileWriteVolumeReadOnly: EROFS, .fileNoSuchFile: ENOENT, .fileReadNoSuchFile: ENOENT,
    ]
}
