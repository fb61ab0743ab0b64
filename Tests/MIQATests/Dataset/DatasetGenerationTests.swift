import Foundation
import Imaging
import XCTest
@testable import MIQA

final class DatasetGenerationTests: XCTestCase {
    typealias S = DatasetTestSupport

    func testLayoutFilesAndScores() throws {
        let (refs, root) = try S.generatedCopy(self)
        let layout = MIQDLayout(root: root)
        for id in S.ids {
            let expected = MIQDLayout.distortedFileNames(id: id, types: S.types)
            XCTAssertEqual(expected.count, 50)
            XCTAssertEqual(Set(expected).count, 50)
            XCTAssertTrue(expected.contains("\(id)_contrast_3.png"))
            XCTAssertTrue(expected.contains("\(id)_gaussian_noise_fg_stronger_fg5_bg4.png"))
            XCTAssertTrue(expected.contains("\(id)_gaussian_noise_bg_stronger_fg1_bg2.png"))
            let files = try FileManager.default.contentsOfDirectory(atPath: layout.folder(id).path)
            XCTAssertEqual(Set(files.filter { $0.hasSuffix(".png") }), Set(expected))
            XCTAssertEqual(Set(files.filter { !$0.hasSuffix(".png") }), [".complete", "\(id)_iqa_scores.csv"])
            XCTAssertEqual(CompletionMarker.read(layout.completionMarker(id)), expected)

            // src_images holds a byte-identical copy with the original extension.
            let source = try XCTUnwrap(layout.sourceImage(id))
            let original = try XCTUnwrap(try FileManager.default.contentsOfDirectory(at: refs, includingPropertiesForKeys: nil)
                .first { $0.deletingPathExtension().lastPathComponent == id })
            XCTAssertEqual(source.pathExtension, original.pathExtension)
            XCTAssertEqual(try Data(contentsOf: source), try Data(contentsOf: original))

            // The scores file lists every image once, and its PSNR is exactly the recomputed one.
            let reference = try ImageDecoder.decode(contentsOf: original)
            let rows = try IQAScoreRow.read(layout.iqaScores(id))
            XCTAssertEqual(rows.map(\.image), expected.map { "\(id)/\($0)" })
            for row in rows {
                let image = try ImageDecoder.decode(contentsOf: layout.images.appendingPathComponent(row.image))
                XCTAssertEqual(row.psnr, try QualityMetrics.psnr(reference, image), row.image)
                if row.image.hasSuffix("_1.png") || row.image.hasSuffix("_5.png") {
                    XCTAssertEqual(row.ssim, try QualityMetrics.ssim(reference, image), row.image)
                }
                // 160x128 is below MS-SSIM's 176 px; 192x180 is not.
                XCTAssertEqual(row.msSSIM == nil, id == "ref_astronaut", row.image)
            }
            // Uniform levels are ordered by PSNR (level 1 is the mildest).
            for type in S.types {
                let psnrs = (1...5).map { l in rows.first { $0.image.hasSuffix("_\(type.rawValue)_\(l).png") }!.psnr }
                XCTAssertEqual(psnrs, psnrs.sorted(by: >), type.rawValue)
            }
        }
    }

    func testRegionImagesBlendTheirLevels() throws {
        let (_, root) = try S.generatedCopy(self)
        let dir = MIQDLayout(root: root).folder("ref_coffee")
        func load(_ name: String) throws -> RGBImage { try ImageDecoder.decode(contentsOf: dir.appendingPathComponent(name)) }
        let reference = try ImageDecoder.decode(contentsOf: S.fixtures.appendingPathComponent("ref_coffee.jpg"))
        let mask = SaliencyMask.spectralResidual(reference)
        let fg5 = try load("ref_coffee_contrast_5.png"), bg1 = try load("ref_coffee_contrast_1.png")
        XCTAssertEqual(try load("ref_coffee_contrast_fg_stronger_fg5_bg1.png"),
                       RegionFusion.fuse(foreground: fg5, background: bg1, mask: mask))
    }

