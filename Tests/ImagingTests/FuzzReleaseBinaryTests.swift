import Foundation
import XCTest

/// Every image reproducer through the release `miqa score`: one error row (null score) and one
/// error line each, exit status 1, under 2 GB peak memory, the same output every run. Before
/// the fixes these aborted (412 GB allocation), took 16-25 GB, hung, or scored garbage.
final class FuzzReleaseBinaryTests: XCTestCase {
    static let fuzz = ReleaseBinary.packageRoot.appendingPathComponent("Tests/ImagingTests/Fixtures/fuzz")

    static func resize(_ w: Int, _ long: Int) -> String {
        "image is \(w)x1: resizing its shorter side to 288 would make \(long)x288 pixels (limit 178956970 pixels)"
    }

    /// File -> the error column of its row (the row carries the path, so the message does not
    /// repeat it, whether the decoder named the file as typed or by absolute path).
    static func expected() -> [String: String] {
        func bmp(_ name: String, _ rle: String, _ bits: Int) -> String {
            "corrupt image data: \(rle) compression with \(bits) bits per pixel (run-length BMPs are palette images)"
        }
        return [
            "img_abort_png_1000000x1.png": resize(1_000_000, 288_000_000),
            "img_abort_rle8_178Mx1.bmp": resize(178_956_970, 51_539_607_360),
            "img_hang_746d09dfaf.png": resize(65535, 18_874_080),
            "img_mem16GB_png_65535x1_270bytes.png": resize(65535, 18_874_080),
            "img_mem25GB_rle8_100000x1.bmp": resize(100_000, 28_800_000),
            "img_nondet_9f1e3256c8.bmp": bmp("img_nondet_9f1e3256c8.bmp", "RLE8", 24),
            "img_nondet_ce139abd51.bmp": bmp("img_nondet_ce139abd51.bmp", "RLE8", 16),
            "img_nondet_f0b4507bd1.bmp": bmp("img_nondet_f0b4507bd1.bmp", "RLE4", 24),
            "img_oobread_rle4_bpp16.bmp": bmp("img_oobread_rle4_bpp16.bmp", "RLE4", 16),
            "img_oobread_rle8_bpp24.bmp": bmp("img_oobread_rle8_bpp24.bmp", "RLE8", 24),
            "img_silent_black_truncated_progressive.jpg": "image file is truncated",
            "img_silent_black_truncated_progressive_big.jpg": "image file is truncated",
        ]
    }

    func testEachReproducerIsOneErrorRowInBoundedMemory() throws {
        let expected = Self.expected()
        for (name, message) in expected.sorted(by: { $0.key < $1.key }) {
            let runs = try (0..<(name.hasPrefix("img_nondet") || name.hasPrefix("img_oobread") ? 3 : 1)).map { _ in
                try ReleaseBinary.run(["score", name, "--format", "jsonl", "--no-progress"], in: Self.fuzz)
            }
            for run in runs {
                XCTAssertEqual(run.status, 1, "\(name): \(run.stderr)")
                XCTAssertGreaterThan(run.peakKB, 0, name)
                XCTAssertLessThan(run.peakKB, 2_000_000, "\(name): peak RSS \(run.peakKB) KB")
                let rows = run.stdout.split(separator: "\n")
                XCTAssertEqual(rows.count, 1, name)
                let row = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data((rows.first ?? "").utf8)) as? [String: Any], name)
                XCTAssertEqual(row["error"] as? String, message, name)
                XCTAssertTrue(row["quality_score"] is NSNull, name)
                XCTAssertTrue(run.stderr.contains("error: \(name): \(message)\n"), "\(name): \(run.stderr)")
                XCTAssertEqual(run.stdout, runs[0].stdout, "\(name): output changed between runs")
            }
        }
    }

    /// All of them in one batch: each keeps its error row, none takes the batch down.
    func testOneBatchKeepsEveryRow() throws {
        let expected = Self.expected()
        let names = expected.keys.sorted()
        let run = try ReleaseBinary.run(["score"] + names + ["--format", "jsonl", "--no-progress"], in: Self.fuzz)
        XCTAssertEqual(run.status, 1, run.stderr)
        XCTAssertLessThan(run.peakKB, 2_000_000, "peak RSS \(run.peakKB) KB")
        let rows = try run.stdout.split(separator: "\n").map {
            try XCTUnwrap(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        XCTAssertEqual(rows.compactMap { $0["image_path"] as? String }.sorted(), names)
        for row in rows {
            let name = row["image_path"] as? String ?? ""
            XCTAssertEqual(row["error"] as? String, expected[name], name)
        }
    }
}
