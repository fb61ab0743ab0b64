import Foundation
import Imaging
import XCTest
@testable import MIQA

/// A machine answering hand-made probabilities, chosen by the red value of an image's first
/// pixel (the test images are solid colours), and recording how it was called.
final class StubMachine: ClassifierMachine {
    let name: String
    let table: [UInt8: [Double]]
    var calls = 0

    init(name: String, table: [UInt8: [Double]]) {
        self.name = name
        self.table = table
    }

    func probabilities(_ images: [RGBImage]) throws -> [[Double]] {
        calls += 1
        return images.map { table[$0.pixels[0]]! }
    }
}

final class DatasetLabelTests: XCTestCase {
    typealias S = DatasetTestSupport

    /// A hand-made finished reference `r` (red 10) with distorted images d1 (red 20) and d2 (red 30).
    func makeDatabase() throws -> URL { try Self.makeDatabase(in: S.temporaryFolder(self)) }

    static func makeDatabase(in folder: URL) throws -> URL {
        let root = folder.appendingPathComponent("db")
        let layout = MIQDLayout(root: root)
        try FileManager.default.createDirectory(at: layout.folder("r"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: layout.sourceImages, withIntermediateDirectories: true)
        func solid(_ red: UInt8) -> RGBImage {
            RGBImage(width: 8, height: 8, pixels: (0..<64).flatMap { _ in [red, 0, 0] })
        }
        try S.writePNG(solid(10), to: layout.sourceImages.appendingPathComponent("r.png"))
        try S.writePNG(solid(20), to: layout.folder("r").appendingPathComponent("r_fog_1.png"))
        try S.writePNG(solid(30), to: layout.folder("r").appendingPathComponent("r_fog_2.png"))
        try CompletionMarker.write(layout.completionMarker("r"), files: ["r_fog_1.png", "r_fog_2.png"])
        // An unfinished reference (no marker) must be left alone.
        try FileManager.default.createDirectory(at: layout.folder("u"), withIntermediateDirectories: true)
        return root
    }

    // Machine A predicts class 0 on the reference, machine B class 1; true class is 2.
    static let machineA: [UInt8: [Double]] = [10: [0.7, 0.2, 0.1], 20: [0.5, 0.3, 0.2], 30: [0.1, 0.1, 0.8]]
    static let machineB: [UInt8: [Double]] = [10: [0.3, 0.6, 0.1], 20: [0.2, 0.4, 0.4], 30: [0.25, 0.25, 0.5]]

    func testFormulasOnHandMadeProbabilities() throws {
        let root = try makeDatabase()
        let a = StubMachine(name: "A", table: Self.machineA), b = StubMachine(name: "B", table: Self.machineB)
        let truth = GroundTruth(classes: ["r": 2], source: "test")
        var notes: [String] = []
        let summary = try DatasetLabeller(root: root, machines: [a, b], weights: [3, 1], groundTruth: truth, batchSize: 2,
                                          definition: .probability).run(log: { notes.append($0) })
        XCTAssertEqual(summary.labelled, ["r"])
        XCTAssertTrue(notes.contains { $0.contains("u:") && $0.contains("not completely generated") }, "\(notes)")
        XCTAssertEqual(a.calls, 2) // 3 images in batches of 2

        let table = try CSVTable(contentsOf: MIQDLayout(root: root).mmos("r"))
        XCTAssertEqual(table.header, MMOSRow.header)
        XCTAssertEqual(table.rows.map { $0[0] }, ["r/r_fog_1.png", "r/r_fog_2.png"])
        func v(_ row: Int, _ col: String) -> Double { Double(table.rows[row][table.header.firstIndex(of: col)!])! }
        // d1: consistency A = p_A(d1)[0] = 0.5, B = p_B(d1)[1] = 0.4; accuracy A = 0.2, B = 0.4.
        XCTAssertEqual(v(0, "weighted_consistency"), (3 * 0.5 + 0.4) / 4, accuracy: 1e-15)
        XCTAssertEqual(v(0, "mean_consistency"), 0.45, accuracy: 1e-15)
        XCTAssertEqual(v(0, "std_consistency"), 0.05, accuracy: 1e-15)
        XCTAssertEqual(v(0, "weighted_accuracy"), (3 * 0.2 + 0.4) / 4, accuracy: 1e-15)
        XCTAssertEqual(v(0, "mean_accuracy"), 0.3, accuracy: 1e-15)
        XCTAssertEqual(v(0, "std_accuracy"), 0.1, accuracy: 1e-15)
        // d2: consistency A = 0.1, B = 0.25; accuracy A = 0.8, B = 0.5.
        XCTAssertEqual(v(1, "weighted_consistency"), (3 * 0.1 + 0.25) / 4, accuracy: 1e-15)
        XCTAssertEqual(v(1, "std_consistency"), 0.075, accuracy: 1e-15)
        XCTAssertEqual(v(1, "weighted_accuracy"), (3 * 0.8 + 0.5) / 4, accuracy: 1e-15)

        // The reader: composite = 0.5 consistency + 0.5 accuracy.
        let composite = try MIQDLabels.load(root: root, task: "cls", label: "composite", references: nil)
        XCTAssertEqual(composite.map(\.image), ["r/r_fog_1.png", "r/r_fog_2.png"])
        XCTAssertEqual(composite.map(\.reference), ["r", "r"])
        XCTAssertEqual(composite[0].value, 0.5 * (3 * 0.5 + 0.4) / 4 + 0.5 * (3 * 0.2 + 0.4) / 4, accuracy: 1e-15)
        let accuracy = try MIQDLabels.load(root: root, task: "cls", label: "accuracy", references: ["r"])
        XCTAssertEqual(accuracy[1].value, (3 * 0.8 + 0.5) / 4, accuracy: 1e-15)

        // A second run keeps the existing file.
        let again = try DatasetLabeller(root: root, machines: [a, b], weights: [3, 1], groundTruth: nil, definition: .probability).run()
        XCTAssertEqual(again.skipped, ["r"])
    }

    func testWithoutGroundTruthAccuracyIsEmptyAndCompositeFallsBack() throws {
        let root = try makeDatabase()
        let summary = try DatasetLabeller(root: root, machines: [StubMachine(name: "A", table: Self.machineA)], groundTruth: nil,
                                      definition: .probability).run()
        XCTAssertEqual(summary.withoutGroundTruth, ["r"])
        let table = try CSVTable(contentsOf: MIQDLayout(root: root).mmos("r"))
        XCTAssertEqual(Array(table.rows[0][1...]), ["0.5", "", "0.5", "0.0", "", ""])
        let composite = try MIQDLabels.load(root: root, task: "cls", label: "composite", references: nil)
        XCTAssertEqual(composite.map(\.value), [0.5, 0.1])
        XCTAssertThrowsError(try MIQDLabels.load(root: root, task: "cls", label: "accuracy", references: nil)) { error in
            XCTAssertTrue("\(error)".contains("weighted_accuracy is empty"), "\(error)")
        }
    }

    func testGroundTruthCSVAndImageNetNames() throws {
        let dir = try S.temporaryFolder(self)
        let csv = dir.appendingPathComponent("gt.csv")
        try "image,class_index\nILSVRC2012_val_00000001.JPEG,65\nmy_photo,3\n".write(to: csv, atomically: true, encoding: .utf8)
        let truth = try GroundTruth.load(csv: csv)
        XCTAssertEqual(truth.classIndex(for: "ILSVRC2012_val_00000001"), 65)
        XCTAssertEqual(truth.classIndex(for: "my_photo"), 3)
        XCTAssertNil(truth.classIndex(for: "other"))
        try "image,class_index\nx,-1\n".write(to: csv, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try GroundTruth.load(csv: csv))
    }

    func testCombineAndTopClass() {
        XCTAssertEqual(LabelFormulas.topClass([0.2, 0.4, 0.4]), 1)
        let c = LabelFormulas.combine([1, 0], weights: [1, 1])
        XCTAssertEqual(c.weighted, 0.5)
        XCTAssertEqual(c.mean, 0.5)
        XCTAssertEqual(c.std, 0.5)
        XCTAssertEqual(PredictorMachine.softmax([1000, 1000]), [0.5, 0.5])
    }

    /// The real EfficientNet-Lite0, when installed in $MIQA_HOME, on a generated reference.
    func testRealClassifierIfInstalled() throws {
        let store = ModelStore()
        guard store.contains("efficientnet_lite0") else { throw XCTSkip("efficientnet_lite0 not installed in \(store.root.path)") }
        let (_, root) = try S.generatedCopy(self)
        let predictor = try ModelResolver.resolve(model: "efficientnet_lite0", task: "cls", label: "composite", weights: nil, store: store)
        let machine = PredictorMachine(name: "efficientnet_lite0", predictor: predictor)
        // The coffee crop shows an espresso cup (ImageNet class 967).
        let truth = GroundTruth(classes: ["ref_coffee": 967], source: "test")
        let labeller = DatasetLabeller(root: root, machines: [machine], groundTruth: truth, batchSize: 10)
        let summary = try labeller.run(only: ["ref_coffee"])
        XCTAssertEqual(summary.labelled, ["ref_coffee"])
        let labels = try MIQDLabels.load(root: root, task: "cls", label: "consistency", references: ["ref_coffee"])
        XCTAssertEqual(labels.count, 50)
        XCTAssertTrue(labels.allSatisfy { (0...1).contains($0.value) })
        // The mildest contrast change keeps the machine's answer more than the strongest does.
        let mild = labels.first { $0.image.hasSuffix("_contrast_1.png") }!.value
        let strong = labels.first { $0.image.hasSuffix("_contrast_5.png") }!.value
        XCTAssertGreaterThan(mild, strong)
    }
}
