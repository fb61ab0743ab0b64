/// Ranks with ties sharing the average of the ranks they span ("fractional" or "average" ranks,
/// `scipy.stats.rankdata(method="average")`): `[10, 20, 20, 30]` -> `[1, 2.5, 2.5, 4]`.
public enum FractionalRanks {
    /// 1-based average ranks of `values`, in their original order. NaN is not ordered; callers
    /// reject it first.
    public static func of(_ values: [Double]) -> [Double] {
        let n = values.count
        let order = values.indices.sorted { values[$0] < values[$1] }
        var ranks = [Double](repeating: 0, count: n)
        var start = 0
        while start < n {
            var end = start + 1
            while end < n && values[order[end]] == values[order[start]] { end += 1 }
            // Positions start..<end (0-based) hold ranks start+1...end; their mean is exact in
            // binary (an integer or a half), so rank sums stay exact for the correlations.
            let rank = Double(start + 1 + end) / 2
            for k in start..<end { ranks[order[k]] = rank }
            start = end
        }
        return ranks
    }
}
