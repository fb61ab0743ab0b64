import Foundation

/// A face candidate in MTCNN's pixel convention: corners `x1, y1, x2, y2` (floats, possibly
/// outside the image), its score, and the four box offsets its network predicted.
public struct FaceBox: Sendable, Equatable {
    public var x1, y1, x2, y2: Float
    public var score: Float
    /// Regression offsets (dx1, dy1, dx2, dy2) of the stage that proposed or scored the box.
    public var offsets: (Float, Float, Float, Float)

    public init(x1: Float, y1: Float, x2: Float, y2: Float, score: Float, offsets: (Float, Float, Float, Float) = (0, 0, 0, 0)) {
        (self.x1, self.y1, self.x2, self.y2, self.score, self.offsets) = (x1, y1, x2, y2, score, offsets)
    }

    public static func == (a: FaceBox, b: FaceBox) -> Bool {
        (a.x1, a.y1, a.x2, a.y2, a.score) == (b.x1, b.y1, b.x2, b.y2, b.score)
            && (a.offsets.0, a.offsets.1, a.offsets.2, a.offsets.3) == (b.offsets.0, b.offsets.1, b.offsets.2, b.offsets.3)
    }

    /// PNet's calibration: offsets scaled by the width and height without the +1 of the later stages.
    func calibratedByProposal() -> FaceBox {
        let w = x2 - x1, h = y2 - y1
        var b = self
        b.x1 = x1 + offsets.0 * w; b.y1 = y1 + offsets.1 * h
        b.x2 = x2 + offsets.2 * w; b.y2 = y2 + offsets.3 * h
        return b
    }

    /// `bbreg`: the offsets scaled by the box's width and height counted inclusively (+1).
    func calibrated() -> FaceBox {
        let w = x2 - x1 + 1, h = y2 - y1 + 1
        var b = self
        b.x1 = x1 + offsets.0 * w; b.y1 = y1 + offsets.1 * h
        b.x2 = x2 + offsets.2 * w; b.y2 = y2 + offsets.3 * h
        return b
    }

    /// `rerec`: the square of side max(width, height) with the same centre.
    func squared() -> FaceBox {
        let w = x2 - x1, h = y2 - y1
        let l = max(w, h)
        var b = self
        b.x1 = x1 + w * 0.5 - l * 0.5
        b.y1 = y1 + h * 0.5 - l * 0.5
        b.x2 = b.x1 + l
        b.y2 = b.y1 + l
        return b
    }

    /// `pad`: the pixel rectangle the next stage crops, from corners truncated toward zero and
    /// clamped to the image (1-based first pixel, inclusive last); nil when it is empty, where
    /// facenet-pytorch skips the crop.
    func cropRegion(width: Int, height: Int) -> AreaResample.Region? {
        let x = max(Int(x1), 1), y = max(Int(y1), 1)
        let ex = min(Int(x2), width), ey = min(Int(y2), height)
        guard ey > y - 1, ex > x - 1, x - 1 < width, y - 1 < height else { return nil }
        return AreaResample.Region(left: x - 1, top: y - 1, width: ex - (x - 1), height: ey - (y - 1))
    }
}
