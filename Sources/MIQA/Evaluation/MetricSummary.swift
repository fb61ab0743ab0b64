/// SRCC, PLCC, KRCC and RMSE of one group of predictions (the whole split, or one distortion
/// type or region family). Undefined values (a group of one image, constant predictions) are NaN.
public struct MetricSummary: Sendable, Equatable {
    /// Number of images in the group.
    public var count: Int
    /// Spearman rank correlation.
    public var srcc: Double
    /// Pearson linear correlation of the raw predictions.
    public var plcc: Double
    /// Kendall tau-b.
    public var krcc: Double
    /// Root mean squared error.
    public var rmse: Double

    /// The four metrics of `predictions` against `labels`.
    public init(predictions: [Double], labels: [Double]) {
        count = predictions.count
        srcc = Correlation.srcc(predictions, labels)
        plcc = Correlation.plcc(predictions, labels)
        krcc = Correlation.krcc(predictions, labels)
        rmse = Correlation.rmse(predictions, labels)
    }

    /// As a JSON object; NaN becomes null (JSON has no NaN).
    public var jsonObject: [String: Any] {
        ["count": count, "srcc": EvaluationJSON.number(srcc), "plcc": EvaluationJSON.number(plcc),
         "krcc": EvaluationJSON.number(krcc), "rmse": EvaluationJSON.number(rmse)]
    }
}
