import Foundation
import XCTest

/// `miqa video annotate` into a 16 KiB tmpfs (the annotated clip needs ~20 KB): FFmpeg 5 exits 0
/// with a truncated file there, which must become one error line naming the output, exit 1, and
/// no file, partial or complete, left behind. Needs root (to mount); skipped otherwise.
final class AnnotateFullDiskTests: XCTestCase {
    func testAnnotateOnAFullDiskFailsAndLeavesNothing() throws {
        guard getuid() == 0 else { throw XCTSkip("mounting a tmpfs needs root") }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("miqa-annotate-full-\(UUID().uuidString)")
        let disk = dir.appendingPathComponent("disk")
        try FileManager.default.createDirectory(at: disk, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        func mount(_ arguments: [String]) throws -> Int32 {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            p.arguments = arguments
            p.standardError = FileHandle.nullDevice
            try p.run()
            p.waitUntilExit()
            return p.terminationStatus
        }
        guard try mount(["mount", "-t", "tmpfs", "-o", "size=16k", "tmpfs", disk.path]) == 0 else {
            throw XCTSkip("mount -t tmpfs failed (no permission in this container?)")
        }
        defer { _ = try? mount(["umount", disk.path]) }

        let clip = try VideoFixtures.clip(in: dir, name: "clip.mp4", size: "96x64", seconds: 1.6, fps: 20)
        let log = dir.appendingPathComponent("annotate.err")
        let p = try ReleaseMiqa.start(["video", "annotate", clip, "--output-dir", disk.path, "--no-progress"], home: dir, log: log)
        p.waitUntilExit()
        let stderr = try String(contentsOf: log, encoding: .utf8)
        XCTAssertEqual(p.terminationStatus, 1, stderr)
        let lines = stderr.split(separator: "\n")
        XCTAssertEqual(lines.count, 1, stderr)
        XCTAssertTrue(stderr.hasPrefix("error: \(clip): writing \(disk.path)/clip_annotated.mp4 failed: "), stderr)
        XCTAssertTrue(stderr.contains("No space left on device"), stderr)
        XCTAssertEqual(ReleaseMiqa.entries(disk), [])
    }
}
