import Foundation
import XCTest
import Checkpoints
@testable import MIQA

/// Two real `miqa` processes on one database root or one model name: the second waits for the
/// first (one line on stderr naming the folder and the holder's pid), and the result is what one
/// run alone gives, never a mix.
final class LockTests: XCTestCase {
    typealias F = DurabilityFixtures

    func testTwoGenerateRunsOnOneRootWaitAndGiveTheUninterruptedDatabase() throws {
        let dir = try F.folder(self, "lock-gen")
        let refs = try F.references(in: dir)
        let home = dir.appendingPathComponent("home"), logs = dir
        let baseline = try DurabilityBaselines.generated(self)

        let root = dir.appendingPathComponent("db")
        let a = try ReleaseBinary.Run(F.generateArguments(refs: refs, root: root), home: home, logs: logs, name: "a")
        let b = try ReleaseBinary.Run(F.generateArguments(refs: refs, root: root), home: home, logs: logs, name: "b")
        XCTAssertEqual(a.wait(), 0, a.stderr)
        XCTAssertEqual(b.wait(), 0, b.stderr)

        // Exactly one of them waited, and named the other as the holder.
        let aWaited = a.stderr.contains("waiting for lock on \(root.path) held by pid \(b.pid)")
        let bWaited = b.stderr.contains("waiting for lock on \(root.path) held by pid \(a.pid)")
        XCTAssertTrue(aWaited != bWaited, "a: \(a.stderr)\nb: \(b.stderr)")
        // The one that waited found both references complete and generated nothing.
        let waiter = aWaited ? a : b
        XCTAssertTrue(waiter.stderr.contains("generated 0, skipped 2 (already complete), failed 0 references"), waiter.stderr)

        let result = F.snapshot(root)
        XCTAssertEqual(result.keys.sorted(), baseline.keys.sorted())
        for (path, data) in baseline { XCTAssertEqual(result[path], data, path) }
        XCTAssertEqual(F.temporaries(root), [])
    }

    func testLabelStartedDuringGenerateWaitsAndLabelsTheFinishedDatabase() throws {
        let (home, _, labels) = try DurabilityBaselines.labels(self)
        let dir = try F.folder(self, "lock-label")
        let refs = try F.references(in: dir)
        let root = dir.appendingPathComponent("db")
        let generate = try ReleaseBinary.Run(F.generateArguments(refs: refs, root: root), home: home, logs: dir, name: "generate")
        // Label as soon as the generator holds the root (its lock file exists).
        XCTAssertTrue(ReleaseBinary.waitFor(timeout: 30) { FileManager.default.fileExists(atPath: root.appendingPathComponent(DirectoryLock.fileName).path) })
        let label = try ReleaseBinary.Run(DurabilityBaselines.labelArguments(root), home: home, logs: dir, name: "label")
        XCTAssertEqual(generate.wait(), 0, generate.stderr)
        XCTAssertEqual(label.wait(), 0, label.stderr)
        XCTAssertTrue(label.stderr.contains("waiting for lock on \(root.path) held by pid \(generate.pid)"), label.stderr)
        XCTAssertEqual(F.snapshot(root.appendingPathComponent("labels")), labels)
    }

