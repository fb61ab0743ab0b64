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
    /// Per machine: the probability it gives on this image to its top-1 class on the reference.
    public var consistency: [Double]
    /// Per machine: 1 when its top-1 class here is its top-1 class on the reference, else 0.
    public var agreement: [Double]

    /// Consistency averaged over machines (what the labels of `miqa dataset label` hold).
    public var meanConsistency: Double { consistency.reduce(0, +) / Double(max(1, consistency.count)) }
    /// Agreement averaged over machines.
    public var meanAgreement: Double { agreement.reduce(0, +) / Double(max(1, agreement.count)) }
}
