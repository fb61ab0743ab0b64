import Foundation

/// JSON helpers for evaluation reports.
public enum EvaluationJSON {
    /// A number for JSONSerialization: NaN and infinities become null (JSON has neither).
    public static func number(_ v: Double) -> Any { v.isFinite ? v : NSNull() }

    /// Pretty-printed with sorted keys (stable diffs) and unescaped slashes (paths read naturally).
    public static func encode(_ object: [String: Any]) throws -> Data {
        try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
    }
}
