import XCTest
@testable import MIQA

/// Types of the scipy fixtures (values in CorrelationFixtures.swift, written by
/// tools/evaluation/make_fixtures.py) and the generator the script shares with us.
enum CorrelationFixtures {
    struct Case {
        let name: String
        let x: [Double], y: [Double]
        let srcc: Double, plcc: Double, krcc: Double, rmse: Double
    }

    struct GeneratedCase {
        let name: String, kind: String, n: Int, seed: UInt64
        /// sum(x) + 2 sum(y) as NumPy computed it: proves the generators agree.
        let checksum: Double
        let srcc: Double, plcc: Double, krcc: Double, rmse: Double
    }

    struct LogisticCase {
        let name: String, kind: String, n: Int, seed: UInt64
        let start: [Double], beta: [Double]
        let sse: Double, fittedPLCC: Double
    }

    /// splitmix64, as in the Python script.
    struct SplitMix64 {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func uniform() -> Double { Double(next() >> 11) * 0x1p-53 }
        mutating func below(_ k: UInt64) -> UInt64 { next() % k }
    }

    /// The same data as `generate` in make_fixtures.py, operation for operation.
    static func generate(kind: String, n: Int, seed: UInt64) -> (x: [Double], y: [Double]) {
        var g = SplitMix64(state: seed)
        var x: [Double] = [], y: [Double] = []
        x.reserveCapacity(n); y.reserveCapacity(n)
        for i in 0..<n {
            switch kind {
            case "continuous":
                let a = g.uniform(), b = g.uniform()
                x.append(a); y.append(0.5 * a + 0.5 * b)
            case "ties":
                let a = g.below(7), b = g.below(5)
                x.append(Double(a)); y.append(Double(a + b))
            case "mixed":
                let a = g.uniform(), b = g.below(4)
                x.append(a); y.append(Double(Int(a * 8) + Int(b)) / 10)
            case "sorted":
                x.append(Double(i)); y.append(Double(i / 3))
            case "reversed":
                x.append(Double(i)); y.append(Double((n - 1 - i) / 3))
            case "sigmoid":
                let a = g.uniform(), b = g.uniform()
                x.append(a); y.append(0.2 + 0.6 / (1 + Foundation.exp(-(a - 0.45) / 0.08)) + 0.1 * (b - 0.5))
            case "falling":
                let a = g.uniform(), b = g.uniform()
                x.append(a); y.append(0.9 - 0.7 * a * a + 0.2 * b)
            default:
                fatalError("unknown kind \(kind)")
            }
        }
        return (x, y)
    }
}

final class CorrelationTests: XCTestCase {
    /// Equal within `tolerance`, or both NaN (scipy's answer for undefined cases).
    func assertClose(_ got: Double, _ want: Double, _ tolerance: Double, _ what: String,
                     file: StaticString = #filePath, line: UInt = #line) {
        if want.isNaN {
            XCTAssertTrue(got.isNaN, "\(what): got \(got), scipy gives NaN", file: file, line: line)
        } else {
            XCTAssertLessThanOrEqual(abs(got - want), tolerance, "\(what): got \(got), scipy \(want)", file: file, line: line)
        }
    }

    func testLiteralCasesAgainstScipy() {
        for c in CorrelationFixtures.literalCases {
            // Rank statistics are exact integer/half-integer arithmetic: bit-identical.
            assertClose(Correlation.srcc(c.x, c.y), c.srcc, 0, "\(c.name) srcc")
            assertClose(Correlation.krcc(c.x, c.y), c.krcc, 0, "\(c.name) krcc")
            assertClose(Correlation.plcc(c.x, c.y), c.plcc, 1e-12, "\(c.name) plcc")
            assertClose(Correlation.rmse(c.x, c.y), c.rmse, 1e-12, "\(c.name) rmse")
        }
    }

    func testGeneratedCasesAgainstScipy() {
        for c in CorrelationFixtures.generatedCases {
            let (x, y) = CorrelationFixtures.generate(kind: c.kind, n: c.n, seed: c.seed)
            let checksum = Correlation.sum(x) + 2 * Correlation.sum(y)
            XCTAssertEqual(checksum, c.checksum, accuracy: abs(c.checksum) * 1e-14, "\(c.name): generator differs from the script's")
            let tieFree = c.kind == "continuous"
            assertClose(Correlation.srcc(x, y), c.srcc, tieFree ? 1e-12 : 0, "\(c.name) srcc")
            assertClose(Correlation.krcc(x, y), c.krcc, 0, "\(c.name) krcc")
            assertClose(Correlation.plcc(x, y), c.plcc, 1e-12, "\(c.name) plcc")
            assertClose(Correlation.rmse(x, y), c.rmse, 1e-12, "\(c.name) rmse")
        }
    }

