import Foundation
import Imaging
import Tensor

/// MTCNN face detection (Zhang et al. 2016) as facenet-pytorch 2.6.0 runs it
/// (`MTCNN(keep_all=True).detect`, its defaults): an image pyramid scanned by PNet, the
/// proposals refined by RNet on 24x24 crops and by ONet on 48x48 crops, with that package's
/// arithmetic step by step (`faces`, `proposals`, `refine` below). One class, "face".
public final class FaceDetector {
    /// The installed name (`mtcnn`).
    public let name: String
    public let classNames = ["face"]
    let pnet: PNet, rnet: RNet, onet: ONet
    /// PNet's kernels planned for the last image size (see `PNet.fresh`).
    private var pnetForSize: (width: Int, height: Int, net: PNet)?
    private let pnetLock = NSLock()
    /// RNet and ONet run on at most this many crops at once, batches rounded up to a power of
    /// two: the dense layers' plans (one per batch size, each with its own packed weights) stay
    /// few however many boxes images yield.
    static let maxBatch = 64

    /// facenet-pytorch's defaults: the smallest face searched for, in pixels; the score each
    /// stage requires; the ratio between pyramid scales.
    public let minFaceSize = 20
    public let thresholds: (proposal: Float, refine: Float, output: Float) = (0.6, 0.7, 0.7)
    public let factor = 0.709

    /// Builds the three networks from `pnet.*`, `rnet.*` and `onet.*` tensors (PyTorch names
    /// and shapes); `source` names the file in errors.
    public init(name: String, tensors: [String: Tensor], source: String) throws {
        let stray = tensors.keys.filter { !["pnet.", "rnet.", "onet."].contains(where: $0.hasPrefix) }.sorted()
        guard stray.isEmpty else { throw DetectorError.badWeights("\(source): tensors outside pnet./rnet./onet.: \(stray.joined(separator: ", "))") }
        var p = MTCNNParameters(tensors, prefix: "pnet.", source: source)
        pnet = try PNet(&p)
        var r = MTCNNParameters(tensors, prefix: "rnet.", source: source)
        rnet = try RNet(&r)
        var o = MTCNNParameters(tensors, prefix: "onet.", source: source)
        onet = try ONet(&o)
        self.name = name
    }

    /// The pyramid's scales: from 12 / minFaceSize, times `factor` while the shorter side
    /// scaled stays at least 12 pixels (PNet's window). Computed in doubles, as Python does.
    func scales(width: Int, height: Int) -> [Double] {
        let m = 12.0 / Double(minFaceSize)
        var minl = Double(min(width, height)) * m, scale = m
        var out: [Double] = []
        while minl >= 12 {
            out.append(scale)
            scale *= factor
            minl *= factor
        }
        return out
    }

    /// The faces in `image`, in pixel corners with ONet's probability, largest area first
    /// (facenet-pytorch's `select_largest` order).
    public func faces(_ image: RGBImage) -> [FaceBox] {
        var boxes = proposals(image)
        if boxes.isEmpty { return [] }
        boxes = refine(image, boxes, size: 24, threshold: thresholds.refine) { self.rnet($0) }
        // RNet's survivors go through NMS, calibration and squaring before ONet.
        boxes = FaceSuppression.union(boxes, threshold: 0.7).map { boxes[$0].calibrated().squared() }
        if boxes.isEmpty { return [] }
        boxes = refine(image, boxes, size: 48, threshold: thresholds.output) { self.onet($0) }.map { $0.calibrated() }
        boxes = FaceSuppression.minimum(boxes, threshold: 0.7).map { boxes[$0] }
        func area(_ b: FaceBox) -> Float { (b.x2 - b.x1) * (b.y2 - b.y1) }
        return boxes.enumerated().sorted { area($0.element) > area($1.element) || (area($0.element) == area($1.element) && $0.offset > $1.offset) }.map(\.element)
    }

    /// Stage one: PNet over every scale, cells scoring at least the proposal threshold become
    /// 12x12 windows mapped back to the image, NMS 0.5 per scale then 0.7 over all scales,
    /// calibration by PNet's offsets, squared.
    func proposals(_ image: RGBImage) -> [FaceBox] {
        pnetLock.lock()
        defer { pnetLock.unlock() }
        if pnetForSize?.width != image.width || pnetForSize?.height != image.height {
            pnetForSize = (image.width, image.height, pnet.fresh())
        }
        let pnet = pnetForSize!.net
        var all: [FaceBox] = []
        for scale in scales(width: image.width, height: image.height) {
            // Python's int(h * scale + 1): truncation.
            let hs = Int(Double(image.height) * scale + 1), ws = Int(Double(image.width) * scale + 1)
            let input = Tensor(uninitializedShape: [1, hs, ws, 3])
            AreaResample.write(image, region: .init(left: 0, top: 0, width: image.width, height: image.height), into: input, at: 0)
            let out = pnet(input)
            let s = Float(scale)
            var found: [FaceBox] = []
            for y in 0..<out.h {
                for x in 0..<out.w where out.probability[y * out.w + x] >= thresholds.proposal {
                    let o = out.offsets.data + (y * out.w + x) * 4
                    // The cell's window: stride 2, 12 pixels, corners floored after scaling back.
                    found.append(FaceBox(x1: (Float(2 * x + 1) / s).rounded(.down), y1: (Float(2 * y + 1) / s).rounded(.down),
                                         x2: (Float(2 * x + 12) / s).rounded(.down), y2: (Float(2 * y + 12) / s).rounded(.down),
                                         score: out.probability[y * out.w + x], offsets: (o[0], o[1], o[2], o[3])))
                }
            }
            all += FaceSuppression.union(found, threshold: 0.5).map { found[$0] }
        }
        return FaceSuppression.union(all, threshold: 0.7).map { all[$0].calibratedByProposal().squared() }
    }

    /// One refining stage: each box's crop resampled to `size` x `size`, scored by `network`;
    /// boxes scoring above `threshold` are kept with the new score and offsets.
    func refine(_ image: RGBImage, _ boxes: [FaceBox], size: Int, threshold: Float,
                network: (Tensor) -> (probability: [Float], offsets: Tensor)) -> [FaceBox] {
        let cropped = boxes.compactMap { b in b.cropRegion(width: image.width, height: image.height).map { (b, $0) } }
        if cropped.isEmpty { return [] }
        var probability: [Float] = [], offsets: [Float] = []
        for start in stride(from: 0, to: cropped.count, by: Self.maxBatch) {
            let m = min(Self.maxBatch, cropped.count - start)
            var n = 1
            while n < m { n *= 2 }
            // Zero-filled padding crops; their answers are dropped (crops do not interact).
            let batch = Tensor(zeros: [n, size, size, 3])
            for k in 0..<m { AreaResample.write(image, region: cropped[start + k].1, into: batch, at: k) }
            let out = network(batch)
            probability += out.probability[0..<m]
            offsets += UnsafeBufferPointer(start: out.offsets.data, count: 4 * m)
        }
        var kept: [FaceBox] = []
        for (k, c) in cropped.enumerated() where probability[k] > threshold {
            var b = c.0
            b.score = probability[k]
            b.offsets = (offsets[4 * k], offsets[4 * k + 1], offsets[4 * k + 2], offsets[4 * k + 3])
            kept.append(b)
        }
        return kept
    }
}
