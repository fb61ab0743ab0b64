import Foundation

/// What the labels of a database were computed with (`labels/labelling.json`): the task, the
/// label definition, the machines and their weights, and for detectors and segmenters their thresholds.
/// One record type for every task, so that `dataset label` checks cls and det runs the same way.
///
/// `dataset label` writes it before the first label file and checks it on every later run, so
/// a resumed or extended run can never mix label files made with different definitions or
/// machines: a mismatch is an error naming the file, unless every label is recomputed
/// (`--overwrite` on the whole database). Databases labelled before the record existed have no
/// file; their labels are cls `probability` ones. A record without `task` is a cls record (the
/// files written before det labels existed).
public struct LabellingRecord: Codable, Equatable, Sendable {
    /// The one definition of det labels: COCO box AP against the reference's detections.
    public static let boxAP = "coco_box_ap"
    /// The one definition of ins labels from salient-object segmenters: the IoU of the binary
    /// masks (`SegmentationLabeller`).
    public static let maskIoU = "mask_iou"

    public var task: VisionTask
    /// A `LabelDefinition` for cls, `boxAP` for det.
    public var definition: String
    public var machines: [String]
    public var weights: [Double]
    /// Detectors only: the probability a reference detection needs to count as ground truth, and
    /// the one a detection on a distorted image needs to be scored.
    public var referenceThreshold: Float?
    public var scoreThreshold: Float?

    /// A cls record.
    public init(definition: LabelDefinition, machines: [String], weights: [Double]) {
        self.task = .cls
        self.definition = definition.rawValue
        self.machines = machines
        self.weights = weights
    }

    /// A det record (definition `boxAP`).
    public init(detectors machines: [String], weights: [Double], referenceThreshold: Float, scoreThreshold: Float) {
        self.task = .det
        self.definition = Self.boxAP
        self.machines = machines
        self.weights = weights
        self.referenceThreshold = referenceThreshold
        self.scoreThreshold = scoreThreshold
    }

    /// An ins record of segmenters (definition `maskIoU`); `referenceThreshold` is the saliency
    /// (0...1) at which a pixel is foreground.
    public init(segmenters machines: [String], weights: [Double], foregroundThreshold: Float) {
        self.task = .ins
        self.definition = Self.maskIoU
        self.machines = machines
        self.weights = weights
        self.referenceThreshold = foregroundThreshold
    }

    /// The definitions a record of `task` may hold.
    static func definitions(of task: VisionTask) -> [String] {
        switch task {
        case .cls: return LabelDefinition.allCases.map(\.rawValue)
        case .det: return [boxAP]
        case .ins: return [maskIoU]
        }
    }

    /// The cls label definition, nil for other tasks.
    public var labelDefinition: LabelDefinition? { task == .cls ? LabelDefinition(rawValue: definition) : nil }

    enum CodingKeys: String, CodingKey {
        case task, definition, machines, weights, referenceThreshold = "reference_threshold", scoreThreshold = "score_threshold"
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        task = try c.decodeIfPresent(VisionTask.self, forKey: .task) ?? .cls
        definition = try c.decode(String.self, forKey: .definition)
        machines = try c.decode([String].self, forKey: .machines)
        weights = try c.decode([Double].self, forKey: .weights)
        referenceThreshold = try c.decodeIfPresent(Float.self, forKey: .referenceThreshold)
        scoreThreshold = try c.decodeIfPresent(Float.self, forKey: .scoreThreshold)
        let known = Self.definitions(of: task)
        guard known.contains(definition) else {
            throw DecodingError.dataCorruptedError(forKey: .definition, in: c, debugDescription:
                "\(task.rawValue) definition '\(definition)' is not one of \(known.joined(separator: ", "))")
        }
    }

    /// `ROOT/labels/labelling.json`.
    public static func url(in layout: MIQDLayout) -> URL { layout.labels.appendingPathComponent("labelling.json") }

    /// The record of a database, or nil when it has none.
    public static func load(_ layout: MIQDLayout) throws -> LabellingRecord? {
        let url = url(in: layout)
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw DatasetError.readFailed(path: url.path, reason: AtomicFile.reason(error))
        }
        do { return try JSONDecoder().decode(LabellingRecord.self, from: data) } catch {
            throw DatasetError.badCSV(path: url.path, reason: "not a labelling record (task, definition, machines, weights): \(error)")
        }
    }

    /// Writes the record atomically.
    public func write(_ layout: MIQDLayout) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let text = String(decoding: try encoder.encode(self), as: UTF8.self) + "\n"
        try AtomicFile.write(text, to: LabellingRecord.url(in: layout))
    }

    /// One line saying how `other` differs from this record, or nil when they agree.
    public func difference(from other: LabellingRecord) -> String? {
        var parts: [String] = []
        func list<T>(_ values: [T]) -> String { values.map { "\($0)" }.joined(separator: ",") }
        func optional(_ v: Float?) -> String { v.map { "\($0)" } ?? "none" }
        if task != other.task { parts.append("task \(task.rawValue), not \(other.task.rawValue)") }
        if definition != other.definition { parts.append("definition \(definition), not \(other.definition)") }
        if machines != other.machines { parts.append("machines \(list(machines)), not \(list(other.machines))") }
        if weights != other.weights { parts.append("machine weights \(list(weights)), not \(list(other.weights))") }
        if referenceThreshold != other.referenceThreshold || scoreThreshold != other.scoreThreshold {
            parts.append("thresholds \(optional(referenceThreshold))/\(optional(scoreThreshold)), not \(optional(other.referenceThreshold))/\(optional(other.scoreThreshold))")
        }
        return parts.isEmpty ? nil : parts.joined(separator: "; ")
    }

    /// Refuses `self` on a database whose record (or, without one, `assumed`, the record of its
    /// `existingLabels` label files made before records existed) differs, unless the run
    /// relabels everything. The shared check of every labeller.
    func check(against layout: MIQDLayout, relabelsEverything: Bool, existingLabels: Int, assumed: LabellingRecord?) throws {
        guard !relabelsEverything else { return }
        let recorded = try Self.load(layout) ?? (existingLabels > 0 ? assumed : nil)
        guard let recorded, let diff = difference(from: recorded) else { return }
        throw DatasetError.missing("\(Self.url(in: layout).path): this run uses \(diff) (the \(existingLabels) existing label files); relabel everything with --overwrite or keep the recorded settings")
    }
}
