import Foundation
import XCTest

/// Runs the release `miqa` binary of this checkout under `/usr/bin/time -v`, for checks that
/// only a whole process can show: exit status, what reaches stdout/stderr, peak memory.
enum ReleaseBinary {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    struct Run {
        let status: Int32
        let stdout: String
        let stderr: String
        /// Peak resident set size in kilobytes, as GNU time reports it.
        let peakKB: Int
    }

    /// The binary, or a skip telling how to build it (`swift build -c release --product miqa`).
    static func miqa() throws -> String {
        let path = packageRoot.appendingPathComponent(".build/release/miqa").path
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw XCTSkip("no release binary at \(path): run swift build -c release --product miqa first")
        }
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/time") else { throw XCTSkip("/usr/bin/time (GNU time) is not installed") }
        return path
    }

    static func run(_ arguments: [String], in directory: URL) throws -> Run {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/time")
        process.arguments = ["-v", try miqa()] + arguments
        process.currentDirectoryURL = directory
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read stderr on another thread so neither pipe can fill up and block the child.
        // The semaphore orders the reader's write before the read below.
        final class Collected: @unchecked Sendable { var data = Data() }
        let collected = Collected()
        let done = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            collected.data = err.fileHandleForReading.readDataToEndOfFile()
            done.signal()
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        done.wait()
        process.waitUntilExit()
        let stderr = String(decoding: collected.data, as: UTF8.self)
        let peak = stderr.split(separator: "\n").first { $0.contains("Maximum resident set size") }
            .flatMap { Int($0.split(separator: ":").last?.trimmingCharacters(in: .whitespaces) ?? "") } ?? -1
        // GNU time reports the child's status in its own: "Exit status: N".
        let status = stderr.split(separator: "\n").first { $0.contains("Exit status:") }
            .flatMap { Int32($0.split(separator: ":").last?.trimmingCharacters(in: .whitespaces) ?? "") } ?? process.terminationStatus
        return Run(status: status, stdout: String(decoding: outData, as: UTF8.self), stderr: stderr, peakKB: peak)
    }
}
