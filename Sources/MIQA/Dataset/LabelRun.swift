import Foundation

/// The run every labeller shares: finished references only, a reference whose label file exists
/// kept unless `overwrite`, the record checked before anything is written and written before the
/// first label file, the root's lock held, one failing reference reported and the run going on.
enum LabelRun {
    /// - Parameters:
    ///   - marker: the label file whose presence marks a reference as labelled.
    ///   - checkRecord: refuses settings that differ from the database's record.
    ///   - label: labels one reference, writing its files; returns whether it had ground truth.
    static func run(layout: MIQDLayout, record: LabellingRecord, overwrite: Bool, only: [String]?,
                    marker: (String) -> URL, checkRecord: () throws -> Void,
                    willStart: ([String], Int) -> Void, log: (String) -> Void,
                    label: (String) throws -> Bool) throws -> DatasetLabeller.Summary {
        var summary = DatasetLabeller.Summary()
        let lock = try layout.lockExistingRoot()
        defer { lock.release() }
        let (ready, unfinished) = layout.finishedReferences(only: only)
        for id in unfinished { log("note: \(id): not completely generated (no completion marker); not labelled") }
        var todo: [String] = []
        for id in ready {
            if !overwrite && FileManager.default.fileExists(atPath: marker(id).path) { summary.skipped.append(id) } else { todo.append(id) }
        }
        try checkRecord()
        willStart(todo, todo.reduce(0) { $0 + 1 + layout.distortedImages($1).count })
        if !todo.isEmpty {
            try AtomicFile.makeDirectory(layout.labels)
            // Before the first label file: a kill after it leaves files the record describes.
            try record.write(layout)
        }
        AtomicFile.removeTemporaries(in: layout.labels)
        for id in todo {
            do {
                let hadTruth = try label(id)
                summary.labelled.append(id)
                if !hadTruth { summary.withoutGroundTruth.append(id) }
            } catch {
                summary.failed.append((id, "\(error)"))
                log("error: \(id): \(error)")
            }
        }
        return summary
    }

    /// The weighted mean of the defined values (nil: the machine has no value there), as text;
    /// empty when no machine has one.
    static func weightedMean(_ values: [Double?], weights: [Double]) -> String {
        var sum = 0.0, weight = 0.0
        for (v, w) in zip(values, weights) { if let v { sum += w * v; weight += w } }
        return weight > 0 ? "\(sum / weight)" : ""
    }
}

/// A labeller that writes the det/ins pair of label files (`labels/<id>_consistency.csv` and,
/// with ground truth, `labels/<id>_accuracy.csv`): detectors (`DetectionLabeller`) and
/// segmenters (`SegmentationLabeller`).
public protocol PairedLabeller {
    var layout: MIQDLayout { get }
    var record: LabellingRecord { get }
    var overwrite: Bool { get }
    /// The consistency table of one reference and, with ground truth for it, the accuracy table.
    func label(_ id: String, progress: (Int) -> Void) throws -> (consistency: CSVTable, accuracy: CSVTable?)
}

extension PairedLabeller {
    /// Labels every finished reference (`LabelRun`), writing accuracy first: the consistency
    /// file marks the reference as labelled. Same callbacks as `DatasetLabeller.run`.
    public func run(only: [String]? = nil, willStart: ([String], Int) -> Void = { _, _ in },
                    progress: (Int) -> Void = { _ in }, log: (String) -> Void = { _ in }) throws -> DatasetLabeller.Summary {
        try LabelRun.run(layout: layout, record: record, overwrite: overwrite, only: only, marker: layout.consistencyLabels,
                         checkRecord: { try record.check(against: layout, relabelsEverything: overwrite && only == nil, existingLabels: 0, assumed: nil) },
                         willStart: willStart, log: log) { id in
            let (consistency, accuracy) = try label(id, progress: progress)
            if let accuracy {
                try AtomicFile.write(accuracy.text, to: layout.accuracyLabels(id))
            } else {
                try? FileManager.default.removeItem(at: layout.accuracyLabels(id))
            }
            try AtomicFile.write(consistency.text, to: layout.consistencyLabels(id))
            return accuracy != nil
        }
    }
}
