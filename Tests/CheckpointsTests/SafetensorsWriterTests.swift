import Foundation
import XCTest
import Checkpoints

final class SafetensorsWriterTests: XCTestCase {
    private var scratch: URL!
    override func setUpWithError() throws { scratch = try Fixtures.scratchDirectory() }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: scratch) }

    private func sample() -> TensorDict {
        var dict = TensorDict()
        dict.set("z.last.weight", StoredTensor(shape: [2, 3], values: [1, -2, 0.1, 65504, 1e-7, -.infinity]))
        dict.set("a.first.bias", StoredTensor(shape: [3], values: [0.5, 1.0 / 3.0, -0.0]))
        dict.set("bn.num_batches_tracked", StoredTensor(shape: [], sourceType: .int64, values: [7]))
        dict.set("empty", StoredTensor(shape: [0, 4], values: []))
        return dict
    }

    func testFloat32RoundTripIsExactAndKeepsOrder() throws {
        let url = scratch.appendingPathComponent("out.safetensors")
        try SafetensorsWriter.write(sample(), metadata: ["format": "pt", "quote\"d": "line\nbreak"], to: url, as: .float32)
        let back = try CheckpointReader.read(url)
        XCTAssertEqual(back.names, sample().names)
        for (name, tensor) in sample().entries {
            XCTAssertEqual(back[name]?.shape, tensor.shape)
            XCTAssertEqual(back[name]?.values.map(\.bitPattern), tensor.values.map(\.bitPattern), name)
            XCTAssertEqual(back[name]?.sourceType, .float32)
        }
        XCTAssertEqual(try SafetensorsWriter.readMetadata(url), ["format": "pt", "quote\"d": "line\nbreak"])
    }

    func testFloat16AndBFloat16RoundTripMatchRoundedValues() throws {
        for (type, round) in [(StorageType.float16, { HalfPrecision.float(fromHalf: HalfPrecision.half(from: $0)) }),
                              (.bfloat16, { HalfPrecision.float(fromBFloat16: HalfPrecision.bfloat16(from: $0)) })] {
            let url = scratch.appendingPathComponent("out-\(type).safetensors")
            try SafetensorsWriter.write(sample(), metadata: [:], to: url, as: type)
            let back = try SafetensorsReader.read(url)
            XCTAssertEqual(back.names, sample().names)
            for (name, tensor) in sample().entries {
                XCTAssertEqual(back[name]?.sourceType, type)
                XCTAssertEqual(back[name]?.values.map(\.bitPattern), tensor.values.map(round).map(\.bitPattern), "\(type) \(name)")
            }
            XCTAssertEqual(try SafetensorsReader.readMetadata(url), [:])
        }
    }

    func testHeaderIsPaddedToEightBytes() throws {
        let url = scratch.appendingPathComponent("pad.safetensors")
        var dict = TensorDict()
        dict.set("x", StoredTensor(shape: [1], values: [1]))
        try SafetensorsWriter.write(dict, metadata: [:], to: url, as: .float16)
        let bytes = try Data(contentsOf: url)
        let size = bytes.prefix(8).enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        XCTAssertEqual(size % 8, 0)
        XCTAssertEqual(bytes.count, 8 + size + 2)
        XCTAssertEqual(bytes[8 + size - 1], UInt8(ascii: " "))
    }

    func testOverwriteIsAtomicAndLeavesNoTemporaries() throws {
        let url = scratch.appendingPathComponent("w.safetensors")
        try SafetensorsWriter.write(sample(), metadata: [:], to: url, as: .float32)
        try SafetensorsWriter.write(sample(), metadata: ["v": "2"], to: url, as: .float16)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: scratch.path), ["w.safetensors"])
        XCTAssertEqual(try SafetensorsReader.readMetadata(url), ["v": "2"])
    }

    func testRejectsUnsupportedTypeAndBadShapes() {
        let url = scratch.appendingPathComponent("x.safetensors")
        XCTAssertThrowsError(try SafetensorsWriter.write(sample(), metadata: [:], to: url, as: .int64))
        var bad = TensorDict()
        bad.set("w", StoredTensor(shape: [2, 2], values: [1, 2, 3]))
        XCTAssertThrowsError(try SafetensorsWriter.write(bad, metadata: [:], to: url, as: .float32)) { error in
            XCTAssertTrue("\(error)".contains("'w'"))
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: url.path))
    }
}
