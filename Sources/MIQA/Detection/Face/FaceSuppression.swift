import Foundation

/// The two non-maximum suppressions MTCNN's pipeline uses, on boxes of one image.
enum FaceSuppression {
    /// torchvision's `nms`: boxes by score, highest first (ties in their given order); each
    /// kept box removes the later ones whose IoU with it exceeds `threshold`. Areas without the
    /// +1. Returns the kept indices, highest score first.
    static func union(_ boxes: [FaceBox], threshold: Float) -> [Int] {
        let order = boxes.indices.sorted { boxes[$0].score > boxes[$1].score || (boxes[$0].score == boxes[$1].score && $0 < $1) }
        var removed = [Bool](repeating: false, count: boxes.count)
        var keep: [Int] = []
        for (n, i) in order.enumerated() where !removed[i] {
            keep.append(i)
            let a = boxes[i]
            let areaA = (a.x2 - a.x1) * (a.y2 - a.y1)
            for j in order[(n + 1)...] where !removed[j] {
                let b = boxes[j]
                let w = max(min(a.x2, b.x2) - max(a.x1, b.x1), 0), h = max(min(a.y2, b.y2) - max(a.y1, b.y1), 0)
                let inter = w * h
                if inter / (areaA + (b.x2 - b.x1) * (b.y2 - b.y1) - inter) > threshold { removed[j] = true }
            }
        }
        return keep
    }

    /// facenet-pytorch's `nms_numpy` with method 'Min': the highest score first (among equal
    /// scores the later box, as numpy's ascending argsort read from its end), areas and
    /// overlaps with the +1 of inclusive pixel corners, overlap over the smaller area; boxes
    /// overlapping a kept one by more than `threshold` are removed.
    static func minimum(_ boxes: [FaceBox], threshold: Float) -> [Int] {
        var remaining = boxes.indices.sorted { boxes[$0].score < boxes[$1].score || (boxes[$0].score == boxes[$1].score && $0 < $1) }
        func area(_ b: FaceBox) -> Float { (b.x2 - b.x1 + 1) * (b.y2 - b.y1 + 1) }
        var keep: [Int] = []
        while let i = remaining.popLast() {
            keep.append(i)
            let a = boxes[i]
            remaining = remaining.filter { j in
                let b = boxes[j]
                let w = max(0, min(a.x2, b.x2) - max(a.x1, b.x1) + 1), h = max(0, min(a.y2, b.y2) - max(a.y1, b.y1) + 1)
                return w * h / min(area(a), area(b)) <= threshold
            }
        }
        return keep
    }
}