    func testResumeRedoesOnlyTheReferenceMissingAFile() throws {
        let (refs, root) = try S.generatedCopy(self)
        let layout = MIQDLayout(root: root)
        let victim = layout.folder("ref_coffee").appendingPathComponent("ref_coffee_gaussian_noise_bg_stronger_fg2_bg4.png")
        let before = try Data(contentsOf: victim)
        let untouched = layout.folder("ref_astronaut").appendingPathComponent("ref_astronaut_contrast_2.png")
        let untouchedDate = try S.modified(untouched)
        try FileManager.default.removeItem(at: victim)

        let generator = DatasetGenerator(options: S.options(refs: refs, root: root))
        XCTAssertFalse(generator.isComplete("ref_coffee"))
        XCTAssertTrue(generator.isComplete("ref_astronaut"))
        let summary = try generator.run()
        XCTAssertEqual(summary.generated, ["ref_coffee"])
        XCTAssertEqual(summary.skipped, ["ref_astronaut"])
        XCTAssertEqual(summary.imagesWritten, 50)
        // Same seed, same image: the regenerated file is byte-identical.
        XCTAssertEqual(try Data(contentsOf: victim), before)
        XCTAssertEqual(try S.modified(untouched), untouchedDate)
        XCTAssertTrue(generator.isComplete("ref_coffee"))
    }

    func testResumeAfterCrashRemovesLeftovers() throws {
        let (refs, root) = try S.generatedCopy(self)
        let layout = MIQDLayout(root: root)
        let folder = layout.folder("ref_astronaut")
        // A crash mid-reference: no marker, a temporary file and a stray truncated image left behind.
        try FileManager.default.removeItem(at: layout.completionMarker("ref_astronaut"))
        try Data([0x89, 0x50]).write(to: folder.appendingPathComponent("\(AtomicFile.temporaryPrefix)123-4-ref_astronaut_contrast_9.png"))
        try Data([0x89, 0x50]).write(to: folder.appendingPathComponent("ref_astronaut_stray.png"))
        try Data("x".utf8).write(to: layout.sourceImages.appendingPathComponent("\(AtomicFile.temporaryPrefix)1-2-ref_astronaut.png"))

        let summary = try DatasetGenerator(options: S.options(refs: refs, root: root)).run()
        XCTAssertEqual(summary.generated, ["ref_astronaut"])
        XCTAssertEqual(summary.skipped, ["ref_coffee"])
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        XCTAssertEqual(files.count, 52)
        XCTAssertFalse(files.contains { AtomicFile.isTemporary($0) || $0.contains("stray") })
        XCTAssertFalse(try FileManager.default.contentsOfDirectory(atPath: layout.sourceImages.path).contains { AtomicFile.isTemporary($0) })
        XCTAssertTrue(CompletionMarker.isComplete(layout.completionMarker("ref_astronaut")))
    }

    func testOtherTypesRedoACompleteReference() throws {
        let (refs, root) = try S.generatedCopy(self)
        // A run with another type list does not count the old marker as complete for it.
        let generator = DatasetGenerator(options: S.options(refs: refs, root: root, types: [.contrast]))
        XCTAssertFalse(generator.isComplete("ref_coffee"))
        XCTAssertTrue(DatasetGenerator(options: S.options(refs: refs, root: root)).isComplete("ref_coffee"))
    }

    func testMaskOfWrongSizeFailsOnlyItsReference() throws {
        let dir = try S.temporaryFolder(self)
        let refs = try S.referencesFolder(self), masks = dir.appendingPathComponent("masks"), root = dir.appendingPathComponent("db")
        try FileManager.default.createDirectory(at: masks, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: S.fixtures.appendingPathComponent("bad_binary_mask.png"),
                                         to: masks.appendingPathComponent("ref_coffee_binary_mask.png"))
        try FileManager.default.copyItem(at: S.fixtures.appendingPathComponent("ref_astronaut_binary_mask.png"),
                                         to: masks.appendingPathComponent("ref_astronaut_binary_mask.png"))
        var messages: [String] = []
        let summary = try DatasetGenerator(options: S.options(refs: refs, root: root, masks: masks, types: [.contrast]))
            .run(log: { messages.append($0) })
        XCTAssertEqual(summary.generated, ["ref_astronaut"])
        XCTAssertEqual(summary.failed.map(\.id), ["ref_coffee"])
        let message = try XCTUnwrap(summary.failed.first?.message)
        XCTAssertTrue(message.contains("100x80") && message.contains("192x180"), message)
        XCTAssertTrue(message.contains("ref_coffee_binary_mask.png"), message)
        XCTAssertTrue(messages.contains { $0.hasPrefix("error: ") && $0.contains("100x80") })
        XCTAssertFalse(FileManager.default.fileExists(atPath: MIQDLayout(root: root).folder("ref_coffee").path))

        // The user mask was used: an ellipse mask gives a different fusion than saliency would.
        let layout = MIQDLayout(root: root)
        let reference = try ImageDecoder.decode(contentsOf: S.fixtures.appendingPathComponent("ref_astronaut.png"))
        let userMask = try ReferenceMask.mask(for: reference, id: "ref_astronaut", masksFolder: masks, method: .spectralResidual)
        func load(_ name: String) throws -> RGBImage { try ImageDecoder.decode(contentsOf: layout.folder("ref_astronaut").appendingPathComponent(name)) }
        XCTAssertEqual(try load("ref_astronaut_contrast_bg_stronger_fg1_bg5.png"),
                       RegionFusion.fuse(foreground: try load("ref_astronaut_contrast_1.png"),
                                         background: try load("ref_astronaut_contrast_5.png"), mask: userMask))
        XCTAssertNotEqual(userMask, SaliencyMask.spectralResidual(reference))
    }

