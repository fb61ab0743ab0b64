import Foundation
import XCTest

/// The release `miqa` binary run as real processes: the durability tests start it, kill it,
/// race two of it, and read what it leaves on disk.
///
/// The binary is `.build/release/miqa` of this package (build it with
/// `swift build -c release --product miqa`), or `$MIQA_BINARY`. Without it the tests are skipped
/// with that instruction; a binary older than a source file fails the test (it would test old code).
enum ReleaseBinary {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The binary, checked to exist and to be newer than every file under `Sources/`.
    static func url(file: StaticString = #filePath, line: UInt = #line) throws -> URL {
        let env = ProcessInfo.processInfo.environment["MIQA_BINARY"]
        let url = env.map { URL(fileURLWithPath: $0) } ?? packageRoot.appendingPathComponent(".build/release/miqa")
        guard FileManager.default.isExecutableFile(atPath: url.path) else {
            throw XCTSkip("no release binary at \(url.path); build it with: swift build -c release --product miqa")
        }
        if env == nil, let built = modified(url), let newest = newestSource(), newest.date > built {
            XCTFail("\(url.path) is older than \(newest.path); rebuild it with: swift build -c release --product miqa",
                    file: file, line: line)
        }
        return url
    }

    private static func modified(_ url: URL) -> Date? {
        (try? FileManager.default.attributesOfItem(atPath: url.path))?[.modificationDate] as? Date
    }

    private static func newestSource() -> (path: String, date: Date)? {
        let sources = packageRoot.appendingPathComponent("Sources")
        guard let walker = FileManager.default.enumerator(at: sources, includingPropertiesForKeys: [.contentModificationDateKey]) else { return nil }
        var best: (String, Date)?
        for case let url as URL in walker where url.pathExtension == "swift" {
            if let d = modified(url), best == nil || d > best!.1 { best = (url.path, d) }
        }
        return best
    }

    /// A started `miqa` process; standard output and error go to files (pipes could fill up).
    final class Run {
        let process = Process()
        let stdoutURL: URL
        let stderrURL: URL

        init(_ arguments: [String], home: URL, logs: URL, name: String) throws {
            stdoutURL = logs.appendingPathComponent("\(name).out")
            stderrURL = logs.appendingPathComponent("\(name).err")
            FileManager.default.createFile(atPath: stdoutURL.path, contents: nil)
            FileManager.default.createFile(atPath: stderrURL.path, contents: nil)
            process.executableURL = try ReleaseBinary.url()
            process.arguments = arguments
            var env = ProcessInfo.processInfo.environment
            env["MIQA_HOME"] = home.path
            // One OpenMP thread: the machine is shared, and the runs compared with each other
            // all use the same setting (results do not depend on timing).
            env["OMP_NUM_THREADS"] = "1"
            process.environment = env
            process.standardInput = FileHandle.nullDevice
            process.standardOutput = try FileHandle(forWritingTo: stdoutURL)
            process.standardError = try FileHandle(forWritingTo: stderrURL)
            try process.run()
        }

        var pid: Int32 { process.processIdentifier }

        /// Waits for the exit; returns the exit status (or 128 + signal).
        @discardableResult
        func wait() -> Int32 {
            process.waitUntilExit()
            return process.terminationReason == .uncaughtSignal ? 128 + process.terminationStatus : process.terminationStatus
        }

        /// SIGKILL, then reap.
        func kill() {
            _ = Foundation.kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }

        var stderr: String { (try? String(contentsOf: stderrURL, encoding: .utf8)) ?? "" }
        var stdout: String { (try? String(contentsOf: stdoutURL, encoding: .utf8)) ?? "" }
    }

    /// Runs `miqa arguments` to the end; returns status and standard error.
    static func run(_ arguments: [String], home: URL, logs: URL, name: String) throws -> (status: Int32, stderr: String) {
        let r = try Run(arguments, home: home, logs: logs, name: name)
        let status = r.wait()
        return (status, r.stderr)
    }

    /// Polls `condition` every 5 ms until it holds (true) or `timeout` passes (false).
    static func waitFor(timeout: Double, _ condition: () -> Bool) -> Bool {
        let end = Date().addingTimeInterval(timeout)
        while Date() < end {
            if condition() { return true }
            usleep(5_000)
        }
        return condition()
    }
}
