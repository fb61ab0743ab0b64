import XCTest
import Imaging
@testable import MIQA

/// The numeric parts of metrics.json (null, for NaN, decodes as nil).
struct MetricsNumbers: Decodable {
    struct Summary: Decodable {
        let count: Int
        let srcc: Double?, plcc: Double?, krcc: Double?, rmse: Double?
    }
    let overall: Summary
    let by_distortion: [String: Summary]
    let by_region: [String: Summary]
}

/// A whole evaluation on a tiny hand-made MIQD database, scored by the tiny ResNet-18 fixture.
final class EvaluationEndToEndTests: XCTestCase {
    static let fixtureModel = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/models/resnet18")

    /// The tiny ResNet-18 (PyTorch random weights) as a predictor with a card.
    func predictor(task: String) throws -> Predictor { try Self.fixturePredictor(task: task) }

    /// See `predictor(task:)`; shared with other tests.
    static func fixturePredictor(task: String) throws -> Predictor {
        let config = try ArchitectureConfig.load(Self.fixtureModel.appendingPathComponent("config.json"))
        let model = try ModelRegistry.build(config, weights: WeightLoading.tensors(from: Self.fixtureModel.appendingPathComponent("model.pth.tar")))
        return Predictor(model: model, card: ModelCard(name: "miqa_resnet18_\(task)_composite", model: "resnet18", task: task,
                                                       label: "composite", config: config, source: "fixture"))
    }

    /// A textured image whose brightness falls with `severity`, so scores vary.
    func image(seed: Int, severity: Double) -> RGBImage {
        let w = 40, h = 30
        var px = [UInt8](repeating: 0, count: w * h * 3)
        for y in 0..<h {
            for x in 0..<w {
                for c in 0..<3 {
                    let base = Double((x * 7 + y * 13 + c * 29 + seed * 31) % 256)
                    px[(y * w + x) * 3 + c] = UInt8(max(0, min(255, base * (1.1 - 0.15 * severity))))
                }
            }
        }
        return RGBImage(width: w, height: h, pixels: px)
    }

    /// Writes `images/<id>/...` and the cls label file of one reference: every distortion at a
    /// few region configurations. Returns the number of images.
    func writeReference(_ id: String, root: URL, seed: Int) throws -> Int {
        let folder = root.appendingPathComponent("images/\(id)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let regions = [RegionConfiguration(foreground: 1, background: 1), RegionConfiguration(foreground: 4, background: 4),
                       RegionConfiguration(foreground: 5, background: 2), RegionConfiguration(foreground: 1, background: 3)]
        var csv = "dist_images,weighted_consistency,weighted_accuracy,mean_consistency\n"
        var count = 0
        for (t, type) in DistortionType.allCases.enumerated() {
            for region in regions {
                let severity = 0.6 * Double(region.foregroundLevel) + 0.4 * Double(region.backgroundLevel) + 0.05 * Double(t)
                let name = region.fileName(referenceID: id, type: type)
                try ImageEncoder.png(image(seed: seed + t, severity: severity)).write(to: folder.appendingPathComponent(name))
                let consistency = 1 - 0.15 * severity, accuracy = 0.9 - 0.12 * severity + 0.01 * Double(t % 3)
                csv += "\(id)/\(name),\(consistency),\(accuracy),0.5\n"
                count += 1
            }
        }
        try csv.write(to: root.appendingPathComponent("labels/\(id)_mmos.csv"), atomically: true, encoding: .utf8)
        return count
    }

