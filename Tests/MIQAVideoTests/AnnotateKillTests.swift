import Foundation
import XCTest

/// `kill -9` of a real `miqa video annotate` (the release binary, built-in default model) at
/// several moments, then a rerun: no annotated file appears unless complete, the rerun's file is
/// byte-equal to an uninterrupted run's, and the killed run's hidden partial file is gone.
final class AnnotateKillTests: XCTestCase {
    private static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// `.build/release/miqa` (or `$MIQA_BINARY`); skipped with the build command when missing.
    private func binary() throws -> URL {
        let env = ProcessInfo.processInfo.environment["MIQA_BINARY"]
        let url = env.map { URL(fileURLWithPath: $0) } ?? Self.packageRoot.appendingPathComponent(".build/release/miqa")
        guard FileManager.default.isExecutableFile(atPath: url.path) else {
            throw XCTSkip("no release binary at \(url.path); build it with: swift build -c release --product miqa")
        }
        return url
    }

    private func start(_ arguments: [String], home: URL, log: URL) throws -> Process {
        let p = Process()
        p.executableURL = try binary()
        p.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env["MIQA_HOME"] = home.path
        env.removeValue(forKey: "MIQA_DEFAULT_MODEL")
        p.environment = env
        FileManager.default.createFile(atPath: log.path, contents: nil)
        p.standardInput = FileHandle.nullDevice
        p.standardOutput = FileHandle.nullDevice
        p.standardError = try FileHandle(forWritingTo: log)
        try p.run()
        return p
    }

    private func entries(_ dir: URL) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []).sorted()
    }

    func testAnnotateKilledThenRerunGivesTheUninterruptedFile() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("miqa-annotate-kill-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let clip = try VideoFixtures.clip(in: dir, name: "clip.mp4", size: "96x64", seconds: 1.6, fps: 20)
        func arguments(_ out: URL) -> [String] { ["video", "annotate", clip, "--output-dir", out.path, "--no-progress", "--batch-size", "4"] }

        let full = dir.appendingPathComponent("full")
        let baselineRun = try start(arguments(full), home: dir, log: dir.appendingPathComponent("full.err"))
        baselineRun.waitUntilExit()
        let log = (try? String(contentsOf: dir.appendingPathComponent("full.err"), encoding: .utf8)) ?? ""
        XCTAssertEqual(baselineRun.terminationStatus, 0, log)
        let expected = try Data(contentsOf: full.appendingPathComponent("clip_annotated.mp4"))
        XCTAssertEqual(entries(full), ["clip_annotated.mp4"])

        // Kill moments: fixed delays, and as soon as the encoder's partial file exists.
        let moments: [(String, (URL) -> Bool)] = [
            ("after 0.4 s", { _ in false }),
            ("on the partial file", { out in self.entries(out).contains { $0.contains(".partial-") } }),
        ]
        let delays = [0.4, 30]
        var kills = 0
        for (i, (moment, trigger)) in moments.enumerated() {
            let out = dir.appendingPathComponent("out\(i)")
            try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
            let p = try start(arguments(out), home: dir, log: dir.appendingPathComponent("out\(i).err"))
            let end = Date().addingTimeInterval(delays[i])
            while Date() < end && p.isRunning && !trigger(out) { usleep(5_000) }
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
            if p.terminationReason == .uncaughtSignal { kills += 1 }
            if i == 1 { XCTAssertTrue(entries(out).contains { $0.contains(".partial-") }, "the kill should leave a partial file to clean") }
            // The annotated name exists only for a complete file.
            if FileManager.default.fileExists(atPath: out.appendingPathComponent("clip_annotated.mp4").path) {
                XCTAssertEqual(try Data(contentsOf: out.appendingPathComponent("clip_annotated.mp4")), expected, moment)
            }
            let rerun = try start(arguments(out), home: dir, log: dir.appendingPathComponent("out\(i)-rerun.err"))
            rerun.waitUntilExit()
            XCTAssertEqual(rerun.terminationStatus, 0, moment)
            XCTAssertEqual(try Data(contentsOf: out.appendingPathComponent("clip_annotated.mp4")), expected, moment)
            XCTAssertEqual(entries(out), ["clip_annotated.mp4"], moment)
        }
        XCTAssertEqual(kills, moments.count, "every kill should hit a running annotation")
    }
}
