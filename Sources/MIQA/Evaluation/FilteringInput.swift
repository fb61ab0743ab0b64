import Foundation

/// What the filtering test runs on: distorted images grouped by the clean reference they came
/// from (the machines' answer on the reference is what "consistent" means).
public struct FilteringInput: Sendable {
    /// One reference and its distorted versions.
    public struct Group: Sendable {
        /// Reference id (MIQD) or the reference's path as written in the pairs file.
        public var referenceID: String
        public var reference: URL
        public var images: [Item]
    }

    /// One distorted image.
    public struct Item: Sendable {
        /// Name used in reports (relative to `images/` for MIQD, as written in the pairs file otherwise).
        public var name: String
        public var url: URL
        /// A known severity (larger = worse), when the input carries one: the MIQD level
        /// (mean of foreground and background levels) or the pairs file's `severity` column.
        public var severity: Double?
    }

    public var groups: [Group]
    /// Lines for the user about what was left out while collecting (never silent).
    public var notes: [String] = []

    /// Every distorted image.
    public var imageCount: Int { groups.reduce(0) { $0 + $1.images.count } }

    /// An MIQD-layout database: the references of `split` (ids; nil = every reference with a
    /// completion marker), their `src_images/` copies and the images listed in their
    /// `<id>_iqa_scores.csv`, whose levels give the severity.
    public static func database(root: URL, split: [String]?) throws -> FilteringInput {
        let layout = MIQDLayout(root: root)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: layout.images.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw DatasetError.missing("\(root.path): not an MIQD database (no images/ folder)")
        }
        var input = FilteringInput(groups: [])
        let ids = split ?? layout.referenceIDs()
        var unfinished: [String] = []
        for id in ids {
            guard FileManager.default.fileExists(atPath: layout.completionMarker(id).path),
                  let reference = layout.sourceImage(id) else {
                unfinished.append(id)
                continue
            }
            let rows = try IQAScoreRow.read(layout.iqaScores(id))
            let items = rows.map { row in
                Item(name: row.image, url: layout.images.appendingPathComponent(row.image),
                     severity: Double(row.foregroundLevel + row.backgroundLevel) / 2)
            }
            input.groups.append(Group(referenceID: id, reference: reference, images: items))
        }
        if !unfinished.isEmpty {
            input.notes.append("note: \(unfinished.count) reference(s) left out: not generated completely or no src_images copy (\(unfinished.prefix(3).joined(separator: ", "))\(unfinished.count > 3 ? ", ..." : ""))")
        }
        if input.groups.isEmpty { throw DatasetError.missing("\(root.path): no complete references to test on") }
        return input
    }

    /// A CSV with header `image,reference[,severity]`: one distorted image per line and the clean
    /// image it came from; relative paths are relative to the CSV's folder. Groups keep the
    /// order in which references first appear.
    public static func pairs(csv url: URL) throws -> FilteringInput {
        let table = try CSVTable(contentsOf: url)
        let imageColumn = try table.column("image", in: url.path)
        let referenceColumn = try table.column("reference", in: url.path)
        let severityColumn = table.header.firstIndex(of: "severity")
        let base = url.deletingLastPathComponent()
        func resolve(_ path: String) -> URL {
            path.hasPrefix("/") ? URL(fileURLWithPath: path) : base.appendingPathComponent(path)
        }
        var order: [String] = []
        var byReference: [String: [Item]] = [:]
        for (n, row) in table.rows.enumerated() {
            let image = row[imageColumn], reference = row[referenceColumn]
            guard !image.isEmpty, !reference.isEmpty else {
                throw DatasetError.badCSV(path: url.path, reason: "line \(n + 2): empty image or reference")
            }
            var severity: Double?
            if let severityColumn, !row[severityColumn].isEmpty {
                guard let s = Double(row[severityColumn]), s.isFinite else {
                    throw DatasetError.badCSV(path: url.path, reason: "line \(n + 2): severity '\(row[severityColumn])' is not a number")
                }
                severity = s
            }
            if byReference[reference] == nil { order.append(reference) }
            byReference[reference, default: []].append(Item(name: image, url: resolve(image), severity: severity))
        }
        guard !order.isEmpty else { throw DatasetError.badCSV(path: url.path, reason: "no image lines") }
        return FilteringInput(groups: order.map { Group(referenceID: $0, reference: resolve($0), images: byReference[$0]!) })
    }
}
