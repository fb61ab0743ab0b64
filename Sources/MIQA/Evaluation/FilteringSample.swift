import Foundation

/// What the filtering test knows about one distorted image.
public struct FilteringSample: Sendable, Equatable {
    public var image: String
    public var referenceID: String
    /// The predictor's quality score (higher = better).
    public var score: Double
    /// The predictor's score of the clean reference this image came from.
    public var referenceScore: Double
    /// Variance of the Laplacian of the image's luma (`LaplacianSharpness`).
    public var sharpness: Double
    /// PSNR against the reference in dB (`+inf` when identical).
    public var psnr: Double
    /// Known severity (larger = worse), when the input carries one.
    public var severity: Double?
    /// Per metric, one value per machine: classifiers have `consistency` (the probability given
    /// to the reference's top-1 class) and `agreement` (1 when the top-1 class is unchanged);
    /// detectors `ap` (COCO box AP@[.5:.95] against their detections on the reference) and
    /// `ap75` (AP at IoU 0.75, the paper's filtering metric).
    public var outcomes: [FilteringResult.Metric: [Double]]

    public init(image: String, referenceID: String, score: Double, referenceScore: Double, sharpness: Double, psnr: Double,
                severity: Double?, outcomes: [FilteringResult.Metric: [Double]]) {
        self.image = image
        self.referenceID = referenceID
        self.score = score
        self.referenceScore = referenceScore
        self.sharpness = sharpness
        self.psnr = psnr
        self.severity = severity
        self.outcomes = outcomes
    }

    /// `metric` of machine `m` (NaN when the sample does not have that metric).
    public func value(_ metric: FilteringResult.Metric, machine m: Int) -> Double { outcomes[metric]?[m] ?? .nan }

    /// `metric` averaged over machines.
    public func mean(_ metric: FilteringResult.Metric) -> Double {
        guard let v = outcomes[metric], !v.isEmpty else { return .nan }
        return v.reduce(0, +) / Double(v.count)
    }
}
