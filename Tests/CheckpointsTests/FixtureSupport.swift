import Foundation
import XCTest
import Checkpoints

/// Locates the committed fixtures (made by tools/checkpoints/make_fixtures.py)
/// and decodes the expectations the script wrote next to them.
enum Fixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    static func url(_ name: String) -> URL { directory.appendingPathComponent(name) }

    struct ExpectedTensor: Decodable {
        let name: String
        let shape: [Int]
        let dtype: String
        /// Float32 bit patterns of the values after conversion, so tests can be exact.
        let bits: [UInt32]
    }

    static func expected(_ file: String) throws -> [ExpectedTensor] {
        let data = try Data(contentsOf: url("expected.json"))
        let all = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        let entry = try JSONSerialization.data(withJSONObject: all[file]!)
        return try JSONDecoder().decode([ExpectedTensor].self, from: entry)
    }

    static func expectedMetadata(_ file: String) throws -> [String: String] {
        let data = try Data(contentsOf: url("expected.json"))
        let all = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        return all[file + ".metadata"] as! [String: String]
    }

    /// A fresh scratch directory for files the test writes.
    static func scratchDirectory() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("miqa-ckpt-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }
}

/// Asserts that `dict` matches the script's expectations exactly: names and
/// their order, shapes, source types and every value's bit pattern.
func assertMatches(_ dict: TensorDict, _ expected: [Fixtures.ExpectedTensor], file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(dict.names, expected.map(\.name), "names/order", file: file, line: line)
    for want in expected {
        guard let got = dict[want.name] else { XCTFail("missing \(want.name)", file: file, line: line); continue }
        XCTAssertEqual(got.shape, want.shape, "shape of \(want.name)", file: file, line: line)
        XCTAssertEqual(got.sourceType.rawValue, want.dtype, "type of \(want.name)", file: file, line: line)
        // NaN payloads are not meaningful (torch's own half->float path does
        // not preserve them), so NaN only has to stay NaN; all else is bit-exact.
        let gotBits = got.values.map { $0.isNaN ? Float.nan.bitPattern : $0.bitPattern }
        let wantBits = want.bits.map { Float(bitPattern: $0).isNaN ? Float.nan.bitPattern : $0 }
        XCTAssertEqual(gotBits, wantBits, "values of \(want.name)", file: file, line: line)
    }
}
