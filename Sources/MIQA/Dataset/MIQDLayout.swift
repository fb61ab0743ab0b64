import Foundation

/// Where everything lives in an MIQD-style database folder (MIQA-FACTS section 3):
///
/// ```
/// ROOT/src_images/<id>.<ext>                       copy of the reference
/// ROOT/images/<id>/<id>_<dist>_<L>.png             uniform level L
/// ROOT/images/<id>/<id>_<dist>_fg_stronger_fg<i>_bg<j>.png
/// ROOT/images/<id>/<id>_<dist>_bg_stronger_fg<i>_bg<j>.png
/// ROOT/images/<id>/<id>_iqa_scores.csv             PSNR, SSIM, MS-SSIM per distorted image
/// ROOT/images/<id>/.complete                       completion marker, written last
/// ROOT/labels/<id>_mmos.csv                        cls labels
/// ROOT/labels/<id>_accuracy.csv, <id>_consistency.csv   det/ins labels
/// ```
///
/// The original does not say where `<id>_iqa_scores.csv` lived; we keep it beside the
/// reference's images so that a reference's folder is self-contained (and is removed with it
/// when an unfinished reference is redone).
public struct MIQDLayout: Sendable {
    /// The database root.
    public let root: URL

    public init(root: URL) { self.root = root }

    /// `ROOT/images`.
    /// The task `dataset generate` recorded in `ROOT/dataset.json` (nil: no record, e.g. a copy of
    /// the original's database).
    public func recordedTask() -> String? {
        guard let data = try? Data(contentsOf: root.appendingPathComponent("dataset.json")),
              let info = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return nil }
        return info["task"] as? String
    }

    public var images: URL { root.appendingPathComponent("images", isDirectory: true) }
    /// `ROOT/src_images`.
    public var sourceImages: URL { root.appendingPathComponent("src_images", isDirectory: true) }
    /// `ROOT/labels`.
    public var labels: URL { root.appendingPathComponent("labels", isDirectory: true) }

    /// `ROOT/images/<id>`.
    public func folder(_ id: String) -> URL { images.appendingPathComponent(id, isDirectory: true) }
    /// `ROOT/images/<id>/.complete`.
    public func completionMarker(_ id: String) -> URL { folder(id).appendingPathComponent(".complete") }
    /// `ROOT/images/<id>/<id>_iqa_scores.csv`.
    public func iqaScores(_ id: String) -> URL { folder(id).appendingPathComponent("\(id)_iqa_scores.csv") }
    /// `ROOT/labels/<id>_mmos.csv` (cls).
    public func mmos(_ id: String) -> URL { labels.appendingPathComponent("\(id)_mmos.csv") }
    /// `ROOT/labels/<id>_accuracy.csv` (det/ins).
    public func accuracyLabels(_ id: String) -> URL { labels.appendingPathComponent("\(id)_accuracy.csv") }
    /// `ROOT/labels/<id>_consistency.csv` (det/ins).
    public func consistencyLabels(_ id: String) -> URL { labels.appendingPathComponent("\(id)_consistency.csv") }

    /// The copy of reference `id` in `src_images/`, whatever its extension; nil when absent.
    public func sourceImage(_ id: String) -> URL? {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: sourceImages.path)) ?? []
        guard let name = names.sorted().first(where: { ($0 as NSString).deletingPathExtension == id && !AtomicFile.isTemporary($0) })
        else { return nil }
        return sourceImages.appendingPathComponent(name)
    }

    /// The distorted-image file names of one reference in MIQD order: types in the given order,
    /// then the region configurations (default all 25) in `RegionConfiguration.all` order.
    public static func distortedFileNames(id: String, types: [DistortionType],
                                          configurations: [RegionConfiguration] = RegionConfiguration.all) -> [String] {
        types.flatMap { type in configurations.map { $0.fileName(referenceID: id, type: type) } }
    }

    /// The distorted images of reference `id` as paths relative to `images/` (`<id>/<file>`):
    /// the list in its completion marker when there is one (our generator's order), else the
    /// folder's PNG files that start with `<id>_`, sorted by name (a database made elsewhere).
    public func distortedImages(_ id: String) -> [String] {
        if let listed = CompletionMarker.read(completionMarker(id)) { return listed.map { "\(id)/\($0)" } }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder(id).path)) ?? []
        return names.filter { $0.hasPrefix("\(id)_") && $0.lowercased().hasSuffix(".png") }.sorted().map { "\(id)/\($0)" }
    }

    /// The reference ids that have a folder under `images/`, sorted.
    public func referenceIDs() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: images.path)) ?? []
        return names.filter { name in
            var isDir: ObjCBool = false
            return !name.hasPrefix(".") && FileManager.default.fileExists(atPath: folder(name).path, isDirectory: &isDir) && isDir.boolValue
        }.sorted()
    }

    /// The references to label: those under `images/` with a completion marker (`ready`) and
    /// those without one (`unfinished`), optionally restricted to `only`.
    public func finishedReferences(only: [String]? = nil) -> (ready: [String], unfinished: [String]) {
        var ready: [String] = [], unfinished: [String] = []
        for id in referenceIDs() where only == nil || only!.contains(id) {
            if CompletionMarker.isComplete(completionMarker(id)) { ready.append(id) } else { unfinished.append(id) }
        }
        return (ready, unfinished)
    }

    /// The root's `DirectoryLock`, after checking the root is an existing folder (what a
    /// labeller holds while it writes label files).
    func lockExistingRoot() throws -> DirectoryLock {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root.path, isDirectory: &isFolder), isFolder.boolValue else {
            throw DatasetError.missing("\(root.path): no such database folder")
        }
        return try DirectoryLock.acquire(root)
    }
}
