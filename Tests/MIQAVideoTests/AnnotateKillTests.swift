import Foundation
import XCTest

/// `kill -9` of a real `miqa video annotate` (the release binary, built-in default model) at
/// several moments, then a rerun: no annotated file appears unless complete, the rerun's file is
/// byte-equal to an uninterrupted run's, and the killed run's hidden partial file is gone.
final class AnnotateKillTests: XCTestCase {
    func testAnnotateKilledThenRerunGivesTheUninterruptedFile() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("miqa-annotate-kill-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let clip = try VideoFixtures.clip(in: dir, name: "clip.mp4", size: "96x64", seconds: 1.6, fps: 20)
        func arguments(_ out: URL) -> [String] { ["video", "annotate", clip, "--output-dir", out.path, "--no-progress", "--batch-size", "4"] }

        let full = dir.appendingPathComponent("full")
        let baselineRun = try ReleaseMiqa.start(arguments(full), home: dir, log: dir.appendingPathComponent("full.err"))
        baselineRun.waitUntilExit()
        let log = (try? String(contentsOf: dir.appendingPathComponent("full.err"), encoding: .utf8)) ?? ""
        XCTAssertEqual(baselineRun.terminationStatus, 0, log)
        let expected = try Data(contentsOf: full.appendingPathComponent("clip_annotated.mp4"))
        XCTAssertEqual(ReleaseMiqa.entries(full), ["clip_annotated.mp4"])

        // Kill moments: fixed delays, and as soon as the encoder's partial file exists.
        let moments: [(String, (URL) -> Bool)] = [
            ("after 0.4 s", { _ in false }),
            ("on the partial file", { out in ReleaseMiqa.entries(out).contains { $0.contains(".partial-") } }),
        ]
        let delays = [0.4, 30]
        var kills = 0
        for (i, (moment, trigger)) in moments.enumerated() {
            let out = dir.appendingPathComponent("out\(i)")
            try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
            let p = try ReleaseMiqa.start(arguments(out), home: dir, log: dir.appendingPathComponent("out\(i).err"))
            let end = Date().addingTimeInterval(delays[i])
            while Date() < end && p.isRunning && !trigger(out) { usleep(5_000) }
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
            if p.terminationReason == .uncaughtSignal { kills += 1 }
            if i == 1 { XCTAssertTrue(ReleaseMiqa.entries(out).contains { $0.contains(".partial-") }, "the kill should leave a partial file to clean") }
            // The annotated name exists only for a complete file.
            if FileManager.default.fileExists(atPath: out.appendingPathComponent("clip_annotated.mp4").path) {
                XCTAssertEqual(try Data(contentsOf: out.appendingPathComponent("clip_annotated.mp4")), expected, moment)
            }
            let rerun = try ReleaseMiqa.start(arguments(out), home: dir, log: dir.appendingPathComponent("out\(i)-rerun.err"))
            rerun.waitUntilExit()
            XCTAssertEqual(rerun.terminationStatus, 0, moment)
            XCTAssertEqual(try Data(contentsOf: out.appendingPathComponent("clip_annotated.mp4")), expected, moment)
            XCTAssertEqual(ReleaseMiqa.entries(out), ["clip_annotated.mp4"], moment)
        }
        XCTAssertEqual(kills, moments.count, "every kill should hit a running annotation")
    }
}
