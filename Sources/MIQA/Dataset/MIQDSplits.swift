import Foundation

/// The official train/validation split files of MIQD-2.5M (`data/miqa-reference/splits/`).
public enum MIQDSplits {
    /// The reference ids of a split file:
    /// - cls files (column `Image Name`, e.g. `ILSVRC2012_val_00037809.JPEG`): the name without extension;
    /// - det/ins files (column `Image Index`, a COCO image id): zero-padded to 12 digits
    ///   (`000000532481`), as in the database's file names.
    /// - Throws: `DatasetError.badCSV` when neither column is present or an index is not a number.
    public static func load(_ url: URL) throws -> [String] {
        let table = try CSVTable(contentsOf: url)
        if let c = table.header.firstIndex(of: "Image Name") {
            return table.rows.map { ($0[c].trimmingCharacters(in: .whitespaces) as NSString).deletingPathExtension }
        }
        if let c = table.header.firstIndex(of: "Image Index") {
            return try table.rows.enumerated().map { n, r in
                let text = r[c].trimmingCharacters(in: .whitespaces)
                guard let v = Int(text), v >= 0 else {
                    throw DatasetError.badCSV(path: url.path, reason: "line \(n + 2): Image Index '\(text)' is not a non-negative integer")
                }
                let digits = String(v)
                return String(repeating: "0", count: max(0, 12 - digits.count)) + digits
            }
        }
        throw DatasetError.badCSV(path: url.path, reason: "no 'Image Name' or 'Image Index' column (columns: \(table.header.joined(separator: ", ")))")
    }
}
