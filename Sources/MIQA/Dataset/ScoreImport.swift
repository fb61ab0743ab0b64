import Foundation

/// Imports det/ins machine scores computed elsewhere (`miqa dataset import-scores`): detectors
/// and segmenters are not run here, so their per-image AP values come in as a CSV.
///
/// Input CSV columns (header required, extra columns ignored):
/// `reference_id, filename, machine, ap_consistency, ap_accuracy`, one line per
/// (distorted image, machine); `filename` is relative to `images/<reference_id>/` (a leading
/// `<reference_id>/` is accepted and removed); AP values in 0...1; an empty AP cell means that
/// machine has no value for that image and is left out of its average.
///
/// Output per reference: `labels/<id>_accuracy.csv` and `labels/<id>_consistency.csv`, columns
/// `filename, AP_weighted_avg`, the mean over machines with equal weights, rows in the order the
/// images first appear in the input (the same order in both files, so they are aligned). An image
/// with no value at all in one of the two columns leaves that cell empty.
public enum ScoreImport {
    /// What was imported.
    public struct Summary: Sendable {
        /// Reference ids written, in input order.
        public var references: [String] = []
        /// Distorted images written.
        public var images = 0
        /// Machine names seen.
        public var machines: [String] = []
    }

    /// Reads `scores` and writes the label files under `root/labels/`.
    /// - Throws: `DatasetError.badCSV` naming the file and line for missing columns, bad numbers,
    ///   values outside 0...1 or a machine listed twice for one image.
    public static func run(root: URL, scores: URL) throws -> Summary {
        let table = try CSVTable(contentsOf: scores)
        let name = scores.path
        let cols = try ["reference_id", "filename", "machine", "ap_consistency", "ap_accuracy"].map { try table.column($0, in: name) }
        // reference -> ordered images -> machine -> (consistency, accuracy)
        var order: [String] = []
        var images: [String: [String]] = [:]
        var values: [String: [String: [String: (Double?, Double?)]]] = [:]
        var machines: [String] = []
        for (n, r) in table.rows.enumerated() {
            let line = n + 2
            let id = r[cols[0]].trimmingCharacters(in: .whitespaces)
            var file = r[cols[1]].trimmingCharacters(in: .whitespaces)
            let machine = r[cols[2]].trimmingCharacters(in: .whitespaces)
            guard !id.isEmpty, !file.isEmpty, !machine.isEmpty else {
                throw DatasetError.badCSV(path: name, reason: "line \(line): reference_id, filename and machine must not be empty")
            }
            if file.hasPrefix("\(id)/") { file.removeFirst(id.count + 1) }
            func ap(_ k: Int) throws -> Double? {
                let text = r[cols[k]].trimmingCharacters(in: .whitespaces)
                if text.isEmpty { return nil }
                guard let v = Double(text), v.isFinite, (0...1).contains(v) else {
                    throw DatasetError.badCSV(path: name, reason: "line \(line): \(table.header[cols[k]]) '\(text)' is not a number in 0...1")
                }
                return v
            }
            let pair = (try ap(3), try ap(4))
            if values[id] == nil { order.append(id); values[id] = [:]; images[id] = [] }
            if values[id]![file] == nil { values[id]![file] = [:]; images[id]!.append(file) }
            guard values[id]![file]![machine] == nil else {
                throw DatasetError.badCSV(path: name, reason: "line \(line): machine \(machine) already has a score for \(id)/\(file)")
            }
            values[id]![file]![machine] = pair
            if !machines.contains(machine) { machines.append(machine) }
        }
        let layout = MIQDLayout(root: root)
        // The root's lock, as generate and label hold it: label files are never written by two runs at once.
        try AtomicFile.makeDirectory(layout.labels)
        let lock = try DirectoryLock.acquire(layout.root)
        defer { lock.release() }
        var summary = Summary(references: order, images: 0, machines: machines)
        for id in order {
            var accuracy = CSVTable(header: ["filename", "AP_weighted_avg"]), consistency = accuracy
            for file in images[id]! {
                let perMachine = Array(values[id]![file]!.values)
                consistency.rows.append([file, average(perMachine.compactMap(\.0))])
                accuracy.rows.append([file, average(perMachine.compactMap(\.1))])
            }
            try AtomicFile.write(accuracy.text, to: layout.accuracyLabels(id))
            try AtomicFile.write(consistency.text, to: layout.consistencyLabels(id))
            summary.images += images[id]!.count
        }
        return summary
    }

    /// Equal-weight mean as text; empty when there are no values.
    static func average(_ v: [Double]) -> String {
        v.isEmpty ? "" : "\(v.reduce(0, +) / Double(v.count))"
    }
}
