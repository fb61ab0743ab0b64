import Foundation

/// The labelled images an evaluation scores: one `Sample` per distorted image, plus where they
/// came from (for metrics.json).
public struct EvaluationSet: Sendable {
    /// One labelled image.
    public struct Sample: Sendable, Equatable {
        /// File to score.
        public var path: String
        /// Name written to predictions.csv (relative to `images/` for MIQD data).
        public var name: String
        /// The ground-truth label (machine MOS).
        public var label: Double

        /// A sample.
        public init(path: String, name: String, label: Double) {
            self.path = path
            self.name = name
            self.label = label
        }
    }

    /// The images, in label-file order.
    public var samples: [Sample]
    /// Reference ids listed by the split file (empty when no split was used).
    public var splitReferences: [String] = []
    /// Split references without label files: left out, reported.
    public var missingReferences: [String] = []

    /// A set of hand-picked samples (no split).
    public init(samples: [Sample]) { self.samples = samples }

    /// The labelled images of an MIQD-layout database (`images/`, `labels/`) for the references of
    /// `split` (an official split CSV; nil: every reference with labels), through `MIQDLabels`
    /// and `MIQDSplits`. References of the split that have no label file are left out and listed
    /// in `missingReferences`, so a partly generated database can still be evaluated.
    /// - Throws: `DatasetError` for unreadable files, or when no split reference has labels.
    public static func miqd(root: URL, task: String, label: String, split: URL?) throws -> EvaluationSet {
        let available = try MIQDLabels.availableReferences(root: root, task: task)
        var references = available
        var listed: [String] = []
        var missing: [String] = []
        if let split {
            listed = try MIQDSplits.load(split)
            let have = Set(available)
            references = listed.filter { have.contains($0) }
            missing = listed.filter { !have.contains($0) }
        }
        guard !references.isEmpty else {
            let which = split.map { "of \($0.lastPathComponent) (\(listed.count) references)" } ?? "at all"
            throw DatasetError.missing("\(root.path): no \(task) label files for any reference \(which) in labels/")
        }
        let images = root.appendingPathComponent("images", isDirectory: true)
        let rows = try MIQDLabels.load(root: root, task: task, label: label, references: references)
        // Label files with a header and no rows: nothing to evaluate, which must not pass for success.
        guard !rows.isEmpty else {
            let files = references.prefix(3).map { MIQDLayout(root: root).labels.appendingPathComponent(task == "cls" ? "\($0)_mmos.csv" : "\($0)_consistency.csv").path }
            throw DatasetError.missing("""
                \(files.joined(separator: ", "))\(references.count > 3 ? ", ..." : ""): no labelled images \
                (the label file\(references.count == 1 ? " has" : "s of \(references.count) references have") a header but no rows)
                """)
        }
        var set = EvaluationSet(samples: rows.map {
            Sample(path: images.appendingPathComponent($0.image).path, name: $0.image, label: $0.value)
        })
        set.splitReferences = listed
        set.missingReferences = missing
        return set
    }
}
