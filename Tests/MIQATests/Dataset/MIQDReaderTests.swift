import Foundation
import XCTest
@testable import MIQA

final class MIQDReaderTests: XCTestCase {
    typealias S = DatasetTestSupport

    func testImportScoresRoundTrip() throws {
        let dir = try S.temporaryFolder(self)
        let root = dir.appendingPathComponent("db"), csv = dir.appendingPathComponent("scores.csv")
        try """
            reference_id,filename,machine,ap_consistency,ap_accuracy
            000000000139,000000000139_fog_1.png,yolo,0.9,0.6
            000000000139,000000000139_fog_1.png,rcnn,0.7,0.4
            000000000139,000000000139/000000000139_fog_2.png,yolo,0.5,
            000000000139,000000000139_fog_2.png,rcnn,0.3,0.2
            000000000285,000000000285_snow_5.png,yolo,0.1,0.05

            """.write(to: csv, atomically: true, encoding: .utf8)
        let summary = try ScoreImport.run(root: root, scores: csv)
        XCTAssertEqual(summary.references, ["000000000139", "000000000285"])
        XCTAssertEqual(summary.images, 3)
        XCTAssertEqual(summary.machines, ["yolo", "rcnn"])
        let layout = MIQDLayout(root: root)
        let acc = try CSVTable(contentsOf: layout.accuracyLabels("000000000139"))
        XCTAssertEqual(acc.header, ["filename", "AP_weighted_avg"])
        XCTAssertEqual(acc.rows.map { $0[0] }, ["000000000139_fog_1.png", "000000000139_fog_2.png"])
        XCTAssertEqual(Double(acc.rows[1][1]), 0.2) // the empty cell leaves yolo out

        let composite = try MIQDLabels.load(root: root, task: "det", label: "composite", references: nil)
        XCTAssertEqual(composite.map(\.image), ["000000000139/000000000139_fog_1.png", "000000000139/000000000139_fog_2.png",
                                                "000000000285/000000000285_snow_5.png"])
        XCTAssertEqual(composite[0].value, 0.5 * 0.8 + 0.5 * 0.5, accuracy: 1e-12)
        XCTAssertEqual(composite[1].value, 0.5 * 0.4 + 0.5 * 0.2, accuracy: 1e-12)
        XCTAssertEqual(composite[2].reference, "000000000285")
        let consistency = try MIQDLabels.load(root: root, task: "ins", label: "consistency", references: ["000000000285"])
        XCTAssertEqual(consistency.map(\.value), [0.1])
    }

    func testImportScoresRejectsBadValues() throws {
        let dir = try S.temporaryFolder(self)
        let csv = dir.appendingPathComponent("scores.csv")
        try "reference_id,filename,machine,ap_consistency,ap_accuracy\na,a_fog_1.png,m,1.5,0\n".write(to: csv, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try ScoreImport.run(root: dir, scores: csv)) { XCTAssertTrue("\($0)".contains("line 2"), "\($0)") }
        try "reference_id,filename,machine,ap_consistency,ap_accuracy\na,f.png,m,1,0\na,f.png,m,1,0\n".write(to: csv, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try ScoreImport.run(root: dir, scores: csv)) { XCTAssertTrue("\($0)".contains("already"), "\($0)") }
        try "reference,filename\n".write(to: csv, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try ScoreImport.run(root: dir, scores: csv)) { XCTAssertTrue("\($0)".contains("reference_id"), "\($0)") }
    }

    func testMisalignedDetectionFilesAreRejected() throws {
        let root = try S.temporaryFolder(self)
        let layout = MIQDLayout(root: root)
        try FileManager.default.createDirectory(at: layout.labels, withIntermediateDirectories: true)
        try "filename,AP_weighted_avg\na_1.png,0.5\na_2.png,0.4\n".write(to: layout.consistencyLabels("a"), atomically: true, encoding: .utf8)
        try "filename,AP_weighted_avg\na_2.png,0.5\na_1.png,0.4\n".write(to: layout.accuracyLabels("a"), atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try MIQDLabels.load(root: root, task: "det", label: "composite", references: nil)) {
            XCTAssertTrue("\($0)".contains("aligned"), "\($0)")
        }
        // One file alone is enough for its own label.
        XCTAssertEqual(try MIQDLabels.load(root: root, task: "det", label: "consistency", references: ["a"]).map(\.value), [0.5, 0.4])
        XCTAssertThrowsError(try MIQDLabels.load(root: root, task: "det", label: "composite", references: ["missing"]))
        XCTAssertThrowsError(try MIQDLabels.load(root: root, task: "seg", label: "composite", references: ["a"]))
    }

