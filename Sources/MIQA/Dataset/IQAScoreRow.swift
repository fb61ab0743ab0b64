import Foundation

/// One line of `images/<id>/<id>_iqa_scores.csv`: full-reference metrics of one distorted image
/// against its reference.
///
/// Columns: `dist_images` (relative to `images/`, as in the label files), `distortion`,
/// `fg_level`, `bg_level`, `fg_candidate`, `bg_candidate` (0-based candidate indices the levels
/// came from), `psnr`, `ssim`, `ms_ssim`. Numbers are written in Swift's shortest round-trip
/// form, so reading them back gives exactly the computed `Double` (`inf` for identical images).
/// `ms_ssim` is empty when the image is smaller than 176 px on a side (5-scale MS-SSIM is
/// undefined there); the original also had VIF and VSI, which we do not compute.
public struct IQAScoreRow: Sendable, Equatable {
    public var image: String
    public var distortion: String
    public var foregroundLevel: Int
    public var backgroundLevel: Int
    public var foregroundCandidate: Int
    public var backgroundCandidate: Int
    public var psnr: Double
    public var ssim: Double
    public var msSSIM: Double?

    /// The CSV header.
    public static let header = ["dist_images", "distortion", "fg_level", "bg_level", "fg_candidate", "bg_candidate",
                                "psnr", "ssim", "ms_ssim"]

    /// The fields in `header` order.
    public var fields: [String] {
        [image, distortion, "\(foregroundLevel)", "\(backgroundLevel)", "\(foregroundCandidate)", "\(backgroundCandidate)",
         "\(psnr)", "\(ssim)", msSSIM.map { "\($0)" } ?? ""]
    }

    /// Reads the rows of an iqa-scores file.
    public static func read(_ url: URL) throws -> [IQAScoreRow] {
        let table = try CSVTable(contentsOf: url)
        let c = try header.map { try table.column($0, in: url.path) }
        return try table.rows.enumerated().map { n, r in
            func int(_ k: Int) throws -> Int {
                guard let v = Int(r[c[k]]) else { throw DatasetError.badCSV(path: url.path, reason: "line \(n + 2): '\(r[c[k]])' is not an integer") }
                return v
            }
            func double(_ k: Int) throws -> Double {
                guard let v = Double(r[c[k]]) else { throw DatasetError.badCSV(path: url.path, reason: "line \(n + 2): '\(r[c[k]])' is not a number") }
                return v
            }
            return IQAScoreRow(image: r[c[0]], distortion: r[c[1]], foregroundLevel: try int(2), backgroundLevel: try int(3),
                               foregroundCandidate: try int(4), backgroundCandidate: try int(5), psnr: try double(6),
                               ssim: try double(7), msSSIM: r[c[8]].isEmpty ? nil : try double(8))
        }
    }
}
