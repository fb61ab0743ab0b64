import Foundation

/// What the cls labels of a database were computed with (`labels/labelling.json`): the label
/// definition, the machines and their weights.
///
/// `dataset label` writes it before the first label file and checks it on every later run, so
/// a resumed or extended run can never mix label files made with different definitions or
/// machines: a mismatch is an error naming the file, unless every label is recomputed
/// (`--overwrite` on the whole database). Databases labelled before the record existed have no
/// file; their labels are `probability` ones.
public struct LabellingRecord: Codable, Equatable, Sendable {
    public var definition: LabelDefinition
    public var machines: [String]
    public var weights: [Double]

    public init(definition: LabelDefinition, machines: [String], weights: [Double]) {
        self.definition = definition
        self.machines = machines
        self.weights = weights
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
            throw DatasetError.badCSV(path: url.path, reason: "not a labelling record (definition, machines, weights): \(error.localizedDescription)")
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
        if definition != other.definition { parts.append("definition \(definition.rawValue), not \(other.definition.rawValue)") }
        if machines != other.machines { parts.append("machines \(machines.joined(separator: ",")), not \(other.machines.joined(separator: ","))") }
        if weights != other.weights { parts.append("machine weights \(weights.map { "\($0)" }.joined(separator: ",")), not \(other.weights.map { "\($0)" }.joined(separator: ","))") }
        return parts.isEmpty ? nil : parts.joined(separator: "; ")
    }
}
