import Foundation
import XCTest
@testable import Imaging

/// The fuzzer's image reproducers (Fixtures/fuzz, from /work/shared/fuzz-findings) through the
/// public path a scorer takes: `Preprocess.apply(contentsOf:)`, which decodes and preprocesses.
/// Where Pillow 13.0.0 decodes a file (Fixtures/fuzz/pillow_verdicts.json, made by
/// pillow_verdicts.py there) our pixels must hash the same; where it refuses, we must refuse with
/// the exact error below. `img_slow66s_mem16GB_png_65535x1.png` is byte-identical to
/// `img_hang_746d09dfaf.png` and is not kept twice.
final class ImagingFuzzReproducerTests: XCTestCase {
    struct Verdict: Decodable {
        let ok: Bool
        let width: Int?
        let height: Int?
        let fnv1a64: String?
        let error: String?
    }

    struct Verdicts: Decodable {
        let pillow: String
        let files: [String: Verdict]
    }

    static let fuzz = Fixtures.directory.appendingPathComponent("fuzz")

    static func verdicts() throws -> Verdicts {
        try JSONDecoder().decode(Verdicts.self, from: Data(contentsOf: fuzz.appendingPathComponent("pillow_verdicts.json")))
    }

    static func path(_ name: String) -> String { fuzz.appendingPathComponent(name).path }

    /// FNV-1a 64 of the RGB samples, as pillow_verdicts.py computes it on Pillow's output.
    static func fnv1a64(_ bytes: [UInt8]) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        return String(format: "%016llx", h)
    }

    /// The thin PNGs and the 100000x1 RLE8 BMP are valid: Pillow decodes them, so must we, pixel
    /// for pixel. Their shorter-side resize to 288 is what cannot be done (28800000x288 and
    /// bigger): preprocessing refuses it with the sizes in the message, allocating nothing.
    func testThinImagesDecodeAsPillowAndTheirResizeIsRefused() throws {
        let verdicts = try Self.verdicts()
        XCTAssertEqual(verdicts.pillow, "13.0.0")
        let cases: [(String, String)] = [
            ("img_abort_png_1000000x1.png", "image is 1000000x1: resizing its shorter side to 288 would make 288000000x288 pixels (limit 178956970 pixels)"),
            ("img_hang_746d09dfaf.png", "image is 65535x1: resizing its shorter side to 288 would make 18874080x288 pixels (limit 178956970 pixels)"),
            ("img_mem16GB_png_65535x1_270bytes.png", "image is 65535x1: resizing its shorter side to 288 would make 18874080x288 pixels (limit 178956970 pixels)"),
            ("img_mem25GB_rle8_100000x1.bmp", "image is 100000x1: resizing its shorter side to 288 would make 28800000x288 pixels (limit 178956970 pixels)"),
        ]
        for (name, resizeMessage) in cases {
            let pillow = try XCTUnwrap(verdicts.files[name], name)
            XCTAssertTrue(pillow.ok, "\(name): Pillow decodes it")
            let url = Self.fuzz.appendingPathComponent(name)
            let image = try ImageDecoder.decode(contentsOf: url)
            XCTAssertEqual(image.width, pillow.width, name)
            XCTAssertEqual(image.height, pillow.height, name)
            XCTAssertEqual(Self.fnv1a64(image.pixels), pillow.fnv1a64, "\(name): pixels differ from Pillow's")
            XCTAssertThrowsError(try Preprocess.imagenet.apply(contentsOf: url), name) { error in
                XCTAssertEqual("\(error)", "\(url.path): \(resizeMessage)")
            }
        }
    }

    /// RLE8/RLE4 with 16/24/32 bits per pixel has no palette to index: these read memory past
    /// an empty array (scores changed from run to run). Pillow refuses them ("unknown raw mode
    /// for given image mode"); so do we, with the compression and depth named.
    func testRunLengthBMPsWithoutPaletteAreRefused() throws {
        let verdicts = try Self.verdicts()
        let cases = [
            ("img_oobread_rle8_bpp24.bmp", "RLE8", 24), ("img_oobread_rle4_bpp16.bmp", "RLE4", 16),
            ("img_nondet_9f1e3256c8.bmp", "RLE8", 24), ("img_nondet_ce139abd51.bmp", "RLE8", 16),
            ("img_nondet_f0b4507bd1.bmp", "RLE4", 24),
        ]
        for (name, rle, bits) in cases {
            XCTAssertEqual(verdicts.files[name]?.ok, false, "\(name): Pillow refuses it")
            XCTAssertEqual(verdicts.files[name]?.error, "ValueError", name)
            let path = Self.path(name)
            // Twice: the old failure was non-deterministic, the refusal must not be.
            for _ in 0..<2 {
                XCTAssertThrowsError(try Preprocess.imagenet.apply(contentsOf: URL(fileURLWithPath: path)), name) { error in
                    XCTAssertEqual(error as? ImageError, .corrupt(name: path, reason:
                        "\(rle) compression with \(bits) bits per pixel (run-length BMPs are palette images)"))
                }
            }
        }
    }

    /// Truncated progressive JPEGs decoded to black and were scored. TurboJPEG reports the
    /// fatal error that follows the "Premature end" warning as a warning; it is a failure,
    /// reported as Pillow does ("image file is truncated").
    func testTruncatedProgressiveJPEGsAreTruncated() throws {
        let verdicts = try Self.verdicts()
        for name in ["img_silent_black_truncated_progressive.jpg", "img_silent_black_truncated_progressive_big.jpg"] {
            XCTAssertEqual(verdicts.files[name]?.ok, false, "\(name): Pillow refuses it")
            XCTAssertEqual(verdicts.files[name]?.error, "OSError", name)
            let path = Self.path(name)
            XCTAssertThrowsError(try Preprocess.imagenet.apply(contentsOf: URL(fileURLWithPath: path)), name) { error in
                XCTAssertEqual(error as? ImageError, .truncated(name: path))
            }
        }
    }

    /// The 178956970x1 RLE8 BMP is exactly at the pixel limit, so it decodes (Pillow runs out of
    /// memory on it: its verdict is MemoryError); preprocessing then refuses its resize. Checked
    /// through the cost arithmetic only: decoding 179 M pixels takes too long for a debug build
    /// (the release binary does it in the memory test of `FuzzReleaseBinaryTests`).
    func testPixelLimitBMPCostIsWithinBudgetAndItsResizeIsRefused() throws {
        let verdicts = try Self.verdicts()
        XCTAssertEqual(verdicts.files["img_abort_rle8_178Mx1.bmp"]?.error, "MemoryError")
        let data = try Data(contentsOf: Self.fuzz.appendingPathComponent("img_abort_rle8_178Mx1.bmp"))
        let header = try BMPHeader([UInt8](data), name: "x")
        XCTAssertEqual(header.width, 178_956_970)
        XCTAssertEqual(header.height, 1)
        XCTAssertNoThrow(try DecodeCost.check(width: header.width, height: header.height, codecBytesPerPixel: 1,
                                              maxPixels: ImageDecoder.defaultMaxPixels, name: "x"))
        XCTAssertThrowsError(try Resampling.checkShorterSideResize(width: header.width, height: header.height, size: 288)) { error in
            XCTAssertEqual("\(error)", "image is 178956970x1: resizing its shorter side to 288 would make 51539607360x288 pixels (limit 178956970 pixels)")
        }
    }
}
