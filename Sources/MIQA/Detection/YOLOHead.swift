import Foundation

/// One `[yolo]` layer: which anchors it predicts and how its raw outputs become boxes, as
/// Darknet's `forward_yolo_layer` and `get_yolo_detections` compute them.
///
/// Per cell and anchor the input holds `5 + classes` channels: `tx, ty, tw, th`, objectness and
/// the class scores. Centre `((col + σ(tx)) / w, (row + σ(ty)) / h)`, size
/// `(e^tw · anchor_w / netW, e^th · anchor_h / netH)`, relative to the network input; objectness
/// σ(t₄); class probability objectness · σ(tᵢ), kept when above the threshold (else 0).
public struct YOLOHead: Sendable, Equatable {
    /// The layer's index in the configuration.
    public let layer: Int
    /// The anchors this layer predicts (indices into `anchors`).
    public let mask: [Int]
    /// All anchors of the network, as (width, height) pairs in input pixels.
    public let anchors: [Float]
    public let classes: Int

    init(section: DarknetConfig.Section, layer: Int, inputChannels: Int) throws {
        classes = try section.int("classes", 20)
        let num = try section.int("num", 1)
        anchors = try section.floats("anchors")
        mask = section.options["mask"] == nil ? Array(0..<num) : try section.ints("mask")
        self.layer = layer
        let where_ = "layer \(layer) [yolo] at line \(section.line)"
        guard classes > 0, anchors.count == 2 * num, mask.allSatisfy({ (0..<num).contains($0) }) else {
            throw DetectorError.badConfig("\(where_): classes=\(classes), \(anchors.count / 2) anchors for num=\(num), mask \(mask)")
        }
        guard inputChannels == mask.count * (5 + classes) else {
            throw DetectorError.badConfig("\(where_): its input has \(inputChannels) channels, expected \(mask.count) x (5 + \(classes))")
        }
    }

    /// The candidates of one image whose objectness exceeds `threshold`, in Darknet's order (cell
    /// by cell, row-major, then anchor), boxes relative to the network input.
    /// - Parameter output: the layer's input for one image, channels-last (`h * w * channels` values).
    func candidates(_ output: ArraySlice<Float>, h: Int, w: Int, networkWidth: Int, networkHeight: Int, threshold: Float) -> [Candidate] {
        let stride = 5 + classes, perCell = mask.count * stride
        var found: [Candidate] = []
        let base = output.startIndex
        for cell in 0..<(h * w) {
            let row = cell / w, col = cell % w
            for (n, anchor) in mask.enumerated() {
                let at = base + cell * perCell + n * stride
                let objectness = Self.logistic(output[at + 4])
                guard objectness > threshold else { continue }
                let box = Box(x: (Float(col) + Self.logistic(output[at])) / Float(w),
                              y: (Float(row) + Self.logistic(output[at + 1])) / Float(h),
                              w: Float(exp(Double(output[at + 2]))) * anchors[2 * anchor] / Float(networkWidth),
                              h: Float(exp(Double(output[at + 3]))) * anchors[2 * anchor + 1] / Float(networkHeight))
                var probabilities = [Float](repeating: 0, count: classes)
                for j in 0..<classes {
                    let p = objectness * Self.logistic(output[at + 5 + j])
                    if p > threshold { probabilities[j] = p }
                }
                found.append(Candidate(box: box, objectness: objectness, probabilities: probabilities))
            }
        }
        return found
    }

    /// Darknet's `logistic_activate`: `1 / (1 + exp(-x))` in double, stored as float.
    static func logistic(_ x: Float) -> Float { Float(1 / (1 + exp(-Double(x)))) }
}

/// A box by centre and size (Darknet's `box`), in whatever unit the context says.
public struct Box: Sendable, Equatable, Codable {
    public var x: Float, y: Float, w: Float, h: Float

    public init(x: Float, y: Float, w: Float, h: Float) {
        self.x = x; self.y = y; self.w = w; self.h = h
    }

    /// Intersection over union, with Darknet's arithmetic (`box_iou`).
    public func iou(_ other: Box) -> Float {
        func overlap(_ c1: Float, _ s1: Float, _ c2: Float, _ s2: Float) -> Float {
            min(c1 + s1 / 2, c2 + s2 / 2) - max(c1 - s1 / 2, c2 - s2 / 2)
        }
        let ow = overlap(x, w, other.x, other.w), oh = overlap(y, h, other.y, other.h)
        guard ow >= 0, oh >= 0 else { return 0 }
        let intersection = ow * oh
        let union = w * h + other.w * other.h - intersection
        return union > 0 ? intersection / union : 0
    }
}

/// A box before suppression: objectness and one probability per class (0 below the threshold).
public struct Candidate: Sendable, Equatable {
    public var box: Box
    public var objectness: Float
    public var probabilities: [Float]
}
