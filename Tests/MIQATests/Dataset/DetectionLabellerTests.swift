import XCTest
import Imaging
@testable import MIQA

/// The det labeller's rules with a scripted detector (the real one is checked end to end by
/// tools/oracle/check_detection.py against pycocotools): which boxes are the reference's truth,
/// the weighted average over machines with a defined AP, the accuracy file only with ground
/// truth, the record, and a reference in which nothing is found.
final class DetectionLabellerTests: XCTestCase {
    static func d(_ k: Int, _ p: Float, _ x: Float) -> Detection {
        Detection(classIndex: k, className: ["cat", "dog"][k], probability: p, box: Box(x: x, y: 0.5, w: 0.25, h: 0.5))
    }

    private func database() throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("det-label-\(UUID().uuidString)")
        let layout = MIQDLayout(root: root)
        try FileManager.default.createDirectory(at: layout.sourceImages, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: layout.folder("ref"), withIntermediateDirectories: true)
        try ImageEncoder.png(RGBImage(width: 64, height: 32)).write(to: layout.sourceImages.appendingPathComponent("ref.png"))
        // Distorted images of the reference's size; the scripted machine tells them apart by a pixel.
        var names: [String] = []
        for (i, name) in ["ref_fog_1.png", "ref_fog_2.png"].enumerated() {
            var image = RGBImage(width: 64, height: 32)
            image.pixels[0] = UInt8(i + 1)
            try ImageEncoder.png(image).write(to: layout.folder("ref").appendingPathComponent(name))
            names.append(name)
        }
        try CompletionMarker.write(layout.completionMarker("ref"), files: names)
        return root
    }

    /// Tells images apart by their first pixel (0 = reference) instead of their width.
    final class ByPixel: DetectorMachine {
        let name: String
        let classNames = ["cat", "dog"]
        let answers: [UInt8: [Detection]]
        init(_ name: String, _ answers: [UInt8: [Detection]]) { self.name = name; self.answers = answers }
        func detect(_ image: RGBImage, threshold: Float, nms: Float) -> [Detection] {
            (answers[image.pixels[0]] ?? []).filter { $0.probability > threshold }
        }
    }

    func testConsistencyAgainstTheMachinesOwnReferenceAnswer() throws {
        let root = try database()
        defer { try? FileManager.default.removeItem(at: root) }
        // Machine a: the reference has a cat at x 0.3 (0.9) and a weak dog (0.4, below 0.5: not truth).
        // Distorted 1: the same cat; distorted 2: the cat as a dog (a miss and a false positive).
        let a = ByPixel("a", [0: [Self.d(0, 0.9, 0.3), Self.d(1, 0.4, 0.7)], 1: [Self.d(0, 0.8, 0.3)], 2: [Self.d(1, 0.8, 0.3)]])
        // Machine b finds nothing in the reference: no consistency of its own.
        let b = ByPixel("b", [1: [Self.d(0, 0.9, 0.3)]])
        let labeller = DetectionLabeller(root: root, machines: [a, b], weights: [2, 1], groundTruth: nil)
        let summary = try labeller.run()
        XCTAssertEqual(summary.labelled, ["ref"])
        XCTAssertEqual(summary.withoutGroundTruth, ["ref"])
        let table = try CSVTable(contentsOf: MIQDLayout(root: root).consistencyLabels("ref"))
        XCTAssertEqual(table.header, ["filename", "AP_weighted_avg", "AP75_weighted_avg", "AP50_weighted_avg", "AP_a", "AP_b"])
        XCTAssertEqual(table.rows.map { $0[0] }, ["ref_fog_1.png", "ref_fog_2.png"])
        XCTAssertEqual(Double(table.rows[0][4])!, 1, accuracy: 1e-12)
        XCTAssertEqual(Double(table.rows[1][4])!, 0)
        XCTAssertEqual(table.rows.map { $0[5] }, ["", ""])
        // The weighted average is over machine a alone (b has no AP), not a's AP x 2/3.
        XCTAssertEqual(Double(table.rows[0][1])!, 1, accuracy: 1e-12)
        XCTAssertFalse(FileManager.default.fileExists(atPath: MIQDLayout(root: root).accuracyLabels("ref").path))
        // Composite reads consistency when there is no accuracy file.
        let loaded = try MIQDLabels.load(root: root, task: "det", label: "composite", references: nil)
        XCTAssertEqual(loaded.map(\.image), ["ref/ref_fog_1.png", "ref/ref_fog_2.png"])
        XCTAssertEqual(loaded[0].value, 1, accuracy: 1e-12)
        XCTAssertThrowsError(try MIQDLabels.load(root: root, task: "det", label: "accuracy", references: nil))
        // Other machines later: stopped before any file changes, with the record named.
        XCTAssertThrowsError(try DetectionLabeller(root: root, machines: [a], groundTruth: nil, overwrite: true).run(only: ["ref"])) {
            XCTAssertTrue("\($0)".contains("labelling.json"), "\($0)")
        }
    }

    func testAccuracyWithGroundTruthAndAReferenceWithoutObjects() throws {
        let root = try database()
        defer { try? FileManager.default.removeItem(at: root) }
        // Truth: a dog at the cat's place. The machine calls it a cat everywhere: consistency 1, accuracy 0.
        let truth = BoxGroundTruth(objects: ["ref": [("dog", .init(left: 11.2, top: 8, width: 16, height: 16))]], source: "truth.json")
        let m = ByPixel("m", [0: [Self.d(0, 0.9, 0.3)], 1: [Self.d(0, 0.9, 0.3)], 2: [Self.d(0, 0.9, 0.3), Self.d(1, 0.3, 0.3)]])
        _ = try DetectionLabeller(root: root, machines: [m], groundTruth: truth).run()
        let layout = MIQDLayout(root: root)
        let accuracy = try CSVTable(contentsOf: layout.accuracyLabels("ref"))
        XCTAssertEqual(accuracy.rows.map { Double($0[1])! }[0], 0)
        XCTAssertEqual(accuracy.rows.map { Double($0[1])! }[1], 1, accuracy: 1e-12)  // the 0.3 dog sits on the true box
        let composite = try MIQDLabels.load(root: root, task: "det", label: "composite", references: nil)
        XCTAssertEqual(composite[0].value, 0.5, accuracy: 1e-12)
        // A machine that sees nothing in the reference cannot label it: reported, no file.
        let blind = ByPixel("m", [1: [Self.d(0, 0.9, 0.3)]])
        let summary = try DetectionLabeller(root: root, machines: [blind], groundTruth: nil, overwrite: true).run()
        XCTAssertEqual(summary.failed.map(\.id), ["ref"])
        XCTAssertTrue(summary.failed[0].message.contains("finds an object in the reference"), summary.failed[0].message)
    }

    func testGroundTruthFileErrorsNameTheProblem() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("gt-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: url) }
        func load(_ text: String) -> String {
            try? text.write(to: url, atomically: true, encoding: .utf8)
            do { _ = try BoxGroundTruth.load(json: url); return "loaded" } catch { return "\(error)" }
        }
        let images = #""images": [{"id": 1, "file_name": "ref.jpg"}], "categories": [{"id": 3, "name": "dog"}]"#
        XCTAssertTrue(load("{\(images), \"annotations\": [{\"image_id\": 2, \"category_id\": 3, \"bbox\": [0, 0, 5, 5]}]}").contains("image_id 2 is not in images"))
        XCTAssertTrue(load("{\(images), \"annotations\": [{\"image_id\": 1, \"category_id\": 4, \"bbox\": [0, 0, 5, 5]}]}").contains("category_id 4"))
        XCTAssertTrue(load("{\(images), \"annotations\": [{\"image_id\": 1, \"category_id\": 3, \"bbox\": [0, 0, -5, 5]}]}").contains("positive size"))
        XCTAssertTrue(load("[1, 2]").contains("not COCO-style JSON"))
        XCTAssertEqual(load("{\(images), \"annotations\": [{\"image_id\": 1, \"category_id\": 3, \"bbox\": [0, 0, 5, 5]}]}"), "loaded")
        let truth = try BoxGroundTruth.load(json: url)
        XCTAssertEqual(try truth.truth(for: "ref", classNames: ["cat", "dog"], machine: "m")?.map(\.classIndex), [1])
        XCTAssertThrowsError(try truth.truth(for: "ref", classNames: ["cat"], machine: "m")) { XCTAssertTrue("\($0)".contains("'dog'"), "\($0)") }
        XCTAssertNil(try truth.truth(for: "other", classNames: ["dog"], machine: "m"))
    }

    /// One record type for both tasks: a cls record (as files before det labels were written it,
    /// without `task`) stops a det labelling run, naming the task; the det record round-trips.
    func testClsRecordStopsADetRunAndTheDetRecordRoundTrips() throws {
        let root = try database()
        defer { try? FileManager.default.removeItem(at: root) }
        let layout = MIQDLayout(root: root)
        try FileManager.default.createDirectory(at: layout.labels, withIntermediateDirectories: true)
        try Data(#"{"definition": "overlap", "machines": ["efficientnet_lite0"], "weights": [1]}"#.utf8).write(to: LabellingRecord.url(in: layout))
        XCTAssertEqual(try LabellingRecord.load(layout)?.task, .cls)
        XCTAssertEqual(try LabellingRecord.load(layout)?.labelDefinition, .overlap)
        let m = ByPixel("m", [0: [Self.d(0, 0.9, 0.3)], 1: [Self.d(0, 0.9, 0.3)], 2: [Self.d(0, 0.9, 0.3)]])
        XCTAssertThrowsError(try DetectionLabeller(root: root, machines: [m], groundTruth: nil).run()) {
            XCTAssertTrue("\($0)".contains("task det, not cls"), "\($0)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: layout.consistencyLabels("ref").path), "nothing labelled")
        // Relabelling everything replaces it with a det record that reads back equal.
        _ = try DetectionLabeller(root: root, machines: [m], groundTruth: nil, overwrite: true).run()
        let recorded = try XCTUnwrap(try LabellingRecord.load(layout))
        XCTAssertEqual(recorded, LabellingRecord(detectors: ["m"], weights: [1], referenceThreshold: 0.5, scoreThreshold: 0.005))
        XCTAssertNil(recorded.labelDefinition)
        // A det record naming a cls definition is not a record.
        try Data(#"{"task": "det", "definition": "overlap", "machines": ["m"], "weights": [1]}"#.utf8).write(to: LabellingRecord.url(in: layout))
        XCTAssertThrowsError(try LabellingRecord.load(layout)) { XCTAssertTrue("\($0)".contains("not a labelling record"), "\($0)") }
    }
}