    func testEvaluateTinyDatabase() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("miqa-eval-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.createDirectory(at: root.appendingPathComponent("labels"), withIntermediateDirectories: true)
        let ids = ["ILSVRC2012_val_00000011", "ILSVRC2012_val_00000022"]
        var total = 0
        for (i, id) in ids.enumerated() { total += try writeReference(id, root: root, seed: i * 5) }
        // One image that does not decode: reported, excluded, counted.
        let broken = "\(ids[1])/\(ids[1])_fog_4.png"
        try Data("not a png".utf8).write(to: root.appendingPathComponent("images/\(broken)"))
        // The split lists a third reference that has no labels, and leaves none of ours out.
        let split = root.appendingPathComponent("split.csv")
        try "Image Name,Category,Quality Score\n\(ids[0]).JPEG,a,0.8\n\(ids[1]).JPEG,b,0.7\nILSVRC2012_val_00000099.JPEG,c,0.6\n"
            .write(to: split, atomically: true, encoding: .utf8)

        let set = try EvaluationSet.miqd(root: root, task: "cls", label: "composite", split: split)
        XCTAssertEqual(set.samples.count, total)
        XCTAssertEqual(set.missingReferences, ["ILSVRC2012_val_00000099"])
        // composite = 0.5 consistency + 0.5 accuracy
        let first = set.samples[0]
        XCTAssertEqual(first.label, 0.5 * (1 - 0.15 * 1) + 0.5 * (0.9 - 0.12 * 1), accuracy: 1e-12)

        var runner = EvaluationRun()
        runner.printFailures = false
        runner.batchSize = 7  // not a divisor of the image count: a partial last batch
        runner.showProgress = false
        var reported: [String] = []
        // Cross-dataset in miniature: a "det" predictor on cls data.
        let model = try predictor(task: "det")
        let result = runner.run(set, predictor: model) { reported.append($0.name) }
        XCTAssertEqual(reported, [broken])
        XCTAssertEqual(result.scored.count, total - 1)

        var context = EvaluationReport.Context(card: model.card,
                                               dataRoot: root.path, dataTask: "cls", label: "composite", splitFile: split.path)
        context.splitReferences = set.splitReferences
        context.missingReferences = set.missingReferences
        let out = root.appendingPathComponent("out")
        try EvaluationReport(result: result, context: context).write(to: out)

        // predictions.csv: the original's columns, one row per scored image.
        let csv = try String(contentsOf: out.appendingPathComponent("predictions.csv"), encoding: .utf8)
        var lines = csv.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.removeFirst(), "image_name,prediction,ground_truth,absolute_error")
        XCTAssertEqual(lines.count, total - 1)
        var predictions: [Double] = [], labels: [Double] = []
        for line in lines {
            let f = line.split(separator: ",").map(String.init)
            XCTAssertEqual(f.count, 4, line)
            let p = try XCTUnwrap(Double(f[1])), g = try XCTUnwrap(Double(f[2])), e = try XCTUnwrap(Double(f[3]))
            XCTAssertEqual(e, abs(p - g), line)
            XCTAssertNotNil(MIQDImageName(fileName: f[0]), f[0])
            XCTAssertNotEqual(f[0], broken)
            predictions.append(p)
            labels.append(g)
        }
        XCTAssertEqual(labels, set.samples.filter { $0.name != broken }.map(\.label))

