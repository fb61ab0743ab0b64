import Foundation
import Imaging
import XCTest

/// The imagecorruptions-made fixtures in `Fixtures/` (tools/distortions/make_fixtures.py),
/// located next to this file so no resource bundle is needed.
enum DistortionFixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    struct Deterministic: Decodable { let type, image: String; let candidate: Int; let expected: String }
    struct RandomStats: Decodable {
        let type, image: String; let candidate: Int
        let psnrMean, psnrStd, ssimMean, ssimStd: Double
    }
    struct Metric: Decodable { let distorted: String; let psnr, ssim, msssim: Double }
    struct Fusion: Decodable {
        let foreground, background, mask, expected: String
        let weights: [Double]; let weightsStride: Int
    }
    struct Core: Decodable { let type, image: String; let candidate: Int; let angle: Double; let expected: String }
    struct Disk: Decodable { let candidate, size: Int; let values: [Double] }
    struct Index: Decodable {
        let params: [String: [[Double]]]
        let images: [String: String]
        let deterministic: [Deterministic]
        let random: [RandomStats]
        let evidence: [String]
        let metrics: [Metric]
        let fusion: Fusion
        let saliency: [String: String]
        let diskKernels: [Disk]
        let cores: [Core]
    }

    static let index: Index = {
        let data = try! Data(contentsOf: directory.appendingPathComponent("index.json"))
        return try! JSONDecoder().decode(Index.self, from: data)
    }()

    static func image(_ name: String) throws -> RGBImage {
        try ImageDecoder.decode(contentsOf: directory.appendingPathComponent(name))
    }

    /// Largest absolute difference between two same-size images, and how many samples differ.
    static func diff(_ a: RGBImage, _ b: RGBImage) -> (max: Int, count: Int) {
        var m = 0, n = 0
        for i in a.pixels.indices {
            let d = abs(Int(a.pixels[i]) - Int(b.pixels[i]))
            if d > 0 { n += 1; m = max(m, d) }
        }
        return (m, n)
    }
}
