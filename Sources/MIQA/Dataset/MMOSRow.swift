import Foundation

/// One line of a cls label file `labels/<id>_mmos.csv`.
///
/// Columns: `dist_images` (relative to `images/`), `weighted_consistency`, `weighted_accuracy`,
/// `mean_consistency`, `std_consistency`, `mean_accuracy`, `std_accuracy`. The accuracy columns
/// are empty when the reference has no ground truth.
public struct MMOSRow: Sendable, Equatable {
    public var image: String
    public var weightedConsistency: Double
    public var weightedAccuracy: Double?
    public var meanConsistency: Double
    public var stdConsistency: Double
    public var meanAccuracy: Double?
    public var stdAccuracy: Double?

    public static let header = ["dist_images", "weighted_consistency", "weighted_accuracy", "mean_consistency",
                                "std_consistency", "mean_accuracy", "std_accuracy"]

    /// The fields in `header` order, numbers in shortest round-trip form.
    public var fields: [String] {
        func f(_ v: Double?) -> String { v.map { "\($0)" } ?? "" }
        return [image, f(weightedConsistency), f(weightedAccuracy), f(meanConsistency), f(stdConsistency),
                f(meanAccuracy), f(stdAccuracy)]
    }
}
