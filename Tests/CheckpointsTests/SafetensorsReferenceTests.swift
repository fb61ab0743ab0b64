import Foundation
import XCTest
@testable import Checkpoints

/// Our safetensors reader accepts exactly the files the reference `safetensors`
/// library accepts. The files and the library's verdicts were recorded by
/// tools/checkpoints/make_safetensors_cases.py (safetensors 0.7.0).
final class SafetensorsReferenceTests: XCTestCase {
    private struct Expectations: Decodable {
        struct Verdict: Decodable {
            let accepts: Bool
            let library_says: String
        }
        let library: String
        let cases: [String: Verdict]
    }

    private func expectations() throws -> Expectations {
        let data = try Data(contentsOf: Fixtures.url("safetensors/expectations.json"))
        return try JSONDecoder().decode(Expectations.self, from: data)
    }

    func testAgreesWithTheReferenceLibraryOnEveryCase() throws {
        let recorded = try expectations()
        XCTAssertGreaterThanOrEqual(recorded.cases.count, 50, "expected the full set of recorded cases")
        for (name, verdict) in recorded.cases.sorted(by: { $0.key < $1.key }) {
            let url = Fixtures.url("safetensors/\(name).safetensors")
            do {
                let dict = try SafetensorsReader.read(url)
                XCTAssertTrue(verdict.accepts, "\(name): we accept (\(dict.count) tensors), \(recorded.library) says \(verdict.library_says)")
            } catch let error as CheckpointError {
                XCTAssertFalse(verdict.accepts, "\(name): we refuse (\(error)), \(recorded.library) accepts it")
                XCTAssertTrue(error.description.hasPrefix(url.path + ": "), "\(name): message must name the file: \(error)")
                XCTAssertFalse(error.description.contains("\n"), "\(name): one line: \(error)")
            }
        }
    }

    /// The sniffing in ``CheckpointReader`` must not turn an accepted file into
    /// "not a checkpoint" (e.g. the header starting with a space).
    func testFormatDetectionAcceptsWhatTheReaderAccepts() throws {
        for (name, verdict) in try expectations().cases where verdict.accepts && name != "ok_empty_header" {
            XCTAssertNoThrow(try CheckpointReader.read(Fixtures.url("safetensors/\(name).safetensors")), name)
        }
    }

    func testDuplicateNameKeepsTheLastEntryLikeTheLibrary() throws {
        let dict = try SafetensorsReader.read(Fixtures.url("safetensors/ok_duplicate_key_last_wins.safetensors"))
        XCTAssertEqual(dict.names, ["a"])
        XCTAssertEqual(dict["a"]?.values, [1, 2, 3, 4])
    }

    func testEscapedNamesAreDecoded() throws {
        let dict = try SafetensorsReader.read(Fixtures.url("safetensors/ok_escaped_name.safetensors"))
        XCTAssertEqual(dict.names, ["w\u{e9}\n\u{1F600}"])
    }

    func testRefusalsSayWhatIsWrong() throws {
        let cases = [
            "bad_true_dimension": "true as a dimension",
            "bad_float_dimension": "the number 2.0 as a dimension",
            "bad_negative_dimension": "the number -2 as a dimension",
            "bad_overlapping_offsets": "overlaps",
            "bad_aliased_offsets": "overlaps (or repeats)",
            "bad_gap_between_tensors": "leaves a gap of 4 bytes",
            "bad_trailing_bytes": "8 bytes after the last tensor",
            "bad_duplicate_field": "repeats the field 'dtype'",
            "bad_header_size_past_file": "header claims 4096 bytes",
            "bad_deep_entry": "nested more than 127 levels",
            "bad_header_not_utf8": "not valid UTF-8",
        ]
        for (name, phrase) in cases {
            let url = Fixtures.url("safetensors/\(name).safetensors")
            XCTAssertThrowsError(try SafetensorsReader.read(url), name) { error in
                XCTAssertTrue("\(error)".contains(phrase), "\(name): \(error)")
            }
        }
    }
}
