import XCTest
import Imaging
@testable import MIQA

/// The filtering test against NumPy/SciPy (fixtures from tools/evaluation/make_filtering_fixtures.py)
/// and a whole run on hand-made pairs with machines whose answers are known exactly.
final class FilteringTests: XCTestCase {
    struct Fixture: Decodable {
        struct Laplacian: Decodable { let width: Int, height: Int, pixels: [UInt8], variance: Double }
        struct Curve: Decodable { let keys: [Double], outcome: [Double], fractions: [Double], kept_means: [Double?], srcc: Double }
        let laplacian: [Laplacian]
        let curves: [Curve]
    }

    static let fixture: Fixture = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/filtering.json")
        return try! JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
    }()

    func testLaplacianVarianceMatchesScipy() {
        for c in Self.fixture.laplacian {
            let v = LaplacianSharpness.variance(RGBImage(width: c.width, height: c.height, pixels: c.pixels))
            XCTAssertEqual(v, c.variance, accuracy: 1e-9 * max(1, c.variance), "\(c.width)x\(c.height)")
        }
    }

    func testKeptMeansMatchNumpyStableOrder() {
        for (n, c) in Self.fixture.curves.enumerated() {
            let means = FilteringCurve.keptMeans(keys: c.keys, outcome: c.outcome, fractions: c.fractions)
            for (i, expected) in c.kept_means.enumerated() {
                guard let expected else { XCTAssertTrue(means[i].isNaN); continue }
                XCTAssertEqual(means[i], expected, accuracy: 1e-12, "case \(n), p = \(c.fractions[i])")
            }
            XCTAssertEqual(Correlation.srcc(c.keys, c.outcome), c.srcc, accuracy: 1e-12, "case \(n)")
        }
    }

    func testDropCountIsExactAtDecimalFractions() {
        XCTAssertEqual(FilteringCurve.dropCount(fraction: 0.7, of: 10), 7)
        XCTAssertEqual(FilteringCurve.dropCount(fraction: 0.3, of: 10), 3)
        XCTAssertEqual(FilteringCurve.dropCount(fraction: 0.7, of: 2730), 1911)
        XCTAssertEqual(FilteringCurve.dropCount(fraction: 0.99, of: 3), 2)
    }

    func testRandomBaselineIsTheOverallMean() {
        let outcome = [0.0, 1, 1, 0, 1]
        XCTAssertEqual(FilteringCurve.randomMeans(outcome: outcome, fractions: [0, 0.4, 0.8]), [0.6, 0.6, 0.6])
    }

    /// A machine that answers from the image's mean red value: class 0 when red dominates, with a
    /// probability that falls as the image darkens (known exactly, so outcomes can be checked).
    final class BrightnessMachine: ClassifierMachine {
        let name = "brightness"
        func probabilities(_ images: [RGBImage]) throws -> [[Double]] {
            images.map { image in
                let n = Double(image.width * image.height)
                var r = 0.0, g = 0.0
                for i in 0..<(image.width * image.height) { r += Double(image.pixels[3 * i]); g += Double(image.pixels[3 * i + 1]) }
                let p0 = (r / n) / max(1, r / n + g / n)
                return [p0, 1 - p0]
            }
        }
    }

    func image(red: UInt8, green: UInt8, seed: Int) -> RGBImage {
        let w = 40, h = 30
        var px = [UInt8](repeating: 0, count: w * h * 3)
        for i in 0..<(w * h) {
            px[3 * i] = red; px[3 * i + 1] = green; px[3 * i + 2] = UInt8((i * 7 + seed * 13) % 256)
        }
        return RGBImage(width: w, height: h, pixels: px)
    }

    func testRunOnPairsReportsEveryImageAndEveryFailure() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("filtering-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try ImageEncoder.png(image(red: 200, green: 50, seed: 0)).write(to: dir.appendingPathComponent("ref.png"))
        var csv = "image,reference,severity\n"
        // Greener = the machine moves away from class 0; severity says so.
        for (k, green) in [60, 120, 180, 240].enumerated() {
            try ImageEncoder.png(image(red: 200, green: UInt8(green), seed: k + 1)).write(to: dir.appendingPathComponent("d\(k).png"))
            csv += "d\(k).png,ref.png,\(k + 1)\n"
        }
        try ImageEncoder.png(RGBImage(width: 8, height: 8)).write(to: dir.appendingPathComponent("small.png"))
        try Data("not an image".utf8).write(to: dir.appendingPathComponent("text.png"))
        csv += "small.png,ref.png,1\ntext.png,ref.png,1\nmissing.png,ref.png,1\nd0.png,nothere.png,1\n"
        let pairs = dir.appendingPathComponent("pairs.csv")
        try Data(csv.utf8).write(to: pairs)

        let input = try FilteringInput.pairs(csv: pairs)
        XCTAssertEqual(input.groups.map { $0.referenceID }, ["ref.png", "nothere.png"])
        let predictor = try EvaluationEndToEndTests.fixturePredictor(task: "cls")
        let machine = BrightnessMachine()
        let outcome = FilteringRun(predictor: predictor, machines: [machine]).run(input)
        XCTAssertEqual(outcome.samples.map(\.image), ["d0.png", "d1.png", "d2.png", "d3.png"])
        XCTAssertEqual(outcome.failures.count, 4, outcome.failures.joined(separator: "\n"))
        XCTAssertTrue(outcome.failures.contains { $0.contains("small.png") && $0.contains("8x8 but its reference ref.png is 40x30") })
        XCTAssertTrue(outcome.failures.contains { $0.contains("text.png") })
        XCTAssertTrue(outcome.failures.contains { $0.contains("missing.png") })
        XCTAssertTrue(outcome.failures.contains { $0.contains("nothere.png") && $0.contains("1 distorted images left out") })
        // Outcomes are the machine's own numbers: class 0 on the reference, p0 on each image.
        for (k, s) in outcome.samples.enumerated() {
            let expected = 200.0 / (200.0 + Double([60, 120, 180, 240][k]))
            XCTAssertEqual(s.value(.consistency, machine: 0), expected, accuracy: 1e-12)
            XCTAssertEqual(s.value(.agreement, machine: 0), expected > 0.5 ? 1 : 0)
            XCTAssertEqual(s.severity, Double(k + 1))
        }
        let result = FilteringResult(samples: outcome.samples, machines: [machine.name], fractions: [0, 0.5])
        XCTAssertEqual(result.methods, [FilteringResult.Method.predictor, .random, .sharpness, .psnr, .severity])
        // Dropping by severity removes the two greenest: the kept mean is that of d0, d1.
        let severity = try XCTUnwrap(result.curve(.severity, .consistency))
        XCTAssertEqual(severity.values[1], (200.0 / 260 + 200.0 / 320) / 2, accuracy: 1e-12)
        // p0 = 200 / (200 + green) is above one half for green 60, 120, 180: three of four agree.
        XCTAssertEqual(result.curve(.random, .agreement)?.values, [0.75, 0.75])

        let report = FilteringReport(result: result, samples: outcome.samples, predictorName: predictor.card.name, failures: outcome.failures)
        let out = dir.appendingPathComponent("out")
        let files = try report.write(to: out)
        XCTAssertEqual(files.map(\.lastPathComponent), ["filtering.csv", "filtering.json", "samples.csv", "filtering.png"])
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: files[1])) as? [String: Any])
        XCTAssertEqual((json["counts"] as? [String: Int])?["failed"], 4)
        let samplesCSV = try CSVTable(contentsOf: files[2])
        XCTAssertEqual(samplesCSV.rows.count, 4)
        XCTAssertTrue(report.table().contains("gain at p = 0.50"))
        XCTAssertTrue(try ImageDecoder.decode(contentsOf: files[3]).width == 1100)
    }
}
