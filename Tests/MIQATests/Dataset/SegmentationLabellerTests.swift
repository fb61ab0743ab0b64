import XCTest
import Imaging
@testable import MIQA

/// The ins labeller's rules with a scripted segmenter (u2netp itself is checked end to end by
/// tools/oracle/check_segmentation.py against NumPy's IoU): IoU against the machine's own
/// reference mask, the weighted mean over machines whose reference mask is not empty, the
/// accuracy file only with a ground-truth mask, the record, and a reference with no foreground.
final class SegmentationLabellerTests: XCTestCase {
    static let width = 8, height = 4

    /// A mask whose foreground is the first `n` pixels.
    static func mask(_ n: Int) -> BinaryMask {
        BinaryMask(width: width, height: height, values: (0..<(width * height)).map { $0 < n ? 1 : 0 })
    }

    /// Tells images apart by their first pixel (0 = reference) and answers a scripted mask.
    final class ByPixel: SegmenterMachine {
        let name: String
        let answers: [UInt8: Int]
        init(_ name: String, _ answers: [UInt8: Int]) { self.name = name; self.answers = answers }
        func mask(_ image: RGBImage) throws -> BinaryMask { SegmentationLabellerTests.mask(answers[image.pixels[0]] ?? 0) }
    }

    private func database() throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("ins-label-\(UUID().uuidString)")
        let layout = MIQDLayout(root: root)
        try FileManager.default.createDirectory(at: layout.sourceImages, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: layout.folder("ref"), withIntermediateDirectories: true)
        try ImageEncoder.png(RGBImage(width: Self.width, height: Self.height)).write(to: layout.sourceImages.appendingPathComponent("ref.png"))
        var names: [String] = []
        for (i, name) in ["ref_fog_1.png", "ref_fog_2.png"].enumerated() {
            var image = RGBImage(width: Self.width, height: Self.height)
            image.pixels[0] = UInt8(i + 1)
            try ImageEncoder.png(image).write(to: layout.folder("ref").appendingPathComponent(name))
            names.append(name)
        }
        try CompletionMarker.write(layout.completionMarker("ref"), files: names)
        return root
    }

    func testIoUAgainstTheMachinesOwnReferenceMaskAndGroundTruth() throws {
        let root = try database()
        defer { try? FileManager.default.removeItem(at: root) }
        // Machine a: reference 8 pixels; distorted 1: 8 (IoU 1); distorted 2: 4 (IoU 4/8).
        let a = ByPixel("a", [0: 8, 1: 8, 2: 4])
        // Machine b finds nothing in the reference: no consistency of its own.
        let b = ByPixel("b", [1: 5, 2: 5])
        // Ground truth: the first 16 pixels.
        let truthFolder = root.appendingPathComponent("truth")
        try FileManager.default.createDirectory(at: truthFolder, withIntermediateDirectories: true)
        try ImageEncoder.greyPNG(width: Self.width, height: Self.height, values: Self.mask(16).values.map { $0 * 255 })
            .write(to: truthFolder.appendingPathComponent("ref_binary_mask.png"))
        let summary = try SegmentationLabeller(root: root, machines: [a, b], weights: [2, 1], groundTruth: truthFolder).run()
        XCTAssertEqual(summary.labelled, ["ref"])
        let layout = MIQDLayout(root: root)
        let consistency = try CSVTable(contentsOf: layout.consistencyLabels("ref"))
        XCTAssertEqual(consistency.header, ["filename", "AP_weighted_avg", "IoU_a", "IoU_b"])
        XCTAssertEqual(consistency.rows.map { $0[2] }.map { Double($0)! }, [1, 0.5])
        XCTAssertEqual(consistency.rows.map { $0[3] }, ["", ""])
        XCTAssertEqual(consistency.rows.map { Double($0[1])! }, [1, 0.5])  // a alone, not a x 2/3
        // Accuracy: a's 8 and 4 of the true 16 (1/2, 1/4), b's 5 (5/16); weighted (2, 1).
        let accuracy = try CSVTable(contentsOf: layout.accuracyLabels("ref"))
        XCTAssertEqual(Double(accuracy.rows[0][1])!, (2 * 0.5 + 5.0 / 16) / 3, accuracy: 1e-12)
        XCTAssertEqual(Double(accuracy.rows[1][1])!, (2 * 0.25 + 5.0 / 16) / 3, accuracy: 1e-12)
        let composite = try MIQDLabels.load(root: root, task: "ins", label: "composite", references: nil)
        XCTAssertEqual(composite[0].value, (1 + (2 * 0.5 + 5.0 / 16) / 3) / 2, accuracy: 1e-12)
        let record = try XCTUnwrap(try LabellingRecord.load(layout))
        XCTAssertEqual(record.task, .ins)
        XCTAssertEqual(record.definition, LabellingRecord.maskIoU)
        // Other machines later: stopped before any file changes, with the record named.
        XCTAssertThrowsError(try SegmentationLabeller(root: root, machines: [a], groundTruth: nil, overwrite: true).run(only: ["ref"])) {
            XCTAssertTrue("\($0)".contains("labelling.json"), "\($0)")
        }
        // A machine that sees nothing in the reference cannot label it: reported, no file.
        let blind = SegmentationLabeller(root: root, machines: [ByPixel("b", [1: 5])], groundTruth: nil, overwrite: true)
        let failed = try blind.run()
        XCTAssertEqual(failed.failed.map(\.id), ["ref"])
        XCTAssertTrue(failed.failed[0].message.contains("finds a foreground in the reference"), failed.failed[0].message)
    }

    func testIoU() {
        XCTAssertNil(SegmentationLabeller.iou(truth: Self.mask(0), Self.mask(3)))
        XCTAssertEqual(SegmentationLabeller.iou(truth: Self.mask(4), Self.mask(0)), 0)
        XCTAssertEqual(SegmentationLabeller.iou(truth: Self.mask(4), Self.mask(6)), 4.0 / 6)
    }
}
