import Foundation
import Imaging

/// A downstream detector ("machine") whose answers become det labels; `ObjectDetector` is one,
/// tests can plug in others. Called from one thread at a time.
public protocol DetectorMachine: AnyObject {
    var name: String { get }
    var classNames: [String] { get }
    /// Detections with class probability above `threshold` after per-class NMS at `nms`.
    func detect(_ image: RGBImage, threshold: Float, nms: Float) -> [Detection]
}

extension ObjectDetector: DetectorMachine {}

/// Computes the det labels of a generated database (`miqa dataset label` on a det root):
/// `labels/<id>_consistency.csv` and, with ground truth, `labels/<id>_accuracy.csv`.
///
/// Per machine and distorted image, COCO's box AP (`AveragePrecision`) of the machine's
/// detections on the distorted image (probability above `scoreThreshold`, scored by it):
/// - consistency: against the machine's own detections on the reference taken as ground truth
///   (probability above `referenceThreshold`, Darknet's detect default: what the machine reports);
/// - accuracy: against the ground-truth boxes of the reference (`BoxGroundTruth`).
/// `AP_weighted_avg` (AP@[.5:.95]), `AP75_weighted_avg` and `AP50_weighted_avg` average the
/// machines with their weights, over the machines whose AP is defined (a machine that finds
/// nothing in the reference has no consistency there; its column is empty). A reference where
/// no machine finds anything cannot be labelled and is reported. Rows follow the distorted
/// images' order; both files are aligned.
///
/// Like `DatasetLabeller`: finished references only, existing label files kept unless
/// `overwrite`, atomic writes, the root's lock held, and `labels/labelling.json` recording the
/// settings (a later run with others stops unless it relabels everything).
public final class DetectionLabeller: PairedLabeller {
    public static let referenceThreshold: Float = 0.5
    public static let scoreThreshold: Float = 0.005

    public let layout: MIQDLayout
    public let machines: [DetectorMachine]
    public let weights: [Double]
    public let groundTruth: BoxGroundTruth?
    public let overwrite: Bool

    public init(root: URL, machines: [DetectorMachine], weights: [Double]? = nil, groundTruth: BoxGroundTruth?, overwrite: Bool = false) {
        self.layout = MIQDLayout(root: root)
        self.machines = machines
        self.weights = DatasetLabeller.machineWeights(weights, machines: machines.count)
        self.groundTruth = groundTruth
        self.overwrite = overwrite
    }

    /// The record this labeller's settings make.
    public var record: LabellingRecord {
        LabellingRecord(detectors: machines.map(\.name), weights: weights, referenceThreshold: Self.referenceThreshold, scoreThreshold: Self.scoreThreshold)
    }

    public static let header = ["filename", "AP_weighted_avg", "AP75_weighted_avg", "AP50_weighted_avg"]

    /// The consistency table of one reference and, with ground truth for it, the accuracy table.
    public func label(_ id: String, progress: (Int) -> Void = { _ in }) throws -> (consistency: CSVTable, accuracy: CSVTable?) {
        guard let refURL = layout.sourceImage(id) else {
            throw DatasetError.missing("\(layout.sourceImages.path)/\(id).*: reference copy not found")
        }
        let reference = try ImageDecoder.decode(contentsOf: refURL)
        let size = (reference.width, reference.height)
        let own = machines.map { m in
            Self.truth(m.detect(reference, threshold: Self.referenceThreshold, nms: ObjectDetector.defaultNMS), width: size.0, height: size.1)
        }
        progress(1)
        guard own.contains(where: { !$0.isEmpty }) else {
            throw DatasetError.missing("no machine (\(machines.map(\.name).joined(separator: ", "))) finds an object in the reference at probability > \(Self.referenceThreshold); a det reference needs one")
        }
        let truths: [[AveragePrecision.Truth]]? = try groundTruth.flatMap { gt in
            let perMachine = try machines.map { try gt.truth(for: id, classNames: $0.classNames, machine: $0.name) }
            return perMachine.allSatisfy { $0?.isEmpty == false } ? perMachine.map { $0! } : nil
        }
        var consistencyRows: [[String]] = [], accuracyRows: [[String]] = []
        for name in layout.distortedImages(id) {
            let image = try ImageDecoder.decode(contentsOf: layout.images.appendingPathComponent(name))
            guard image.width == size.0, image.height == size.1 else {
                throw DatasetError.missing("\(name): \(image.width)x\(image.height), but the reference is \(size.0)x\(size.1)")
            }
            let found = machines.map {
                Self.scored($0.detect(image, threshold: Self.scoreThreshold, nms: ObjectDetector.defaultNMS), width: size.0, height: size.1)
            }
            let file = String(name.dropFirst(id.count + 1))
            consistencyRows.append(row(file, (0..<machines.count).map { AveragePrecision.coco(truth: own[$0], detections: found[$0]) }))
            if let truths {
                accuracyRows.append(row(file, (0..<machines.count).map { AveragePrecision.coco(truth: truths[$0], detections: found[$0]) }))
            }
            progress(1)
        }
        let header = Self.header + machines.map { "AP_\($0.name)" }
        return (CSVTable(header: header, rows: consistencyRows), truths == nil ? nil : CSVTable(header: header, rows: accuracyRows))
    }

    /// Detections as scored pixel boxes (clipped to the image) for `AveragePrecision`.
    static func scored(_ found: [Detection], width: Int, height: Int) -> [AveragePrecision.Scored] {
        found.map { d in
            let b = d.pixelBox(width: width, height: height)
            return .init(classIndex: d.classIndex, score: Double(d.probability),
                         box: .init(left: b.left, top: b.top, width: b.right - b.left, height: b.bottom - b.top))
        }
    }

    /// Detections taken as ground truth (the reference's, for consistency).
    static func truth(_ found: [Detection], width: Int, height: Int) -> [AveragePrecision.Truth] {
        scored(found, width: width, height: height).map { .init(classIndex: $0.classIndex, box: $0.box) }
    }

    /// One row: the weighted averages over the machines with an AP, then each machine's AP.
    private func row(_ file: String, _ results: [AveragePrecision.Result?]) -> [String] {
        func mean(_ value: (AveragePrecision.Result) -> Double) -> String {
            LabelRun.weightedMean(results.map { $0.map(value) }, weights: weights)
        }
        return [file, mean(\.ap), mean(\.ap75), mean(\.ap50)] + results.map { $0.map { "\($0.ap)" } ?? "" }
    }
}
