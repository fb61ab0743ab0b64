import Foundation
import XCTest
@testable import Imaging

/// Access to the Pillow-generated fixtures in `Fixtures/` (made by
/// tools/imaging/make_fixtures.py), located relative to this source file so
/// no resource bundle is needed.
enum Fixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures")

    static func url(_ name: String) -> URL { directory.appendingPathComponent(name) }

    static func data(_ name: String) throws -> Data { try Data(contentsOf: url(name)) }

    struct DecodeCase: Decodable { let file, expected: String; let width, height: Int; let pillowMode, note: String }
    struct ResizeCase: Decodable { let source, method, expected: String; let width, height: Int }
    struct CropCase: Decodable { let source, expected: String; let width, height: Int }
    struct PipelineCase: Decodable {
        let source, preset: String; let size, crop: Int; let geometry: String?; let tensor: String?
    }
    struct NormalizeCase: Decodable { let preset, expected: String }
    struct EncodeCase: Decodable { let source: String; let width, height, quality: Int; let pillowJPEG, pillowDecoded: String }
    struct Index: Decodable {
        let decode: [DecodeCase]; let resize: [ResizeCase]; let crop: [CropCase]
        let pipeline: [PipelineCase]; let normalize: [NormalizeCase]; let encode: [EncodeCase]
    }

    static let index: Index = {
        let data = try! Data(contentsOf: url("index.json"))
        return try! JSONDecoder().decode(Index.self, from: data)
    }()

    /// WebP/BMP/TIFF cases from tools/imaging/make_format_fixtures.py.
    struct FormatIndex: Decodable { let decode: [DecodeCase] }

    static let formats: FormatIndex = {
        let data = try! Data(contentsOf: url("formats.json"))
        return try! JSONDecoder().decode(FormatIndex.self, from: data)
    }()

    /// Expected pixels: raw `.rgb` bytes (size given) or a Pillow-written PNG.
    static func expectedImage(_ name: String, width: Int, height: Int) throws -> RGBImage {
        if name.hasSuffix(".png") { return try ImageDecoder.decode(contentsOf: url(name)) }
        return RGBImage(width: width, height: height, pixels: [UInt8](try data(name)))
    }

    static func floats(_ name: String) throws -> [Float] {
        let d = try data(name)
        return d.withUnsafeBytes { raw in
            (0..<d.count / 4).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self))) }
        }
    }

    static func preset(_ name: String) -> Preprocess {
        name == "half" ? .half : .imagenet
    }
}

/// Largest absolute per-sample difference, and where it is, for readable failures.
func maxAbsDiff(_ a: RGBImage, _ b: RGBImage) -> (diff: Int, at: Int) {
    var best = (0, -1)
    for i in 0..<min(a.pixels.count, b.pixels.count) {
        let d = abs(Int(a.pixels[i]) - Int(b.pixels[i]))
        if d > best.0 { best = (d, i) }
    }
    return best
}

func XCTAssertSameImage(_ got: RGBImage, _ want: RGBImage, _ label: String, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(got.width, want.width, "\(label): width", file: file, line: line)
    XCTAssertEqual(got.height, want.height, "\(label): height", file: file, line: line)
    guard got.width == want.width, got.height == want.height else { return }
    let (d, at) = maxAbsDiff(got, want)
    XCTAssertEqual(d, 0, "\(label): max abs diff \(d) at sample \(at) (pixel \(at / 3), channel \(at % 3))", file: file, line: line)
}
