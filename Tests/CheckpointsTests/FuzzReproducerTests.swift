import Foundation
import XCTest
@testable import Checkpoints

/// Every checkpoint reproducer from the fuzzing campaign (issue 9), copied
/// into Fixtures/fuzz: each is refused with one line naming the file, the same
/// line on every run, in bounded time. Before the fix they crashed with a
/// stack overflow (deeply nested pickles) or took 2-8 GB (stride-0 views).
final class FuzzReproducerTests: XCTestCase {
    private func refusal(_ name: String, file: StaticString = #filePath, line: UInt = #line) -> String {
        let url = Fixtures.url("fuzz/\(name)")
        var messages: [String] = []
        for _ in 0..<2 {
            let start = Date()
            do {
                let dict = try CheckpointReader.read(url)
                XCTFail("\(name) loaded \(dict.count) tensors", file: file, line: line)
            } catch let error as CheckpointError {
                messages.append(error.description)
            } catch {
                XCTFail("\(name): not a CheckpointError: \(error)", file: file, line: line)
            }
            XCTAssertLessThan(Date().timeIntervalSince(start), 10, "\(name) took too long", file: file, line: line)
        }
        guard let message = messages.first else { return "" }
        XCTAssertEqual(messages.count, 2, file: file, line: line)
        XCTAssertEqual(Set(messages).count, 1, "different messages on two runs: \(messages)", file: file, line: line)
        XCTAssertTrue(message.hasPrefix(url.path + ": "), message, file: file, line: line)
        XCTAssertFalse(message.contains("\n"), message, file: file, line: line)
        return message
    }

    private let tooDeep = "refused: pickle values are nested more than 1000 levels deep"

    func testDeepDictZip() {
        XCTAssertTrue(refusal("ckpt_segv_deep_dict_zip.pth").contains(tooDeep))
    }

    func testDeepList60kZip() {
        XCTAssertTrue(refusal("ckpt_segv_deep_list_60k_zip.pth").contains(tooDeep))
    }

    func testDeepListZip() {
        XCTAssertTrue(refusal("ckpt_segv_deep_list_zip.pth").contains(tooDeep))
    }

    /// A storage type that is a deeply nested tuple: the error used to print
    /// the whole value (recursively); now it names only its kind.
    func testDeepStorageTypeDescriptionZip() {
        let message = refusal("ckpt_segv_deep_storage_type_description_zip.pth")
        XCTAssertTrue(message.hasSuffix(": unsupported element type (a tuple where a storage class belongs)"), message)
    }

    func testDeepTuple60kLegacy() {
        XCTAssertTrue(refusal("ckpt_segv_deep_tuple_60k_legacy.pth").contains(tooDeep))
    }

    /// One float stored, a 16384 x 16384 stride-0 view declared: 1 GiB of values.
    func testStrideZeroOneGigabyte() {
        let message = refusal("ckpt_membomb_stride0_1x1GB_zip.pth")
        XCTAssertTrue(message.hasSuffix(": refused: its 1 tensor (268435456 values) would need 1.0 GiB of memory, beyond the 256.0 MiB allowed for a 582-byte file (8 bytes per file byte + 256 MiB)"), message)
    }

    /// Eight such views: the total is charged before the first is allocated.
    func testStrideZeroEightGigabytes() {
        let message = refusal("ckpt_membomb_stride0_8x1GB_zip.pth")
        XCTAssertTrue(message.contains("refused: its 8 tensors (2147483648 values) would need 8.0 GiB of memory"), message)
    }

    // Found by mutating the fixtures after the fix; both trapped inside the
    // zip library used before (an offset converted to off_t past 2^63).

    /// A stored entry whose directory claims 128 MiB unpacked from 40 bytes.
    func testStoredZipEntryWithMismatchedSizes() {
        let message = refusal("zip_stored_size_mismatch.pt")
        XCTAssertTrue(message.hasSuffix("stored zip entry 'extras_globals/.data/serialization_id' declares 40 stored and 134217768 unpacked bytes"), message)
    }

    /// The zip64 end record's directory offset has its top bit set; the plain
    /// end record is intact and is what the reader uses, so the file loads as
    /// the unmutated one does (values as torch wrote them).
    func testZip64DirectoryOffsetPast2e63() throws {
        let mutated = try CheckpointReader.read(Fixtures.url("fuzz/zip64_directory_offset_past_2e63.pt"))
        assertMatches(mutated, try Fixtures.expected("mixed_zip_p5.pt"))
    }
}
