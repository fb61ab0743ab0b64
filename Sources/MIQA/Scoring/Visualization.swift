import Foundation
import Imaging

/// `--visualize`: an annotated PNG per scored image, with the score badge coloured red -> yellow
/// -> green over 0..1, named as the original names them: `miqa_<model>_<image stem>.png`.
public struct Visualization {
    public let directory: URL
    public let model: String

    /// Creates the output folder if needed.
    public init(directory: URL, model: String) throws {
        self.directory = directory
        self.model = model
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    /// The annotated file for an input path.
    public func outputURL(for path: String) -> URL {
        let stem = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        return directory.appendingPathComponent("miqa_\(model)_\(stem).png")
    }

    /// Draws the badge on `image` and writes it (atomically: no half-written PNG on a crash).
    public func write(_ result: ImageScore, image: RGBImage) throws {
        guard let score = result.score else { return }
        let annotated = ScoreBadge.annotate(image, score: Double(score))
        try ImageEncoder.png(annotated).write(to: outputURL(for: result.path), options: .atomic)
    }
}
