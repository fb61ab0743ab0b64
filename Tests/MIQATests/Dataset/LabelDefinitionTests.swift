import Foundation
import XCTest
@testable import MIQA

/// The three label definitions against the NumPy definitions of the label study
/// (tools/labels/make_definition_fixtures.py imports study_labels.labels()), and the labelling
/// record that keeps a database from mixing them.
final class LabelDefinitionTests: XCTestCase {
    typealias S = DatasetTestSupport

    struct Fixture: Decodable {
        let true_class: Int
        let reference: [[Double]]          // [machine][class]
        let distorted: [[[Double]]]        // [image][machine][class]
        let mean_consistency: [String: [Double]]
        let mean_accuracy: [String: [Double]]
    }

    func testDefinitionsEqualTheStudysNumPyDefinitions() throws {
        let f = try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: S.fixtures.appendingPathComponent("label_definitions.json")))
        let machines = f.reference.count
        // LabelTable wants [machine][image], image 0 the reference.
        let probabilities = (0..<machines).map { m in [f.reference[m]] + f.distorted.map { $0[m] } }
        let images = f.distorted.indices.map { "r/r_\($0).png" }
        for definition in LabelDefinition.allCases {
            let rows = try LabelTable.rows(images: images, probabilities: probabilities, trueClass: f.true_class,
                                           weights: Array(repeating: 1, count: machines), definition: definition)
            let wantC = try XCTUnwrap(f.mean_consistency[definition.rawValue]), wantA = try XCTUnwrap(f.mean_accuracy[definition.rawValue])
            for (i, row) in rows.enumerated() {
                XCTAssertEqual(row.meanConsistency, wantC[i], accuracy: 1e-12, "\(definition) consistency, image \(i)")
                XCTAssertEqual(row.weightedConsistency, wantC[i], accuracy: 1e-12, "\(definition) equal weights")
                XCTAssertEqual(try XCTUnwrap(row.meanAccuracy), wantA[i], accuracy: 1e-12, "\(definition) accuracy, image \(i)")
            }
        }
        // The last distorted image is the reference itself: the top of the scale for the two
        // definitions that promise it, whatever the machines' confidence.
        let last = f.distorted.count - 1
        XCTAssertEqual(f.mean_consistency["agreement"]![last], 1)
        XCTAssertEqual(f.mean_consistency["overlap"]![last], 1, accuracy: 1e-12)
        XCTAssertLessThan(f.mean_consistency["probability"]![last], 0.9)
    }

    func testRecordIsWrittenAndAMismatchStopsBeforeAnyLabel() throws {
        let root = try DatasetLabelTests.makeDatabase(in: S.temporaryFolder(self))
        let a = StubMachine(name: "A", table: DatasetLabelTests.machineA)
        let layout = MIQDLayout(root: root)
        _ = try DatasetLabeller(root: root, machines: [a], groundTruth: nil, definition: .agreement).run()
        XCTAssertEqual(try LabellingRecord.load(layout), LabellingRecord(definition: .agreement, machines: ["A"], weights: [1]))
        let before = try String(contentsOf: layout.mmos("r"), encoding: .utf8)
        // Agreement of A: d1 keeps class 0, d2 moves to class 2.
        XCTAssertEqual(try MIQDLabels.load(root: root, task: "cls", label: "consistency", references: nil).map(\.value), [1, 0])

        // Another definition on the same database: refused, naming the record and both settings.
        XCTAssertThrowsError(try DatasetLabeller(root: root, machines: [a], groundTruth: nil, definition: .overlap).run()) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("labelling.json") && text.contains("definition overlap, not agreement"), text)
        }
        // Other machines too.
        let b = StubMachine(name: "B", table: DatasetLabelTests.machineB)
        XCTAssertThrowsError(try DatasetLabeller(root: root, machines: [a, b], groundTruth: nil, definition: .agreement).run()) { error in
            XCTAssertTrue("\(error)".contains("machines A,B, not A"), "\(error)")
        }
        XCTAssertEqual(try String(contentsOf: layout.mmos("r"), encoding: .utf8), before, "nothing relabelled")
        XCTAssertEqual(b.calls, 0)

        // Relabelling everything is allowed and updates the record.
        _ = try DatasetLabeller(root: root, machines: [a], groundTruth: nil, overwrite: true, definition: .overlap).run()
        XCTAssertEqual(try LabellingRecord.load(layout)?.labelDefinition, .overlap)
        let overlap = try MIQDLabels.load(root: root, task: "cls", label: "consistency", references: nil).map(\.value)
        // overlap(d1) = min(.5,.7) + min(.3,.2) + min(.2,.1) = 0.8; overlap(d2) = .1 + .1 + .1 = 0.3.
        XCTAssertEqual(overlap[0], 0.8, accuracy: 1e-12)
        XCTAssertEqual(overlap[1], 0.3, accuracy: 1e-12)
    }

    func testDatabaseFromBeforeTheRecordCountsAsProbability() throws {
        let root = try DatasetLabelTests.makeDatabase(in: S.temporaryFolder(self))
        let layout = MIQDLayout(root: root)
        let a = StubMachine(name: "A", table: DatasetLabelTests.machineA)
        _ = try DatasetLabeller(root: root, machines: [a], groundTruth: nil, definition: .probability).run()
        try FileManager.default.removeItem(at: LabellingRecord.url(in: layout))
        XCTAssertThrowsError(try DatasetLabeller(root: root, machines: [a], groundTruth: nil, definition: .agreement).run()) { error in
            XCTAssertTrue("\(error)".contains("definition agreement, not probability"), "\(error)")
        }
        let again = try DatasetLabeller(root: root, machines: [a], groundTruth: nil, definition: .probability).run()
        XCTAssertEqual(again.skipped, ["r"])
    }

    func testBadRecordIsAnErrorNamingTheFile() throws {
        let root = try DatasetLabelTests.makeDatabase(in: S.temporaryFolder(self))
        let layout = MIQDLayout(root: root)
        try FileManager.default.createDirectory(at: layout.labels, withIntermediateDirectories: true)
        try Data("{\"definition\": \"sharpness\"}".utf8).write(to: LabellingRecord.url(in: layout))
        let a = StubMachine(name: "A", table: DatasetLabelTests.machineA)
        XCTAssertThrowsError(try DatasetLabeller(root: root, machines: [a], groundTruth: nil).run()) { error in
            XCTAssertTrue("\(error)".contains("labelling.json") && "\(error)".contains("not a labelling record"), "\(error)")
        }
    }
}
