import Imaging

/// MIQD's severity selection: run all 12 candidates of a type on a
/// reference, rank the outputs by PSNR against it, keep ranks 1, 5, 8, 10, 12
/// as levels 1...5.
public enum SeverityLevels {
    /// The 1-based PSNR ranks kept as levels 1...5.
    public static let keptRanks = [1, 5, 8, 10, 12]

    /// The seed of the reference with 0-based position `index` in its list:
    /// MIQD's "image index + 1".
    public static func seed(forImageIndex index: Int) -> UInt64 { UInt64(index + 1) }

    /// Applies every candidate of `type` to `reference` and returns levels 1...5.
    ///
    /// Every candidate is applied with the same `seed` (as if the original had
    /// reseeded NumPy with the reference's seed before each candidate), so
    /// candidates of a random type share their random draws and differ only by
    /// their parameters. Ranking: PSNR descending; an identical output
    /// (PSNR = +infinity) ranks above every finite PSNR; equal PSNRs
    /// (including several infinities) keep candidate order, weaker first.
    /// - Returns: 5 entries, `level` 1...5, `candidate` the 0-based candidate index.
    public static func select(reference: RGBImage, type: DistortionType, seed: UInt64) throws
        -> [(level: Int, candidate: Int, psnr: Double, image: RGBImage)]
    {
        var all: [(candidate: Int, psnr: Double, image: RGBImage)] = []
        for (i, p) in type.candidates.enumerated() {
            let img = try Distortion(type: type, parameter: p).apply(to: reference, seed: seed)
            all.append((i, try QualityMetrics.psnr(reference, img), img))
        }
        let ranked = all.sorted { a, b in a.psnr != b.psnr ? a.psnr > b.psnr : a.candidate < b.candidate }
        return keptRanks.enumerated().map { level, rank in
            let e = ranked[rank - 1]
            return (level + 1, e.candidate, e.psnr, e.image)
        }
    }
}
