import Foundation

/// The 4-parameter logistic mapping that IQA studies fit from predictions to labels before
/// computing a "fitted PLCC" (VQEG practice):
///
///     f(x) = (b1 - b2) / (1 + exp(-(x - b3) / |b4|)) + b2
///
/// b1 and b2 are the upper and lower asymptotes (swapped for a falling curve), b3 the midpoint and
/// |b4| the width. The MIQA paper reports PLCC of raw predictions; this fit is reported beside it.
///
/// Fitting is Levenberg-Marquardt on the sum of squared residuals with the analytic Jacobian:
/// - start (`initialGuess`): b1 = max(y), b2 = min(y) (swapped when Pearson's r of x and y is
///   negative, so the curve starts out falling), b3 = mean(x), b4 = population std of x (1 when x
///   is constant);
/// - each step solves (J'J + lambda * diag(J'J)) d = -J'r by Cholesky (Marquardt's scaling);
///   lambda starts at 1e-3, is divided by 10 after an accepted step and multiplied by 10 after a
///   rejected one (the SSE did not decrease, or was not finite);
/// - it stops when an accepted step lowers the SSE by at most 1e-12 of its value *and* moves the
///   parameters by at most 1e-9 of their size (both tighter than `scipy.optimize.curve_fit`'s
///   1.49e-8), when lambda exceeds 1e16 (no step can lower the SSE: at a minimum to rounding), or
///   after `maxIterations` accepted-or-rejected steps (then `converged` is false).
public struct LogisticFit: Sendable, Equatable {
    /// b1, b2, b3, b4.
    public var beta: [Double]
    /// Sum of squared residuals at `beta`.
    public var sse: Double
    /// Steps tried (accepted or rejected).
    public var iterations: Int
    /// Whether a stopping rule other than the iteration limit ended the fit.
    public var converged: Bool

    /// The curve at `x` for parameters `beta`.
    public static func evaluate(_ x: Double, _ beta: [Double]) -> Double {
        (beta[0] - beta[1]) * sigmoid((x - beta[2]) / abs(beta[3])) + beta[1]
    }

    /// The fitted curve at `x`.
    public func callAsFunction(_ x: Double) -> Double { LogisticFit.evaluate(x, beta) }

    /// The documented start values (see the type's description).
    public static func initialGuess(x: [Double], y: [Double]) -> [Double] {
        var top = y.max() ?? 1, bottom = y.min() ?? 0
        if Correlation.plcc(x, y) < 0 { swap(&top, &bottom) }
        let mean = Correlation.sum(x) / Double(max(1, x.count))
        let spread = (Correlation.sum(x.map { ($0 - mean) * ($0 - mean) }) / Double(max(1, x.count))).squareRoot()
        return [top, bottom, mean, spread > 0 ? spread : 1]
    }

    /// Fits the curve mapping `x` (predictions) to `y` (labels). Nil when there are fewer than 4
    /// points, any value is not finite, or either input is constant (nothing to fit).
    public static func fit(x: [Double], y: [Double], start: [Double]? = nil, maxIterations: Int = 1000) -> LogisticFit? {
        precondition(x.count == y.count, "logistic fit: lengths differ (\(x.count) vs \(y.count))")
        guard x.count >= 4, x.allSatisfy(\.isFinite), y.allSatisfy(\.isFinite),
              !Correlation.isConstant(x), !Correlation.isConstant(y) else { return nil }
        var beta = start ?? initialGuess(x: x, y: y)
        precondition(beta.count == 4, "logistic fit: 4 start values needed")
        var current = sse(x, y, beta)
        guard current.isFinite else { return nil }
        var lambda = 1e-3
        var iterations = 0
        while iterations < maxIterations {
            let (a, g) = normalEquations(x, y, beta)
            var accepted = false
            while iterations < maxIterations {
                iterations += 1
                var m = a
                for i in 0..<4 { m[i * 4 + i] += lambda * max(a[i * 4 + i], 1e-300) }
                if let step = solve4(m, g.map { -$0 }) {
                    let trial = zip(beta, step).map { $0 + $1 }
                    let value = sse(x, y, trial)
                    if value.isFinite && value < current && trial[3] != 0 {
                        let reduction = (current - value) / current
                        let stepSize = step.reduce(0) { $0 + $1 * $1 }.squareRoot()
                        let size = beta.reduce(0) { $0 + $1 * $1 }.squareRoot()
                        beta = trial
                        current = value
                        lambda = max(lambda / 10, 1e-15)
                        if reduction <= 1e-12 && stepSize <= 1e-9 * (size + 1e-9) {
                            return LogisticFit(beta: beta, sse: current, iterations: iterations, converged: true)
                        }
                        accepted = true
                        break
                    }
                }
                lambda *= 10
                if lambda > 1e16 {
                    return LogisticFit(beta: beta, sse: current, iterations: iterations, converged: true)
                }
            }
            if !accepted { break }
        }
        return LogisticFit(beta: beta, sse: current, iterations: iterations, converged: false)
    }