    func testUndefinedInputsGiveNaN() {
        XCTAssertTrue(Correlation.srcc([], []).isNaN)
        XCTAssertTrue(Correlation.krcc([], []).isNaN)
        XCTAssertTrue(Correlation.plcc([1], [2]).isNaN)
        XCTAssertTrue(Correlation.srcc([1], [2]).isNaN)
        XCTAssertTrue(Correlation.krcc([1], [2]).isNaN)
        XCTAssertTrue(Correlation.rmse([], []).isNaN)
        let withNaN = [0.1, .nan, 0.3]
        XCTAssertTrue(Correlation.srcc(withNaN, [1, 2, 3]).isNaN)
        XCTAssertTrue(Correlation.plcc(withNaN, [1, 2, 3]).isNaN)
        XCTAssertTrue(Correlation.krcc([1, 2, 3], withNaN).isNaN)
    }

    func testPerfectAgreementAndReversal() {
        let x = (0..<100).map { Double($0) / 7 }
        XCTAssertEqual(Correlation.krcc(x, x), 1)
        XCTAssertEqual(Correlation.krcc(x, x.reversed()), -1)
        // corrcoef's arithmetic (s / sqrt(s) / sqrt(s)) can land one ulp below 1, in scipy too.
        XCTAssertEqual(Correlation.srcc(x, x.map { $0 * $0 * $0 }), 1, accuracy: 2e-16)
    }

    func testKendallMatchesPairCountingOnRandomTies() {
        // The O(n log n) count against the O(n^2) definition, on small tie-heavy inputs.
        var g = CorrelationFixtures.SplitMix64(state: 99)
        for trial in 0..<50 {
            let n = 2 + trial
            let x = (0..<n).map { _ in Double(g.below(4)) }
            let y = (0..<n).map { _ in Double(g.below(3)) }
            var concordant = 0, discordant = 0, tiedX = 0, tiedY = 0
            for i in 0..<n {
                for j in (i + 1)..<n {
                    let s = (x[i] - x[j]) * (y[i] - y[j])
                    if s > 0 { concordant += 1 } else if s < 0 { discordant += 1 }
                    if x[i] == x[j] { tiedX += 1 }
                    if y[i] == y[j] { tiedY += 1 }
                }
            }
            let total = n * (n - 1) / 2
            let want = tiedX == total || tiedY == total ? Double.nan
                : Double(concordant - discordant) / (Double(total - tiedX) * Double(total - tiedY)).squareRoot()
            assertClose(Correlation.krcc(x, y), want, 1e-15, "trial \(trial)")
        }
    }

    func testLogisticFitAgainstCurveFit() throws {
        for c in CorrelationFixtures.logisticCases {
            let (x, y) = CorrelationFixtures.generate(kind: c.kind, n: c.n, seed: c.seed)
            let start = LogisticFit.initialGuess(x: x, y: y)
            for k in 0..<4 { XCTAssertEqual(start[k], c.start[k], accuracy: 1e-12, "\(c.name) start b\(k + 1)") }
            let fit = try XCTUnwrap(LogisticFit.fit(x: x, y: y, start: start), c.name)
            // The "continuous" data have a linear conditional mean: the best logistic lies at
            // infinity (ever wider and taller), so neither fit converges, but both approach the
            // linear PLCC and agree on it.
            if c.kind != "continuous" { XCTAssertTrue(fit.converged, c.name) }
            let plcc = Correlation.plcc(x.map { fit($0) }, y)
            XCTAssertEqual(plcc, c.fittedPLCC, accuracy: 1e-4, "\(c.name) fitted PLCC")
            // Converged fits stop on a tighter rule than MINPACK's: the SSE is no worse beyond
            // rounding. The drifting fit stops at the iteration limit, measured 8e-7 above scipy's.
            let slack = c.kind == "continuous" ? 1e-5 : 1e-9
            XCTAssertLessThanOrEqual(fit.sse, c.sse * (1 + slack), "\(c.name) SSE")
        }
    }

    func testLogisticFitRecoversKnownCurve() throws {
        let truth = [0.85, 0.15, 0.5, 0.1]
        let x = (0..<200).map { Double($0) / 199 }
        let y = x.map { LogisticFit.evaluate($0, truth) }
        let fit = try XCTUnwrap(LogisticFit.fit(x: x, y: y))
        for k in 0..<3 { XCTAssertEqual(fit.beta[k], truth[k], accuracy: 1e-7) }
        XCTAssertEqual(abs(fit.beta[3]), truth[3], accuracy: 1e-7)
        XCTAssertNil(LogisticFit.fit(x: [1, 2, 3], y: [1, 2, 3]))
        XCTAssertNil(LogisticFit.fit(x: [1, 1, 1, 1, 1], y: [1, 2, 3, 4, 5]))
    }
}