    func testBadReferencesFailWithOneLineErrors() throws {
        let dir = try S.temporaryFolder(self)
        let refs = dir.appendingPathComponent("refs"), root = dir.appendingPathComponent("db")
        try FileManager.default.createDirectory(at: refs, withIntermediateDirectories: true)
        try Data("not an image".utf8).write(to: refs.appendingPathComponent("broken.png"))
        try S.writePNG(RGBImage(width: 20, height: 40), to: refs.appendingPathComponent("tiny.png"))
        try Data().write(to: refs.appendingPathComponent("empty.jpg"))
        try Data("ignored".utf8).write(to: refs.appendingPathComponent("notes.txt"))
        let summary = try DatasetGenerator(options: S.options(refs: refs, root: root, types: [.contrast])).run()
        XCTAssertEqual(summary.failed.map(\.id), ["broken", "empty", "tiny"])
        for (id, message) in summary.failed {
            XCTAssertFalse(message.contains("\n"), message)
            XCTAssertTrue(message.contains(refs.appendingPathComponent(id).path), message)
        }
        XCTAssertTrue(summary.failed[2].message.contains("20x40"), summary.failed[2].message)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: MIQDLayout(root: root).images.path), [])
    }

    func testReferencesAreSortedWithSeedsAndDuplicateIDsRejected() throws {
        let dir = try S.temporaryFolder(self)
        for name in ["b.png", "a.jpg", "C.png", ".hidden.png"] { try Data().write(to: dir.appendingPathComponent(name)) }
        let refs = try ReferenceImage.list(in: dir)
        XCTAssertEqual(refs.map(\.id), ["C", "a", "b"])
        XCTAssertEqual(refs.map(\.seed), [1, 2, 3])
        try Data().write(to: dir.appendingPathComponent("a.png"))
        XCTAssertThrowsError(try ReferenceImage.list(in: dir)) { error in
            XCTAssertTrue("\(error)".contains("'a'"), "\(error)")
        }
    }

    func testRootOfAnotherTaskIsRefused() throws {
        let (refs, root) = try S.generatedCopy(self)
        var options = S.options(refs: refs, root: root)
        options.task = "det"
        XCTAssertThrowsError(try DatasetGenerator(options: options).run()) { error in
            XCTAssertTrue("\(error)".contains("'cls'"), "\(error)")
        }
    }

    func testWriteFailureNamesTheFileAndLeavesNothingComplete() throws {
        let dir = try S.temporaryFolder(self)
        let target = dir.appendingPathComponent("no-such-folder/x.png")
        XCTAssertThrowsError(try AtomicFile.write(Data([1, 2, 3]), to: target)) { error in
            XCTAssertTrue("\(error)".contains(target.path), "\(error)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: target.path))
        XCTAssertFalse(CompletionMarker.isComplete(dir.appendingPathComponent(".complete")))
    }

    func testCSVQuotingRoundTrip() throws {
        let table = CSVTable(header: ["a", "b"], rows: [["x,y", "say \"hi\""], ["line\nbreak", ""]])
        let back = try CSVTable(text: table.text, name: "t")
        XCTAssertEqual(back.header, table.header)
        XCTAssertEqual(back.rows, table.rows)
        XCTAssertEqual(try CSVTable(text: "dist_images, value\r\nx,1\r\n", name: "t").header, ["dist_images", "value"])
    }
}
