import Foundation
import Imaging

/// `--visualize`: an annotated PNG per scored image, with the score badge coloured red -> yellow
/// -> green over 0..1, named as the original names them: `miqa_<model>_<image stem>.png`.
///
/// Names are made unique within a run (`plan`): when two inputs would get the same name
/// (`x.png` and `x.jpg`, or `a/x.png` and `b/x.png`), each of them gets its extension in the name,
/// `miqa_<model>_<stem>_<ext>.png`, and if that still collides, `_2`, `_3`, ... in input order.
/// A name that is one of the run's inputs is never written.
public struct Visualization {
    public let directory: URL
    public let model: String
    /// Output file per input path, from `plan` (nil: the original's name).
    private var planned: [String: URL] = [:]

    /// Creates the output folder if needed.
    /// - Throws: `DatasetError.writeFailed` naming the folder ("is a file, expected a folder").
    public init(directory: URL, model: String) throws {
        self.directory = directory
        self.model = model
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                throw DatasetError.writeFailed(path: directory.path, reason: "is a file, expected a folder")
            }
            return
        }
        do { try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true) } catch {
            throw DatasetError.writeFailed(path: directory.path, reason: "cannot create the folder: \(AtomicFile.reason(error))")
        }
    }

    /// The original's name for an input path: `miqa_<model>_<stem>.png`.
    public func defaultName(for path: String) -> String {
        let stem = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        return "miqa_\(model)_\(stem).png"
    }

    /// Assigns every input of a run its own output file (see the type's documentation).
    public mutating func plan(_ paths: [String]) {
        var byName: [String: [String]] = [:]
        for p in paths { byName[defaultName(for: p), default: []].append(p) }
        var taken = Set<String>()
        var result: [String: URL] = [:]
        for p in paths where result[p] == nil {
            var name = defaultName(for: p)
            if (byName[name]?.count ?? 0) > 1 {
                let file = (p as NSString).lastPathComponent as NSString
                let ext = file.pathExtension.lowercased()
                name = "miqa_\(model)_\(file.deletingPathExtension)_\(ext.isEmpty ? "noext" : ext).png"
            }
            var unique = name, n = 2
            while taken.contains(unique) {
                unique = (name as NSString).deletingPathExtension + "_\(n).png"
                n += 1
            }
            taken.insert(unique)
            result[p] = directory.appendingPathComponent(unique)
        }
        planned = result
    }

    /// The annotated file for an input path.
    public func outputURL(for path: String) -> URL {
        planned[path] ?? directory.appendingPathComponent(defaultName(for: path))
    }

    /// Draws the badge on `image` and writes it (atomically: no half-written PNG on a crash).
    /// - Throws: `DatasetError.writeFailed` naming the PNG and the reason (full disk, permissions),
    ///   or when the PNG would replace the input itself.
    public func write(_ result: ImageScore, image: RGBImage) throws {
        guard let score = result.score else { return }
        let url = outputURL(for: result.path)
        if URL(fileURLWithPath: result.path).standardizedFileURL.resolvingSymlinksInPath() == url.standardizedFileURL.resolvingSymlinksInPath() {
            throw DatasetError.writeFailed(path: url.path, reason: "is the input image itself; refusing to overwrite it")
        }
        let annotated = ScoreBadge.annotate(image, score: Double(score))
        do { try ImageEncoder.png(annotated).write(to: url, options: .atomic) } catch {
            throw DatasetError.writeFailed(path: url.path, reason: AtomicFile.reason(error))
        }
    }
}