        // metrics.json: numbers equal those recomputed from predictions.csv, bit for bit. (Read
        // with JSONDecoder: corelibs' JSONSerialization reader rounds some doubles off by an ulp;
        // the file itself holds shortest round-trip digits.)
        let metricsData = try Data(contentsOf: out.appendingPathComponent("metrics.json"))
        let numbers = try JSONDecoder().decode(MetricsNumbers.self, from: metricsData)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: metricsData) as? [String: Any])
        let srcc = Correlation.srcc(predictions, labels)
        XCTAssertTrue(srcc.isFinite)
        XCTAssertEqual(numbers.overall.srcc, srcc)
        XCTAssertEqual(numbers.overall.plcc, Correlation.plcc(predictions, labels))
        XCTAssertEqual(numbers.overall.krcc, Correlation.krcc(predictions, labels))
        XCTAssertEqual(numbers.overall.rmse, Correlation.rmse(predictions, labels))
        XCTAssertEqual(numbers.overall.count, total - 1)

        let counts = try XCTUnwrap(json["counts"] as? [String: Any])
        XCTAssertEqual(counts["images"] as? Int, total)
        XCTAssertEqual(counts["scored"] as? Int, total - 1)
        XCTAssertEqual(counts["failed"] as? Int, 1)
        XCTAssertEqual(counts["names_not_parsed"] as? Int, 0)
        let failed = try XCTUnwrap(json["failed_images"] as? [[String: Any]])
        XCTAssertEqual(failed.first?["image"] as? String, broken)

        let card = try XCTUnwrap(json["model"] as? [String: Any])
        XCTAssertEqual(card["name"] as? String, "miqa_resnet18_det_composite")
        XCTAssertEqual(json["cross_dataset"] as? Bool, true)
        let splitInfo = try XCTUnwrap(json["split"] as? [String: Any])
        XCTAssertEqual(splitInfo["references_listed"] as? Int, 3)
        XCTAssertEqual(splitInfo["references_evaluated"] as? Int, 2)

        // Breakdowns: 10 types x 2 references x 4 configurations (one fog image failed);
        // region families: 2 uniform, 1 fg-stronger, 1 bg-stronger configuration per type.
        let byType = try XCTUnwrap(json["by_distortion"] as? [String: [String: Any]])
        XCTAssertEqual(Set(byType.keys), Set(DistortionType.allCases.map(\.rawValue)))
        XCTAssertEqual(byType["fog"]?["count"] as? Int, 7)
        XCTAssertEqual(byType["snow"]?["count"] as? Int, 8)
        let byRegion = try XCTUnwrap(json["by_region"] as? [String: [String: Any]])
        XCTAssertEqual(byRegion["uniform"]?["count"] as? Int, 39)
        XCTAssertEqual(byRegion["fg_stronger"]?["count"] as? Int, 20)
        XCTAssertEqual(byRegion["bg_stronger"]?["count"] as? Int, 20)
        let snowRows = zip(lines, predictions.indices).filter { $0.0.contains("_snow_") }.map(\.1)
        XCTAssertEqual(numbers.by_distortion["snow"]?.srcc,
                       Correlation.srcc(snowRows.map { predictions[$0] }, snowRows.map { labels[$0] }))

        let logistic = try XCTUnwrap(json["logistic_fit"] as? [String: Any])
        XCTAssertNotNil(logistic["plcc"] as? Double)
        XCTAssertEqual((logistic["beta"] as? [Double])?.count, 4)

        // The plot is a PNG of the default size.
        let png = try Data(contentsOf: out.appendingPathComponent("scatter.png"))
        XCTAssertEqual(Array(png.prefix(8)), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        let decoded = try ImageDecoder.decode(data: png, name: "scatter.png")
        XCTAssertEqual(decoded.width, 960)
        XCTAssertEqual(decoded.height, 760)
    }

    func testDetectionLayoutAndMissingLabels() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("miqa-eval-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let id = "000000000042"
        try FileManager.default.createDirectory(at: root.appendingPathComponent("images/\(id)"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: root.appendingPathComponent("labels"), withIntermediateDirectories: true)
        var cons = "filename,AP_weighted_avg\n", acc = "filename,AP_weighted_avg\n"
        for (i, region) in RegionConfiguration.all.enumerated() {
            let name = region.fileName(referenceID: id, type: .darkness)
            try ImageEncoder.png(image(seed: i, severity: Double(region.foregroundLevel))).write(to: root.appendingPathComponent("images/\(id)/\(name)"))
            cons += "\(name),\(1 - 0.1 * Double(region.foregroundLevel))\n"
            acc += "\(name),\(0.8 - 0.1 * Double(region.backgroundLevel))\n"
        }
        try cons.write(to: root.appendingPathComponent("labels/\(id)_consistency.csv"), atomically: true, encoding: .utf8)
        try acc.write(to: root.appendingPathComponent("labels/\(id)_accuracy.csv"), atomically: true, encoding: .utf8)
        let split = root.appendingPathComponent("split.csv")
        try "Image Index\n42\n".write(to: split, atomically: true, encoding: .utf8)

        let set = try EvaluationSet.miqd(root: root, task: "det", label: "accuracy", split: split)
        XCTAssertEqual(set.samples.count, 25)
        XCTAssertEqual(set.samples[0].name, "\(id)/\(id)_darkness_1.png")
        XCTAssertEqual(set.samples[0].label, 0.7, accuracy: 1e-12)
        var runner = EvaluationRun()
        runner.showProgress = false
        let result = runner.run(set, predictor: try predictor(task: "det"))
        XCTAssertEqual(result.scored.count, 25)
        XCTAssertEqual(result.byDistortion.map(\.type), [.darkness])
        XCTAssertEqual(result.byRegion.map(\.metrics.count), [5, 10, 10])

        // A split none of whose references has labels is an error that names the folder.
        try "Image Index\n7\n".write(to: split, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try EvaluationSet.miqd(root: root, task: "det", label: "accuracy", split: split)) { error in
            XCTAssertTrue("\(error)".contains("no det label files"), "\(error)")
        }
    }
}
