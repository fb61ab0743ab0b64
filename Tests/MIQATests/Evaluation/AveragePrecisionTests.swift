import XCTest
@testable import MIQA

/// COCO box AP per image against pycocotools' COCOeval on 80 seeded scenes
/// (`tools/oracle/make_ap_fixtures.py`): duplicates, wrong classes, false positives, classes
/// without ground truth, tied scores, empty detections, more than 100 detections of a class.
final class AveragePrecisionTests: XCTestCase {
    private struct Fixture: Decodable {
        struct Item: Decodable { let `class`: Int; let box: [Double]; let score: Double? }
        struct Scene: Decodable { let truth: [Item]; let detections: [Item]; let coco: [Double]? }
        let scenes: [Scene]
    }

    func testMatchesCOCOeval() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../Fixtures/average_precision.json")
        let fixture = try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
        XCTAssertEqual(fixture.scenes.count, 80)
        func box(_ b: [Double]) -> AveragePrecision.PixelBox { .init(left: b[0], top: b[1], width: b[2], height: b[3]) }
        var compared = 0, nonTrivial = 0
        for (i, scene) in fixture.scenes.enumerated() {
            let got = AveragePrecision.coco(truth: scene.truth.map { .init(classIndex: $0.class, box: box($0.box)) },
                                            detections: scene.detections.map { .init(classIndex: $0.class, score: $0.score!, box: box($0.box)) })
            guard let want = scene.coco else {
                XCTAssertNil(got, "scene \(i) has no ground truth")
                continue
            }
            let g = try XCTUnwrap(got, "scene \(i)")
            XCTAssertEqual(g.ap, want[0], accuracy: 1e-12, "scene \(i) AP")
            XCTAssertEqual(g.ap50, want[1], accuracy: 1e-12, "scene \(i) AP50")
            XCTAssertEqual(g.ap75, want[2], accuracy: 1e-12, "scene \(i) AP75")
            compared += 1
            if want[0] > 0 && want[0] < 1 { nonTrivial += 1 }
        }
        XCTAssertGreaterThan(compared, 70)
        XCTAssertGreaterThan(nonTrivial, 40)
    }

    /// A perfect answer is 1 (less COCO's epsilon); a detection of the right class at IoU 0.62
    /// counts at 3 of the 10 thresholds (0.50, 0.55, 0.60).
    func testHandComputedCases() throws {
        let g = AveragePrecision.PixelBox(left: 0, top: 0, width: 10, height: 10)
        let truth = [AveragePrecision.Truth(classIndex: 1, box: g)]
        XCTAssertEqual(try XCTUnwrap(AveragePrecision.coco(truth: truth, detections: [.init(classIndex: 1, score: 0.9, box: g)])).ap, 1, accuracy: 1e-12)
        let shifted = AveragePrecision.PixelBox(left: 0, top: 0, width: 6.2, height: 10)
        let r = try XCTUnwrap(AveragePrecision.coco(truth: truth, detections: [.init(classIndex: 1, score: 0.9, box: shifted)]))
        XCTAssertEqual(r.ap, 0.3, accuracy: 1e-12)
        XCTAssertEqual(r.ap50, 1, accuracy: 1e-12)
        XCTAssertEqual(r.ap75, 0)
        XCTAssertEqual(AveragePrecision.coco(truth: truth, detections: [.init(classIndex: 2, score: 0.9, box: g)])?.ap, 0)
        XCTAssertNil(AveragePrecision.coco(truth: [], detections: [.init(classIndex: 2, score: 0.9, box: g)]))
    }
}
