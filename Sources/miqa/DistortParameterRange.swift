import Foundation
import MIQA

/// The accepted range of each explicit `--param` value of `miqa distort`: a few times the
/// strongest MIQD candidate, so any reasonable experiment fits, while values that would make a
/// kernel of gigabytes (defocus radius 1e5: 160 GB) or NaN (a trap in the noise generator)
/// are refused before any work.
enum DistortParameterRange {
    /// Name and closed range of each parameter of `type`, in `--param` order.
    static func ranges(_ type: DistortionType) -> [(name: String, range: ClosedRange<Double>)] {
        switch type {
        case .gaussian_noise: return [("noise std", 0...10)]
        case .glass_blur: return [("sigma", 0...20), ("max delta", 0...50), ("iterations", 0...20)]
        case .motion_blur: return [("radius", 0...250), ("sigma", 0.01...125)]  // sigma 0: a 0/0 kernel (measured SIGILL)
        case .defocus_blur: return [("radius", 0...50), ("alias blur", 0...10)]
        case .contrast: return [("factor", 0...10)]
        case .pixelate: return [("factor", 0.01...1)]
        case .jpeg_compression: return [("quality", 0...100)]
        case .darkness: return [("amount", 0...1)]
        case .snow:
            return [("flake mean", 0...1), ("flake std", 0...1), ("zoom", 1...20), ("threshold", 0...1),
                    ("blur radius", 0...50), ("blur sigma", 0.01...50), ("blend", 0...1)]  // zoom < 1, sigma 0: measured SIGILL
        case .fog: return [("amount", 0...20), ("wibble decay", 0.5...10)]
        }
    }

    /// One line per type for the help text.
    static var helpLines: [String] {
        DistortionType.allCases.map { type in
            "  \(type.rawValue): " + ranges(type).map { "\($0.name) \(NumericRange.format($0.range.lowerBound))...\(NumericRange.format($0.range.upperBound))" }
                .joined(separator: ", ")
        }
    }

    /// Parses `--param` text for `type`; nil with the reason when a value is not a number, is
    /// NaN or infinite, is out of range, or the count is wrong.
    static func parse(_ text: String, type: DistortionType) -> Result<[Double], ParameterProblem> {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        let ranges = ranges(type)
        guard parts.count == ranges.count else {
            return .failure(ParameterProblem("--param: \(type.rawValue) takes \(ranges.count) value(s) (\(ranges.map(\.name).joined(separator: ", "))), got \(parts.count)"))
        }
        var values: [Double] = []
        for (part, spec) in zip(parts, ranges) {
            guard let v = Double(part), v.isFinite else {
                return .failure(ParameterProblem("--param: \(spec.name) '\(part)' is not a finite number"))
            }
            guard spec.range.contains(v) else {
                return .failure(ParameterProblem("--param: \(type.rawValue) \(spec.name) must be in \(NumericRange.format(spec.range.lowerBound))...\(NumericRange.format(spec.range.upperBound)) (got \(part))"))
            }
            values.append(v)
        }
        return .success(values)
    }

    /// Why a `--param` was refused.
    struct ParameterProblem: Error {
        let message: String
        init(_ message: String) { self.message = message }
    }
}