    func testHandWrittenMMOSFile() throws {
        let root = try S.temporaryFolder(self)
        let layout = MIQDLayout(root: root)
        try FileManager.default.createDirectory(at: layout.labels, withIntermediateDirectories: true)
        // The original's column order with spaces after commas, and one row without accuracy.
        try """
            dist_images, weighted_consistency, weighted_accuracy, mean_consistency, std_consistency, mean_accuracy, std_accuracy
            x/x_fog_1.png,0.8,0.6,0.8,0,0.6,0
            x/x_fog_2.png,0.4,,0.4,0,,

            """.write(to: layout.mmos("x"), atomically: true, encoding: .utf8)
        let labels = try MIQDLabels.load(root: root, task: "cls", label: "composite", references: nil)
        XCTAssertEqual(labels.map(\.image), ["x/x_fog_1.png", "x/x_fog_2.png"])
        XCTAssertEqual(labels[0].value, 0.7, accuracy: 1e-15)
        XCTAssertEqual(labels[1].value, 0.4)
        XCTAssertEqual(try MIQDLabels.availableReferences(root: root, task: "cls"), ["x"])
    }

    func testSplitsSmallFiles() throws {
        let dir = try S.temporaryFolder(self)
        let cls = dir.appendingPathComponent("cls.csv"), det = dir.appendingPathComponent("det.csv")
        try "Image Name,Category,Quality Score\nILSVRC2012_val_00037809.JPEG,sea snake,0.8\n\"a,b.JPEG\",x,1\n".write(to: cls, atomically: true, encoding: .utf8)
        try "Image Index\n532481\n139\n".write(to: det, atomically: true, encoding: .utf8)
        XCTAssertEqual(try MIQDSplits.load(cls), ["ILSVRC2012_val_00037809", "a,b"])
        XCTAssertEqual(try MIQDSplits.load(det), ["000000532481", "000000000139"])
        try "Image Index\nabc\n".write(to: det, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try MIQDSplits.load(det))
        try "Something\n1\n".write(to: det, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try MIQDSplits.load(det)) { XCTAssertTrue("\($0)".contains("Image Name"), "\($0)") }
    }

    func testOfficialSplitFiles() throws {
        let dir = URL(fileURLWithPath: "/work/shared/data/miqa-reference/splits")
        guard FileManager.default.fileExists(atPath: dir.appendingPathComponent("miqa_cls_val.csv").path) else {
            throw XCTSkip("official split files not present")
        }
        let clsTrain = try MIQDSplits.load(dir.appendingPathComponent("miqa_cls_train.csv"))
        let clsVal = try MIQDSplits.load(dir.appendingPathComponent("miqa_cls_val.csv"))
        let detTrain = try MIQDSplits.load(dir.appendingPathComponent("miqa_det_train.csv"))
        let detVal = try MIQDSplits.load(dir.appendingPathComponent("miqa_det_val.csv"))
        XCTAssertEqual([clsTrain.count, clsVal.count, detTrain.count, detVal.count], [4000, 1000, 4000, 952])
        XCTAssertEqual(clsTrain.first, "ILSVRC2012_val_00037809")
        XCTAssertEqual(clsVal[1], "ILSVRC2012_val_00024142")
        XCTAssertEqual(detTrain.first, "000000532481")
        XCTAssertTrue(detVal.allSatisfy { $0.count == 12 && $0.allSatisfy(\.isNumber) })
        // Splits are by reference: no overlap.
        XCTAssertTrue(Set(clsTrain).isDisjoint(with: clsVal))
        XCTAssertTrue(Set(detTrain).isDisjoint(with: detVal))
    }
}
