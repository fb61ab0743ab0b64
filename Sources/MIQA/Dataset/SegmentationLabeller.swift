import Foundation
import Imaging

/// A downstream salient-object segmenter ("machine") whose masks become ins labels;
/// `SalientObjectSegmenter` is one, tests can plug in others. Called from one thread at a time.
public protocol SegmenterMachine: AnyObject {
    var name: String { get }
    /// The foreground mask of `image`, at its size.
    func mask(_ image: RGBImage) throws -> BinaryMask
}

extension SalientObjectSegmenter: SegmenterMachine {
    /// Foreground where the saliency is >= 128 (`SegmentationLabeller.foregroundThreshold`).
    public func mask(_ image: RGBImage) throws -> BinaryMask { try saliency(image).binaryMask() }
}

/// Computes the ins labels of a generated database from segmenters (`miqa dataset label` on an
/// ins root): `labels/<id>_consistency.csv` and, with ground-truth masks, `labels/<id>_accuracy.csv`.
///
/// Per machine and distorted image, the IoU (intersection over union) of the machine's binary
/// mask of the distorted image with
/// - consistency: its own mask of the reference;
/// - accuracy: the reference's ground-truth mask (`<id>_binary_mask.png` in the ground-truth
///   folder, read as `dataset generate --masks` reads masks).
/// The files keep the det/ins format's columns, so `train --task ins` and `evaluate` read them:
/// `AP_weighted_avg` holds the weighted mean IoU over the machines whose reference mask is not
/// empty, then one `IoU_<machine>` column each. A reference in which no machine finds a
/// foreground cannot be labelled and is reported. The run behaves as `DetectionLabeller`'s
/// (`PairedLabeller.run`).
public final class SegmentationLabeller: PairedLabeller {
    /// Saliency (0...1) at which a pixel is foreground; recorded in `labels/labelling.json`.
    public static let foregroundThreshold: Float = 128.0 / 255.0

    public let layout: MIQDLayout
    public let machines: [SegmenterMachine]
    public let weights: [Double]
    /// Folder of ground-truth masks `<id>_binary_mask.png`, or nil.
    public let groundTruth: URL?
    public let overwrite: Bool

    public init(root: URL, machines: [SegmenterMachine], weights: [Double]? = nil, groundTruth: URL?, overwrite: Bool = false) {
        self.layout = MIQDLayout(root: root)
        self.machines = machines
        self.weights = DatasetLabeller.machineWeights(weights, machines: machines.count)
        self.groundTruth = groundTruth
        self.overwrite = overwrite
    }

    /// The record this labeller's settings make.
    public var record: LabellingRecord {
        LabellingRecord(segmenters: machines.map(\.name), weights: weights, foregroundThreshold: Self.foregroundThreshold)
    }

    public static let header = ["filename", "AP_weighted_avg"]

    /// The consistency table of one reference and, with a ground-truth mask for it, the accuracy table.
    public func label(_ id: String, progress: (Int) -> Void = { _ in }) throws -> (consistency: CSVTable, accuracy: CSVTable?) {
        guard let refURL = layout.sourceImage(id) else {
            throw DatasetError.missing("\(layout.sourceImages.path)/\(id).*: reference copy not found")
        }
        let reference = try ImageDecoder.decode(contentsOf: refURL)
        let own = try machines.map { try $0.mask(reference) }
        progress(1)
        guard own.contains(where: { $0.values.contains(1) }) else {
            throw DatasetError.missing("no machine (\(machines.map(\.name).joined(separator: ", "))) finds a foreground in the reference; an ins reference needs one")
        }
        let truth = try groundTruth.flatMap { try ReferenceMask.userMask(in: $0, id: id, width: reference.width, height: reference.height) }
        var consistencyRows: [[String]] = [], accuracyRows: [[String]] = []
        for name in layout.distortedImages(id) {
            let image = try ImageDecoder.decode(contentsOf: layout.images.appendingPathComponent(name))
            guard image.width == reference.width, image.height == reference.height else {
                throw DatasetError.missing("\(name): \(image.width)x\(image.height), but the reference is \(reference.width)x\(reference.height)")
            }
            let found = try machines.map { try $0.mask(image) }
            let file = String(name.dropFirst(id.count + 1))
            consistencyRows.append(row(file, zip(own, found).map { Self.iou(truth: $0, $1) }))
            if let truth { accuracyRows.append(row(file, found.map { Self.iou(truth: truth, $0) })) }
            progress(1)
        }
        let header = Self.header + machines.map { "IoU_\($0.name)" }
        return (CSVTable(header: header, rows: consistencyRows), truth == nil ? nil : CSVTable(header: header, rows: accuracyRows))
    }

    /// |truth ∩ found| / |truth ∪ found|; nil when `truth` has no foreground (nothing to find).
    public static func iou(truth: BinaryMask, _ found: BinaryMask) -> Double? {
        precondition(truth.values.count == found.values.count, "masks of different sizes")
        var both = 0, either = 0, truthCount = 0
        for (t, f) in zip(truth.values, found.values) {
            if t != 0 { truthCount += 1 }
            if t != 0 && f != 0 { both += 1 }
            if t != 0 || f != 0 { either += 1 }
        }
        return truthCount == 0 ? nil : Double(both) / Double(either)
    }

    private func row(_ file: String, _ values: [Double?]) -> [String] {
        [file, LabelRun.weightedMean(values, weights: weights)] + values.map { $0.map { "\($0)" } ?? "" }
    }
}