    func testTrainWaitsWhileAnotherProcessHoldsItsOutputFolder() throws {
        let dir = try F.folder(self, "lock-train")
        let out = dir.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        let data = dir.appendingPathComponent("data")
        try AtomicFile.makeDirectory(data.appendingPathComponent("labels"))
        try AtomicFile.write("dist_images,weighted_consistency,weighted_accuracy\nr/r_0.png,0.5,0.5\n",
                             to: data.appendingPathComponent("labels/r_mmos.csv"))
        try AtomicFile.write("Image Name\nr.JPEG\n", to: data.appendingPathComponent("split.csv"))
        // The holder is Python's own flock on the lock file, with its pid written as miqa does;
        // it lets go when its standard input closes.
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        holder.arguments = ["-c", """
            import fcntl, os, sys
            f = open(sys.argv[1], 'a+'); fcntl.flock(f, fcntl.LOCK_EX); f.truncate(0); f.write('%d\\n' % os.getpid()); f.flush()
            print('held', flush=True); sys.stdin.read()
            """, out.appendingPathComponent(DirectoryLock.fileName).path]
        let input = Pipe(), output = Pipe()
        holder.standardInput = input
        holder.standardOutput = output
        try holder.run()
        var said = Data()
        while !said.contains(UInt8(ascii: "\n")) {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            said += chunk
        }
        XCTAssertEqual(String(decoding: said, as: UTF8.self), "held\n")

        // --resume with nothing to resume: once it has the lock, train stops with that error.
        let train = try ReleaseBinary.Run(["train", "--data", data.path, "--task", "cls", "--train-split", data.appendingPathComponent("split.csv").path,
                                           "--val-split", data.appendingPathComponent("split.csv").path, "--model", "resnet18",
                                           "--out", out.path, "--resume", "--no-progress"], home: dir, logs: dir, name: "train")
        XCTAssertTrue(ReleaseBinary.waitFor(timeout: 30) { train.stderr.contains("waiting for lock") })
        XCTAssertTrue(train.stderr.contains("waiting for lock on \(out.path) held by pid \(holder.processIdentifier)"), train.stderr)
        XCTAssertTrue(train.process.isRunning, "train must wait while the folder is held")
        try input.fileHandleForWriting.close()
        holder.waitUntilExit()
        XCTAssertNotEqual(train.wait(), 0)
        XCTAssertTrue(train.stderr.contains("--resume: no \(out.path)/last/state.safetensors to resume from"), train.stderr)
    }

    func testTwoImportsOfOneNameGiveOneCheckpointWithItsOwnCard() throws {
        let dir = try F.folder(self, "lock-import")
        let home = dir.appendingPathComponent("home")
        let first = try F.classifierCheckpoint(seed: 1), second = try F.classifierCheckpoint(seed: 2)

        let a = try ReleaseBinary.Run(["weights", "import", first.path, "--model", "efficientnet_lite0"], home: home, logs: dir, name: "a")
        let b = try ReleaseBinary.Run(["weights", "import", second.path, "--model", "efficientnet_lite0"], home: home, logs: dir, name: "b")
        XCTAssertEqual(a.wait(), 0, a.stderr)
        XCTAssertEqual(b.wait(), 0, b.stderr)

        let store = ModelStore(root: home)
        let modelDir = store.directory(for: "efficientnet_lite0")
        let aWaited = a.stderr.contains("waiting for lock on \(modelDir.path) held by pid \(b.pid)")
        let bWaited = b.stderr.contains("waiting for lock on \(modelDir.path) held by pid \(a.pid)")
        XCTAssertTrue(aWaited != bWaited, "a: \(a.stderr)\nb: \(b.stderr)")

        // The card describes the checkpoint whose weights are installed, and its checksum fits.
        let card = try store.card(named: "efficientnet_lite0")
        let source = try XCTUnwrap([first, second].first { $0.lastPathComponent == card.source }, card.source)
        XCTAssertEqual(card.sourceSHA256, try F.sha256sum(source))
        XCTAssertEqual(card.weightsSHA256, try F.sha256sum(store.weightsURL(for: "efficientnet_lite0")))
        let installed = try SafetensorsReader.read(store.weightsURL(for: "efficientnet_lite0"))
        let original = try SafetensorsReader.read(source)
        XCTAssertGreaterThan(installed.count, 100)
        for (key, tensor) in installed.entries { XCTAssertTrue(tensor.values == original[key]?.values, "\(key) differs from \(source.lastPathComponent)") }
        // The waiter ran second, so its checkpoint is the one installed.
        XCTAssertEqual(source, aWaited ? first : second)
        XCTAssertNoThrow(try store.load("efficientnet_lite0"))
        XCTAssertEqual(F.temporaries(home), [])
    }
}
