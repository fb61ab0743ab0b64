import Foundation

/// Ground-truth boxes of det references, from a COCO-style JSON file:
/// `images` (`id`, `file_name`), `annotations` (`image_id`, `category_id`, `bbox` as
/// `[left, top, width, height]` in pixels, optional `iscrowd`) and `categories` (`id`, `name`).
///
/// Categories are matched to a machine's classes by name (COCO's 91 ids with gaps and
/// Darknet's 80 contiguous indices name the same classes), so a file whose category a machine
/// does not know is an error naming it. Keys are reference ids (file names without extension).
/// Crowd annotations (`iscrowd` 1) are left out: COCO ignores matches to them, which this
/// evaluation does not model.
public struct BoxGroundTruth: Sendable {
    /// Reference id -> (category name, box).
    public let objects: [String: [(name: String, box: AveragePrecision.PixelBox)]]
    public let source: String

    public static func load(json url: URL) throws -> BoxGroundTruth {
        let data: Data
        do { data = try Data(contentsOf: url) } catch { throw DatasetError.readFailed(path: url.path, reason: AtomicFile.reason(error)) }
        struct File: Decodable {
            struct Image: Decodable { let id: Int; let file_name: String }
            struct Annotation: Decodable { let image_id: Int; let category_id: Int; let bbox: [Double]; let iscrowd: Int? }
            struct Category: Decodable { let id: Int; let name: String }
            let images: [Image]; let annotations: [Annotation]; let categories: [Category]
        }
        let file: File
        do { file = try JSONDecoder().decode(File.self, from: data) } catch {
            throw DatasetError.badCSV(path: url.path, reason: "not COCO-style JSON with images, annotations and categories: \(error)")
        }
        let names = Dictionary(file.categories.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        let images = Dictionary(file.images.map { ($0.id, GroundTruth.key($0.file_name)) }, uniquingKeysWith: { a, _ in a })
        var objects: [String: [(name: String, box: AveragePrecision.PixelBox)]] = [:]
        for id in images.values { objects[id] = [] }
        for (i, a) in file.annotations.enumerated() where a.iscrowd != 1 {
            guard let image = images[a.image_id] else { throw DatasetError.badCSV(path: url.path, reason: "annotation \(i): image_id \(a.image_id) is not in images") }
            guard let name = names[a.category_id] else { throw DatasetError.badCSV(path: url.path, reason: "annotation \(i): category_id \(a.category_id) is not in categories") }
            guard a.bbox.count == 4, a.bbox.allSatisfy(\.isFinite), a.bbox[2] > 0, a.bbox[3] > 0 else {
                throw DatasetError.badCSV(path: url.path, reason: "annotation \(i): bbox \(a.bbox) is not [left, top, width, height] with a positive size")
            }
            objects[image, default: []].append((name, .init(left: a.bbox[0], top: a.bbox[1], width: a.bbox[2], height: a.bbox[3])))
        }
        return BoxGroundTruth(objects: objects, source: url.path)
    }

    public init(objects: [String: [(name: String, box: AveragePrecision.PixelBox)]], source: String) {
        self.objects = objects
        self.source = source
    }

    /// The objects of reference `id` as classes of a machine with `classNames`; nil when the file
    /// does not list the reference.
    /// - Throws: when an object's category is not one of `classNames`.
    public func truth(for id: String, classNames: [String], machine: String) throws -> [AveragePrecision.Truth]? {
        guard let list = objects[id] ?? objects[GroundTruth.key(id)] else { return nil }
        return try list.map { object in
            guard let k = classNames.firstIndex(of: object.name) else {
                throw DatasetError.missing("\(source): category '\(object.name)' of \(id) is not one of \(machine)'s classes")
            }
            return AveragePrecision.Truth(classIndex: k, box: object.box)
        }
    }
}
