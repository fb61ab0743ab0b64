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
public final class DetectionLabeller {
    public static let referenceThreshold: Float = 0.5
    public static let scoreThreshold: Float = 0.005

    /// What the det labels of a database were computed with.
    public struct Record: Codable, Equatable, Sendable {
        public var task = "det"
        public var definition = "coco_box_ap"
        public var machines: [String]
        public var weights: [Double]
        public var referenceThreshold: Float
        public var scoreThreshold: Float
        enum CodingKeys: String, CodingKey {
            case task, definition, machines, weights, referenceThreshold = "reference_threshold", scoreThreshold = "score_threshold"
        }
    }

    public let layout: MIQDLayout
    public let machines: [DetectorMachine]
    public let weights: [Double]
    public let groundTruth: BoxGroundTruth?
    public let overwrite: Bool

    public init(root: URL, machines: [DetectorMachine], weights: [Double]? = nil, groundTruth: BoxGroundTruth?, overwrite: Bool = false) {
        precondition(!machines.isEmpty, "at least one machine")
        precondition(weights == nil || weights!.count == machines.count, "one weight per machine")
        self.layout = MIQDLayout(root: root)
        self.machines = machines
        self.weights = weights ?? Array(repeating: 1, count: machines.count)
        self.groundTruth = groundTruth
        self.overwrite = overwrite
    }

    public var record: Record {
        Record(machines: machines.map(\.name), weights: weights, referenceThreshold: Self.referenceThreshold, scoreThreshold: Self.scoreThreshold)
    }

    public static let header = ["filename", "AP_weighted_avg", "AP75_weighted_avg", "AP50_weighted_avg"]

    /// Labels every finished reference; same callbacks as `DatasetLabeller.run`.
    public func run(only: [String]? = nil, willStart: ([String], Int) -> Void = { _, _ in },
                    progress: (Int) -> Void = { _ in }, log: (String) -> Void = { _ in }) throws -> DatasetLabeller.Summary {
        var summary = DatasetLabeller.Summary()
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: layout.root.path, isDirectory: &isFolder), isFolder.boolValue else {
            throw DatasetError.missing("\(layout.root.path): no such database folder")
        }
        let lock = try DirectoryLock.acquire(layout.root)
        defer { lock.release() }
        var todo: [String] = []
        for id in layout.referenceIDs() where only == nil || only!.contains(id) {
            guard CompletionMarker.isComplete(layout.completionMarker(id)) else {
                log("note: \(id): not completely generated (no completion marker); not labelled")
                continue
            }
            if !overwrite && FileManager.default.fileExists(atPath: layout.consistencyLabels(id).path) { summary.skipped.append(id) } else { todo.append(id) }
        }
        try checkRecord(relabelsEverything: overwrite && only == nil)
        willStart(todo, todo.reduce(0) { $0 + 1 + layout.distortedImages($1).count })
        if !todo.isEmpty {
            try AtomicFile.makeDirectory(layout.labels)
            try write(record)
        }
        AtomicFile.removeTemporaries(in: layout.labels)
        for id in todo {
            do {
                let (consistency, accuracy) = try label(id, progress: progress)
                // Accuracy first: the consistency file marks the reference as labelled.
                if let accuracy {
                    try AtomicFile.write(accuracy.text, to: layout.accuracyLabels(id))
                } else {
                    try? FileManager.default.removeItem(at: layout.accuracyLabels(id))
                    summary.withoutGroundTruth.append(id)
                }
                try AtomicFile.write(consistency.text, to: layout.consistencyLabels(id))
                summary.labelled.append(id)
            } catch {
                summary.failed.append((id, "\(error)"))
                log("error: \(id): \(error)")
            }
        }
        return summary
    }

    private func write(_ record: Record) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try AtomicFile.write(String(decoding: try encoder.encode(record), as: UTF8.self) + "\n", to: LabellingRecord.url(in: layout))
    }

    func checkRecord(relabelsEverything: Bool) throws {
        let url = LabellingRecord.url(in: layout)
        guard !relabelsEverything, FileManager.default.fileExists(atPath: url.path) else { return }
        let recorded: Record
        do { recorded = try JSONDecoder().decode(Record.self, from: Data(contentsOf: url)) } catch {
            throw DatasetError.badCSV(path: url.path, reason: "not a det labelling record: \(error.localizedDescription); relabel everything with --overwrite")
        }
        guard recorded != record else { return }
        throw DatasetError.missing("\(url.path): this run uses machines \(record.machines.joined(separator: ",")) with weights \(record.weights.map { "\($0)" }.joined(separator: ",")), the existing labels \(recorded.machines.joined(separator: ",")) with \(recorded.weights.map { "\($0)" }.joined(separator: ",")) (thresholds \(recorded.referenceThreshold)/\(recorded.scoreThreshold)); relabel everything with --overwrite or keep the recorded settings")
    }

    /// The consistency table of one reference and, with ground truth for it, the accuracy table.
    public func label(_ id: String, progress: (Int) -> Void = { _ in }) throws -> (CSVTable, CSVTable?) {
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
            var sum = 0.0, weight = 0.0
            for (r, w) in zip(results, weights) { if let r { sum += w * value(r); weight += w } }
            return weight > 0 ? "\(sum / weight)" : ""
        }
        return [file, mean(\.ap), mean(\.ap75), mean(\.ap50)] + results.map { $0.map { "\($0.ap)" } ?? "" }
    }
}
