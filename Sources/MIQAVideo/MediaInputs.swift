import Foundation
import MIQA

/// Sorting command-line inputs into videos and images, the way the original's `predict` does:
/// a file by its extension, a folder by its videos and images (not recursive, sorted, images
/// first).
public enum MediaInputs {
    /// The original's video extensions, compared case-insensitively.
    public static let videoExtensions: Set<String> = ["mp4", "avi", "mov", "mkv", "webm", "flv", "wmv", "m4v"]

    /// One input to analyse.
    public enum Item: Equatable, Sendable {
        case video(String)
        case image(String)
        /// A path that cannot be used, with the reason.
        case problem(String, String)
    }

    public static func isVideo(_ path: String) -> Bool {
        videoExtensions.contains((path as NSString).pathExtension.lowercased())
    }

    public static func isImage(_ path: String) -> Bool {
        InputCollection.imageExtensions.contains((path as NSString).pathExtension.lowercased())
    }

    /// Files named explicitly are images when their extension says so and videos otherwise
    /// (FFmpeg then decides whether it is one); folders contribute their images, then videos.
    public static func expand(_ inputs: [String]) -> [Item] {
        var items: [Item] = []
        let fm = FileManager.default
        for input in inputs {
            var isDir: ObjCBool = false
            guard fm.fileExists(atPath: input, isDirectory: &isDir) else {
                items.append(.problem(input, "no such file or directory"))
                continue
            }
            guard isDir.boolValue else {
                items.append(isImage(input) ? .image(input) : .video(input))
                continue
            }
            let names = ((try? fm.contentsOfDirectory(atPath: input)) ?? []).sorted()
            let paths = names.map { (input as NSString).appendingPathComponent($0) }
                .filter { var d: ObjCBool = false; return fm.fileExists(atPath: $0, isDirectory: &d) && !d.boolValue }
            let images = paths.filter(isImage), videos = paths.filter(isVideo)
            if images.isEmpty && videos.isEmpty {
                items.append(.problem(input, "folder contains no videos or images"))
            }
            items += images.map(Item.image) + videos.map(Item.video)
        }
        return items
    }
}
