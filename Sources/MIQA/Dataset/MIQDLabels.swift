import Foundation

/// Reads the label files of an MIQD-style database into (image, value, reference) triples for
/// training and evaluation.
///
/// - cls: `labels/<id>_mmos.csv` (`dist_images`, `weighted_consistency`, `weighted_accuracy`);
/// - det/ins: `labels/<id>_consistency.csv` and `labels/<id>_accuracy.csv` (`filename`,
///   `AP_weighted_avg`), rows aligned by order; `filename` is relative to `images/<id>/`.
///
/// Labels: `consistency`, `accuracy`, or `composite = 0.5 * consistency + 0.5 * accuracy`
/// (fixed in the original). A cls row whose accuracy is empty, or a det/ins reference without
/// an accuracy file (no ground truth), has composite = consistency; asking for `accuracy` there
/// is an error.
public enum MIQDLabels {
    /// The labels of `references` (nil: every label file in `labels/`, by sorted id), in file order.
    /// `image` is relative to `images/` (`<id>/<id>_fog_3.png`).
    /// - Throws: `DatasetError` naming the file for a missing label file, column or value, a bad
    ///   number, misaligned det/ins files, or an unknown task or label.
    public static func load(root: URL, task: String, label: String, references: [String]?) throws
        -> [(image: String, value: Double, reference: String)]
    {
        guard ["composite", "consistency", "accuracy"].contains(label) else {
            throw DatasetError.missing("unknown label '\(label)'; one of composite, consistency, accuracy")
        }
        let layout = MIQDLayout(root: root)
        let ids = try references ?? availableReferences(root: root, task: task)
        var out: [(image: String, value: Double, reference: String)] = []
        for id in ids {
            switch task {
            case "cls": out += try loadClassification(layout: layout, id: id, label: label)
            case "det", "ins": out += try loadAP(layout: layout, id: id, label: label)
            default: throw DatasetError.missing("unknown task '\(task)'; one of cls, det, ins")
            }
        }
        return out
    }

    /// The reference ids that have label files for `task`, sorted.
    public static func availableReferences(root: URL, task: String) throws -> [String] {
        let dir = MIQDLayout(root: root).labels
        let names: [String]
        do { names = try FileManager.default.contentsOfDirectory(atPath: dir.path) } catch {
            throw DatasetError.readFailed(path: dir.path, reason: AtomicFile.reason(error))
        }
        let suffix = task == "cls" ? "_mmos.csv" : "_consistency.csv"
        return names.filter { $0.hasSuffix(suffix) && !AtomicFile.isTemporary($0) }.map { String($0.dropLast(suffix.count)) }.sorted()
    }

    static func number(_ text: String, file: String, line: Int, column: String) throws -> Double? {
        let t = text.trimmingCharacters(in: .whitespaces)
        if t.isEmpty { return nil }
        guard let v = Double(t), v.isFinite else {
            throw DatasetError.badCSV(path: file, reason: "line \(line): \(column) '\(t)' is not a number")
        }
        return v
    }

    static func table(_ url: URL) throws -> CSVTable {
        guard FileManager.default.fileExists(atPath: url.path) else { throw DatasetError.missing("\(url.path): no such label file") }
        return try CSVTable(contentsOf: url)
    }

    static func loadClassification(layout: MIQDLayout, id: String, label: String) throws -> [(image: String, value: Double, reference: String)] {
        let url = layout.mmos(id), file = url.path
        let t = try table(url)
        let ic = try t.column("dist_images", in: file), cc = try t.column("weighted_consistency", in: file)
        let ac = t.header.firstIndex(of: "weighted_accuracy")
        return try t.rows.enumerated().map { n, r in
            let line = n + 2
            guard let c = try number(r[cc], file: file, line: line, column: "weighted_consistency") else {
                throw DatasetError.badCSV(path: file, reason: "line \(line): weighted_consistency is empty")
            }
            let a = try ac.flatMap { try number(r[$0], file: file, line: line, column: "weighted_accuracy") }
            let value: Double
            switch label {
            case "consistency": value = c
            case "accuracy":
                guard let a else { throw DatasetError.badCSV(path: file, reason: "line \(line): weighted_accuracy is empty (no ground truth)") }
                value = a
            default: value = a.map { 0.5 * c + 0.5 * $0 } ?? c
            }
            return (r[ic], value, id)
        }
    }

    static func loadAP(layout: MIQDLayout, id: String, label: String) throws -> [(image: String, value: Double, reference: String)] {
        let cURL = layout.consistencyLabels(id), aURL = layout.accuracyLabels(id)
        // A reference labelled without ground truth has no accuracy file: composite is then its
        // consistency, as for cls rows without ground truth.
        let needC = label != "accuracy"
        let needA = label == "accuracy" || (label == "composite" && FileManager.default.fileExists(atPath: aURL.path))
        let cons = needC ? try table(cURL) : nil
        let acc = needA ? try table(aURL) : nil
        if let cons, let acc, cons.rows.count != acc.rows.count {
            throw DatasetError.badCSV(path: aURL.path, reason: "\(acc.rows.count) rows but \(cURL.lastPathComponent) has \(cons.rows.count); the two files must be aligned")
        }
        func column(_ t: CSVTable?, _ url: URL) throws -> [(String, Double)]? {
            guard let t else { return nil }
            let fc = try t.column("filename", in: url.path), vc = try t.column("AP_weighted_avg", in: url.path)
            return try t.rows.enumerated().map { n, r in
                guard let v = try number(r[vc], file: url.path, line: n + 2, column: "AP_weighted_avg") else {
                    throw DatasetError.badCSV(path: url.path, reason: "line \(n + 2): AP_weighted_avg is empty")
                }
                return (r[fc], v)
            }
        }
        let c = try column(cons, cURL), a = try column(acc, aURL)
        let count = (c ?? a)!.count
        return try (0..<count).map { i in
            if let c, let a, c[i].0 != a[i].0 {
                throw DatasetError.badCSV(path: aURL.path, reason: "line \(i + 2): filename '\(a[i].0)' but \(cURL.lastPathComponent) has '\(c[i].0)' there; the two files must be aligned")
            }
            let name = (c ?? a)![i].0
            let value: Double
            switch label {
            case "consistency": value = c![i].1
            case "accuracy": value = a![i].1
            default: value = a.map { 0.5 * c![i].1 + 0.5 * $0[i].1 } ?? c![i].1
            }
            return ("\(id)/\(name)", value, id)
        }
    }
}
