import Foundation

/// One reference image of a generation run: its file, its id and its seed.
public struct ReferenceImage: Sendable, Equatable {
    /// The image file.
    public let url: URL
    /// The file name without its extension: the MIQD reference id.
    public let id: String
    /// MIQD's per-image seed: position in the sorted list + 1.
    public let seed: UInt64

    /// Image file extensions accepted as references (those `ImageDecoder` reads).
    public static let extensions: Set<String> = ["jpg", "jpeg", "png", "bmp", "tif", "tiff", "webp"]

    /// The references in `folder`, sorted by file name (byte order, so the order and hence the
    /// seeds do not depend on the locale), each with seed index + 1. Hidden files and files with
    /// other extensions are ignored.
    /// - Throws: `DatasetError.readFailed` when the folder cannot be listed,
    ///   `DatasetError.duplicateID` when two files share a name without extension.
    public static func list(in folder: URL) throws -> [ReferenceImage] {
        let names: [String]
        do { names = try FileManager.default.contentsOfDirectory(atPath: folder.path) } catch {
            throw DatasetError.readFailed(path: folder.path, reason: AtomicFile.reason(error))
        }
        let files = names.filter { !$0.hasPrefix(".") && extensions.contains(($0 as NSString).pathExtension.lowercased()) }
            .sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
        var seen: [String: String] = [:]
        var out: [ReferenceImage] = []
        for (i, name) in files.enumerated() {
            let id = (name as NSString).deletingPathExtension
            if let first = seen[id] {
                throw DatasetError.duplicateID(id: id, first: first, second: folder.appendingPathComponent(name).path)
            }
            seen[id] = folder.appendingPathComponent(name).path
            out.append(ReferenceImage(url: folder.appendingPathComponent(name), id: id, seed: SeverityLevels.seed(forImageIndex: i)))
        }
        return out
    }
}
