import Foundation

/// COCO's box average precision for one image, as pycocotools' `COCOeval` computes it with
/// `iouType="bbox"`, area range "all" and at most `maxDetections` per class (100):
///
/// - per class, detections by descending score (stable for ties) are matched greedily to the
///   not yet matched ground-truth box of highest IoU at or above each threshold
///   0.50, 0.55, ..., 0.95;
/// - precision is made monotone and read at the 101 recall points 0, 0.01, ..., 1
///   (`searchsorted(..., side="left")`; 0 beyond the last recall reached);
/// - AP is the mean over thresholds, recall points and the classes that have ground truth.
///   Classes with detections but no ground truth do not count (COCO's rule), and an image
///   without any ground truth has no AP (nil).
public enum AveragePrecision {
    /// An axis-aligned box in pixels: left, top, width, height (COCO's `bbox`).
    public struct PixelBox: Sendable, Equatable, Codable {
        public var left: Double, top: Double, width: Double, height: Double
        public init(left: Double, top: Double, width: Double, height: Double) {
            self.left = left; self.top = top; self.width = width; self.height = height
        }

        /// COCO's `bbIou`: 0 unless both overlaps are positive.
        func iou(_ g: PixelBox) -> Double {
            let w = min(left + width, g.left + g.width) - max(left, g.left)
            guard w > 0 else { return 0 }
            let h = min(top + height, g.top + g.height) - max(top, g.top)
            guard h > 0 else { return 0 }
            let i = w * h
            return i / (width * height + g.width * g.height - i)
        }
    }

    /// A ground-truth object.
    public struct Truth: Sendable, Equatable {
        public var classIndex: Int
        public var box: PixelBox
        public init(classIndex: Int, box: PixelBox) { self.classIndex = classIndex; self.box = box }
    }

    /// A scored detection.
    public struct Scored: Sendable, Equatable {
        public var classIndex: Int
        public var score: Double
        public var box: PixelBox
        public init(classIndex: Int, score: Double, box: PixelBox) { self.classIndex = classIndex; self.score = score; self.box = box }
    }

    /// AP over IoU 0.50:0.95, at 0.50 and at 0.75.
    public struct Result: Sendable, Equatable {
        public var ap: Double, ap50: Double, ap75: Double
    }

    /// COCO's IoU thresholds, computed as `numpy.linspace(.5, .95, 10)` computes them.
    static let thresholds: [Double] = (0..<10).map { (k: Int) -> Double in
        let step: Double = (0.95 - 0.5) / 9
        return k == 9 ? 0.95 : Double(k) * step + 0.5
    }
    /// COCO's recall points, `numpy.linspace(0, 1, 101)`.
    static let recallPoints: [Double] = (0...100).map { (k: Int) -> Double in k == 100 ? 1 : Double(k) * 0.01 }

    /// The image's AP, or nil when it has no ground truth.
    public static func coco(truth: [Truth], detections: [Scored], maxDetections: Int = 100) -> Result? {
        let classes = Set(truth.map(\.classIndex)).sorted()
        guard !classes.isEmpty else { return nil }
        // precision[t][k]: the 101-point curve mean per threshold and class.
        var sums = [Double](repeating: 0, count: thresholds.count)
        for k in classes {
            let gts = truth.filter { $0.classIndex == k }
            let order = detections.enumerated().filter { $0.element.classIndex == k }
                .sorted { $0.element.score != $1.element.score ? $0.element.score > $1.element.score : $0.offset < $1.offset }
                .prefix(maxDetections).map(\.element)
            let ious = order.map { d in gts.map { d.box.iou($0.box) } }
            for (t, threshold) in thresholds.enumerated() {
                var taken = [Bool](repeating: false, count: gts.count)
                var matched = [Bool](repeating: false, count: order.count)
                for d in order.indices {
                    var best = min(threshold, 1 - 1e-10), m = -1
                    for g in gts.indices where !taken[g] && ious[d][g] >= best {
                        best = ious[d][g]
                        m = g
                    }
                    if m >= 0 { taken[m] = true; matched[d] = true }
                }
                sums[t] += curveMean(matched: matched, positives: gts.count)
            }
        }
        let perThreshold = sums.map { $0 / Double(classes.count) }
        return Result(ap: perThreshold.reduce(0, +) / Double(thresholds.count), ap50: perThreshold[0], ap75: perThreshold[5])
    }

    /// The mean of the interpolated precision at the 101 recall points, for detections in score
    /// order with their match flags.
    static func curveMean(matched: [Bool], positives: Int) -> Double {
        var tp = 0.0, fp = 0.0
        var recall: [Double] = [], precision: [Double] = []
        for m in matched {
            if m { tp += 1 } else { fp += 1 }
            recall.append(tp / Double(positives))
            precision.append(tp / (tp + fp + Double.ulpOfOne))
        }
        for i in stride(from: precision.count - 1, to: 0, by: -1) where precision[i] > precision[i - 1] {
            precision[i - 1] = precision[i]
        }
        var total = 0.0
        var i = 0
        for r in recallPoints {
            while i < recall.count && recall[i] < r { i += 1 }
            guard i < recall.count else { break }
            total += precision[i]
        }
        return total / Double(recallPoints.count)
    }
}