    /// 1 / (1 + exp(-t)) without overflow for large |t|.
    static func sigmoid(_ t: Double) -> Double {
        if t >= 0 { return 1 / (1 + Foundation.exp(-t)) }
        let e = Foundation.exp(t)
        return e / (1 + e)
    }

    static func sse(_ x: [Double], _ y: [Double], _ beta: [Double]) -> Double {
        var s = 0.0
        for i in x.indices {
            let r = evaluate(x[i], beta) - y[i]
            s += r * r
        }
        return s
    }

    /// J'J (row-major 4x4) and J'r at `beta`, J the Jacobian of the residuals f(x_i) - y_i.
    /// Scalars only in the loop: it runs over every image on every iteration.
    static func normalEquations(_ x: [Double], _ y: [Double], _ beta: [Double]) -> ([Double], [Double]) {
        var a = [Double](repeating: 0, count: 16)
        var g = [Double](repeating: 0, count: 4)
        let width = abs(beta[3]), sign: Double = beta[3] < 0 ? -1 : 1
        let height = beta[0] - beta[1], b2 = beta[1], b3 = beta[2]
        var a00 = 0.0, a01 = 0.0, a02 = 0.0, a03 = 0.0, a11 = 0.0, a12 = 0.0, a13 = 0.0, a22 = 0.0, a23 = 0.0, a33 = 0.0
        var g0 = 0.0, g1 = 0.0, g2 = 0.0, g3 = 0.0
        for i in x.indices {
            let z = (x[i] - b3) / width
            let s = sigmoid(z)
            let slope = height * s * (1 - s)
            let j0 = s, j1 = 1 - s, j2 = -slope / width, j3 = -slope * z / width * sign
            let r = height * s + b2 - y[i]
            g0 += j0 * r; g1 += j1 * r; g2 += j2 * r; g3 += j3 * r
            a00 += j0 * j0; a01 += j0 * j1; a02 += j0 * j2; a03 += j0 * j3
            a11 += j1 * j1; a12 += j1 * j2; a13 += j1 * j3
            a22 += j2 * j2; a23 += j2 * j3; a33 += j3 * j3
        }
        let upper = [a00, a01, a02, a03, a01, a11, a12, a13, a02, a12, a22, a23, a03, a13, a23, a33]
        for k in 0..<16 { a[k] = upper[k] }
        g = [g0, g1, g2, g3]
        return (a, g)
    }

    /// Solves the symmetric 4x4 system `m d = b` by Cholesky; nil if `m` is not positive definite.
    static func solve4(_ m: [Double], _ b: [Double]) -> [Double]? {
        var l = [Double](repeating: 0, count: 16)
        for i in 0..<4 {
            for j in 0...i {
                var s = m[i * 4 + j]
                for k in 0..<j { s -= l[i * 4 + k] * l[j * 4 + k] }
                if i == j {
                    guard s > 0, s.isFinite else { return nil }
                    l[i * 4 + i] = s.squareRoot()
                } else {
                    l[i * 4 + j] = s / l[j * 4 + j]
                }
            }
        }
        var z = [Double](repeating: 0, count: 4)
        for i in 0..<4 {
            var s = b[i]
            for k in 0..<i { s -= l[i * 4 + k] * z[k] }
            z[i] = s / l[i * 4 + i]
        }
        var d = [Double](repeating: 0, count: 4)
        for i in stride(from: 3, through: 0, by: -1) {
            var s = z[i]
            for k in (i + 1)..<4 { s -= l[k * 4 + i] * d[k] }
            d[i] = s / l[i * 4 + i]
        }
        return d.allSatisfy(\.isFinite) ? d : nil
    }
}

extension Correlation {
    /// PLCC after mapping `predictions` through the 4-parameter logistic fitted to `labels`
    /// (`LogisticFit`), with the fit; NaN and nil when no fit is possible.
    public static func fittedPLCC(_ predictions: [Double], _ labels: [Double]) -> (plcc: Double, fit: LogisticFit?) {
        guard let fit = LogisticFit.fit(x: predictions, y: labels) else { return (.nan, nil) }
        return (plcc(predictions.map { fit($0) }, labels), fit)
    }
}
