/// SRCC, PLCC, KRCC and RMSE of one group of predictions (the whole split, or one distortion
/// type or region family). Undefined values (a group of one image, constant predictions) are NaN.
public struct MetricSummary: Sendable, Equatable {
    public var count: Int
    public var srcc: Double
    public var plcc: Double
    public var krcc: Double
    public var rmse: Double

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
