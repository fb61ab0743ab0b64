import Foundation
import XCTest
import Checkpoints
@testable import MIQA

/// `weights import`, `dataset generate` and `dataset label` writing into a small tmpfs that fills
/// up: one clear error naming the path, a non-zero exit, nothing that looks complete, and no
/// temporary left behind. Needs root (to mount); skipped otherwise.
final class FullDiskTests: XCTestCase {
    typealias F = DurabilityFixtures

    /// A tmpfs of `size` (e.g. "2m") mounted on a fresh folder, unmounted when the test ends.
    private func smallDisk(_ size: String) throws -> URL {
        guard getuid() == 0 else { throw XCTSkip("mounting a tmpfs needs root") }
        let dir = try F.folder(self, "fulldisk")
        let mount = Process()
        mount.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        mount.arguments = ["mount", "-t", "tmpfs", "-o", "size=\(size)", "tmpfs", dir.path]
        mount.standardOutput = FileHandle.nullDevice
        mount.standardError = FileHandle.nullDevice
        try mount.run()
        mount.waitUntilExit()
        guard mount.terminationStatus == 0 else { throw XCTSkip("mount -t tmpfs failed (no permission in this container?)") }
        addTeardownBlock {
            let umount = Process()
            umount.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            umount.arguments = ["umount", dir.path]
            try? umount.run()
            umount.waitUntilExit()
        }
        return dir
    }

    /// Fills the file system of `dir` with a filler file until a write fails.
    private func fill(_ dir: URL) throws {
        let fd = open(dir.appendingPathComponent("filler").path, O_WRONLY | O_CREAT, 0o644)
        XCTAssertGreaterThanOrEqual(fd, 0)
        defer { close(fd) }
        let chunk = [UInt8](repeating: 0xAB, count: 4096)
        while chunk.withUnsafeBytes({ write(fd, $0.baseAddress, $0.count) }) == chunk.count {}
    }

    func testWeightsImportOnAFullDiskFailsCleanly() throws {
        let disk = try smallDisk("2m")
        let dir = try F.folder(self, "fulldisk-in")
        let checkpoint = try F.classifierCheckpoint(seed: 1)
        let r = try ReleaseBinary.run(["weights", "import", checkpoint.path, "--model", "efficientnet_lite0"], home: disk, logs: dir, name: "import")
        XCTAssertEqual(r.status, 2, r.stderr)
        let weights = ModelStore(root: disk).weightsURL(for: "efficientnet_lite0")
        XCTAssertTrue(r.stderr.contains("error: \(weights.path): cannot write: "), r.stderr)
        XCTAssertTrue(r.stderr.contains("No space left on device"), r.stderr)
        XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, r.stderr)
        XCTAssertEqual(ModelStore(root: disk).list(), [])
        XCTAssertFalse(FileManager.default.fileExists(atPath: ModelStore(root: disk).cardURL(for: "efficientnet_lite0").path))
        XCTAssertFalse(FileManager.default.fileExists(atPath: weights.path))
        XCTAssertEqual(F.temporaries(disk), [])
    }

    func testReimportOnAFullDiskKeepsThePreviousModel() throws {
        // Room for one 18.6 MB model, not for a second one staged beside it.
        let disk = try smallDisk("30m")
        let dir = try F.folder(self, "fulldisk-in")
        let first = try F.classifierCheckpoint(seed: 1), second = try F.classifierCheckpoint(seed: 2)
        let ok = try ReleaseBinary.run(["weights", "import", first.path, "--model", "efficientnet_lite0"], home: disk, logs: dir, name: "first")
        XCTAssertEqual(ok.status, 0, ok.stderr)
        let store = ModelStore(root: disk)
        let before = F.snapshot(store.directory(for: "efficientnet_lite0"))

        let r = try ReleaseBinary.run(["weights", "import", second.path, "--model", "efficientnet_lite0"], home: disk, logs: dir, name: "second")
        XCTAssertEqual(r.status, 2, r.stderr)
        XCTAssertTrue(r.stderr.contains("error: \(store.weightsURL(for: "efficientnet_lite0").path): cannot write: "), r.stderr)
        XCTAssertTrue(r.stderr.contains("No space left on device"), r.stderr)
        XCTAssertEqual(F.snapshot(store.directory(for: "efficientnet_lite0")), before)
        XCTAssertEqual(try store.card(named: "efficientnet_lite0").source, first.lastPathComponent)
        XCTAssertNoThrow(try store.load("efficientnet_lite0"))
        XCTAssertEqual(F.temporaries(disk), [])
    }

    func testGenerateOnAFullDiskFailsItsReferencesCleanly() throws {
        let baseline = try DurabilityBaselines.generated(self)
        let disk = try smallDisk("2m")
        let dir = try F.folder(self, "fulldisk-in")
        let refs = try F.references(in: dir)
        let root = disk.appendingPathComponent("db")
        let r = try ReleaseBinary.run(F.generateArguments(refs: refs, root: root), home: dir, logs: dir, name: "generate")
        XCTAssertEqual(r.status, 1, r.stderr)
        let errors = r.stderr.split(separator: "\n").filter { $0.hasPrefix("error: ") }
        XCTAssertFalse(errors.isEmpty, r.stderr)
        for line in errors {
            XCTAssertTrue(line.contains(root.path) && line.contains("No space left on device"), String(line))
        }
        // A reference either is complete (every file equal to the uninterrupted run's) or has no folder.
        let layout = MIQDLayout(root: root)
        let found = F.snapshot(root)
        var failed = 0
        for id in ["ref_astronaut", "ref_coffee"] {
            if FileManager.default.fileExists(atPath: layout.completionMarker(id).path) {
                for (path, data) in baseline where path.hasPrefix("images/\(id)/") { XCTAssertEqual(found[path], data, path) }
            } else {
                failed += 1
                XCTAssertFalse(FileManager.default.fileExists(atPath: layout.folder(id).path), "\(id): folder left")
            }
        }
        XCTAssertGreaterThan(failed, 0)
        XCTAssertEqual(F.temporaries(root), [])
    }

    func testLabelOnAFullDiskWritesNoLabelFile() throws {
        let (home, _, _) = try DurabilityBaselines.labels(self)
        let disk = try smallDisk("8m")
        let root = disk.appendingPathComponent("db")
        try DurabilityBaselines.copyOfGenerated(self, to: root)
        try fill(disk)
        let dir = try F.folder(self, "fulldisk-in")
        let r = try ReleaseBinary.run(DurabilityBaselines.labelArguments(root), home: home, logs: dir, name: "label")
        XCTAssertNotEqual(r.status, 0, r.stderr)
        let errors = r.stderr.split(separator: "\n").filter { $0.lowercased().hasPrefix("error: ") }
        XCTAssertFalse(errors.isEmpty, r.stderr)
        for line in errors {
            XCTAssertTrue(line.contains(root.appendingPathComponent("labels").path) && line.contains("No space left on device"), String(line))
        }
        let labels = (try? FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("labels").path)) ?? []
        XCTAssertEqual(labels.filter { !$0.hasPrefix(".") }, [])
        XCTAssertEqual(F.temporaries(root), [])
    }
}
