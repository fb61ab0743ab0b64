import Foundation
import XCTest
@testable import Imaging

/// 150 random small RLE8/RLE4 bitmaps (Fixtures/fuzz/rle_cases.json, from rle_cases.py there)
/// against Pillow 13: where Pillow decodes, the same pixels (skipped and unreached pixels
/// included: index 0); where it refuses ("not enough image data"), an error too.
final class BMPRunLengthDifferentialTests: XCTestCase {
    struct Case: Decodable { let bmp: String; let rgb: String?; let error: String? }
    struct Cases: Decodable { let pillow: String; let cases: [Case] }

    func testRandomRunLengthFilesAgreeWithPillow() throws {
        let url = Fixtures.directory.appendingPathComponent("fuzz/rle_cases.json")
        let all = try JSONDecoder().decode(Cases.self, from: Data(contentsOf: url))
        XCTAssertEqual(all.pillow, "13.0.0")
        XCTAssertEqual(all.cases.count, 150)
        var decoded = 0
        for (i, c) in all.cases.enumerated() {
            let file = try XCTUnwrap(Data(base64Encoded: c.bmp))
            if let rgb = c.rgb {
                let want = try XCTUnwrap(Data(base64Encoded: rgb))
                let got = try ImageDecoder.decode(data: file, name: "case\(i).bmp")
                XCTAssertEqual(got.pixels, [UInt8](want), "case \(i)")
                decoded += 1
            } else {
                XCTAssertThrowsError(try ImageDecoder.decode(data: file, name: "case\(i).bmp"), "case \(i): Pillow says \(c.error ?? "")")
            }
        }
        XCTAssertGreaterThan(decoded, 30)
    }
}
