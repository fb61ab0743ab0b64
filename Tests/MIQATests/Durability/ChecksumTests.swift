import Foundation
import XCTest
import Checkpoints
@testable import MIQA

/// The SHA-256 of model cards: our digest equals Python's `hashlib` on messages around every
/// padding boundary, and a store model whose weights no longer match their card is refused on
/// load with an error naming the file.
final class ChecksumTests: XCTestCase {
    typealias F = DurabilityFixtures

    func testDigestEqualsHashlib() throws {
        let dir = try F.folder(self, "sha")
        var g = SystemRandomNumberGenerator()
        let lengths = [0, 1, 3, 55, 56, 57, 63, 64, 65, 119, 120, 127, 128, 1000, 1 << 20 | 5]
        var files: [URL] = []
        for n in lengths {
            let url = dir.appendingPathComponent("m\(n)")
            try Data((0..<n).map { _ in UInt8.random(in: 0...255, using: &g) }).write(to: url)
            files.append(url)
        }
        let python = Process()
        let venv = URL(fileURLWithPath: "/work/main/.build/oracle-venv/bin/python3")
        python.executableURL = FileManager.default.isExecutableFile(atPath: venv.path) ? venv : URL(fileURLWithPath: "/usr/bin/python3")
        python.arguments = ["-c", "import hashlib, sys\nfor p in sys.argv[1:]: print(hashlib.sha256(open(p, 'rb').read()).hexdigest())"]
            + files.map(\.path)
        let out = Pipe()
        python.standardOutput = out
        try python.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        python.waitUntilExit()
        XCTAssertEqual(python.terminationStatus, 0)
        let expected = text.split(separator: "\n").map(String.init)
        XCTAssertEqual(expected.count, files.count)
        for (url, digest) in zip(files, expected) {
            XCTAssertEqual(try SHA256.hex(fileAt: url), digest, url.lastPathComponent)
            XCTAssertEqual(SHA256.hex(try Data(contentsOf: url)), digest, url.lastPathComponent)
        }
    }

    /// The repository's tiny ResNet-18 saved into a fresh store.
    private func storeWithTinyModel() throws -> (ModelStore, String) {
        let models = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/models/resnet18")
        let config = try ArchitectureConfig.load(models.appendingPathComponent("config.json"))
        let dict = try CheckpointReader.read(models.appendingPathComponent("model.pth.tar"))
        let store = ModelStore(root: try F.folder(self, "store"))
        let card = ModelCard(name: "miqa_resnet18_cls_composite", model: "resnet18", task: "cls", label: "composite",
                             config: config, source: "model.pth.tar")
        _ = try store.save(dict, card: card)
        return (store, card.name)
    }

    func testChangedWeightsAreRefusedOnLoad() throws {
        let (store, name) = try storeWithTinyModel()
        XCTAssertNoThrow(try store.load(name))
        XCTAssertEqual(try store.card(named: name).weightsSHA256, try SHA256.hex(fileAt: store.weightsURL(for: name)))
        XCTAssertEqual(F.temporaries(store.root), [])

        // One flipped bit in the last tensor's data: still a valid safetensors file, other numbers.
        let url = store.weightsURL(for: name)
        var bytes = try Data(contentsOf: url)
        bytes[bytes.count - 1] ^= 0x01
        try bytes.write(to: url)
        XCTAssertThrowsError(try store.load(name)) { error in
            XCTAssertEqual("\(error)", "\(url.path) does not match the SHA-256 in model.json; re-import it")
        }
        // A truncated file (a copy cut short) is refused the same way.
        try bytes.prefix(bytes.count / 2).write(to: url)
        XCTAssertThrowsError(try store.load(name)) { error in
            XCTAssertEqual("\(error)", "\(url.path) does not match the SHA-256 in model.json; re-import it")
        }
    }
}
