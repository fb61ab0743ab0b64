import Foundation

/// The agreement measures of IQA evaluation (MIQA-FACTS section 6), computed in Double as
/// `scipy.stats` computes them, so numbers can be compared with the original's Python results:
///
/// - `srcc`: Spearman's rank correlation, average ranks for ties (`scipy.stats.spearmanr`);
/// - `plcc`: Pearson's linear correlation (`scipy.stats.pearsonr`);
/// - `krcc`: Kendall's tau-b (`scipy.stats.kendalltau`), in `KendallTau.swift`;
/// - `rmse`: root mean squared error, `sqrt(mean((a - b)^2))`;
/// - `LogisticFit` gives the "fitted PLCC" after a 4-parameter logistic mapping, reported
///   separately (the paper's numbers use raw predictions).
///
/// Undefined cases return NaN, as scipy does: fewer than 2 pairs, a constant input, or any NaN in
/// the input. (scipy's `pearsonr` raises on fewer than 2 pairs instead; NaN is returned here so a
/// breakdown group of one image does not stop an evaluation.) Inputs must have equal lengths.
public enum Correlation {
    /// Spearman's rho: Pearson's correlation of the average ranks.
    ///
    /// The arithmetic follows `numpy.corrcoef` step by step (covariance sums times `1/(n-1)`,
    /// then divided by each standard deviation in turn). Rank deviations from the mean rank are
    /// multiples of 1/2, so every partial sum is a multiple of 1/4 below n^3/12; that is exact in
    /// a Double up to about n = 300,000 pairs, and there the result is bit-identical to scipy's.
    public static func srcc(_ a: [Double], _ b: [Double]) -> Double {
        precondition(a.count == b.count, "srcc: lengths differ (\(a.count) vs \(b.count))")
        guard a.count > 1, !isConstant(a), !isConstant(b), !containsNaN(a), !containsNaN(b) else { return .nan }
        let ra = FractionalRanks.of(a), rb = FractionalRanks.of(b)
        let n = Double(a.count)
        let ma = sum(ra) / n, mb = sum(rb) / n
        var saa = 0.0, sbb = 0.0, sab = 0.0
        for i in ra.indices {
            let da = ra[i] - ma, db = rb[i] - mb
            saa += da * da
            sbb += db * db
            sab += da * db
        }
        let scale = 1 / (n - 1)
        let r = sab * scale / (sbb * scale).squareRoot() / (saa * scale).squareRoot()
        return min(1, max(-1, r))
    }

    /// Pearson's r, computed as `scipy.stats.pearsonr` does: deviations from the means, each
    /// vector scaled by its largest deviation before taking its norm (no overflow), then the dot
    /// product of the unit vectors, clipped to [-1, 1]. With two pairs it is exactly +-1.
    public static func plcc(_ a: [Double], _ b: [Double]) -> Double {
        precondition(a.count == b.count, "plcc: lengths differ (\(a.count) vs \(b.count))")
        guard a.count > 1, !isConstant(a), !isConstant(b), !containsNaN(a), !containsNaN(b) else { return .nan }
        let n = Double(a.count)
        let ma = sum(a) / n, mb = sum(b) / n
        let da = a.map { $0 - ma }, db = b.map { $0 - mb }
        let na = norm(da), nb = norm(db)
        var r = sum(da.indices.map { (da[$0] / na) * (db[$0] / nb) })
        r = min(1, max(-1, r))
        return a.count == 2 ? r.rounded() : r
    }

    /// Root mean squared error between predictions and labels; NaN when empty.
    public static func rmse(_ a: [Double], _ b: [Double]) -> Double {
        precondition(a.count == b.count, "rmse: lengths differ (\(a.count) vs \(b.count))")
        guard !a.isEmpty else { return .nan }
        return (sum(zip(a, b).map { ($0 - $1) * ($0 - $1) }) / Double(a.count)).squareRoot()
    }

    static func isConstant(_ v: [Double]) -> Bool {
        guard let first = v.first else { return true }
        return v.allSatisfy { $0 == first }
    }

    static func containsNaN(_ v: [Double]) -> Bool { v.contains { $0.isNaN } }

    /// Compensated (Neumaier) sum: means of 250,000 values stay accurate to the last bit or two,
    /// which keeps agreement with NumPy's pairwise sums far inside 1e-12.
    static func sum(_ v: [Double]) -> Double {
        var s = 0.0, c = 0.0
        for x in v {
            let t = s + x
            c += abs(s) >= abs(x) ? (s - t) + x : (x - t) + s
            s = t
        }
        return s + c
    }

    /// Euclidean norm, scaled by the largest magnitude first as scipy does.
    static func norm(_ v: [Double]) -> Double {
        let m = v.reduce(0) { max($0, abs($1)) }
        guard m > 0 else { return 0 }
        return m * sum(v.map { ($0 / m) * ($0 / m) }).squareRoot()
    }
}
