import Foundation
import Imaging

/// Computes the cls labels of a generated database (`miqa dataset label`): every machine
/// classifies each reference (`src_images/<id>.*`) and its distorted images, and
/// `LabelFormulas` turns the probabilities into `labels/<id>_mmos.csv`.
///
/// Only references with a completion marker are labelled (unfinished ones are reported).
/// `labels/labelling.json` (`LabellingRecord`) records the definition, machines and weights; a
/// run whose settings differ from it stops before labelling anything, unless it relabels the
/// whole database (`overwrite` without `only`).
/// A reference whose label file exists is skipped unless `overwrite`, so a stopped run resumes.
/// Label files are written atomically (a kill leaves either no file or a complete one), and
/// `run` holds the root's `DirectoryLock`, so it never runs beside `dataset generate` or another
/// `dataset label` on the same root (the second one waits).
public final class DatasetLabeller {
    /// What happened to each reference.
    public struct Summary: Sendable {
        public var labelled: [String] = []
        public var skipped: [String] = []
        /// References labelled without ground truth (accuracy columns empty).
        public var withoutGroundTruth: [String] = []
        public var failed: [(id: String, message: String)] = []
    }

    public let layout: MIQDLayout
    public let machines: [ClassifierMachine]
    /// Per-machine weights of the `weighted_*` columns (default: all 1).
    public let weights: [Double]
    public let groundTruth: GroundTruth?
    public let batchSize: Int
    public let overwrite: Bool
    /// How each machine's answer becomes a label.
    public let definition: LabelDefinition

    public init(root: URL, machines: [ClassifierMachine], weights: [Double]? = nil, groundTruth: GroundTruth?,
                batchSize: Int = 16, overwrite: Bool = false, definition: LabelDefinition = .standard) {
        self.layout = MIQDLayout(root: root)
        self.machines = machines
        self.weights = Self.machineWeights(weights, machines: machines.count)
        self.groundTruth = groundTruth
        self.batchSize = max(1, batchSize)
        self.overwrite = overwrite
        self.definition = definition
    }

    /// The record this labeller's settings make.
    public var record: LabellingRecord {
        LabellingRecord(definition: definition, machines: machines.map(\.name), weights: weights)
    }

    /// The references to label (`MIQDLayout.finishedReferences`).
    public func references(only: [String]? = nil) -> (ready: [String], unfinished: [String]) {
        layout.finishedReferences(only: only)
    }

    /// One weight per machine, all 1 when none are given; the check every labeller makes.
    static func machineWeights(_ weights: [Double]?, machines: Int) -> [Double] {
        precondition(machines > 0, "at least one machine")
        precondition(weights == nil || weights!.count == machines, "one weight per machine")
        return weights ?? Array(repeating: 1, count: machines)
    }

    /// Labels every ready reference.
    /// - Parameters:
    ///   - willStart: the references to label and the number of images (reference included) they hold.
    ///   - progress: images classified by all machines so far (increments).
    ///   - log: one-line `error:`/`note:` messages.
    public func run(only: [String]? = nil, willStart: ([String], Int) -> Void = { _, _ in },
                    progress: (Int) -> Void = { _ in }, log: (String) -> Void = { _ in }) throws -> Summary {
        try LabelRun.run(layout: layout, record: record, overwrite: overwrite, only: only, marker: layout.mmos,
                         checkRecord: { try checkRecord(relabelsEverything: overwrite && only == nil) },
                         willStart: willStart, log: log) { id in
            let truth = groundTruth?.classIndex(for: id)
            let rows = try label(id, trueClass: truth, progress: progress)
            try AtomicFile.write(CSVTable(header: MMOSRow.header, rows: rows.map(\.fields)).text, to: layout.mmos(id))
            return truth != nil
        }
    }

    /// Refuses settings that differ from the database's record while label files made with the
    /// recorded ones would stay. A database with label files but no record was labelled with
    /// `probability` by an earlier version.
    func checkRecord(relabelsEverything: Bool) throws {
        let existing = relabelsEverything ? 0 : ((try? MIQDLabels.availableReferences(root: layout.root, task: "cls"))?.count ?? 0)
        try record.check(against: layout, relabelsEverything: relabelsEverything, existingLabels: existing,
                         assumed: LabellingRecord(definition: .probability, machines: record.machines, weights: weights))
    }

    /// The label rows of one reference.
    public func label(_ id: String, trueClass: Int?, progress: (Int) -> Void = { _ in }) throws -> [MMOSRow] {
        guard let refURL = layout.sourceImage(id) else {
            throw DatasetError.missing("\(layout.sourceImages.path)/\(id).*: reference copy not found")
        }
        let distorted = layout.distortedImages(id)
        let urls = [refURL] + distorted.map { layout.images.appendingPathComponent($0) }
        // probabilities[m][i]: machine m on image i (0 = the reference).
        var probabilities = Array(repeating: [[Double]](), count: machines.count)
        var start = 0
        while start < urls.count {
            let batch = try urls[start..<min(urls.count, start + batchSize)].map { try ImageDecoder.decode(contentsOf: $0) }
            for (m, machine) in machines.enumerated() {
                let p = try machine.probabilities(batch)
                if let trueClass, let bad = p.first(where: { trueClass >= $0.count }) {
                    throw DatasetError.missing("\(id): true class \(trueClass) is outside \(machine.name)'s \(bad.count) classes")
                }
                probabilities[m] += p
            }
            progress(batch.count)
            start += batch.count
        }
        return try LabelTable.rows(images: distorted, probabilities: probabilities, trueClass: trueClass, weights: weights,
                                   definition: definition)
    }
}
