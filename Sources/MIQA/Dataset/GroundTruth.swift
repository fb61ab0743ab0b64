import Foundation

/// True classes of references, for the accuracy label.
///
/// Keys are reference ids (file names without extension), so `ILSVRC2012_val_00000001`,
/// `ILSVRC2012_val_00000001.JPEG` and `ILSVRC2012_val_00000001.png` all find the same entry.
public struct GroundTruth: Sendable {
    /// id -> class index.
    public let classes: [String: Int]
    /// Where the classes came from, for messages.
    public let source: String

    public init(classes: [String: Int], source: String) {
        self.classes = classes
        self.source = source
    }

    /// The class of reference `id`, if known.
    public func classIndex(for id: String) -> Int? { classes[id] ?? classes[GroundTruth.key(id)] }

    static func key(_ name: String) -> String {
        let trimmed = name.trimmingCharacters(in: .whitespaces)
        return ReferenceImage.extensions.contains((trimmed as NSString).pathExtension.lowercased())
            ? (trimmed as NSString).deletingPathExtension : trimmed
    }

    /// A CSV with columns `image,class_index`: `image` a reference id or file name, `class_index`
    /// the 0-based class (ImageNet-1k order for the EfficientNet-Lite machines).
    public static func load(csv url: URL) throws -> GroundTruth {
        let table = try CSVTable(contentsOf: url)
        let ic = try table.column("image", in: url.path), cc = try table.column("class_index", in: url.path)
        var classes: [String: Int] = [:]
        for (n, r) in table.rows.enumerated() {
            guard let c = Int(r[cc].trimmingCharacters(in: .whitespaces)), c >= 0 else {
                throw DatasetError.badCSV(path: url.path, reason: "line \(n + 2): class_index '\(r[cc])' is not a non-negative integer")
            }
            classes[key(r[ic])] = c
        }
        return GroundTruth(classes: classes, source: url.path)
    }

    /// ImageNet validation labels (`ILSVRC2012_val_XXXXXXXX.JPEG` -> class) installed by
    /// `miqa weights fetch` in `$MIQA_HOME/data/val_image_to_1k_label.json`; nil when absent.
    public static func imageNetValidation(store: ModelStore = ModelStore()) -> GroundTruth? {
        let url = ImageNetClasses.validationLabelsURL(store)
        guard let data = try? Data(contentsOf: url),
              let map = try? JSONDecoder().decode([String: Int].self, from: data) else { return nil }
        var classes: [String: Int] = [:]
        for (name, c) in map { classes[key(name)] = c }
        return GroundTruth(classes: classes, source: url.path)
    }
}
