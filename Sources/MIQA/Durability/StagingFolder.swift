import Foundation
import Checkpoints
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A hidden scratch folder, `.staging-<pid>-<UUID>`, inside the folder where files are being
/// installed. Files are written there completely (a full disk fails there), synced, and renamed
/// into place one by one; on any failure the whole folder is removed, so nothing half-written
/// and no temporary is left behind, including the ones writers we do not control make inside it
/// (`SafetensorsWriter` leaves `.<name>.<UUID>.tmp` when its write fails).
///
/// A process killed while staging leaves the folder; `removeLeftovers` deletes such folders and
/// must only be called while holding the parent's `DirectoryLock` (nobody else is staging then).
struct StagingFolder {
    /// Prefix of staging folder names.
    static let prefix = ".staging-"

    /// The scratch folder.
    let url: URL

    /// Creates a fresh staging folder in `parent` (which must exist).
    init(in parent: URL) throws {
        url = parent.appendingPathComponent("\(StagingFolder.prefix)\(getpid())-\(UUID().uuidString)")
        do {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: false)
        } catch {
            throw DatasetError.writeFailed(path: parent.path, reason: AtomicFile.reason(error))
        }
    }

    /// Where to stage the file that will become `name`.
    func file(_ name: String) -> URL { url.appendingPathComponent(name) }

    /// Writes `data` as staged file `name`; a failure is reported against `destination`.
    func write(_ data: Data, as name: String, for destination: URL) throws {
        do {
            try data.write(to: file(name))
        } catch {
            throw DatasetError.writeFailed(path: destination.path, reason: AtomicFile.reason(error))
        }
    }

    /// Writes a safetensors file as staged file `name`; a failure is reported against `destination`.
    func writeSafetensors(_ dict: TensorDict, metadata: [String: String], as name: String, for destination: URL,
                          type: StorageType = .float32) throws {
        do {
            try SafetensorsWriter.write(dict, metadata: metadata, to: file(name), as: type)
        } catch let CheckpointError.writeFailed(_, why) {
            throw DatasetError.writeFailed(path: destination.path, reason: AtomicFile.reason(description: why))
        }
    }

    /// Syncs staged file `name` to disk and renames it over `destination` (same file system, so
    /// the rename is atomic: `destination` is the old file or the new one, never a mix).
    func install(_ name: String, to destination: URL) throws {
        try StagingFolder.sync(file(name), reportAs: destination)
        if rename(file(name).path, destination.path) != 0 {
            throw DatasetError.writeFailed(path: destination.path, reason: String(cString: strerror(errno)))
        }
    }

    /// Deletes the staging folder and whatever is still in it.
    func remove() {
        try? FileManager.default.removeItem(at: url)
    }

    /// `fsync(2)` of a file or folder, so that a rename that follows publishes data that is on
    /// disk (a power cut after the rename then cannot leave an empty file under the final name).
    static func sync(_ url: URL, reportAs destination: URL) throws {
        let fd = open(url.path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw DatasetError.writeFailed(path: destination.path, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        if fsync(fd) != 0 { throw DatasetError.writeFailed(path: destination.path, reason: String(cString: strerror(errno))) }
    }

    /// Removes what interrupted writers left in `dir` (not recursive): staging folders,
    /// `AtomicFile` temporaries and `SafetensorsWriter` temporaries. Returns how many.
    /// Call only while holding `dir`'s lock (or its owner's).
    @discardableResult
    static func removeLeftovers(in dir: URL) -> Int {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        var removed = 0
        for name in names where isLeftover(name) {
            if (try? FileManager.default.removeItem(at: dir.appendingPathComponent(name))) != nil { removed += 1 }
        }
        return removed
    }

    /// Whether `name` is a temporary of one of our writers: `.staging-*`, `.partial-*` or
    /// `.<name>.<UUID>.tmp` (SafetensorsWriter's pattern).
    static func isLeftover(_ name: String) -> Bool {
        if name.hasPrefix(prefix) || AtomicFile.isTemporary(name) { return true }
        guard name.hasPrefix("."), name.hasSuffix(".tmp") else { return false }
        let parts = name.dropLast(4).split(separator: ".")
        guard let last = parts.last else { return false }
        return UUID(uuidString: String(last)) != nil
    }
}
