import Foundation
import XCTest
@testable import Checkpoints

/// Damaged or foreign files must produce a `CheckpointError` naming the file, never a crash.
final class BadFileTests: XCTestCase {
    private var scratch: URL!

    override func setUpWithError() throws { scratch = try Fixtures.scratchDirectory() }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: scratch) }

    private func write(_ bytes: [UInt8], _ name: String) throws -> URL {
        let url = scratch.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url
    }

    /// Reads `url` expecting failure; returns the error's message.
    private func failure(_ url: URL, file: StaticString = #filePath, line: UInt = #line) -> String {
        do {
            let dict = try CheckpointReader.read(url)
            XCTFail("\(url.lastPathComponent) loaded \(dict.count) tensors", file: file, line: line)
            return ""
        } catch let error as CheckpointError {
            XCTAssertTrue(error.description.contains(url.lastPathComponent), error.description, file: file, line: line)
            return error.description
        } catch {
            XCTFail("not a CheckpointError: \(error)", file: file, line: line)
            return ""
        }
    }

    func testZeroByteFile() throws {
        XCTAssertTrue(failure(try write([], "empty.pt")).contains("empty"))
    }

    func testMissingFile() {
        XCTAssertTrue(failure(scratch.appendingPathComponent("nope.pt")).contains("cannot read"))
    }

    func testRandomBytes() throws {
        var generator = SplitMix(seed: 42)
        for round in 0..<20 {
            let bytes = (0..<(1 + round * 97)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            _ = failure(try write(bytes, "random\(round).bin"))
        }
    }

    func testTextFile() throws {
        let text = Array("epoch,loss\n1,0.5\n2,0.25\n".utf8)
        XCTAssertTrue(failure(try write(text, "notes.txt")).contains("not a PyTorch checkpoint"))
    }

    func testTruncatedFilesOfEveryFormat() throws {
        for name in ["mixed_zip.pt", "mixed_legacy.pt", "wrapped_legacy.pt", "small.safetensors"] {
            let full = Array(try Data(contentsOf: Fixtures.url(name)))
            // Many cut points, including inside pickles, headers and storage bytes.
            for cut in Swift.stride(from: 1, to: full.count, by: max(1, full.count / 60)) {
                _ = failure(try write(Array(full[..<cut]), "cut-\(cut)-\(name)"))
            }
        }
    }

    func testTruncatedLegacyStorageSaysTruncated() throws {
        let full = Array(try Data(contentsOf: Fixtures.url("mixed_legacy.pt")))
        XCTAssertTrue(failure(try write(Array(full.dropLast(3)), "short.pt")).contains("truncated"))
    }

    func testMissingStorageEntry() {
        let message = failure(Fixtures.url("missing_storage.pt"))
        XCTAssertTrue(message.contains("missing storage entry"), message)
        XCTAssertTrue(message.contains("data/1"), message)
    }

    func testUnsupportedOpcodeIsNamedWithOffset() throws {
        // PROTO 2, then EXT1 (extension registry), which torch never writes.
        let message = failure(try write([0x80, 0x02, 0x82, 0x01, 0x2e, 0, 0, 0, 0, 0], "ext.pt"))
        XCTAssertTrue(message.contains("unsupported pickle opcode 0x82 at offset 2"), message)
    }

    func testPickleWithoutTorchMagic() throws {
        // A valid pickle of the int 1: not a checkpoint.
        XCTAssertTrue(failure(try write([0x80, 0x02, 0x4b, 0x01, 0x2e, 0, 0, 0, 0, 0], "int.pkl")).contains("not a PyTorch checkpoint"))
    }

    func testZipWithoutDataPickle() throws {
        // An empty zip archive: just the end-of-central-directory record.
        let empty: [UInt8] = [0x50, 0x4b, 0x05, 0x06] + [UInt8](repeating: 0, count: 18)
        XCTAssertTrue(failure(try write(empty, "empty.zip")).contains("zip"))
    }

    func testSafetensorsWithInconsistentSizes() throws {
        let header = Array(#"{"w":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}"#.utf8)
        var bytes = withUnsafeBytes(of: UInt64(header.count).littleEndian, Array.init) + header
        bytes += [UInt8](repeating: 0, count: 8)
        XCTAssertTrue(failure(try write(bytes, "bad.safetensors")).contains("malformed safetensors"))
    }

    func testPickleMachineRejectsStackUnderflow() throws {
        let bytes: [UInt8] = [0x80, 0x02, 0x30, 0x2e]  // POP on an empty stack
        let message = bytes.withUnsafeBytes { raw -> String? in
            do {
                _ = try PickleMachine.unpickle(raw, url: URL(fileURLWithPath: "/x.pkl"), persistentLoad: { $0 }) { _ in () }
                return nil
            } catch { return "\(error)" }
        }
        XCTAssertEqual(message, "/x.pkl: malformed pickle at offset 2: stack underflow")
    }
}

/// Deterministic generator so random-byte tests are reproducible.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}
