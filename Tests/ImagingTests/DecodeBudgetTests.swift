import Foundation
import XCTest
@testable import Imaging

/// The byte budget (`ImageDecoder.maxDecodeBytes`) is checked from the header, before any
/// pixel memory exists, with what each codec really allocates per pixel: a raised pixel limit
/// must not let a forged header ask for more than 2 GiB.
final class DecodeBudgetTests: XCTestCase {
    private func error(_ data: Data, name: String, maxPixels: Int) -> ImageError? {
        do {
            _ = try ImageDecoder.decode(data: data, name: name, maxPixels: maxPixels)
            return nil
        } catch {
            return error as? ImageError
        }
    }

    /// 16-bit RGBA costs 8 bytes per pixel inside libpng: 14000x14000 is over the budget at
    /// 16 bits and under it at 8 bits (then the header-only file is just truncated).
    func testSixteenBitPNGIsCountedAtTwoBytesPerSample() {
        func ihdr(_ side: Int, depth: UInt8, colorType: UInt8) -> Data {
            func be32(_ v: Int) -> [UInt8] { [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: v >> $0) } }
            let body = Array("IHDR".utf8) + be32(side) + be32(side) + [depth, colorType, 0, 0, 0]
            return Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + be32(13) + body
                        + be32(Int(PNGHeaderFactory.crc32(body))))
        }
        let side = 14000
        XCTAssertEqual(error(ihdr(side, depth: 16, colorType: 6), name: "p16.png", maxPixels: .max),
                       .tooManyBytes(name: "p16.png", width: side, height: side,
                                     bytes: (side * 8 + 8) * side + side * side * 3, limit: 1 << 31))
        XCTAssertEqual(error(ihdr(side, depth: 8, colorType: 6), name: "p8.png", maxPixels: .max), .truncated(name: "p8.png"))
    }

    /// A real JPEG whose frame header is rewritten to 30000x30000: refused from TurboJPEG's
    /// header read alone, CMYK counting its 4-byte buffer on top of the RGB result.
    func testForgedJPEGSizeIsRefusedBeforeDecoding() throws {
        for (file, perPixel) in [("jpeg_baseline_400x300.jpg", 3), ("jpeg_cmyk_40x30.jpg", 7)] {
            var bytes = [UInt8](try Fixtures.data(file))
            // Start-of-frame (baseline or progressive): FF C0/C2, length, precision, height, width.
            let sof = try XCTUnwrap((0..<bytes.count - 9).first { bytes[$0] == 0xFF && (bytes[$0 + 1] == 0xC0 || bytes[$0 + 1] == 0xC2) })
            bytes[sof + 5] = 0x75; bytes[sof + 6] = 0x30  // height 30000
            bytes[sof + 7] = 0x75; bytes[sof + 8] = 0x30  // width 30000
            XCTAssertEqual(error(Data(bytes), name: file, maxPixels: .max),
                           .tooManyBytes(name: file, width: 30000, height: 30000, bytes: 30000 * 30000 * perPixel, limit: 1 << 31))
        }
    }

    /// RLE BMPs hold an index byte per pixel before the RGB result: 4 bytes per pixel.
    func testRunLengthBMPCountsItsIndexBuffer() {
        // 25000x25000 RLE8 = 2.5e9 bytes: over; the same size uncompressed 8-bit = 1.875e9: under (then truncated).
        let rle = BMPFactory.file(width: 25000, height: 25000, bits: 8, compression: 1,
                                  palette: [UInt8](repeating: 0, count: 1024), pixels: [])
        XCTAssertEqual(error(rle, name: "r.bmp", maxPixels: .max),
                       .tooManyBytes(name: "r.bmp", width: 25000, height: 25000, bytes: 25000 * 25000 * 4, limit: 1 << 31))
        let plain = BMPFactory.file(width: 25000, height: 25000, bits: 8, palette: [UInt8](repeating: 0, count: 1024), pixels: [])
        XCTAssertEqual(error(plain, name: "p.bmp", maxPixels: .max), .truncated(name: "p.bmp"))
    }

    /// The message gives the size, the bytes and the budget.
    func testMessage() {
        XCTAssertEqual(ImageError.tooManyBytes(name: "a.png", width: 3, height: 2, bytes: 99, limit: 50).description,
                       "a.png: decoding the 3x2 image would need 99 bytes (limit 50 bytes)")
    }
}
