import Foundation

/// One detected object: a class with its probability and a box relative to the image
/// (centre and size as fractions of the width and height).
public struct Detection: Sendable, Equatable, Codable {
    public var classIndex: Int
    public var className: String
    public var probability: Float
    public var box: Box

    public init(classIndex: Int, className: String, probability: Float, box: Box) {
        self.classIndex = classIndex
        self.className = className
        self.probability = probability
        self.box = box
    }

    /// The box in pixels of a `width x height` image, clipped to it: (left, top, right, bottom).
    public func pixelBox(width: Int, height: Int) -> (left: Double, top: Double, right: Double, bottom: Double) {
        let (w, h) = (Double(width), Double(height))
        func clip(_ v: Double, _ limit: Double) -> Double { min(max(v, 0), limit) }
        return (clip(Double(box.x - box.w / 2) * w, w), clip(Double(box.y - box.h / 2) * h, h),
                clip(Double(box.x + box.w / 2) * w, w), clip(Double(box.y + box.h / 2) * h, h))
    }

    enum CodingKeys: String, CodingKey {
        case classIndex = "class", className = "name", probability, box
    }
}
