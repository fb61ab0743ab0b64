import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An exclusive lock on a folder that one process at a time may write: a `flock(2)` on the file
/// `<folder>/.miqa.lock`. Held by `dataset generate` and `dataset label` on a database root, by
/// `weights import`/`fetch` on a model's folder in the store and by `train` on its output folder.
///
/// A second process **waits**: it prints one line, `waiting for lock on FOLDER held by pid N`, on
/// standard error and blocks until the holder is done, then runs (a resumable job then finds the
/// work done and skips it). Waiting rather than refusing means two runs started by mistake
/// never interleave and never fail; it needs no stale-lock handling because the kernel drops a
/// `flock` when its holder exits or is killed (`kill -9` included).
///
/// The lock is advisory: it excludes miqa processes, not other programs. Within one process it is
/// re-entrant (a nested acquisition of the same folder shares the outer one), because `flock`
/// locks belong to open files and a second open in the same process would wait for itself.
public final class DirectoryLock {
    /// Name of the lock file inside the locked folder (hidden; never a database or model file).
    public static let fileName = ".miqa.lock"

    /// The locked folder.
    public let folder: URL
    private let key: String
    private var released = false

    /// Locks held by this process: path -> (descriptor, nesting count).
    nonisolated(unsafe) private static var held: [String: (fd: Int32, count: Int)] = [:]
    private static let registry = NSLock()
    /// Serialises acquisitions within the process, so two threads never open the same lock file
    /// twice (the second `flock` would wait for the first forever).
    private static let acquiring = NSLock()

    private init(folder: URL, key: String) {
        self.folder = folder
        self.key = key
    }

    deinit { release() }

    /// Waits until this process holds the lock of `folder` (which must exist).
    /// - Parameter announce: where the one-line waiting notice goes (default: standard error).
    /// - Throws: `DatasetError.writeFailed` naming the lock file when it cannot be created or locked.
    public static func acquire(_ folder: URL, announce: (String) -> Void = DirectoryLock.printToStandardError) throws -> DirectoryLock {
        let lockURL = folder.appendingPathComponent(fileName)
        let key = folder.resolvingSymlinksInPath().standardizedFileURL.path
        acquiring.lock()
        defer { acquiring.unlock() }
        registry.lock()
        if let entry = held[key] {
            held[key] = (entry.fd, entry.count + 1)
            registry.unlock()
            return DirectoryLock(folder: folder, key: key)
        }
        registry.unlock()

        let fd = open(lockURL.path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw DatasetError.writeFailed(path: lockURL.path, reason: String(cString: strerror(errno)))
        }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK else {
                let why = String(cString: strerror(errno))
                close(fd)
                throw DatasetError.writeFailed(path: lockURL.path, reason: why)
            }
            let holder = holderPID(fd).map { "pid \($0)" } ?? "another process"
            announce("waiting for lock on \(folder.path) held by \(holder)")
            while flock(fd, LOCK_EX) != 0 {
                guard errno == EINTR else {
                    let why = String(cString: strerror(errno))
                    close(fd)
                    throw DatasetError.writeFailed(path: lockURL.path, reason: why)
                }
            }
        }
        // Record who holds it, for the waiting notice of the next process. Best effort: on a
        // full disk the file stays empty and the notice says "another process".
        _ = ftruncate(fd, 0)
        let text = Array("\(getpid())\n".utf8)
        _ = text.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }

        registry.lock()
        held[key] = (fd, 1)
        registry.unlock()
        return DirectoryLock(folder: folder, key: key)
    }

    /// Gives the lock up (also done on deinit; a second call does nothing).
    public func release() {
        DirectoryLock.registry.lock()
        defer { DirectoryLock.registry.unlock() }
        guard !released else { return }
        released = true
        guard let entry = DirectoryLock.held[key] else { return }
        if entry.count > 1 {
            DirectoryLock.held[key] = (entry.fd, entry.count - 1)
        } else {
            DirectoryLock.held[key] = nil
            // Closing the last descriptor drops the flock. The pid is left in the file: it is
            // only read while somebody holds the lock, who has rewritten it.
            close(entry.fd)
        }
    }

    /// The pid written by the current holder, if it has written one yet.
    /// A holder that has just taken the lock may not have written its pid yet: a few short retries.
    private static func holderPID(_ fd: Int32) -> Int32? {
        for attempt in 0..<10 {
            var buffer = [UInt8](repeating: 0, count: 32)
            let n = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
            if n > 0 {
                let text = String(decoding: buffer[0..<n], as: UTF8.self)
                if text.hasSuffix("\n"), let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)) { return pid }
            }
            if attempt < 9 { usleep(20_000) }
        }
        return nil
    }

    /// Default `announce`: one line on standard error.
    public static func printToStandardError(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}
