import Foundation
import XCTest
@testable import Imaging

/// Which TurboJPEG "warnings" still give an image (as in Pillow) and which are failures.
final class JPEGWarningTests: XCTestCase {
    /// Junk bytes before the end marker: libjpeg warns "extraneous bytes" and decodes it all;
    /// Pillow 13 gives the same pixels as for the clean file (checked when this test was
    /// written), which is the Pillow fixture of that file.
    func testExtraneousBytesStillDecodeAsPillow() throws {
        let clean = [UInt8](try Fixtures.data("jpeg_baseline_400x300.jpg"))
        XCTAssertEqual(Array(clean.suffix(2)), [0xFF, 0xD9])
        let junk = Data(clean.dropLast(2) + [0x01, 0x02, 0x03, 0xFF, 0xD9])
        let got = try ImageDecoder.decode(data: junk, name: "junk.jpg")
        let want = try Fixtures.expectedImage("jpeg_baseline_400x300.expected.png", width: 400, height: 300)
        XCTAssertSameImage(got, want, "junk.jpg")
    }

    /// The truncated progressive reproducer with an end marker appended: TurboJPEG's last
    /// message is the fatal "Bogus Huffman table definition", but the decode began by running
    /// out of data, and Pillow says "image file is truncated" for it too.
    func testFatalErrorAfterRunningOutIsTruncated() throws {
        let cut = try Data(contentsOf: Fixtures.directory.appendingPathComponent("fuzz/img_silent_black_truncated_progressive.jpg"))
        XCTAssertEqual(ImageDecoder.decode(data: cut + Data([0xFF, 0xD9]), name: "t.jpg", orError: ()), .truncated(name: "t.jpg"))
    }

    func testWarningTextsAreRecognised() {
        XCTAssertTrue(JPEGDecoder.isLibjpegWarning("Corrupt JPEG data: 2 extraneous bytes before marker 0xd9"))
        XCTAssertTrue(JPEGDecoder.isLibjpegWarning("Premature end of JPEG file"))
        XCTAssertFalse(JPEGDecoder.isLibjpegWarning("Bogus Huffman table definition"))
        XCTAssertFalse(JPEGDecoder.isLibjpegWarning("Huffman table 0x00 was not defined"))
    }
}

private extension ImageDecoder {
    /// The error decoding `data` gives, nil when it decodes.
    static func decode(data: Data, name: String, orError: ()) -> ImageError? {
        do {
            _ = try decode(data: data, name: name)
            return nil
        } catch {
            return error as? ImageError
        }
    }
}
